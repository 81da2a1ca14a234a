"""Scanning an untrusted repository never runs its hooks or configured commands.

The repository below configures an fsmonitor, hooks, a clean/smudge filter, a textconv driver,
an external diff, a pager, ssh/askpass helpers and gpg (with a signed commit so that showing
signatures would call it), each a script that leaves a marker file. Plain git is shown to run
them; then every git mode of leakguard runs and no marker may appear.
"""

from __future__ import annotations

import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tests.git.builder import RepoBuilder, token_line

TRAPS = ("fsmonitor", "hook", "clean", "smudge", "textconv", "extdiff", "pager", "gpg", "ssh",
         "askpass", "editor")


def _trap(bin_dir: Path, marks: Path, name: str, passthrough: bool = False) -> str:
    script = bin_dir / f"{name}.sh"
    body = f'#!/bin/sh\ntouch "{marks}/{name}"\n' + ("cat\n" if passthrough else "exit 0\n")
    script.write_text(body, encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return str(script)


@pytest.fixture
def trapped(tmp_path: Path) -> tuple[RepoBuilder, Path, str]:
    marks = tmp_path / "marks"
    marks.mkdir()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    repo = RepoBuilder(tmp_path / "repo")
    base = repo.commit("base", {".gitattributes": "* filter=evil diff=evil\n", "a.txt": "one\n"})
    repo.commit("add a token", {"deploy.env": token_line("trap")})
    # a signed-looking commit, so that log.showSignature would ask gpg
    raw = repo.git("cat-file", "commit", "HEAD")
    head, _, message = raw.partition("\n\n")
    signature = "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQFAKEFAKEFAKE\n -----END PGP SIGNATURE-----"
    signed = _write_commit(repo, f"{head}\n{signature}\n\n{message}\n")
    repo.git("update-ref", "refs/heads/main", signed)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for hook in ("pre-commit", "post-checkout", "post-commit", "reference-transaction",
                 "pre-auto-gc", "post-index-change"):
        shutil.copy(_trap(bin_dir, marks, "hook"), hooks / hook)
    config = {
        "core.fsmonitor": _trap(bin_dir, marks, "fsmonitor"),
        "core.hooksPath": str(hooks),
        "filter.evil.clean": _trap(bin_dir, marks, "clean", passthrough=True),
        "filter.evil.smudge": _trap(bin_dir, marks, "smudge", passthrough=True),
        "diff.evil.textconv": _trap(bin_dir, marks, "textconv", passthrough=True),
        "diff.external": _trap(bin_dir, marks, "extdiff"),
        "core.pager": _trap(bin_dir, marks, "pager"),
        "log.showSignature": "true",
        "gpg.program": _trap(bin_dir, marks, "gpg"),
        "core.sshCommand": _trap(bin_dir, marks, "ssh"),
        "core.askPass": _trap(bin_dir, marks, "askpass"),
        "core.editor": _trap(bin_dir, marks, "editor"),
    }
    for key, value in config.items():
        repo.git("config", key, value)
    for name in ("pre-commit", "post-checkout"):
        shutil.copy(hooks / name, repo.path / ".git" / "hooks" / name)
    # a dirty work tree and a staged change, so work-tree commands would need the filters
    repo.write({"a.txt": "one\ntwo\n", "staged.env": token_line("staged-trap")})
    repo.git("add", "staged.env")
    for mark in marks.iterdir():  # setting the scene ran some of them; start from none
        mark.unlink()
    return repo, marks, base


def _write_commit(repo: RepoBuilder, text: str) -> str:
    proc = subprocess.run(["git", "hash-object", "-w", "-t", "commit", "--stdin"], cwd=repo.path,
                          input=text.encode(), capture_output=True, check=True)
    return proc.stdout.decode().strip()


def test_plain_git_would_run_the_traps(trapped: tuple[RepoBuilder, Path, str]) -> None:
    """The traps are real: ordinary git commands in this repository set them off."""
    repo, marks, _ = trapped
    repo.git("status")
    repo.git("diff")
    repo.git("diff", "--no-ext-diff", "HEAD~1")
    repo.git("log", "-1")
    fired = {p.name for p in marks.iterdir()}
    assert {"fsmonitor", "clean", "textconv", "extdiff", "gpg"} <= fired, fired
    repo.git("commit", "-q", "-m", "trigger hooks")
    assert "hook" in {p.name for p in marks.iterdir()}


@pytest.mark.parametrize("args", [
    pytest.param(["--history"], id="history"),
    pytest.param(["--history", "--include-unreachable"], id="history-unreachable"),
    pytest.param(["--since", "HEAD~1"], id="since"),
    pytest.param(["--staged"], id="staged"),
    pytest.param(["--staged", "staged.env", "a.txt"], id="staged-files"),
])
def test_no_git_mode_runs_the_repositorys_commands(trapped: tuple[RepoBuilder, Path, str], cli,
                                                   args: list[str]) -> None:  # type: ignore[no-untyped-def]
    repo, marks, _ = trapped
    result = cli("scan", *args, "--format", "json", cwd=repo.path,
                 env={"PAGER": "", "GIT_PAGER": ""})
    assert result.code == 1, result.output  # it did scan, and found the planted tokens
    assert "github.pat-classic" in result.stdout
    assert sorted(p.name for p in marks.iterdir()) == []
    assert not set(TRAPS) & {p.name for p in marks.iterdir()}


def test_sweeping_a_trapped_repository_runs_nothing(trapped: tuple[RepoBuilder, Path, str], cli,
                                                    tmp_path: Path) -> None:
    """A sweep reads refs, the policy at HEAD and the history of the repository as it is, and
    mirrors it from a URL too; none of that may run the repository's commands."""
    repo, marks, _ = trapped
    db = tmp_path / "sweep.db"
    local = cli("sweep", str(repo.path), "--db", str(db), "-q")
    assert local.code == 1, local.output
    listing = tmp_path / "repos.txt"
    listing.write_text(repo.path.as_uri() + "\n")
    mirrored = cli("sweep", "--from", str(listing), "--db", str(db), "--cache-dir",
                   str(tmp_path / "mirrors"), "-q")
    assert mirrored.code == 1, mirrored.output
    assert sorted(p.name for p in marks.iterdir()) == []
