"""Issue 4's "done when": on a realistic repository, classify reports the right level for every
file and for the repository; scan fails only for what the policy forbids, and passes once the
policy allows it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.classify import realistic
from tests.conftest import DATA

INVENTORY_SCHEMA = json.loads((DATA / "classify-inventory.schema.json").read_text())


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    return realistic.build(tmp_path_factory.mktemp("fakeco") / "widgets")


def secrets_in(root: Path) -> list[str]:
    """Values that must never appear in any output: emails, SSNs, IBANs, phones, the codename
    hashes' plain names."""
    values = []
    for line in (root / "hr/payroll-2024-06.csv").read_text().splitlines()[1:]:
        values += line.split(",")[2:4]
    for line in (root / "exports/customers-2024.csv").read_text().splitlines()[1:]:
        values += line.split(",")[2:4]
    return [*values, "Globex Fakeworks"]


def test_classify_levels_every_file_and_the_repository(cli, repo: Path) -> None:
    result = cli("classify", str(repo), "--format", "json", "--quiet")
    assert result.code == 0, result.output
    document = json.loads(result.stdout)
    jsonschema.Draft7Validator(INVENTORY_SCHEMA).validate(document)
    levels = {f["path"]: f["level"] for f in document["files"]}
    assert levels == {path: str(level) for path, level in realistic.EXPECTED.items()}
    assert document["repository"]["level"] == "restricted"
    assert document["repository"]["files_scanned"] == len(realistic.FILES)
    assert {f["path"]: f["level"] for f in document["folders"]}["docs/design"] == "restricted"
    markings = {f["path"]: f["markings"] for f in document["files"] if f["markings"]}
    assert markings["docs/design/pricing-engine.md"] == ["TRADE SECRET"]
    assert markings["docs/security/incident-2024-07.md"] == ["TLP:AMBER"]
    assert not any(value in result.output for value in secrets_in(repo))


def test_scan_fails_exactly_where_the_policy_forbids_then_passes(cli, repo: Path,
                                                                 tmp_path: Path) -> None:
    result = cli("scan", str(repo), "--format", "json", "--quiet")
    assert result.code == 1, result.output
    violating = {f["path"] for f in json.loads(result.stdout)["findings"] if f["violation"]}
    assert violating == realistic.VIOLATING
    allowing = tmp_path / "allowing.yaml"
    allowing.write_text(realistic.ALLOWING_POLICY, encoding="utf-8")
    passed = cli("scan", str(repo), "--config", str(allowing), "--quiet", "--format", "json")
    assert passed.code == 0, passed.output
    assert json.loads(passed.stdout)["summary"]["violations"] == 0
    assert json.loads(passed.stdout)["summary"]["findings"] > 0


def test_tree_and_table_answer_in_one_screen(cli, repo: Path) -> None:
    tree = cli("classify", str(repo))
    assert tree.code == 0
    first = tree.stdout.splitlines()[0]
    assert "RESTRICTED" in first and "16 files scanned, 12 with findings" in first
    assert "pricing-engine.md  restricted  marking  marked TRADE SECRET" in tree.stdout
    assert "levels.py" not in tree.stdout  # innocent use of "confidential"
    assert "repository level: restricted" in tree.stderr
    table = cli("classify", str(repo), "--format", "table", "--quiet")
    assert "(repository)" in table.stdout and "exports/customers-2024.csv" in table.stdout
    shallow = cli("classify", str(repo), "--depth", "1", "--quiet")
    assert "docs/" in shallow.stdout and "pricing-engine.md" not in shallow.stdout
    assert not any(value in tree.output + table.output for value in secrets_in(repo))


def test_fail_above_gates_on_the_repository_level(cli, repo: Path) -> None:
    assert cli("classify", str(repo), "--fail-above", "confidential", "-q").code == 1
    assert cli("classify", str(repo), "--fail-above", "restricted", "-q").code == 0
