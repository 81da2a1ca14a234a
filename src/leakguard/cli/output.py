"""Writing reports: atomically to files, or to stdout; consoles for tables and summaries."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from rich.console import Console

from leakguard.errors import InputError


def stderr_console(quiet: bool = False) -> Console:
    return Console(file=sys.stderr, stderr=True, quiet=quiet, highlight=False, soft_wrap=False)


def stdout_console() -> Console:
    return Console(file=sys.stdout, highlight=False)


@contextlib.contextmanager
def atomic_text_file(path: Path) -> Iterator[TextIO]:
    """Write to a temporary file beside ``path`` and rename it into place only on success.

    A crash, an interrupt or a reporter error leaves the previous file (or none), never half of
    a report.
    """
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(f"--output {str(path)!r}: folder {str(directory)!r} does not exist")
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise


def emit(output: Path | None, write: Callable[[TextIO], None]) -> None:
    """Run a writer against ``output`` (atomically) or stdout."""
    if output is None:
        write(sys.stdout)
        sys.stdout.flush()
        return
    try:
        with atomic_text_file(output) as handle:
            write(handle)
    except PermissionError as exc:
        raise InputError(f"--output {str(output)!r}: {exc.strerror}") from None
