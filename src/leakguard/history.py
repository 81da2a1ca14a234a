"""Attribution: which commit brought a secret into a path, which took it out, who holds it.

Pure: commit records (sha, parents, time, changes relative to the first parent) in, shas out.
A secret at a path is a *key*: the path and the set of blobs in which the secret was found.
A commit *holds* the key when its blob at that path is one of those blobs. Then:

* a commit **introduces** it when it holds it and none of its parents does (a root commit that
  holds it introduces it). A commit that merely keeps the secret (its parent already held it)
  never counts, nor does a merge that brings it over from a parent that held it. When several
  commits introduce it (two branches, or removed and added again), the earliest by commit time
  is reported, with the topological order breaking ties;
* a commit **removes** it when it does not hold it but a parent did. The reported removal is the
  first one after the last introduction (topologically), else the last one; none is reported
  when HEAD still holds it;
* ``commits`` counts the commits that hold it, and a ref **contains** it when its tip descends
  from (or is) an introducing commit: every clone of that ref carries the secret in its history.

Each commit's view of the interesting paths is a small dict shared with its first parent until
the commit changes one of them, so memory follows the findings rather than the history's size.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from leakguard.sources.gitlog import CommitRecord

_EMPTY: dict[str, str] = {}


@dataclass(frozen=True)
class SecretKey:
    """A secret at a path, in git's terms: the path and the blobs it was found in."""

    path: str
    blobs: frozenset[str]


@dataclass(frozen=True)
class Trace:
    """Attribution of one key, as commit shas (metadata is looked up afterwards)."""

    introduced: str | None
    removed: str | None
    commits: int
    refs: tuple[str, ...]
    introductions: int = 0
    introduced_blob: str | None = None
    refs_total: int = 0


class CommitGraph:
    """Commits in topological order (parents first) and the interesting paths they hold."""

    def __init__(self, interesting: Collection[str]) -> None:
        self.interesting = frozenset(interesting)
        self.index: dict[str, int] = {}
        self.shas: list[str] = []
        self.parents: list[tuple[int, ...]] = []
        self.times: list[int] = []
        self.states: list[dict[str, str]] = []
        self.touches: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self.paths_by_blob: dict[str, set[str]] = defaultdict(set)
        self.unknown_parents = 0

    def __len__(self) -> int:
        return len(self.shas)

    def add(self, record: CommitRecord) -> None:
        """Add a commit whose parents (those in the walk) were added before it."""
        number = len(self.shas)
        parents = tuple(self.index[p] for p in record.parents if p in self.index)
        if len(parents) != len(record.parents):
            self.unknown_parents += 1
        first_known = bool(record.parents) and record.parents[0] in self.index
        state = self.states[self.index[record.parents[0]]] if first_known else _EMPTY
        if record.changes:
            state = dict(state)
            for change in record.changes:
                held = change.new if change.new in self.interesting else ""
                if held:
                    state[change.path] = held
                    self.paths_by_blob[held].add(change.path)
                else:
                    state.pop(change.path, None)
                self.touches[change.path].append((number, held))
        self.index[record.sha] = number
        self.shas.append(record.sha)
        self.parents.append(parents)
        self.times.append(record.time)
        self.states.append(state)

    def paths_of(self, blob: str) -> set[str]:
        return self.paths_by_blob.get(blob, set())

    # -- attribution ---------------------------------------------------------------------------

    def trace(self, keys: Iterable[SecretKey], tips: Sequence[tuple[str, str]],
              present: Collection[SecretKey] = (), max_refs: int | None = None
              ) -> dict[SecretKey, Trace]:
        """Attribute every key; ``tips`` are (ref name, commit sha) in the order refs should be
        listed, ``present`` the keys HEAD holds; each trace lists at most ``max_refs`` refs."""
        keys = list(dict.fromkeys(keys))
        counts = self._holding_counts()
        losses = self._merge_losses()
        events = {key: self._events(key, losses) for key in keys}
        masks = self._ancestor_masks({i for intros, _ in events.values() for i in intros})
        tip_groups: dict[int, list[int]] = defaultdict(list)
        for position, (_name, sha) in enumerate(tips):
            number = self.index.get(sha)
            if number is not None and masks.bits[number]:
                tip_groups[masks.bits[number]].append(position)
        result: dict[SecretKey, Trace] = {}
        for key in keys:
            intros, removals = events[key]
            key_mask = 0
            for number in intros:
                key_mask |= 1 << masks.bit_of[number]
            positions = sorted({p for mask, group in tip_groups.items() if mask & key_mask
                                for p in group})
            result[key] = Trace(
                introduced=self.shas[self._first(intros)] if intros else None,
                removed=None if key in present else self._removal(intros, removals),
                commits=sum(counts[key.path].get(blob, 0) for blob in key.blobs),
                refs=tuple(tips[p][0] for p in positions[:max_refs]),
                refs_total=len(positions),
                introductions=len(intros),
                introduced_blob=self.states[self._first(intros)].get(key.path) if intros else None,
            )
        return result

    def _first(self, intros: list[int]) -> int:
        return min(intros, key=lambda number: (self.times[number], number))

    def _removal(self, intros: list[int], removals: list[int]) -> str | None:
        if not removals:
            return None
        last_intro = max(intros, default=-1)
        after = [number for number in removals if number > last_intro]
        return self.shas[after[0] if after else removals[-1]]

    def _events(self, key: SecretKey, losses: dict[str, list[tuple[int, str, str]]]
                ) -> tuple[list[int], list[int]]:
        """Commits that introduce and that remove the key, in topological order."""
        blobs = key.blobs
        intros: list[int] = []
        removals: set[int] = set()
        for number, held in self.touches.get(key.path, ()):
            parent_holds = [self.states[p].get(key.path) in blobs for p in self.parents[number]]
            if held in blobs:
                if not any(parent_holds):
                    intros.append(number)
            elif any(parent_holds):
                removals.add(number)
        for number, lost, now in losses.get(key.path, ()):
            if lost in blobs and now not in blobs:
                removals.add(number)
        return sorted(set(intros)), sorted(removals)

    def _holding_counts(self) -> dict[str, Counter[str]]:
        """For each path and blob, how many commits hold that blob there."""
        shared = Counter(id(state) for state in self.states)
        by_id = {id(state): state for state in self.states}
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for state_id, number in shared.items():
            for path, blob in by_id[state_id].items():
                counts[path][blob] += number
        return counts

    def _merge_losses(self) -> dict[str, list[tuple[int, str, str]]]:
        """(merge, blob a non-first parent held, blob the merge holds) per path, where they
        differ: what first-parent diffs cannot show."""
        losses: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        for number, parents in enumerate(self.parents):
            if len(parents) < 2:
                continue
            mine = self.states[number]
            for parent in parents[1:]:
                theirs = self.states[parent]
                if theirs is mine:
                    continue
                for path, blob in theirs.items():
                    now = mine.get(path, "")
                    if now != blob:
                        losses[path].append((number, blob, now))
        return losses

    def _ancestor_masks(self, intros: set[int]) -> _Masks:
        """For each commit, a bitmask of the introducing commits it descends from (or is)."""
        bit_of = {number: bit for bit, number in enumerate(sorted(intros))}
        bits = [0] * len(self.shas)
        for number, parents in enumerate(self.parents):
            mask = 0
            for parent in parents:
                mask |= bits[parent]
            if number in bit_of:
                mask |= 1 << bit_of[number]
            bits[number] = mask
        return _Masks(bit_of, bits)


@dataclass(frozen=True)
class _Masks:
    bit_of: dict[int, int]
    bits: list[int]
