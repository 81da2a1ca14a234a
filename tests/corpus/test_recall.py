"""Every recall case is found by the rule it names, with exactly its secret.

A case written for a generic rule also counts as found when another credential rule reports the
same secret: the engine drops a generic hit on a secret a specific rule claims, and keeps one of
several generic hits on the same span, by design.

All cases are written into one tree (each in its own folder, at its realistic path) and scanned
once, as a user's repository would be: loading the packs once instead of once per case keeps
the suite fast, and a rule that only works on a file alone would be caught here.
"""

from __future__ import annotations

import pytest

from leakguard.app import ScanRequest, run_scan
from leakguard.rules.loader import load_ruleset
from tests.conftest import write_tree
from tests.corpus.recall import RecallCase, all_cases

CASES = all_cases()
SHIPPED = load_ruleset()
GENERIC = {rule.id for rule in SHIPPED if rule.spec.generic}
CREDENTIAL = {rule.id for rule in SHIPPED if str(rule.spec.category) in ("credential", "private_key")}


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[tuple[str, str]]]:
    """(rule id, secret) pairs found under each case's folder."""
    root = tmp_path_factory.mktemp("recall")
    write_tree(root, {f"{case.id}/{case.path}": case.content for case in CASES})
    report = run_scan(ScanRequest(targets=(str(root),), show_secrets=True))
    by_case: dict[str, set[tuple[str, str]]] = {}
    for finding in (*report.findings, *report.suppressed):
        case_id = finding.path.split("/", 1)[0]
        by_case.setdefault(case_id, set()).add((finding.rule_id, finding.secret))
    return by_case


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_recall_case_is_found(found: dict[str, set[tuple[str, str]]], case: RecallCase) -> None:
    pairs = found.get(case.id, set())
    claimed = {rule for rule, secret in pairs if secret == case.secret and rule in CREDENTIAL}
    assert (case.rule_id, case.secret) in pairs or (case.rule_id in GENERIC and claimed), \
        f"{case.rule_id} missed in {case.path}; found {sorted(r for r, _ in pairs)}"
