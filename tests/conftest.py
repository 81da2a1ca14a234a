"""Shared fixtures: temporary trees, real git repositories and the installed CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
DATA = TESTS / "data"


@pytest.fixture(autouse=True, scope="session")
def _private_user_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the suite's scan cache, engine databases and cache key out of the user's folders
    (subprocesses inherit the environment, so CLI runs use them too)."""
    saved = {name: os.environ.get(name) for name in ("LEAKGUARD_CACHE_DIR", "LEAKGUARD_CACHE_KEY")}
    os.environ["LEAKGUARD_CACHE_DIR"] = str(tmp_path_factory.mktemp("user-cache"))
    os.environ["LEAKGUARD_CACHE_KEY"] = "test-suite-cache-key"
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Create ``files`` (relative path -> text or bytes) under ``root``."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def tree(tmp_path: Path) -> Callable[[Mapping[str, str | bytes]], Path]:
    def make(files: Mapping[str, str | bytes]) -> Path:
        return write_tree(tmp_path / "tree", files)

    return make


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_leakguard(*args: str, cwd: Path | None = None, input: str | bytes | None = None,
                  env: Mapping[str, str] | None = None, timeout: float = 120) -> CliResult:
    """Run the installed leakguard (``python -m leakguard`` of this interpreter) as users do."""
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})}
    data = input.encode() if isinstance(input, str) else input
    proc = subprocess.run(
        [sys.executable, "-m", "leakguard", *args], cwd=cwd, input=data,
        capture_output=True, env=full_env, timeout=timeout, check=False,
    )
    return CliResult(proc.returncode, proc.stdout.decode("utf-8", "replace"),
                     proc.stderr.decode("utf-8", "replace"))


@pytest.fixture
def cli() -> Callable[..., CliResult]:
    return run_leakguard


def git(repo: Path, *args: str, env: Mapping[str, str] | None = None) -> str:
    """Run git in ``repo`` with a fixed identity and no user configuration."""
    base_env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test Author",
        "GIT_AUTHOR_EMAIL": "author@fake.test",
        "GIT_COMMITTER_NAME": "Test Author",
        "GIT_COMMITTER_EMAIL": "author@fake.test",
        **(env or {}),
    }
    proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True,
                          env=base_env, check=True)
    return proc.stdout.strip()


@pytest.fixture
def git_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    return repo
