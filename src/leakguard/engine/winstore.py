"""Window (and guard) databases, compiled when a rule first needs one and kept on disk beside
the main ones.

A windowed rule (``windows``) needs a small database of its own that reports every end of its
window expression. Compiling one takes tens of milliseconds, and a ruleset has hundreds of
windowed rules of which a scan uses a few dozen (only large chunks are searched in windows,
only rules that are candidates there), so each is compiled on first use and saved in a folder
named after the main database's cache key: later runs, and the other worker processes, load it.
A file that fails its checksum is compiled again; a folder that cannot be written only costs
the compile.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

MAGIC = b"LGHSWIN1\n"


@dataclass(frozen=True)
class WindowStore:
    """Where a ruleset's window databases live (None: compiled in memory each run)."""

    folder: Path | None = None

    def database(self, index: int, expression: bytes, *, kind: str = "w") -> bytes | None:
        """The serialized database for rule ``index``'s window ``expression`` (``kind="w"``,
        every end reported), its ``require`` contexts' expression (``kind="r"``, every end) or
        guard expression (``kind="g"``, one report per scan); None when
        Hyperscan will not compile it (the rule is then searched whole, or left unguarded)."""
        path = self.folder / f"{kind}{index}.bin" if self.folder is not None else None
        if path is not None:
            with contextlib.suppress(OSError, ValueError):
                return _read(path, expression)
        import hyperscan

        from leakguard.engine.dbcache import _compile

        try:
            compiled = _compile([(index, expression)], single=kind not in ("w", "r"))
        except hyperscan.error:
            return None
        if path is not None:
            with contextlib.suppress(OSError):
                _write(path, expression, compiled)
        return compiled


def _digest(expression: bytes, compiled: bytes) -> bytes:
    return hashlib.sha256(len(expression).to_bytes(4, "big") + expression + compiled).digest()


def _read(path: Path, expression: bytes) -> bytes:
    data = path.read_bytes()
    if not data.startswith(MAGIC):
        raise ValueError("not a window database")
    digest, compiled = data[len(MAGIC):len(MAGIC) + 32], data[len(MAGIC) + 32:]
    if _digest(expression, compiled) != digest:
        raise ValueError("checksum mismatch")
    return compiled


def _write(path: Path, expression: bytes, compiled: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".w-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(MAGIC + _digest(expression, compiled) + compiled)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def remove(folder: Path) -> None:
    """Drop a ruleset's window databases (its main database was pruned)."""
    shutil.rmtree(folder, ignore_errors=True)
