"""The real pre-commit tool runs this repository's ``.pre-commit-hooks.yaml``.

The hook repository is a temporary git repository holding this checkout's files (so the test
needs no network for the hook itself: pre-commit clones it through ``file://``); pre-commit
installs it into its own virtual environment as it would for any user. The target repository
then commits through the installed git hook.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import git
from tests.git.builder import RepoBuilder, aws_line, token_line

PROJECT = Path(__file__).resolve().parents[2]
HOOK_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "src", "rules")

pytestmark = pytest.mark.slow


@dataclass
class Hooked:
    repo: RepoBuilder
    env: dict[str, str]


def _copy_project(target: Path) -> str:
    for name in HOOK_FILES:
        source = PROJECT / name
        if source.is_dir():
            shutil.copytree(source, target / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, target / name)
    git(target, "init", "-q", "-b", "main")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "leakguard hooks")
    return git(target, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path]:
    base = tmp_path_factory.mktemp("precommit")
    hooks = base / "hooks"
    hooks.mkdir()
    return hooks, _copy_project(hooks), base / "cache"


def pre_commit(repo: Path, *args: str, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=repo, env=dict(env),
                          capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture
def hooked(tmp_path: Path, hook_repo: tuple[Path, str, Path]) -> Hooked:
    import os

    hooks, rev, cache = hook_repo
    repo = RepoBuilder(tmp_path / "target")
    (repo.path / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: file://{hooks}\n    rev: {rev}\n    hooks:\n      - id: leakguard\n",
        encoding="utf-8")
    repo.commit("add pre-commit config")
    env = {**os.environ, "PRE_COMMIT_HOME": str(cache), "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1",
           "GIT_AUTHOR_NAME": "Hook Tester", "GIT_AUTHOR_EMAIL": "hooks@fake.test",
           "GIT_COMMITTER_NAME": "Hook Tester", "GIT_COMMITTER_EMAIL": "hooks@fake.test"}
    installed = pre_commit(repo.path, "install", env=env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return Hooked(repo, env)


def commit(hooked: Hooked, message: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "commit", "-m", message], cwd=hooked.repo.path, env=hooked.env,
                          capture_output=True, text=True, timeout=600, check=False)


def test_hook_passes_a_clean_commit_and_blocks_a_staged_secret(hooked: Hooked) -> None:
    repo = hooked.repo
    repo.write({"app.py": "print('hello')\n"})
    repo.git("add", "app.py")
    clean = commit(hooked, "clean change")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "leakguard" in clean.stderr and "Passed" in clean.stderr
    before = repo.git("rev-parse", "HEAD")

    repo.write({"app.py": "print('hello')\n" + aws_line("hook")})
    repo.git("add", "app.py")
    blocked = commit(hooked, "add a key")
    assert blocked.returncode != 0
    output = blocked.stdout + blocked.stderr
    assert "Failed" in output
    assert "app.py" in output and "aws.access-key-id" in output
    assert "AKIA" in output and aws_line("hook").split('"')[1] not in output
    assert repo.git("rev-parse", "HEAD") == before  # nothing was committed


def test_run_files_and_all_files_scan_the_named_files(hooked: Hooked) -> None:
    """No false all-clear: the files are checked even when nothing about them is staged."""
    repo = hooked.repo
    repo.write({"deploy.env": token_line("hook-files")})
    repo.git("add", "deploy.env")
    repo.git("commit", "-q", "--no-verify", "-m", "slipped past the hook")
    named = pre_commit(repo.path, "run", "--files", "deploy.env", env=hooked.env)
    assert named.returncode == 1, named.stdout
    assert "deploy.env" in named.stdout
    everything = pre_commit(repo.path, "run", "--all-files", env=hooked.env)
    assert everything.returncode == 1 and "deploy.env" in everything.stdout


def test_hook_says_when_it_scanned_nothing(hooked: Hooked) -> None:
    repo = hooked.repo
    repo.write({"logo.png": b"\x89PNG\r\n\x1a\n\0\0\0binary"})
    repo.git("add", "logo.png")
    result = pre_commit(repo.path, "run", "--verbose", env=hooked.env)
    assert result.returncode == 0, result.stdout
    assert "nothing was scanned" in result.stdout
