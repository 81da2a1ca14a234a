"""Every recall case is found by the rule it names, with exactly its secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from leakguard.app import ScanRequest, run_scan
from tests.conftest import write_tree
from tests.corpus.recall import RecallCase, all_cases

CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_recall_case_is_found(tmp_path: Path, case: RecallCase) -> None:
    write_tree(tmp_path, {case.path: case.content})
    report = run_scan(ScanRequest(targets=(str(tmp_path),), show_secrets=True))
    found = {(f.rule_id, f.secret) for f in report.findings}
    assert (case.rule_id, case.secret) in found, \
        f"{case.rule_id} missed in {case.path}; found {sorted(r for r, _ in found)}"
