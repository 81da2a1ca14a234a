"""Where any of a set of byte strings occurs in a large buffer, in one Hyperscan pass.

Python has no multi-string search: looking for a few hundred blob ids in a 72 MB commit log
one id at a time reads the log a few hundred times, and splitting it into tokens to test each
one costs half a second. Hyperscan matches them all at once, at memory speed. Callers keep a
pure-Python way for when it is missing (``None``). ``scan_ends`` (every end a database
reports, up to a limit) is shared with the multi-pattern engine's window and context searches.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

#: Hyperscan takes a block's length as 32 bits: a longer one would be scanned only in part.
MAX_DATA = 1 << 32


class _Ends:
    """Collects match ends, stopping the scan after ``limit`` of them."""

    def __init__(self, limit: int) -> None:
        self.ends: list[int] = []
        self.limit = limit

    def __call__(self, _index: int, _start: int, end: int, _flags: int, _context: Any) -> bool:
        self.ends.append(end)
        return len(self.ends) > self.limit


def scan_ends(database: Any, data: bytes, limit: int) -> list[int] | None:
    """Where ``database`` (a loaded block-mode Hyperscan database) reports a match in ``data``,
    as end offsets in the order reported; None once they are more than ``limit``."""
    import hyperscan

    found = _Ends(limit)
    try:
        database.scan(data, match_event_handler=found)
    except hyperscan.ScanTerminated:
        return None
    return found.ends


def literal_ends(data: bytes, literals: Sequence[bytes], limit: int) -> list[int] | None:
    """The end offset of every occurrence of each of ``literals`` in ``data``, in order; None
    when Hyperscan is not installed or will not build the database, or when there are more
    than ``limit`` occurrences (the caller's other way is then cheaper)."""
    if not literals:
        return []
    if len(data) >= MAX_DATA:
        return None
    try:
        import hyperscan
    except ImportError:
        return None
    expressions = ["".join(f"\\x{byte:02x}" for byte in literal).encode("ascii")
                   for literal in literals]
    try:
        database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        database.compile(expressions=expressions, ids=list(range(len(expressions))),
                         elements=len(expressions), flags=[0] * len(expressions))
    except hyperscan.error:
        return None
    ends = scan_ends(database, data, limit)
    return None if ends is None else sorted(ends)
