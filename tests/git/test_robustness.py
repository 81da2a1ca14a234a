"""History mode on awkward repositories: bare, shallow, with submodules, empty, detached,
binary and huge blobs, corrupt objects, and paths that are not repositories."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from leakguard.app import GitOptions, ScanRequest, run_git_scan
from leakguard.model import Report, SkipReason
from tests.conftest import CliResult, git
from tests.git.builder import RepoBuilder, aws_line, token_line


def history_scan(path: Path, **request: object) -> Report:
    return run_git_scan(ScanRequest(targets=(str(path),), **request),  # type: ignore[arg-type]
                        GitOptions(history=True))


def skipped(report: Report, reason: SkipReason) -> list[str]:
    return [s.origin.path for s in report.skips if s.reason is reason]


@pytest.fixture
def repo(tmp_path: Path) -> RepoBuilder:
    repo = RepoBuilder(tmp_path / "repo")
    repo.commit("one", {"a.env": token_line("robust")})
    repo.commit("two", {"b.py": aws_line("robust")})
    return repo


def test_bare_repository(repo: RepoBuilder, tmp_path: Path) -> None:
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo.path), str(bare))
    (bare / "config").unlink()  # like a mirror snapshot: objects and refs, no config file
    report = history_scan(bare)
    assert sorted(f.path for f in report.findings) == ["a.env", "b.py"]
    assert all(f.history and f.history.present_at_head for f in report.findings)
    assert report.root == str(bare)
    introduced = {f.path: f.history.introduced for f in report.findings if f.history}
    assert introduced["a.env"] is not None and introduced["b.py"] is not None
    assert introduced["a.env"].sha == repo.git("rev-parse", "HEAD~1")
    assert introduced["a.env"].author_name == "Alice Example"
    assert introduced["b.py"].date == repo.date_of(repo.git("rev-parse", "HEAD"))


def test_shallow_clone_warns_that_history_is_partial(repo: RepoBuilder, tmp_path: Path) -> None:
    repo.commit("three", {"c.txt": "more\n"})
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo.path}", str(shallow))
    report = history_scan(shallow)
    assert any("shallow clone" in w for w in report.warnings)
    assert report.stats.commits == 1
    head = git(shallow, "rev-parse", "HEAD")
    assert {f.history.introduced.sha for f in report.findings
            if f.history and f.history.introduced} == {head}


def test_submodules_are_not_recursed_and_the_summary_says_so(repo: RepoBuilder,
                                                             cli) -> None:  # type: ignore[no-untyped-def]
    other = repo.git("rev-parse", "HEAD")
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{other},vendor/lib")
    repo.git("commit", "-q", "-m", "add a submodule")  # not commit(): add -A would drop it
    report = history_scan(repo.path)
    assert skipped(report, SkipReason.SUBMODULE) == ["vendor/lib"]
    assert any("submodules are not scanned: vendor/lib" in w for w in report.warnings)
    result: CliResult = cli("scan", str(repo.path), "--history")
    assert "submodule" in result.stderr


def test_empty_repository(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "empty"
    empty.mkdir()
    git(empty, "init", "-q")
    report = history_scan(empty)
    assert report.findings == () and report.stats.commits == 0
    assert any("no commits" in w for w in report.warnings)
    for args in (["--history"], ["--staged"]):
        result: CliResult = cli("scan", str(empty), *args)
        assert result.code == 0, result.output


def test_detached_head(repo: RepoBuilder) -> None:
    repo.git("checkout", "-q", "--detach")
    detached = repo.commit("on a detached head", {"d.env": token_line("detached")})
    finding, = [f for f in history_scan(repo.path).findings if f.path == "d.env"]
    assert finding.history is not None and finding.history.introduced is not None
    assert finding.history.introduced.sha == detached
    assert finding.history.present_at_head is True
    assert finding.history.refs == ("HEAD",)


def test_binary_and_huge_blobs_are_skipped_with_a_reason(repo: RepoBuilder) -> None:
    repo.commit("binary", {"blob.bin": b"\0\1\2" + token_line("binary").encode()})
    repo.commit("huge", {"huge.txt": "x" * 20_000 + "\n" + token_line("huge")})
    report = history_scan(repo.path, max_file_size=10_000)
    assert skipped(report, SkipReason.BINARY) == ["blob.bin"]
    assert skipped(report, SkipReason.TOO_LARGE) == ["huge.txt"]
    assert sorted(f.path for f in report.findings) == ["a.env", "b.py"]


def _loose_object(repo: RepoBuilder, oid: str) -> Path:
    path = repo.path / ".git" / "objects" / oid[:2] / oid[2:]
    path.chmod(0o644)
    return path


def test_unreadable_object_is_reported_and_the_scan_goes_on(repo: RepoBuilder,
                                                            cli) -> None:  # type: ignore[no-untyped-def]
    victim = repo.commit("victim", {"victim.txt": "innocent text\n"})
    oid = repo.git("rev-parse", f"{victim}:victim.txt")
    _loose_object(repo, oid).write_bytes(b"this is not a git object")
    report = history_scan(repo.path)
    assert sorted(f.path for f in report.findings) == ["a.env", "b.py"]
    assert [s.origin.blob_id for s in report.skips if s.reason is SkipReason.CORRUPT] == [oid]
    result: CliResult = cli("scan", str(repo.path), "--history")
    assert result.code == 3, result.output
    assert "a.env" in result.stdout


def test_object_that_breaks_cat_file_midway(repo: RepoBuilder) -> None:
    """A loose object whose header reads but whose body is cut: the reader restarts git and
    carries on with the next blobs."""
    victim = repo.commit("victim", {"victim.txt": "innocent text\n" * 200})
    repo.commit("after", {"z.env": token_line("after-corrupt")})
    oid = repo.git("rev-parse", f"{victim}:victim.txt")
    path = _loose_object(repo, oid)
    data = zlib.decompress(path.read_bytes())
    path.write_bytes(zlib.compress(data)[:40])
    report = history_scan(repo.path)
    assert sorted(f.path for f in report.findings) == ["a.env", "b.py", "z.env"]
    assert oid in [s.origin.blob_id for s in report.skips if s.reason is SkipReason.CORRUPT]


def test_not_a_repository_is_a_usage_error(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    plain = tmp_path / "plain"
    plain.mkdir()
    for args in (["--history"], ["--since", "HEAD~1"], ["--staged"]):
        result: CliResult = cli("scan", str(plain), *args)
        assert result.code == 2, result.output
        assert "not inside a git repository" in result.stderr
    missing: CliResult = cli("scan", str(tmp_path / "nope"), "--history")
    assert missing.code == 2 and "does not exist" in missing.stderr


def test_stdin_and_git_modes_do_not_mix(cli) -> None:  # type: ignore[no-untyped-def]
    result: CliResult = cli("scan", "-", "--history", input="x")
    assert result.code == 2 and "stdin" in result.stderr


def test_clean_history_still_counts_what_it_covered(tmp_path: Path) -> None:
    clean = RepoBuilder(tmp_path / "clean")
    for number in range(3):
        clean.commit(f"c{number}", {f"f{number}.txt": f"nothing to see {number}\n"})
    report = history_scan(clean.path)
    assert report.findings == ()
    assert (report.stats.commits, report.stats.blobs, report.stats.files_scanned) == (3, 3, 3)


def test_a_missing_tree_is_reported_not_silently_skipped(repo: RepoBuilder) -> None:
    """A tree object that is gone hides every blob under it: the scan must say so (listing
    blobs only, with git's blob filter, would have left them out without a word)."""
    repo.commit("nested", {"deep/inner/keys.env": token_line("under-a-lost-tree")})
    tree = repo.git("rev-parse", "HEAD:deep/inner")
    _loose_object(repo, tree).unlink()
    report = history_scan(repo.path)
    corrupt = [s for s in report.skips if s.reason is SkipReason.CORRUPT]
    assert tree in {s.origin.blob_id for s in corrupt}, corrupt
