"""``--staged``: the index's added lines, files named by pre-commit, and saying when nothing ran."""

from __future__ import annotations

from pathlib import Path

import pytest

from leakguard.app import GitOptions, ScanRequest, run_git_scan
from leakguard.model import OriginKind, Report
from tests.conftest import CliResult
from tests.git.builder import RepoBuilder, aws_line, token_line


def staged_scan(repo: Path, *targets: str) -> Report:
    request = ScanRequest(targets=tuple(str(repo / t) for t in targets) or (str(repo),))
    return run_git_scan(request, GitOptions(staged=True))


@pytest.fixture
def repo(tmp_path: Path) -> RepoBuilder:
    repo = RepoBuilder(tmp_path / "repo")
    repo.commit("base", {"config.py": "x = 1\n" + aws_line("old")})
    return repo


def test_only_added_lines_of_the_index_are_reported(repo: RepoBuilder) -> None:
    repo.write({"config.py": "x = 2\n" + aws_line("old") + token_line("staged")})
    repo.git("add", "config.py")
    report = staged_scan(repo.path)
    assert [(f.path, f.rule_id, f.line) for f in report.findings] == [
        ("config.py", "github.pat-classic", 3)]
    assert report.mode == "staged"
    assert report.findings[0].blob_id == repo.git("rev-parse", ":config.py")


def test_the_index_is_read_not_the_work_tree(repo: RepoBuilder) -> None:
    repo.write({"a.txt": "clean\n"})
    repo.git("add", "a.txt")
    repo.write({"a.txt": "clean\n" + token_line("unstaged")})  # not staged: not committed
    assert staged_scan(repo.path).findings == ()
    repo.write({"b.txt": token_line("staged-then-cleaned")})
    repo.git("add", "b.txt")
    repo.write({"b.txt": "cleaned in the work tree only\n"})
    assert [f.path for f in staged_scan(repo.path).findings] == ["b.txt"]


def test_named_files_limit_the_scan(repo: RepoBuilder) -> None:
    repo.write({"one.env": token_line("one"), "two.env": token_line("two")})
    repo.git("add", ".")
    assert [f.path for f in staged_scan(repo.path, "two.env").findings] == ["two.env"]


def test_named_file_without_staged_changes_is_scanned_whole(repo: RepoBuilder) -> None:
    # pre-commit run --files config.py (or --all-files): no staged change, still an answer
    report = staged_scan(repo.path, "config.py")
    assert [(f.path, f.rule_id) for f in report.findings] == [("config.py", "aws.access-key-id")]


def test_nothing_staged_says_so(repo: RepoBuilder) -> None:
    report = staged_scan(repo.path)
    assert report.stats.files_scanned == 0
    assert any("nothing was scanned" in w for w in report.warnings)


def test_first_commit_of_a_new_repository(tmp_path: Path) -> None:
    repo = RepoBuilder(tmp_path / "fresh")
    repo.write({"s.env": token_line("first")})
    repo.git("add", ".")
    assert [f.path for f in staged_scan(repo.path).findings] == ["s.env"]


def test_one_file_change_reads_one_blob_in_a_big_index(tmp_path: Path) -> None:
    repo = RepoBuilder(tmp_path / "big")
    repo.write({f"pkg/m{n}/f{k}.py": f"value = {n * 100 + k}\n" for n in range(40) for k in range(50)})
    repo.commit("two thousand files")
    repo.write({"pkg/m7/f3.py": "value = 1\n" + token_line("big")})
    repo.git("add", ".")
    report = staged_scan(repo.path)
    assert report.stats.blobs == 1 and report.stats.files_scanned == 1
    assert [f.path for f in report.findings] == ["pkg/m7/f3.py"]


def test_cli_staged_blocks_and_passes(repo: RepoBuilder, cli) -> None:  # type: ignore[no-untyped-def]
    repo.write({"ok.txt": "fine\n"})
    repo.git("add", ".")
    clean: CliResult = cli("scan", "--staged", cwd=repo.path)
    assert clean.code == 0, clean.output
    repo.write({"bad.env": token_line("cli")})
    repo.git("add", ".")
    blocked: CliResult = cli("scan", "--staged", "bad.env", "ok.txt", cwd=repo.path)
    assert blocked.code == 1
    assert "bad.env" in blocked.stdout


def test_origin_kind_is_staged(repo: RepoBuilder) -> None:
    from leakguard.sources.git import open_repo
    from leakguard.sources.gitdiff import staged_changes

    repo.write({"x.txt": "a\nb\n"})
    repo.git("add", ".")
    changes = staged_changes(open_repo(repo.path).runner)
    assert [(c.path, c.lines) for c in changes] == [("x.txt", frozenset({1, 2}))]
    assert OriginKind.STAGED.value == "staged"
