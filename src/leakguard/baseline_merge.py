"""Three-way merge of baseline files by entry, for git's merge driver.

Plain git already merges two branches that add entries in different places (the file is sorted,
one entry per line). It conflicts when both add entries next to each other, which is common in a
small baseline. As entries are a set keyed by fingerprint, the right answer is set algebra:

* an entry added on either side is kept;
* an entry removed on either side (pruned because the secret was fixed there) is removed, unless
  the other side changed it (labelled it): then the reviewed entry is kept, and the next
  ``baseline update`` prunes it if the secret is really gone;
* an entry changed on one side takes that side's version (added on both sides, the labelled one
  wins); changed differently on both sides is
  a real conflict (two reviews disagree), reported by fingerprint, with "ours" kept in the file.
"""

from __future__ import annotations

from dataclasses import dataclass

from leakguard.baseline_file import Baseline, BaselineEntry


@dataclass(frozen=True)
class MergeResult:
    baseline: Baseline
    conflicts: tuple[str, ...] = ()


def merge_baselines(base: Baseline | None, ours: Baseline, theirs: Baseline) -> MergeResult:
    original = base.by_fingerprint() if base is not None else {}
    mine, other = ours.by_fingerprint(), theirs.by_fingerprint()
    merged: list[BaselineEntry] = []
    conflicts: list[str] = []
    for fingerprint in sorted(original.keys() | mine.keys() | other.keys()):
        was, a, b = original.get(fingerprint), mine.get(fingerprint), other.get(fingerprint)
        if a == b:
            chosen = a
        elif a == was:
            chosen = b if b is not None else None
        elif b == was:
            chosen = a
        elif a is None or b is None:
            chosen = a or b
        elif was is None and (a.label is None) != (b.label is None):
            chosen = a if a.label is not None else b
        else:
            chosen = a
            conflicts.append(f"{fingerprint} ({a.path}): labelled differently on both sides "
                             f"(ours: {a.review()}; theirs: {b.review()})")
        if chosen is not None:
            merged.append(chosen)
    return MergeResult(ours.with_entries(merged), tuple(conflicts))
