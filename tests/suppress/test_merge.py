"""Baselines under real ``git merge``: plain git for distant entries, the driver for the rest."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from leakguard.baseline_file import Baseline, BaselineEntry, Label
from leakguard.baseline_merge import merge_baselines
from tests import fakes
from tests.conftest import git, write_tree

BASELINE = ".leakguard-baseline.json"


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


def secret_file(name: str) -> dict[str, str]:
    return {name: f'token = "{fakes.github_pat(name)}"\n'}


def start(cli, repo: Path, *, driver: bool) -> None:
    """A repository with secrets in a.py, m.py and z.py, baselined and committed."""
    write_tree(repo, {**secret_file("a.py"), **secret_file("m.py"), **secret_file("z.py")})
    if driver:
        write_tree(repo, {".gitattributes": f"{BASELINE} merge=leakguard-baseline\n"
                                            ".leakguardignore merge=union\n"})
        git(repo, "config", "merge.leakguard-baseline.driver",
            f'"{sys.executable}" -m leakguard baseline merge %O %A %B')
    assert cli("baseline", "create", ".", "-q", cwd=repo).code == 0
    commit_all(repo, "baseline")


def branch_adding(cli, repo: Path, branch: str, name: str) -> None:
    git(repo, "checkout", "-q", "-b", branch, "main")
    write_tree(repo, secret_file(name))
    assert cli("baseline", "update", ".", "-q", cwd=repo).code == 0
    commit_all(repo, f"add {name}")


def merge(repo: Path, branch: str) -> subprocess.CompletedProcess:
    git(repo, "checkout", "-q", "main")
    return subprocess.run(["git", "merge", "-q", "--no-edit", branch], cwd=repo,
                          capture_output=True, text=True, check=False,
                          env={"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
                               "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@fake.test",
                               "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@fake.test",
                               "PATH": "/usr/bin:/bin:/usr/local/bin"})


def baselined_paths(repo: Path) -> list[str]:
    return [e["path"] for e in json.loads((repo / BASELINE).read_text())["entries"]]


def test_plain_git_merges_entries_added_in_different_places(cli, git_repo: Path) -> None:
    start(cli, git_repo, driver=False)
    branch_adding(cli, git_repo, "one", "c.py")   # sorts between a.py and m.py
    branch_adding(cli, git_repo, "two", "p.py")   # sorts between m.py and z.py
    assert merge(git_repo, "one").returncode == 0
    result = merge(git_repo, "two")
    assert result.returncode == 0, result.stdout + result.stderr
    assert baselined_paths(git_repo) == ["a.py", "c.py", "m.py", "p.py", "z.py"]
    assert cli("scan", ".", "-b", BASELINE, "-q", cwd=git_repo).code == 0


def test_adjacent_additions_conflict_in_plain_git(cli, git_repo: Path) -> None:
    start(cli, git_repo, driver=False)
    branch_adding(cli, git_repo, "one", "b.py")
    branch_adding(cli, git_repo, "two", "c.py")
    assert merge(git_repo, "one").returncode == 0
    assert merge(git_repo, "two").returncode != 0
    assert "<<<<<<<" in (git_repo / BASELINE).read_text()


def test_the_merge_driver_resolves_adjacent_additions_labels_and_prunes(cli,
                                                                      git_repo: Path) -> None:
    start(cli, git_repo, driver=True)
    branch_adding(cli, git_repo, "one", "b.py")
    git(git_repo, "rm", "-q", "z.py")
    assert cli("baseline", "update", ".", "-q", cwd=git_repo).code == 0
    git(git_repo, "commit", "-qam", "fix z.py")
    branch_adding(cli, git_repo, "two", "c.py")
    fingerprint = json.loads((git_repo / BASELINE).read_text())["entries"][0]["fingerprint"]
    assert cli("baseline", "label", fingerprint, "--label", "accepted-risk", "--reason",
               "vendor sandbox", "--author", "Sec", cwd=git_repo).code == 0
    write_tree(git_repo, {".leakguardignore": "# two's ignore\n"})
    commit_all(git_repo, "label a.py")
    git(git_repo, "checkout", "-q", "one")
    write_tree(git_repo, {".leakguardignore": "# one's ignore\n"})
    commit_all(git_repo, "ignore file on one")

    assert merge(git_repo, "one").returncode == 0
    result = merge(git_repo, "two")
    assert result.returncode == 0, result.stdout + result.stderr
    document = json.loads((git_repo / BASELINE).read_text())
    assert [e["path"] for e in document["entries"]] == ["a.py", "b.py", "c.py", "m.py"]
    assert document["entries"][0]["label"] == "accepted-risk"
    assert (git_repo / ".leakguardignore").read_text().count("ignore") == 2
    assert cli("scan", ".", "-b", BASELINE, "--fail-on-stale", "-q", cwd=git_repo).code == 0
    update = cli("baseline", "update", ".", cwd=git_repo)
    assert "up to date" in update.stderr


def entry(n: int, label: Label | None = None, reason: str = "") -> BaselineEntry:
    return BaselineEntry(f"f{n}.py", "r.x", f"{n:032x}", f"{n:032x}", label, reason)


@pytest.mark.parametrize(("base", "ours", "theirs", "merged", "conflicts"), [
    pytest.param([1], [1, 2], [1, 3], [1, 2, 3], 0, id="both-add"),
    pytest.param([1, 2], [1], [1, 2, 3], [1, 3], 0, id="one-prunes-one-adds"),
    pytest.param([1], [], [(1, Label.TRUE_POSITIVE)], [(1, Label.TRUE_POSITIVE)], 0,
                 id="label-beats-prune"),
    pytest.param([1], [(1, Label.FALSE_POSITIVE)], [(1, Label.TRUE_POSITIVE)],
                 [(1, Label.FALSE_POSITIVE)], 1, id="two-verdicts-conflict"),
    pytest.param([], [1], [(1, Label.ACCEPTED_RISK)], [(1, Label.ACCEPTED_RISK)], 0,
                 id="both-add-labelled-wins"),
])
def test_merge_baselines(base, ours, theirs, merged, conflicts) -> None:
    def build(spec) -> Baseline:
        items = [entry(*s, "why") if isinstance(s, tuple) else entry(s) for s in spec]
        return Baseline("k" * 32, tuple(items))

    result = merge_baselines(build(base), build(ours), build(theirs))
    assert result.baseline == build(merged)
    assert len(result.conflicts) == conflicts
