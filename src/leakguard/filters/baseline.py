"""Baselines as set algebra: findings minus known entries, stale entries, update = add + prune.

``reconcile`` compares a baseline with every finding of a scan (whatever filter later suppressed
it) and the scan's coverage. It is the one place that decides what is *found*, *moved*, *stale*
or *not judged*, so ``scan --baseline`` and ``baseline update`` can never disagree.

* found: an entry whose fingerprint is among the findings;
* moved: an entry whose fingerprint is gone from a covered path while the same secret of the same
  rule (same ``secret_id``) turned up at a path no entry covers: a renamed file or a secret moved
  to another file. Pairs are made one to one, so a *copy* of a known secret (the original still
  there) is a new finding. ``update`` re-points the entry and keeps its label;
* stale: gone from a path the scan covered;
* not judged: at a path the scan did not cover (a partial scan, an excluded or skipped file);
  kept as is, never pruned.

A ``false-positive`` label does not, by default, suppress the same value at another path: the
verdict was made about one place, and a real credential that happens to equal a dismissed test
value deserves a look. ``by_secret=True`` (``scan --false-positives-everywhere``) opts in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from leakguard.baseline_file import Baseline, BaselineEntry, Label
from leakguard.filters.scope import Coverage
from leakguard.model import Finding, StaleEntry, Suppression, SuppressionKind

REASON = "baseline"


@dataclass(frozen=True)
class Reconciliation:
    found: tuple[BaselineEntry, ...] = ()
    moved: tuple[tuple[BaselineEntry, Finding], ...] = ()
    stale: tuple[BaselineEntry, ...] = ()
    not_judged: tuple[BaselineEntry, ...] = ()

    def moved_to(self) -> dict[str, BaselineEntry]:
        """Finding fingerprint -> the entry that moved there."""
        return {finding.fingerprint: entry for entry, finding in self.moved}


def reconcile(baseline: Baseline, findings: Sequence[Finding], coverage: Coverage
              ) -> Reconciliation:
    by_fingerprint = {f.fingerprint: f for f in findings}
    known = baseline.by_fingerprint()
    found, missing, not_judged = [], [], []
    for entry in baseline.entries:
        if entry.fingerprint in by_fingerprint:
            found.append(entry)
        elif coverage.covers(entry.path):
            missing.append(entry)
        else:
            not_judged.append(entry)
    arrivals: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in sorted(findings, key=lambda f: (f.path, f.fingerprint)):
        if finding.fingerprint not in known:
            arrivals[(finding.rule_id, finding.secret_id)].append(finding)
    moved, stale = [], []
    for entry in missing:
        candidates = arrivals.get((entry.rule_id, entry.secret_id))
        if candidates:
            moved.append((entry, candidates.pop(0)))
        else:
            stale.append(entry)
    return Reconciliation(tuple(found), tuple(moved), tuple(stale), tuple(not_judged))


def stale_entries(reconciliation: Reconciliation, source: str) -> list[StaleEntry]:
    return [StaleEntry(e.fingerprint, e.rule_id, e.path, source) for e in reconciliation.stale]


@dataclass(frozen=True)
class BaselineFilter:
    """Suppresses baselined findings (SARIF kind ``external``, reason ``baseline``)."""

    baseline: Baseline
    reconciliation: Reconciliation
    by_secret: bool = False
    _known: dict[str, BaselineEntry] = field(default_factory=dict, init=False, repr=False,
                                             compare=False)
    _moved: dict[str, BaselineEntry] = field(default_factory=dict, init=False, repr=False,
                                             compare=False)
    _dismissed: dict[tuple[str, str], BaselineEntry] = field(
        default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._known.update(self.baseline.by_fingerprint())
        self._moved.update(self.reconciliation.moved_to())
        if self.by_secret:
            for entry in self.baseline.entries:
                if entry.label is Label.FALSE_POSITIVE:
                    self._dismissed.setdefault((entry.rule_id, entry.secret_id), entry)

    def _justification(self, finding: Finding) -> str | None:
        if (entry := self._known.get(finding.fingerprint)) is not None:
            return entry.review()
        if (entry := self._moved.get(finding.fingerprint)) is not None:
            return f"moved from {entry.path}; {entry.review()}"
        if (entry := self._dismissed.get((finding.rule_id, finding.secret_id))) is not None:
            return f"same value as {entry.path}, {entry.review()}"
        return None

    def __call__(self, findings: Sequence[Finding]) -> tuple[list[Finding], list[Finding]]:
        kept, suppressed = [], []
        for finding in findings:
            justification = self._justification(finding)
            if justification is None:
                kept.append(finding)
            else:
                suppressed.append(replace(finding, suppression=Suppression(
                    SuppressionKind.EXTERNAL, REASON, justification)))
        return kept, suppressed


@dataclass(frozen=True)
class BaselineUpdate:
    """What ``baseline update`` did, for its one-line summary."""

    baseline: Baseline
    added: int = 0
    pruned: int = 0
    moved: int = 0
    kept: int = 0


def update_baseline(old: Baseline, findings: Sequence[Finding], reported: Sequence[Finding],
                    coverage: Coverage) -> BaselineUpdate:
    """Keep found and not-judged entries, re-point moved ones (labels kept), prune stale ones,
    and add every reported (unsuppressed) finding that no entry covers."""
    result = reconcile(old, findings, coverage)
    entries = [*result.found, *result.not_judged]
    entries += [replace(entry, path=finding.path, fingerprint=finding.fingerprint)
                for entry, finding in result.moved]
    covered = {entry.fingerprint for entry in entries}
    added = [BaselineEntry.from_finding(f) for f in reported if f.fingerprint not in covered]
    added = list({entry.fingerprint: entry for entry in added}.values())
    return BaselineUpdate(old.with_entries(entries + added), added=len(added),
                          pruned=len(result.stale), moved=len(result.moved),
                          kept=len(result.found) + len(result.not_judged))


def create_baseline(key_check: str, reported: Sequence[Finding]) -> Baseline:
    """A baseline of every reported finding (suppressed ones need no entry)."""
    entries = {f.fingerprint: BaselineEntry.from_finding(f) for f in reported}
    return Baseline(key_check, tuple(entries.values()))
