"""Option parsing shared by several commands (sizes, levels) with errors naming the option."""

from __future__ import annotations

import regex

from leakguard.errors import UsageError

_SIZE = regex.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?i?b?)?\s*$", regex.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}


def parse_size(value: str, option: str) -> int:
    """``10MB``, ``512k``, ``1.5G`` or plain bytes -> bytes (binary units)."""
    found = _SIZE.match(value)
    if not found:
        raise UsageError(f"{option}: {value!r} is not a size (examples: 10MB, 512K, 1048576)")
    number = float(found.group(1))
    unit = (found.group(2) or "").lower().rstrip("b").rstrip("i")
    size = int(number * _UNITS[unit])
    if size <= 0:
        raise UsageError(f"{option}: must be greater than zero")
    return size
