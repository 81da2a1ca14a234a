"""A baseline made by a tree scan suppresses the same secrets in a history scan.

Identity is H(rule, path, secret) in both modes, so one baseline serves the pre-commit hook,
the CI range scan and the nightly history audit alike.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.git.builder import RepoBuilder, aws_line, token_line


def test_tree_baseline_suppresses_the_same_secrets_in_history(tmp_path: Path, cli) -> None:
    repo = RepoBuilder(tmp_path / "repo")
    repo.commit("settings", {"app/settings.py": aws_line(1) + token_line(2)})
    repo.commit("move lines", {"app/settings.py": "\n" * 30 + aws_line(1) + token_line(2)})
    baseline = tmp_path / "baseline.json"
    made = cli("baseline", "create", str(repo.path), "--output", str(baseline))
    assert made.code == 0, made.output
    history = cli("scan", str(repo.path), "--history", "--baseline", str(baseline), "-f", "json")
    assert history.code == 0, history.output
    document = json.loads(history.stdout)
    assert document["findings"] == []
    assert {f["suppression"]["reason"] for f in document["suppressed"]} == {"baseline"}
    repo.commit("a new secret", {"app/other.py": token_line(3)})
    again = json.loads(cli("scan", str(repo.path), "--history", "--baseline", str(baseline),
                           "-f", "json").stdout)
    assert [(f["path"], f["rule_id"]) for f in again["findings"]] == \
        [("app/other.py", "github.pat-classic")]
