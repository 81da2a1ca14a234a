"""Coverage and reconciliation on plain values: what is found, moved, stale or not judged."""

from __future__ import annotations

import pytest

from leakguard.baseline_file import Baseline, BaselineEntry, Label
from leakguard.filters.baseline import BaselineFilter, reconcile, update_baseline
from leakguard.filters.scope import Coverage
from leakguard.model import Category, Confidence, Finding, Level


def finding(path: str, secret: str, rule: str = "r.x") -> Finding:
    return Finding(rule_id=rule, level=Level.PROHIBITED, category=Category.CREDENTIAL,
                   confidence=Confidence.HIGH, path=path, line=1, column=1, end_line=1,
                   end_column=2, fingerprint=f"fp:{path}:{secret}".ljust(32, "0")[:32],
                   secret_id=f"sid:{rule}:{secret}", redacted="*****")


def entry_for(found: Finding, label: Label | None = None) -> BaselineEntry:
    entry = BaselineEntry.from_finding(found)
    return entry.relabelled(label, "why", "me") if label else entry


@pytest.mark.parametrize(("coverage", "path", "covered"), [
    pytest.param(Coverage.of(["."]), "a/b.py", True, id="whole-root"),
    pytest.param(Coverage.of(["src"]), "src/a.py", True, id="under-target"),
    pytest.param(Coverage.of(["src"]), "srcx/a.py", False, id="sibling-prefix"),
    pytest.param(Coverage.of(["src/a.py"]), "src/a.py", True, id="file-target"),
    pytest.param(Coverage.of([]), "a.py", False, id="stdin-only"),
    pytest.param(Coverage.of(["."], skipped=["big.bin"]), "big.bin", False, id="skipped-file"),
    pytest.param(Coverage.of(["."], skipped=["locked"]), "locked/a.py", False,
                 id="skipped-folder"),
    pytest.param(Coverage.of(["."], excludes=["vendor/"]), "vendor/x/a.py", False,
                 id="excluded"),
])
def test_coverage(coverage: Coverage, path: str, covered: bool) -> None:
    assert coverage.covers(path) is covered


def test_reconcile_found_moved_stale_and_not_judged() -> None:
    kept, gone = finding("a.py", "s1"), finding("b.py", "s2")
    renamed_from, skipped = finding("old.py", "s3"), finding("big.py", "s4")
    renamed_to = finding("new.py", "s3")
    baseline = Baseline("k" * 32, tuple(entry_for(f) for f in
                                        (kept, gone, renamed_from, skipped)))
    result = reconcile(baseline, [kept, renamed_to], Coverage.of(["."], skipped=["big.py"]))
    assert [e.path for e in result.found] == ["a.py"]
    assert [(e.path, f.path) for e, f in result.moved] == [("old.py", "new.py")]
    assert [e.path for e in result.stale] == ["b.py"]
    assert [e.path for e in result.not_judged] == ["big.py"]


def test_a_copy_is_not_a_move_and_moves_pair_one_to_one() -> None:
    original = finding("a.py", "same")
    copies = [finding("b.py", "same"), finding("c.py", "same")]
    baseline = Baseline("k" * 32, (entry_for(original),))
    still_there = reconcile(baseline, [original, *copies], Coverage.of(["."]))
    assert still_there.moved == () and len(still_there.found) == 1
    moved_away = reconcile(baseline, copies, Coverage.of(["."]))
    assert [(e.path, f.path) for e, f in moved_away.moved] == [("a.py", "b.py")]
    kept, suppressed = BaselineFilter(baseline, moved_away)(copies)
    assert [f.path for f in kept] == ["c.py"]
    assert suppressed[0].suppression.justification == "moved from a.py; not reviewed"


def test_false_positive_elsewhere_only_when_asked() -> None:
    dismissed = finding("tests/a.py", "demo")
    elsewhere = finding("src/b.py", "demo")
    other_rule = finding("src/c.py", "demo", rule="r.y")
    baseline = Baseline("k" * 32, (entry_for(dismissed, Label.FALSE_POSITIVE),))
    findings = [dismissed, elsewhere, other_rule]
    result = reconcile(baseline, findings, Coverage.of(["."]))
    assert [f.path for f in BaselineFilter(baseline, result)(findings)[0]] == [
        "src/b.py", "src/c.py"]
    kept, suppressed = BaselineFilter(baseline, result, by_secret=True)(findings)
    assert [f.path for f in kept] == ["src/c.py"]
    assert suppressed[1].suppression.justification == (
        "same value as tests/a.py, false-positive: why (me)")


def test_update_adds_prunes_moves_and_keeps_labels() -> None:
    labelled, fixed, moving = finding("a.py", "1"), finding("b.py", "2"), finding("c.py", "3")
    baseline = Baseline("k" * 32, (entry_for(labelled, Label.ACCEPTED_RISK), entry_for(fixed),
                                   entry_for(moving, Label.TRUE_POSITIVE)))
    new, moved = finding("d.py", "4"), finding("e.py", "3")
    result = update_baseline(baseline, [labelled, new, moved], [new], Coverage.of(["."]))
    assert (result.added, result.pruned, result.moved, result.kept) == (1, 1, 1, 1)
    assert [(e.path, e.label) for e in result.baseline.entries] == [
        ("a.py", Label.ACCEPTED_RISK), ("d.py", None), ("e.py", Label.TRUE_POSITIVE)]
    again = update_baseline(result.baseline, [labelled, new, moved], [], Coverage.of(["."]))
    assert again.baseline == result.baseline and again.added == again.pruned == 0
