"""Progress bars on a terminal; nothing at all when stderr is piped or ``--quiet`` is given."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

from leakguard.app import ProgressCallback, ProgressEvent
from leakguard.cli.output import stderr_console


def progress_enabled(quiet: bool) -> bool:
    return not quiet and sys.stderr.isatty()


@contextlib.contextmanager
def progress_bar(enabled: bool) -> Iterator[ProgressCallback | None]:
    """Yield a callback that drives a transient rich progress bar, or None when disabled."""
    if not enabled:
        yield None
        return
    # Imported here: a scan without a terminal (CI, hooks, pipes) never draws one.
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    progress = Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), TimeRemainingColumn(), console=stderr_console(), transient=True,
    )
    tasks: dict[str, int] = {}

    def update(event: ProgressEvent) -> None:
        if event.phase not in tasks:
            tasks[event.phase] = progress.add_task(event.phase, total=event.total)
        progress.update(tasks[event.phase], completed=event.done, total=event.total)

    with progress:
        yield update
