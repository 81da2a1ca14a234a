"""Repository discovery, refs and commit metadata: the one module that imports gitpython.

gitpython reads the repository layout (work trees, bare repositories, ``.git`` files of linked
worktrees), refs and commit objects. Bulk work goes through plain git plumbing with a hardened
environment (``gitcmd``): blob contents stream through one ``cat-file --batch``
(``gitobjects``) and the commit graph comes from one ``git log --raw`` (``gitlog``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timezone
from pathlib import Path
from typing import TYPE_CHECKING

from leakguard.errors import InputError
from leakguard.model import CommitInfo
from leakguard.sources.gitcmd import GitRunner, hardened_env

if TYPE_CHECKING:
    import git

SUMMARY_MAX = 200


@dataclass(frozen=True)
class RefTip:
    """A ref and the commit it points at (annotated tags peeled)."""

    name: str
    commit: str


@dataclass(frozen=True)
class GitRepo:
    """A discovered repository: where it lives and how to run git in it."""

    git_dir: Path
    common_dir: Path
    work_tree: Path | None
    runner: GitRunner
    handle: git.Repo

    @property
    def bare(self) -> bool:
        return self.work_tree is None

    @property
    def root(self) -> Path:
        """What findings' paths are relative to and where the policy is looked for."""
        return self.work_tree if self.work_tree is not None else self.git_dir

    @property
    def shallow(self) -> bool:
        return (self.common_dir / "shallow").is_file()

    def head(self) -> str | None:
        """The commit HEAD points at, or None in a repository without commits."""
        from git.refs.symbolic import SymbolicReference

        try:
            return SymbolicReference.dereference_recursive(self.handle, "HEAD")
        except (ValueError, OSError):
            return None

    def head_detached(self) -> bool:
        with contextlib.suppress(TypeError, ValueError, OSError):
            return self.handle.head.is_detached
        return False


def open_repo(path: Path) -> GitRepo:
    """The repository at (or above) ``path``; a clear input error when there is none."""
    if not path.exists():
        raise InputError(f"PATH {str(path)!r} does not exist")
    import git  # 40 ms of imports, paid only by the git modes

    try:
        repo = git.Repo(path, search_parent_directories=True)
    except git.InvalidGitRepositoryError:
        raise InputError(f"PATH {str(path)!r} is not inside a git repository (the git modes "
                         "--history, --since, --range and --staged need one)") from None
    except git.NoSuchPathError:
        raise InputError(f"PATH {str(path)!r} does not exist") from None
    git_dir = Path(repo.git_dir).absolute()
    common_dir = Path(repo.common_dir).absolute()
    # gitpython takes a git dir without a config file (a mirror snapshot) for a work tree's
    # .git and its parent for the work tree; a work tree is real only when it has a .git.
    candidate = None if repo.bare or repo.working_tree_dir is None \
        else Path(repo.working_tree_dir).absolute()
    work_tree = candidate if candidate is not None and (candidate / ".git").exists() else None
    repo.git.update_environment(GIT_DIR=str(git_dir), **{
        k: v for k, v in hardened_env().items() if k.startswith(("GIT_CONFIG", "GIT_NO_REPLACE"))})
    runner = GitRunner(cwd=work_tree or git_dir, git_dir=git_dir)
    return GitRepo(git_dir, common_dir, work_tree, runner, repo)


def _ref_rank(name: str) -> tuple[int, str]:
    for rank, prefix in enumerate(("HEAD", "refs/heads/", "refs/tags/", "refs/remotes/")):
        if name.startswith(prefix):
            return rank, name
    return 4, name


def list_refs(repo: GitRepo) -> list[RefTip]:
    """Every ref that points (directly or through annotated tags) at a commit.

    Branches come first, then tags, remote-tracking refs and the rest (``refs/pull/*``...);
    a detached HEAD is listed as ``HEAD``. Symbolic refs such as ``origin/HEAD`` are skipped,
    as they only repeat another ref. One ``for-each-ref`` reads them all: gitpython looks each
    packed ref up by scanning ``packed-refs`` again, which is quadratic on big mirrors.
    """
    fields = "%(refname)%00%(objecttype)%00%(objectname)%00%(*objecttype)%00%(*objectname)" \
             "%00%(symref)"
    output = repo.runner.run(["for-each-ref", f"--format={fields}"])
    tips: list[RefTip] = []
    for line in output.decode("utf-8", "surrogateescape").splitlines():
        parts = line.split("\0")
        if len(parts) != 6 or parts[5]:
            continue
        name, kind, sha, peeled_kind, peeled = parts[:5]
        if kind == "commit":
            tips.append(RefTip(name, sha))
        elif kind == "tag" and peeled_kind == "commit":
            tips.append(RefTip(name, peeled))
    head = repo.head()
    if head is not None and repo.head_detached():
        tips.append(RefTip("HEAD", head))
    tips.sort(key=lambda tip: _ref_rank(tip.name))
    return tips


def commit_infos(repo: GitRepo, shas: Iterable[str]) -> dict[str, CommitInfo]:
    """Author, date and summary of each commit (read by gitpython, hardened environment)."""
    import git

    infos: dict[str, CommitInfo] = {}
    for sha in sorted(set(shas)):
        try:
            commit = repo.handle.commit(sha)
            when = commit.authored_datetime.astimezone(timezone.utc)
            summary = commit.summary
            if isinstance(summary, bytes):
                summary = summary.decode("utf-8", "replace")
            infos[sha] = CommitInfo(
                sha=sha,
                author_name=commit.author.name or "",
                author_email=commit.author.email or "",
                date=when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                summary=summary[:SUMMARY_MAX],
            )
        except (ValueError, TypeError, OSError, git.BadName, git.BadObject, git.GitCommandError):
            infos[sha] = CommitInfo(sha=sha, author_name="", author_email="", date="",
                                    summary="(commit could not be read)")
    return infos


def close_repo(repo: GitRepo) -> None:
    """Stop gitpython's persistent cat-file processes."""
    with contextlib.suppress(Exception):
        repo.handle.close()
