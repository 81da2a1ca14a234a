"""Git modes on work items: the same report for one and several jobs, with and without the cache,
and a warm cache reads no blob at all."""

from __future__ import annotations

import importlib.util
import shutil
import sqlite3
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

import leakguard.app.parallel as parallel
import leakguard.app.work as work
from leakguard.app import GitOptions, ScanRequest, run_git_scan
from leakguard.model import Report
from tests.documents.builders import zip_bytes
from tests.fakes import github_pat, password
from tests.git.builder import RepoBuilder, aws_line, token_line
from tests.perf.scenario import comparable

MAX_SIZE = 40_000


@dataclass
class Repo:
    builder: RepoBuilder
    base: str


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """Secrets added, kept, moved, removed and on a branch; a large file searched in windows;
    a zip archive with a secret in a member; a binary; a blob over the size limit; e-mails."""
    builder = RepoBuilder(tmp_path_factory.mktemp("work") / "repo")
    filler = "".join(f"value_{n} = compute({n})  # ordinary code\n" for n in range(300))
    base = builder.commit("start", {"README.md": "hello\n", "src/util.py": filler})
    builder.commit("settings", {"app/settings.py": "debug = False\n" + aws_line("w1")})
    builder.commit("big", {"src/big.py": filler + token_line("w-big") + filler})
    builder.commit("team", {"docs/team.md": "Mail jane.fake@fakecorp.io or ops.fake@fakecorp.io\n"})
    builder.commit("bundle", {"dist/bundle.zip": zip_bytes({"conf/app.env": token_line("w-zip")}),
                              "assets/logo.bin": b"\x00\x01binary\x00" * 40})
    builder.commit("huge", {"data/huge.txt": aws_line("w-huge") + "x" * MAX_SIZE})
    for n in range(6):
        builder.commit(f"edit {n}", {"src/util.py": filler + f"# edit {n}\n",
                                     f"more/file{n}.py": f"db_password = '{password(n)}'\n"})
    builder.commit("move", {"app/settings.py": None,
                            "config/settings.py": "debug = False\n" + aws_line("w1")})
    builder.commit("rotate", {"deploy.env": token_line("w-rotate"),
                              "dist/bundle.zip": zip_bytes({"conf/app.env": token_line("w-zip2")})})
    builder.git("checkout", "-q", "-b", "feature")
    builder.commit("branch", {"feature.env": f"GITHUB_TOKEN={github_pat('w-branch')}\n"})
    builder.git("checkout", "-q", "main")
    return Repo(builder, base)


def _request(repo: Repo, jobs: int, cache: Path | None, **changes: object) -> ScanRequest:
    request = ScanRequest(targets=(str(repo.builder.path),), jobs=jobs, cache=cache,
                          use_cache=cache is not None, show_secrets=True, max_file_size=MAX_SIZE)
    return replace(request, **changes)  # type: ignore[arg-type]


def _history(repo: Repo, jobs: int, cache: Path | None, **changes: object) -> Report:
    return comparable(run_git_scan(_request(repo, jobs, cache, **changes), GitOptions(history=True)))


def _cached_ids(cache: Path) -> set[str]:
    with sqlite3.connect(cache) as db:
        return {row[0] for row in db.execute("SELECT content_id FROM results")}


def _no_reading(monkeypatch: pytest.MonkeyPatch, cached: set[str]) -> None:
    """Fail if a blob the cache holds is read or its content scanned for the scan itself
    (attribution may still read the few blobs that findings show lines from; an archive whose
    members were scanned is not cacheable and is read again)."""
    scan_content = parallel.scan_content

    def refuse(item: work.WorkItem, data: object, *args: object, **kwargs: object) -> object:
        assert not isinstance(data, bytes) or item.content_id not in cached, \
            "content was scanned although the cache holds it"
        return scan_content(item, data, *args, **kwargs)  # a skip (too large) passes through

    original = work.GitBlobReader.read

    def read(self: work.GitBlobReader, items: list[work.WorkItem]):  # type: ignore[no-untyped-def]
        readable = [i for i in items if i.size is not None and 0 <= i.size <= self.max_size
                    and i.content_id in cached]
        assert not readable, f"blobs read although the cache holds them: {readable[:3]}"
        return original(self, items)

    monkeypatch.setattr(parallel, "scan_content", refuse)
    monkeypatch.setattr(work.GitBlobReader, "read", read)


@pytest.mark.usefixtures("eager_pool")
def test_history_is_identical_for_any_jobs_and_with_the_cache(repo: Repo, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    single = _history(repo, 1, None)
    assert _history(repo, 3, None) == single
    cache = tmp_path / "cache.sqlite"
    assert _history(repo, 1, cache) == single  # cold: fills the cache
    cached = _cached_ids(cache)
    assert len(cached) > 10
    with monkeypatch.context() as patch:
        _no_reading(patch, cached)
        assert _history(repo, 3, cache) == single  # warm: nothing cached read or scanned
    paths = {f.path for f in single.findings}
    assert {"config/settings.py", "src/big.py", "dist/bundle.zip!/conf/app.env", "feature.env",
            "deploy.env", "more/file3.py"} <= paths
    assert "data/huge.txt" not in paths
    assert dict(single.stats.skipped).keys() >= {"binary", "too-large"}
    assert all(f.history is not None for f in single.findings)


def test_history_respects_the_extraction_options(repo: Repo) -> None:
    extracted = {f.path for f in _history(repo, 1, None).findings}
    plain = {f.path for f in _history(repo, 1, None, extract=False).findings}
    assert "dist/bundle.zip!/conf/app.env" in extracted
    assert not any(path.startswith("dist/bundle.zip") for path in plain)
    assert plain == {path for path in extracted if "!/" not in path}


@pytest.mark.usefixtures("eager_pool")
def test_range_is_identical_for_any_jobs_and_counts_a_changed_archive_whole(
        repo: Repo, tmp_path: Path) -> None:
    def scan(jobs: int, cache: Path | None) -> Report:
        return comparable(run_git_scan(_request(repo, jobs, cache),
                                       GitOptions(range=f"{repo.base}..main")))

    single = scan(1, None)
    assert scan(3, None) == single == scan(2, tmp_path / "cache.sqlite")
    paths = {f.path for f in single.findings}
    # The archive's member is not a line of the archive: a changed archive is new as a whole.
    assert "dist/bundle.zip!/conf/app.env" in paths
    assert {"deploy.env", "more/file0.py", "config/settings.py"} <= paths


@pytest.mark.usefixtures("eager_pool")
def test_workers_read_blobs_through_their_own_git_process(repo: Repo) -> None:
    from leakguard.app.blobwork import blob_items
    from leakguard.engine.selection import build_matcher
    from leakguard.model import OriginKind
    from leakguard.rules.loader import load_ruleset
    from leakguard.sources.git import open_repo
    from leakguard.sources.gitobjects import list_blobs

    runner = open_repo(repo.builder.path).runner
    blobs, _listing = list_blobs(runner, ["--all"])
    items = blob_items(blobs, OriginKind.BLOB)
    matcher, _ = build_matcher(load_ruleset())
    spec = work.BlobReaderSpec(runner, MAX_SIZE)

    def run(jobs: int) -> tuple[parallel.Scheduler, list[work.ItemResult]]:
        scheduler = parallel.Scheduler(matcher=matcher, reader=spec, jobs=jobs, cache=None,
                                       progress=lambda _done: None)
        return scheduler, scheduler.run(items)

    several, results = run(3)
    assert several.workers_started == 2
    assert [r.index for r in results] == list(range(len(items)))
    assert results == run(1)[1]
    found = {m.origin.blob_id for r in results for m in r.matches}
    assert found and found <= {b.oid for b in blobs}


def test_blobs_are_read_in_the_order_git_stores_them(repo: Repo, tmp_path: Path) -> None:
    """Pack order is what makes git's delta cache hit; the order must hold every blob once."""
    from leakguard.sources.git import open_repo
    from leakguard.sources.gitobjects import PackOrder, list_blobs

    shutil.copytree(repo.builder.path, tmp_path / "clone")
    clone = RepoBuilder(tmp_path / "clone")  # re-initialising keeps what is there
    clone.git("gc", "-q", "--aggressive")
    clone.commit("loose", {"loose.txt": "written after the pack\n"})
    runner = open_repo(clone.path).runner
    blobs, _listing = list_blobs(runner, ["--all"])
    with PackOrder(runner) as order:
        ordered = order.sort(blobs)
    assert sorted(ordered, key=lambda b: b.oid) == sorted(blobs, key=lambda b: b.oid)
    packed = [line.split()[1] for line in clone.git(
        "cat-file", "--batch-all-objects", "--unordered",
        "--batch-check=%(objecttype) %(objectname)").splitlines() if line.startswith("blob ")]
    assert clone.git("rev-parse", "HEAD:loose.txt").strip() in packed  # loose ones are listed
    position = {oid: n for n, oid in enumerate(packed)}
    assert [b.oid for b in ordered] == sorted((b.oid for b in blobs), key=position.__getitem__)
    assert [b.oid for b in ordered] != [b.oid for b in blobs]  # the listing's order differs


def test_the_listing_with_the_stores_sizes_equals_the_checked_one(repo: Repo, tmp_path: Path,
                                                                   monkeypatch) -> None:
    """Types and sizes from the store's listing instead of ``--batch-check``: the same blobs,
    commits and problems, including objects written after that listing and a failed listing."""
    from leakguard.sources import gitobjects
    from leakguard.sources.git import open_repo
    from leakguard.sources.gitobjects import PackOrder, list_blobs

    shutil.copytree(repo.builder.path, tmp_path / "clone")
    clone = RepoBuilder(tmp_path / "clone")
    clone.git("gc", "-q")
    clone.git("tag", "-a", "v1", "-m", "annotated: listed by the walk, never scanned")
    clone.commit("loose", {"loose.txt": "written after the pack\n"})
    runner = open_repo(clone.path).runner
    checked = list_blobs(runner, ["--all"])
    with PackOrder(runner) as stored:
        assert list_blobs(runner, ["--all"], stored=stored) == checked
    assert {b.path for b in checked[0]} >= {"loose.txt", "dist/bundle.zip", "data/huge.txt"}

    with PackOrder(runner) as stored:
        stored.objects()  # listed now; what is committed next is new to it
        clone.commit("later", {"later.txt": "after the store was listed\n", "sub/x.txt": "x\n"})
        later = list_blobs(runner, ["--all"], stored=stored)
    assert later == list_blobs(runner, ["--all"])
    assert {"later.txt", "sub/x.txt"} <= {b.path for b in later[0]}

    monkeypatch.setattr(gitobjects.PackOrder, "objects", lambda self: None)  # git failed
    with PackOrder(runner) as stored:
        assert list_blobs(runner, ["--all"], stored=stored) == later


def test_a_missing_blob_is_reported_by_both_listings(tmp_path: Path) -> None:
    from leakguard.sources.git import open_repo
    from leakguard.sources.gitobjects import PackOrder, list_blobs

    clone = RepoBuilder(tmp_path / "repo")
    clone.commit("one", {"a.txt": "kept\n", "b.txt": "about to go missing\n"})
    oid = clone.git("rev-parse", "HEAD:b.txt").strip()
    (clone.path / ".git" / "objects" / oid[:2] / oid[2:]).unlink()
    runner = open_repo(clone.path).runner
    checked = list_blobs(runner, ["--all"])
    with PackOrder(runner) as stored:
        assert list_blobs(runner, ["--all"], stored=stored) == checked
    assert [b.path for b in checked[0]] == ["a.txt"] and checked[1].commits == 1
    assert [p.origin.blob_id for p in checked[1].problems] == [oid]


def test_slow_blobs_are_scheduled_first() -> None:
    from leakguard.app.history import slow_first
    from leakguard.sources.gitobjects import BlobRef

    blobs = [BlobRef("1" * 40, 100, "a.py"), BlobRef("2" * 40, 200_000, "doc/figure.svg"),
             BlobRef("3" * 40, 300_000, "src/big.py"), BlobRef("4" * 40, 10, "tiny.pdf"),
             BlobRef("5" * 40, 90_000, "paper.PDF")]
    assert [b.oid[0] for b in slow_first(blobs)] == ["2", "5", "1", "3", "4"]
    plain = blobs[:1] + blobs[2:4]
    assert slow_first(plain) == plain


def test_the_commit_log_started_early_equals_the_streamed_one(
        repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    from leakguard.sources.git import open_repo
    from leakguard.sources.gitlog import CommitLog, iter_commits

    runner = open_repo(repo.builder.path).runner
    streamed = list(iter_commits(runner, ["--all"]))
    with CommitLog(runner, ["--all"]) as log:
        assert list(log.records()) == streamed
    import leakguard.engine.literals as literals
    import leakguard.sources.gitlog as gitlog

    fast: list[bool] = []
    records_keeping = gitlog.records_keeping

    def spied(log: bytes, keep: set[str]) -> list | None:
        found = records_keeping(log, keep)
        fast.append(found is not None)
        return found

    monkeypatch.setattr(gitlog, "records_keeping", spied)
    for record in streamed:  # the kept changes, found by their ids in the spooled log
        for change in record.changes:
            keep = {change.old, change.new} - {"0" * 40}
            with CommitLog(runner, ["--all"]) as log:
                assert list(log.records(keep)) == list(iter_commits(runner, ["--all"], keep=keep))
    if importlib.util.find_spec("hyperscan") is not None:
        assert fast and all(fast)
    monkeypatch.setattr(literals, "literal_ends", lambda *_args, **_kwargs: None)
    keep = {change.new for record in streamed for change in record.changes} - {"0" * 40}
    with CommitLog(runner, ["--all"]) as log:  # no Hyperscan: the whole walk is parsed
        assert list(log.records(keep)) == list(iter_commits(runner, ["--all"], keep=keep))
    assert fast[-1] is False
    problems: list = []
    with CommitLog(runner, ["no-such-ref"]) as log:
        assert list(log.records(problems=problems)) == []
    assert problems and problems[0].detail.startswith("git log failed")
    unwanted = CommitLog(runner, ["--all"])
    unwanted.close()  # nothing found: git is stopped, its files closed
    assert unwanted.proc.returncode is not None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pipe sizes are Linux's")
def test_the_blob_reader_lets_git_write_ahead(repo: Repo) -> None:
    """``cat-file``'s output pipe is widened (up to the system's limit for unprivileged users),
    and every blob still arrives whole through it."""
    import fcntl

    from leakguard.sources.git import open_repo
    from leakguard.sources.gitobjects import PIPE_BYTES, BlobReader, list_blobs

    runner = open_repo(repo.builder.path).runner
    blobs, _listing = list_blobs(runner, ["--all"])
    limit = int(Path("/proc/sys/fs/pipe-max-size").read_text())
    with BlobReader(runner) as reader:
        answers = list(reader.read([blob.oid for blob in blobs]))
        assert reader.proc is not None and reader.proc.stdout is not None
        size = fcntl.fcntl(reader.proc.stdout.fileno(), 1032)  # F_GETPIPE_SZ
    assert size == min(PIPE_BYTES, limit) or (limit < PIPE_BYTES and size == 65536)
    expected = {blob.oid: runner.run(["cat-file", "blob", blob.oid]) for blob in blobs}
    assert {oid: data for oid, data, _why in answers} == expected


def test_a_store_borrowed_through_alternates_counts_towards_the_history_size(
        repo: Repo, tmp_path: Path) -> None:
    """The store's listing covers alternates, so the size that picks the early walk does too."""
    from leakguard.sources.gitobjects import pack_bytes

    origin = tmp_path / "origin"
    shutil.copytree(repo.builder.path, origin)
    RepoBuilder(origin).git("gc", "-q")
    borrower = RepoBuilder(tmp_path / "borrower")
    borrower.commit("own", {"own.txt": "a file of its own\n"})
    alternates = borrower.path / ".git" / "objects" / "info" / "alternates"
    alternates.write_text(f"{origin / '.git' / 'objects'}\n", encoding="utf-8")
    own = pack_bytes(borrower.path / ".git" / "objects")
    assert own == pack_bytes(origin / ".git" / "objects") > 0  # it has no pack of its own
    alternates.write_text("# nothing borrowed\n", encoding="utf-8")
    assert pack_bytes(borrower.path / ".git" / "objects") == 0


def test_the_fallback_check_reports_a_failed_cat_file(repo: Repo, monkeypatch) -> None:
    from leakguard.sources import gitobjects
    from leakguard.sources.git import open_repo
    from leakguard.sources.gitobjects import PackOrder, list_blobs

    runner = open_repo(repo.builder.path).runner
    monkeypatch.setattr(gitobjects.PackOrder, "objects", lambda self: None)
    monkeypatch.setattr(gitobjects, "CHECK_ARGS", ["cat-file", "--no-such-option"])
    with PackOrder(runner) as stored:
        blobs, listing = list_blobs(runner, ["--all"], stored=stored)
    assert not blobs
    assert [p.detail.split(":")[0] for p in listing.problems] == ["git cat-file failed"]


def test_blob_items_are_made_a_stretch_at_a_time_as_the_scheduler_reaches_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``BlobItems`` answers exactly as ``blob_items`` does, but makes only what was asked for
    so far (the workers get their first batches before a large history's items all exist)."""
    from leakguard.app.blobwork import BlobItems, blob_items
    from leakguard.model import OriginKind
    from leakguard.sources.gitobjects import BlobRef

    monkeypatch.setattr(BlobItems, "STRETCH", 7)
    blobs = [BlobRef(f"{n:040x}", n * 10, f"dir/file{n}.py") for n in range(50)]
    eager = blob_items(blobs, OriginKind.BLOB)
    lazy = BlobItems(blobs, OriginKind.BLOB)
    assert len(lazy) == 50 and not lazy._made
    assert lazy[3] == eager[3] and len(lazy._made) == 7
    assert lazy[5:12] == eager[5:12] and len(lazy._made) == 14
    assert lazy[-1] == eager[-1] and len(lazy._made) == 50
    assert list(lazy) == eager and lazy[40:] == eager[40:] and lazy[60:] == []
    with pytest.raises(IndexError):
        lazy[50]
