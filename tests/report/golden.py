"""A fixed scan whose JSON and SARIF documents are compared with golden files."""

from __future__ import annotations

import json
import os
from pathlib import Path

from leakguard.app import ScanRequest, run_scan
from leakguard.model import Report
from tests import fakes
from tests.conftest import DATA, write_tree

GOLDEN = DATA / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def golden_tree(root: Path) -> dict[str, str]:
    """Files with planted fake secrets; returns the secrets by name for leak checks."""
    secrets = {"aws": fakes.aws_key_id(7), "password": fakes.password(7)}
    write_tree(root, {
        "config/settings.py": f'DEBUG = False\npassword = "{secrets["password"]}"\n'
                              f'key = "{secrets["aws"]}"  # leakguard:allow reason="rotated"\n',
        "deploy/prod.env": f"AWS_ACCESS_KEY_ID={secrets['aws']}\n",
        "docs/plan.md": "# CONFIDENTIAL\n\nContact jane.doe@fakecorp.test\n",
        ".leakguard.yaml": "max_level: internal\npaths:\n  - {path: 'docs/**', max_level: confidential}\n",
    })
    return secrets


def golden_report(root: Path, **overrides) -> Report:
    request = ScanRequest(targets=(str(root),), rule_paths=(GOLDEN / "rules.yaml",),
                          use_default_rules=False, **overrides)
    return run_scan(request)


def normalise(document: dict, root: Path) -> dict:
    """Replace what differs between machines and runs (paths, times, versions)."""
    text = json.dumps(document)
    text = text.replace(json.dumps(str(root))[1:-1], "<root>")
    text = text.replace(root.as_uri(), "file://<root>")
    data = json.loads(text)
    if "stats" in data:
        data["stats"]["duration_seconds"] = 0
        data["tool"]["version"] = "<version>"
        data["scan"]["ruleset"] = "<ruleset>"
    if "runs" in data:
        driver = data["runs"][0]["tool"]["driver"]
        driver["version"] = driver["semanticVersion"] = "<version>"
    return data


def compare_with_golden(name: str, document: dict) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    assert path.exists(), f"{path} is missing; run the tests with UPDATE_GOLDEN=1 to create it"
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert document == expected, f"{name} differs from the golden file (UPDATE_GOLDEN=1 rewrites)"
