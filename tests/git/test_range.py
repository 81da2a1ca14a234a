"""``--since`` and ``--range``: only secrets the range's commits added are reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from leakguard.app import GitOptions, ScanRequest, run_git_scan
from leakguard.model import Report
from tests.conftest import CliResult
from tests.fakes import aws_key_id, github_pat
from tests.git.builder import RepoBuilder, aws_line, token_line


def range_scan(path: Path, **options: str) -> Report:
    return run_git_scan(ScanRequest(targets=(str(path),)), GitOptions(**options))  # type: ignore[arg-type]


@pytest.fixture
def repo(tmp_path: Path) -> RepoBuilder:
    repo = RepoBuilder(tmp_path / "repo")
    repo.commit("base", {"config.py": "x = 1\n" + aws_line("old"), "README.md": "hi\n"})
    return repo


def test_since_reports_exactly_the_one_secret_the_range_adds(repo: RepoBuilder) -> None:
    base = repo.git("rev-parse", "HEAD")
    repo.commit("edit around the old key", {"config.py": "x = 2\n" + aws_line("old") + "y = 3\n"})
    added = repo.commit("add a token", {"deploy.env": "# deploy\n" + token_line("new")},
                        author="Pat Example", email="pat@fake.test")
    repo.commit("docs", {"README.md": "hi there\n"})
    report = range_scan(repo.path, since=base)
    assert [(f.path, f.rule_id) for f in report.findings] == [("deploy.env", "github.pat-classic")]
    finding = report.findings[0]
    assert finding.line == 2
    assert finding.history is not None and finding.history.introduced is not None
    assert finding.history.introduced.sha == added
    assert finding.history.introduced.author_name == "Pat Example"
    assert finding.history.present_at_head is True
    assert finding.history.removed is None
    assert report.stats.commits == 3
    assert report.mode == "range"


def test_range_reports_a_secret_added_then_removed_inside_it(repo: RepoBuilder) -> None:
    base = repo.git("rev-parse", "HEAD")
    added = repo.commit("oops", {"notes.txt": token_line("oops")})
    removed = repo.commit("fix", {"notes.txt": None})
    report = range_scan(repo.path, range=f"{base}..HEAD")
    finding, = report.findings
    assert finding.history is not None
    assert finding.history.introduced is not None and finding.history.removed is not None
    assert (finding.history.introduced.sha, finding.history.removed.sha) == (added, removed)
    assert finding.history.present_at_head is False


def test_secret_that_existed_anywhere_before_the_range_is_not_reported(repo: RepoBuilder) -> None:
    repo.commit("old history", {"legacy.txt": token_line("legacy")})
    repo.commit("drop it", {"legacy.txt": None})
    base = repo.git("rev-parse", "HEAD")
    repo.commit("copy the old key elsewhere", {"app/keys.py": aws_line("old")})
    repo.commit("bring back the legacy token", {"restored.txt": token_line("legacy")})
    repo.commit("a new one", {"new.txt": aws_line("brand-new")})
    report = range_scan(repo.path, range=f"{base}..main")
    assert [f.path for f in report.findings] == ["new.txt"]
    assert any("already existed before the range" in w for w in report.warnings)


def test_a_secret_on_a_rewritten_line_of_an_old_file_is_not_new(repo: RepoBuilder) -> None:
    base = repo.git("rev-parse", "HEAD")
    repo.commit("reformat", {"config.py": "x = 1\n" + aws_line("old").replace(" = ", "=")})
    assert range_scan(repo.path, since=base).findings == ()


def test_range_on_a_feature_branch_ignores_main(repo: RepoBuilder) -> None:
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit("feature work", {"f.env": token_line("feature")})
    repo.git("checkout", "-q", "main")
    repo.commit("main work", {"m.env": token_line("main")})
    report = range_scan(repo.path, range="main..feature")
    assert [f.path for f in report.findings] == ["f.env"]
    assert report.findings[0].history is not None
    assert report.findings[0].history.refs == ("refs/heads/feature",)


def test_evil_merge_lines_count_as_added(repo: RepoBuilder) -> None:
    base = repo.git("rev-parse", "HEAD")
    repo.git("checkout", "-q", "-b", "side")
    repo.commit("side", {"side.txt": "side\n"})
    repo.git("checkout", "-q", "main")
    repo.commit("main", {"main.txt": "main\n"})
    repo.git("merge", "-q", "--no-ff", "--no-commit", "side")
    (repo.path / "main.txt").write_text("main\n" + token_line("evil"), encoding="utf-8")
    repo.git("add", "main.txt")
    repo.git("commit", "-q", "-m", "merge with a surprise")
    merge = repo.git("rev-parse", "HEAD")
    report = range_scan(repo.path, since=base)
    finding, = report.findings
    assert finding.path == "main.txt"
    assert finding.history is not None and finding.history.introduced is not None
    assert finding.history.introduced.sha == merge


def test_cli_since_exit_codes(repo: RepoBuilder, cli) -> None:  # type: ignore[no-untyped-def]
    base = repo.git("rev-parse", "HEAD")
    clean: CliResult = cli("scan", str(repo.path), "--since", base)
    assert clean.code == 0, clean.output
    repo.commit("leak", {"leak.env": token_line("cli")})
    dirty: CliResult = cli("scan", str(repo.path), "--since", base, "--format", "json")
    assert dirty.code == 1
    assert github_pat("cli") not in dirty.output and aws_key_id("old") not in dirty.output
    bad: CliResult = cli("scan", str(repo.path), "--since", "no-such-rev")
    assert bad.code == 2 and "--since" in bad.stderr
    both: CliResult = cli("scan", str(repo.path), "--since", base, "--history")
    assert both.code == 2 and "cannot be combined" in both.stderr


def test_a_new_confidential_document_is_reported_though_the_label_is_old(
        repo: RepoBuilder) -> None:
    repo.commit("an old confidential doc", {"docs/old.md": "CONFIDENTIAL\n\nold plans\n"})
    base = repo.git("rev-parse", "HEAD")
    repo.commit("a new one", {"docs/new.md": "CONFIDENTIAL\n\nnew plans\n"})
    report = range_scan(repo.path, since=base)
    assert [(f.path, f.rule_id) for f in report.findings] == [
        ("docs/new.md", "marking.confidential-banner")]
