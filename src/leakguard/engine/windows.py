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
    deadline = time.monotonic() + timeout
    found: list[regex.Match] = []
    pos = 0
    for low, high in merged_windows(ends, width):
        start = max(pos, low)
        while start < high:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("regex timed out")
            hit = pattern.search(text, start, min(len(text), high + reach), timeout=remaining)
            if hit is None or hit.start() >= high:
                break
            if hit.end() == hit.start():  # finditer steps over empty matches its own way
                return list(pattern.finditer(text, timeout=max(remaining, 1e-3)))
            found.append(hit)
            pos = start = hit.end()
    return found


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
