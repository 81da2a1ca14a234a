"""Generated repositories for sweep tests: clean, with live secrets, with history-only secrets."""

from __future__ import annotations

from pathlib import Path

from tests import fakes
from tests.conftest import git


def commit_files(repo: Path, files: dict[str, str | None], message: str,
                 date: str = "2026-01-01T00:00:00") -> None:
    """Write (or delete, for None) files and commit them."""
    for rel, content in files.items():
        path = repo / rel
        if content is None:
            git(repo, "rm", "-q", rel)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        git(repo, "add", rel)
    env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    git(repo, "commit", "-q", "-m", message, env=env)


def new_repo(path: Path) -> Path:
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    return path


def make_fleet(root: Path, count: int) -> dict[str, Path]:
    """``count`` repositories: every third has a live secret, every third a history-only one."""
    repos = {}
    for index in range(count):
        repo = new_repo(root / f"repo{index:02d}")
        commit_files(repo, {"README.md": f"# project {index}\n"}, "init")
        if index % 3 == 1:
            commit_files(repo, {"config.env": f"GITHUB_TOKEN={fakes.github_pat(index)}\n"},
                         "add config")
        elif index % 3 == 2:
            commit_files(repo, {"deploy.sh": f"export AWS_ACCESS_KEY_ID={fakes.aws_key_id(index)}\n"},
                         "add deploy")
            commit_files(repo, {"deploy.sh": "export AWS_ACCESS_KEY_ID=$AWS_KEY\n"}, "use env")
        repos[repo.name] = repo
    return repos


def corrupt_repo(path: Path) -> Path:
    """A repository whose objects are damaged beyond reading."""
    repo = new_repo(path)
    commit_files(repo, {"a.txt": "hello\n"}, "init")
    for obj in (repo / ".git" / "objects").rglob("*"):
        if obj.is_file() and obj.parent.name not in ("info", "pack"):
            obj.chmod(0o644)
            obj.write_bytes(b"not a git object")
    return repo
