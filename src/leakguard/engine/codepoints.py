"""Sets of code points as sorted ranges, and the case tables the Hyperscan translation needs.

Every table is computed from the running ``regex`` module and ``str.lower`` (never typed in by
hand), so a new Unicode version cannot make the translation miss a character; the tables are
built only when a Hyperscan database is compiled, which the on-disk cache makes rare.
"""

from __future__ import annotations

import functools

import regex

MAX_CODEPOINT = 0x10FFFF
Ranges = tuple[tuple[int, int], ...]
ALL_NON_ASCII: Ranges = ((0x80, MAX_CODEPOINT),)


def merge(ranges: list[tuple[int, int]] | Ranges) -> Ranges:
    """Sorted, non-overlapping, non-adjacent ranges covering the same code points."""
    merged: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return tuple(merged)


def subtract(ranges: Ranges, remove: Ranges) -> Ranges:
    """The code points of ``ranges`` that are not in ``remove``."""
    result = list(ranges)
    for r_low, r_high in remove:
        kept = []
        for low, high in result:
            if r_high < low or r_low > high:
                kept.append((low, high))
                continue
            if low < r_low:
                kept.append((low, r_low - 1))
            if r_high < high:
                kept.append((r_high + 1, high))
        result = kept
    return tuple(result)


def singles(codes: tuple[int, ...] | list[int]) -> list[tuple[int, int]]:
    return [(code, code) for code in codes]


def split_ascii(ranges: Ranges) -> tuple[Ranges, Ranges]:
    """(ASCII part, non-ASCII part) of a set."""
    ascii_part = tuple((low, min(high, 0x7F)) for low, high in ranges if low <= 0x7F)
    rest = tuple((max(low, 0x80), high) for low, high in ranges if high >= 0x80)
    return ascii_part, rest


def size(ranges: Ranges) -> int:
    return sum(high - low + 1 for low, high in ranges)


@functools.lru_cache(maxsize=4096)
def ascii_members(source: str, caseless: bool) -> tuple[int, ...]:
    """Which ASCII characters the class or escape ``source`` matches, according to ``regex``."""
    compiled = regex.compile(("(?i)" if caseless else "") + source, regex.V0)
    return tuple(code for code in range(128) if compiled.fullmatch(chr(code)))


@functools.lru_cache(maxsize=1)
def _fold_table() -> dict[int, tuple[int, ...]]:
    """ASCII letter -> the non-ASCII code points ``regex`` matches it with under ``(?i)``."""
    everything = "".join(map(chr, (*range(0x80, 0xD800), *range(0xE000, MAX_CODEPOINT + 1))))
    table: dict[int, tuple[int, ...]] = {}
    for found in regex.finditer(r"(?i)[a-z]", everything):
        char = found.group()
        for code in range(128):
            if chr(code).isalpha() and regex.fullmatch("(?i)" + chr(code), char):
                table[code] = (*table.get(code, ()), ord(char))
    return table


def fold_characters() -> str:
    """Non-ASCII characters that stand for an ASCII letter case-insensitively, by ``regex``'s
    folding or inside ``str.lower()`` (KELVIN SIGN, LONG S, DOTTED CAPITAL I).

    Translations leave them out, so that caseless ASCII stays ASCII (Hyperscan then finds its
    literal factors); a chunk that contains one of them is matched by ``regex`` alone.
    """
    found = {fold for folds in _fold_table().values() for fold in folds}
    for part, sources in lowering_sources().items():
        if part.isascii():
            found.update(ord(source) for source in sources if not source.isascii())
    return "".join(chr(code) for code in sorted(found))


@functools.lru_cache(maxsize=1)
def lowering_sources() -> dict[str, tuple[str, ...]]:
    """Character c -> every other character whose ``str.lower()`` contains c."""
    sources: dict[str, list[str]] = {}
    for block_start in range(0, MAX_CODEPOINT + 1, 256):
        if 0xD800 <= block_start < 0xE000:
            continue
        block = "".join(map(chr, range(block_start, block_start + 256)))
        if block.lower() == block:  # most blocks hold no cased letter: let C skip them
            continue
        for char in block:
            lowered = char.lower()
            if lowered != char:
                for part in set(lowered):
                    sources.setdefault(part, []).append(char)
    return {part: tuple(chars) for part, chars in sources.items()}


def lowering_tails() -> frozenset[str]:
    """Characters that appear after the first one in some character's multi-character lowering."""
    return frozenset(part for chars in lowering_sources().values() for char in chars
                     for part in char.lower()[1:])
