"""Issue 9's "Done when": real documents in a tree scan, nested in a zip, and through git blobs."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from leakguard.app import GitOptions, ScanRequest, run_git_scan, run_scan
from leakguard.model import Report
from tests.conftest import git, write_tree
from tests.documents.corpus import BUNDLE_PREFIX, done_when_tree, expected_for, write_rules


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Report]:
    base = tmp_path_factory.mktemp("done-when")
    root = write_tree(base / "tree", done_when_tree())
    rules = write_rules(base)
    report = run_scan(ScanRequest(targets=(str(root),), rule_paths=(rules,), show_secrets=True))
    return root, rules, report


def _matching(report: Report, path: str, rule_id: str):
    return [f for f in report.findings if f.path == path and f.rule_id == rule_id]


@pytest.mark.parametrize("prefix", [pytest.param("", id="tree"),
                                    pytest.param(BUNDLE_PREFIX, id="zip-nested-two-deep")])
def test_each_document_is_found_with_its_location(scanned, prefix: str) -> None:
    _, _, report = scanned
    for expected in expected_for(prefix):
        found = _matching(report, expected.path, expected.rule_id)
        assert len(found) == expected.count, (expected, [(f.path, f.rule_id) for f in report.findings])
        first = min(found, key=lambda f: f.line)
        assert str(first.level) == expected.level, expected
        assert first.location == expected.location, expected
        assert first.line == expected.line, expected


def test_customer_list_rows_map_to_cells(scanned) -> None:
    _, _, report = scanned
    emails = sorted(_matching(report, "customers.xlsx", "pii.email"), key=lambda f: f.line)
    assert [f.line for f in emails] == list(range(2, 27))  # row N of column B is line N
    assert emails[0].secret == "customer1.fake@fakecorp-clients.io"
    assert all(f.violation for f in emails)  # 25 customers escalate past the default policy


def test_labelled_document_is_a_finding_although_its_text_is_harmless(scanned) -> None:
    _, _, report = scanned
    found = [f for f in report.findings if f.path == "labelled.docx"]
    assert [f.rule_id for f in found] == ["document.sensitivity-label"]
    assert found[0].secret == "Highly Confidential"
    assert found[0].violation


def test_member_paths_are_separate_identities(scanned) -> None:
    _, _, report = scanned
    top = _matching(report, "deck.pptx", "aws.access-key-id")[0]
    member = _matching(report, BUNDLE_PREFIX + "deck.pptx", "aws.access-key-id")[0]
    assert top.secret_id == member.secret_id
    assert top.fingerprint != member.fingerprint


def test_hostile_and_broken_input_are_counted_skips(scanned) -> None:
    _, _, report = scanned
    skips = {(s.origin.path, str(s.reason)): s.detail for s in report.skips}
    assert "compression ratio" in skips[("bomb.zip!/zeros.bin", "limit")]
    assert "truncated or malformed zip" in skips[("truncated.zip", "malformed")]
    assert "malformed PDF" in skips[("corrupt.pdf", "malformed")]
    assert "password-protected" in skips[("protected.docx", "encrypted")]
    counts = dict(report.stats.skipped)
    assert counts == {"malformed": 2, "encrypted": 1, "limit": 1}


def test_encrypted_document_is_reported_as_such(scanned) -> None:
    _, _, report = scanned
    found = [f for f in report.findings if f.path == "protected.docx"]
    assert [(f.rule_id, f.location, str(f.level)) for f in found] == [
        ("document.encrypted", "encryption", "confidential")]


def test_files_are_counted_once_however_many_parts(scanned) -> None:
    _, _, report = scanned
    # 5 documents, bundle.zip and protected.docx (its metadata chunk); the bomb, the truncated
    # zip and the corrupt PDF yield only skips.
    assert report.stats.files_scanned == 7


def test_cli_reports_locations_and_malformed_input_is_counted(cli, scanned) -> None:
    root, rules, _ = scanned
    result = cli("scan", str(root), "--rules", str(rules), "--format", "json")
    assert result.code == 1, result.output  # violations; malformed files are counted skips
    assert cli("scan", str(root), "--rules", str(rules), "--strict", "-q").code == 3
    document = json.loads(result.stdout)
    locations = {(f["path"], f["location"]) for f in document["findings"]}
    assert (BUNDLE_PREFIX + "deck.pptx", "slide 2 notes") in locations
    assert document["stats"]["skipped"] == {"malformed": 2, "encrypted": 1, "limit": 1}
    table = cli("scan", str(root), "--rules", str(rules), "--exclude", "*.pdf",
                "--exclude", "truncated.zip")
    assert "deck.pptx:2 (slide 2 notes)" in table.stdout
    assert "customers.xlsx:2 (sheet Customers, column B)" in table.stdout


def test_no_extract_and_archive_depth(cli, scanned) -> None:
    root, rules, _ = scanned
    plain = json.loads(cli("scan", str(root), "--rules", str(rules), "-f", "json", "-q",
                           "--no-extract").stdout)
    assert not [f for f in plain["findings"] if f["location"]]
    assert "!/" not in json.dumps(plain)
    shallow = json.loads(cli("scan", str(root), "--rules", str(rules), "-f", "json", "-q",
                             "--max-archive-depth", "1").stdout)
    paths = {f["path"] for f in shallow["findings"]}
    assert not any(p.startswith(BUNDLE_PREFIX) for p in paths)
    assert "plan.docx" in paths
    assert shallow["stats"]["skipped"]["limit"] == 2  # the bomb, and inner.zip at depth 2


def test_deleted_documents_are_found_in_a_history_scan(git_repo: Path, scanned) -> None:
    _, rules, tree_report = scanned
    write_tree(git_repo, done_when_tree())
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-qm", "add documents")
    added = git(git_repo, "rev-parse", "HEAD")
    git(git_repo, "rm", "-qr", ".")
    git(git_repo, "commit", "-qm", "remove documents")
    removed = git(git_repo, "rev-parse", "HEAD")
    request = ScanRequest(targets=(str(git_repo),), rule_paths=(rules,))
    assert not run_scan(request).findings

    report = run_git_scan(request, GitOptions(history=True))
    key = lambda f: (f.rule_id, f.path, f.location, f.line, str(f.level))  # noqa: E731
    assert sorted(map(key, report.findings)) == sorted(map(key, tree_report.findings))
    assert {f.fingerprint for f in report.findings} == \
        {f.fingerprint for f in tree_report.findings}
    for finding in report.findings:
        assert finding.blob_id and finding.history is not None, finding.path
        assert finding.history.introduced is not None
        assert finding.history.introduced.sha == added, finding.path
        assert finding.history.removed is not None and finding.history.removed.sha == removed
        assert not finding.history.present_at_head
    assert Counter(str(s.reason) for s in report.skips) == Counter(
        {"malformed": 2, "encrypted": 1, "limit": 1})
