"""Find a rule's matches only near where Hyperscan saw its translation end, yet exactly as
``finditer`` over the whole text would.

Why this is exact. ``finditer`` returns, from position ``pos``, the anchored match at the
smallest start ``s >= pos`` where the pattern matches, then continues from that match's end (it
never returns an empty match here: a rule whose translation could match empty is refused by
Hyperscan and never windowed). Take a match ``[s, t)``. The translation matches a part of it
``[s', t')`` with ``s <= s' < t' <= t`` (it only shrinks the ends), so Hyperscan reports the end
``t'``, and ``s >= t - max_length >= t' - max_length``: every start where the pattern can match
lies in some window ``[t' - max_length, t')``. Trying ``pattern.match`` (anchored, with the whole
text around it, so lookbehinds and anchors see what ``finditer`` sees) at the window positions in
increasing order therefore meets the same first success as ``finditer``; positions outside every
window cannot match at all.

When a rule's matches are bounded too (a match starting at ``s``, with whatever its lookaheads,
``$`` or ``\b`` inspect after it, stays below ``s + reach``), each window is searched at once:
``pattern.search(text, lo, hi + reach)`` finds the leftmost match starting in ``[lo, hi)``
exactly as the whole text would, since nothing it examines for such a start lies at or beyond
the bound (``pos`` does not hide the text before it from lookbehinds and ``^``; ``endpos`` is
only ever reached by starts at or after ``hi``, whose results are not used). One search per
window instead of one ``match`` per position makes dense windows cheap.

A rule whose matches never hold a line break needs no bounded prefix: a match holds a part that
its translation matches, so it lies on the line where Hyperscan saw that part end, starts before
that end and stops before the line's break; what its lookaheads and ``$`` or ``\b`` inspect
after it is bounded separately (``ahead``). Each such line is then one bounded search.

Offsets are character offsets: callers pass Hyperscan's byte offsets only for ASCII text.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

import regex


def windowed_matches(pattern: regex.Pattern, text: str, ends: Iterable[int], max_length: int,
                     timeout: float) -> list[regex.Match]:
    """``list(pattern.finditer(text))``, trying only starts within ``max_length`` before an end.

    Raises ``TimeoutError`` once ``timeout`` seconds are spent, like ``finditer`` would.
    """
    deadline = time.monotonic() + timeout
    found: list[regex.Match] = []
    pos = 0
    tried = 0
    for end in sorted(set(ends)):
        if end <= pos:
            continue
        start = max(pos, tried, end - max_length)
        while start < end:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("regex timed out")
            hit = pattern.match(text, start, timeout=remaining)
            if hit is None:
                start += 1
                continue
            found.append(hit)
            pos = start = hit.end()
        tried = max(tried, end)
    return found


def windowed_search(pattern: regex.Pattern, text: str, ends: Iterable[int], width: int,
                    reach: int, timeout: float) -> list[regex.Match]:
    """``list(pattern.finditer(text))`` by one bounded search per window (see the module)."""
    regions = [(low, high, high + reach) for low, high in merged_windows(ends, width)]
    return search_regions(pattern, text, regions, timeout)


def line_regions(text: str, ends: Iterable[int], width: int | None, ahead: int,
                 reach: int | None) -> list[tuple[int, int, int]]:
    """(low, high, endpos) for a rule whose matches never hold a line break: a match holding
    a part that ends at ``e`` starts on the line of ``e`` before ``e`` (and at most ``width``
    before it, when known), ends before that line's break, and its assertions look at most
    ``ahead`` characters further (at most ``reach`` past its start, when known)."""
    regions: list[tuple[int, int, int]] = []
    for end in sorted(set(ends)):
        line_start = text.rfind("\n", 0, end - 1) + 1
        line_break = text.find("\n", end - 1)
        if line_break < 0:
            line_break = len(text)
        low = line_start if width is None else max(line_start, end - width)
        endpos = line_break + 1 + ahead
        if reach is not None:
            endpos = min(endpos, end + reach)
        if regions and low <= regions[-1][1]:
            previous = regions[-1]
            regions[-1] = (previous[0], max(previous[1], end), max(previous[2], endpos))
        else:
            regions.append((low, end, endpos))
    return regions


def search_regions(pattern: regex.Pattern, text: str, regions: Iterable[tuple[int, int, int]],
                   timeout: float) -> list[regex.Match]:
    """The matches ``finditer`` finds, given that every match starts in one of the sorted,
    disjoint ``[low, high)`` ranges and that what decides a match starting there lies before
    its ``endpos``: one ``search`` per range, and more while matches follow in it."""
    deadline = time.monotonic() + timeout
    found: list[regex.Match] = []
    pos = 0
    size = len(text)
    for low, high, endpos in regions:
        start = max(pos, low)
        while start < high:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("regex timed out")
            hit = pattern.search(text, start, min(size, endpos), timeout=remaining)
            if hit is None or hit.start() >= high:
                break
            if hit.end() == hit.start():  # finditer steps over empty matches its own way
                return list(pattern.finditer(text, timeout=max(remaining, 1e-3)))
            found.append(hit)
            pos = start = hit.end()
    return found


#: How far back from a region a clean start is looked for before the region approach is
#: given up for the whole-text search.
MAX_CLEAN_BACK = 4096


def required_regions(text: str, ends: Iterable[int], *, before: int, after: int, longest: int,
                     reach: int, characters: frozenset[str] | str
                     ) -> list[tuple[int, int, int]] | None:
    """Regions for ``search_regions`` holding every match of a rule that can meet its
    ``require`` context, given where that context's translation ends in ``text``; None when
    no clean start is near enough (search the whole text then).

    Why this is exact for the matches that are reported. A reported match ``[s, e)`` has its
    context inside ``text[s - before : e + after]`` (a separate string there, so ``\b`` and
    lookbehinds may behave differently, but its characters are the full text's): the
    assertion-free translation matches a part of them, ending at some ``t`` with
    ``s - before < t <= e + after``. With ``e - s <= longest``, ``s`` lies in
    ``[t - after - longest, t + before)``. Matches ``finditer`` finds elsewhere cannot meet the
    context and are dropped anyway; but one of them could still overlap, and so hide, a match
    inside a region. So each region starts at a clean position: one right after a character no
    match can hold (``characters``), or the text's start. No match spans a clean position, so
    ``finditer`` has nothing under way there and a search from it finds what ``finditer`` does;
    ``search_regions`` then finds exactly ``finditer``'s matches starting in the regions.
    """
    spans = sorted((max(0, end - after - longest), end + before) for end in set(ends))
    regions: list[tuple[int, int, int]] = []
    for low, high in spans:
        high = min(high, len(text))
        # A span reaching the region before joins it (that region starts clean); otherwise walk
        # back to a clean start, but never into that region: each character is walked at most
        # once, however many context ends crowd a run of match characters.
        floor = regions[-1][1] if regions else 0
        clean = low
        while clean > floor and text[clean - 1] in characters:
            clean -= 1
            if low - clean > MAX_CLEAN_BACK:
                return None
        if regions and clean <= floor:
            previous = regions[-1]
            regions[-1] = (previous[0], max(previous[1], high), max(previous[2], high + reach))
        else:
            regions.append((clean, high, high + reach))
    return regions


def merged_windows(ends: Iterable[int], width: int) -> list[tuple[int, int]]:
    """The start positions the windows hold, as sorted, disjoint ``[low, high)`` ranges."""
    merged: list[tuple[int, int]] = []
    for end in sorted(set(ends)):
        low = max(0, end - width)
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((low, end))
    return merged


def window_cover(ends: Iterable[int], max_length: int) -> int:
    """How many start positions the windows hold together (to choose windows or ``finditer``)."""
    covered = 0
    reach = 0
    for end in sorted(set(ends)):
        low = max(reach, end - max_length)
        if end > low:
            covered += end - low
        reach = max(reach, end)
    return covered
