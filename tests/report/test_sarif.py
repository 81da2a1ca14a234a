"""SARIF: valid against the official 2.1.0 schema, GitHub-ready, golden, and secret-free."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema

from leakguard.report.sarif import FINGERPRINT_KEY, write_sarif
from tests.conftest import DATA
from tests.report.golden import compare_with_golden, golden_report, golden_tree, normalise

SCHEMA = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def validate_sarif(document: dict) -> None:
    jsonschema.Draft4Validator(SCHEMA).validate(document)


def sarif_for(root: Path, **overrides) -> dict:
    out = io.StringIO()
    write_sarif(golden_report(root, **overrides), out)
    return json.loads(out.getvalue())


def test_sarif_validates_and_matches_golden(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    golden_tree(root)
    document = sarif_for(root)
    validate_sarif(document)
    compare_with_golden("report.sarif", normalise(document, root))


def test_sarif_suits_github_code_scanning(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    secrets = golden_tree(root)
    document = sarif_for(root)
    text = json.dumps(document)
    for secret in secrets.values():
        assert secret not in text
    run = document["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    for rule in rules.values():
        assert rule["shortDescription"]["text"]
        assert rule["help"]["text"]
        float(rule["properties"]["security-severity"])
    for result in run["results"]:
        assert result["ruleId"] in rules
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert not uri.startswith("/") and "://" not in uri
        assert set(result["partialFingerprints"]) == {FINGERPRINT_KEY}
        assert len(result["partialFingerprints"][FINGERPRINT_KEY]) == 32
    suppressed = [r for r in run["results"] if "suppressions" in r]
    assert [s["suppressions"][0]["kind"] for s in suppressed] == ["inSource"]
    assert "rotated" in suppressed[0]["suppressions"][0]["justification"]
    levels = {r["properties"]["level"]: r["level"] for r in run["results"] if "suppressions" not in r}
    assert levels["prohibited"] == "error"
