"""The JSON document, compared whole with a golden file."""

from __future__ import annotations

import io
import json
from pathlib import Path

from leakguard.report.json_report import JSON_VERSION, write_json
from tests.report.golden import compare_with_golden, golden_report, golden_tree, normalise


def test_json_report_matches_golden(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    secrets = golden_tree(root)
    out = io.StringIO()
    write_json(golden_report(root), out)
    text = out.getvalue()
    for secret in secrets.values():
        assert secret not in text
    document = json.loads(text)
    assert document["version"] == JSON_VERSION
    compare_with_golden("report.json", normalise(document, root))


def test_json_report_shows_secrets_only_when_asked(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    secrets = golden_tree(root)
    out = io.StringIO()
    write_json(golden_report(root, show_secrets=True), out)
    document = json.loads(out.getvalue())
    shown = {f["secret"] for f in document["findings"]}
    assert secrets["password"] in shown
