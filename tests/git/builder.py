"""Build small real git repositories with chosen authors and dates, for the git-mode tests."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from tests.conftest import git
from tests.fakes import aws_key_id, github_pat


def aws_line(seed: object) -> str:
    return f'aws_access_key_id = "{aws_key_id(seed)}"\n'


def token_line(seed: object) -> str:
    return f'token = "{github_pat(seed)}"\n'


class RepoBuilder:
    """A repository under construction: each ``commit`` writes files and returns the sha."""

    def __init__(self, path: Path, *, bare_init: bool = False) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        git(path, "init", "-q", "-b", "main")
        self.clock = 0

    def git(self, *args: str, env: Mapping[str, str] | None = None) -> str:
        return git(self.path, *args, env=env)

    def write(self, files: Mapping[str, str | bytes | None]) -> None:
        for rel, content in files.items():
            target = self.path / rel
            if content is None:
                target.unlink()
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")

    def commit(self, message: str, files: Mapping[str, str | bytes | None] | None = None, *,
               author: str = "Alice Example", email: str = "alice@fake.test",
               date: str | None = None) -> str:
        """Commit ``files`` (None deletes one); dates default to one day apart from 2021-01-01."""
        self.write(files or {})
        self.git("add", "-A")
        self.clock += 1
        when = date or f"2021-01-{self.clock:02d}T10:00:00+00:00"
        env = {"GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": when,
               "GIT_COMMITTER_DATE": when}
        self.git("commit", "-q", "--allow-empty", "-m", message, env=env)
        return self.git("rev-parse", "HEAD")

    def date_of(self, sha: str) -> str:
        """The author date as leakguard reports it (UTC, ``Z``)."""
        return self.git("show", "-s", "--format=%ad", "--date=format-local:%Y-%m-%dT%H:%M:%SZ",
                        sha, env={"TZ": "UTC"})
