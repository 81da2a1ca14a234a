"""Several worker processes give exactly the findings one process gives."""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

import leakguard.app.parallel as parallel
from leakguard.app import ScanRequest, run_scan
from leakguard.app.work import FileReaderSpec, WorkItem
from leakguard.engine.selection import EngineChoice, build_matcher
from leakguard.model import Origin
from leakguard.rules.loader import load_ruleset
from tests.helpers import ruleset_from_yaml
from tests.perf.scenario import EXTRA_RULES, comparable, plant


def _tree(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "tree"
    plant(root)
    for n in range(12):
        (root / "more" / f"file{n}.py").parent.mkdir(parents=True, exist_ok=True)
        (root / "more" / f"file{n}.py").write_text(f"password = 'FAKE-{n:04d}-x7Q!z9Lm'\n" * 3)
    rules = tmp_path / "extra.yaml"
    rules.write_text(EXTRA_RULES, encoding="utf-8")
    return root, rules


def _file_items(root: Path, *, relative: bool = False) -> list[WorkItem]:
    """A work item per file under ``root``, its source absolute or relative to ``root``."""
    files = sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())
    return [WorkItem(i, Origin(p.as_posix()), str(p if relative else root / p))
            for i, p in enumerate(files)]


def _scheduler(matcher: object, reader: object, *, jobs: int) -> parallel.Scheduler:
    return parallel.Scheduler(matcher=matcher, reader=reader, jobs=jobs,  # type: ignore[arg-type]
                              cache=None, progress=lambda _done: None)


@pytest.mark.usefixtures("eager_pool")
@pytest.mark.parametrize("engine", [EngineChoice.HYPERSCAN, EngineChoice.REGEX])
def test_reports_are_identical_for_one_and_three_jobs(tmp_path: Path, engine: EngineChoice) -> None:
    pytest.importorskip("hyperscan") if engine is EngineChoice.HYPERSCAN else None
    root, rules = _tree(tmp_path)

    def scan(jobs: int) -> object:
        return comparable(run_scan(ScanRequest(targets=(str(root),), rule_paths=(rules,), jobs=jobs,
                                               use_cache=False, engine=engine, show_secrets=True)))

    single = scan(1)
    assert scan(3) == single
    assert len(single.findings) > 12  # type: ignore[attr-defined]


@pytest.mark.usefixtures("eager_pool")
def test_workers_really_scan_and_results_keep_item_order(tmp_path: Path) -> None:
    root, _rules = _tree(tmp_path)
    items = _file_items(root)
    matcher, _ = build_matcher(load_ruleset(), engine=EngineChoice.AUTO)
    scheduler = _scheduler(matcher, FileReaderSpec(10 ** 6), jobs=3)
    results = scheduler.run(items)
    assert scheduler.workers_started == 2
    assert [r.index for r in results] == list(range(len(items)))
    alone = parallel.scan_work(items, matcher=matcher, reader=FileReaderSpec(10 ** 6), jobs=1,
                               cache=None)
    assert results == alone


def test_results_stream_out_in_order_with_a_bounded_window(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(parallel, "MAX_AHEAD", 3)
    monkeypatch.setattr(parallel, "BACKLOG_BYTES", 1)
    monkeypatch.setattr(parallel, "PARENT_BATCH_BYTES", 1)
    root, _rules = _tree(tmp_path)
    items = _file_items(root)
    matcher, _ = build_matcher(load_ruleset(), engine=EngineChoice.AUTO)
    scheduler = _scheduler(matcher, FileReaderSpec(10 ** 6), jobs=1)
    seen = []
    done_at_first = None
    for result in scheduler.iter_results(items):
        assert len(scheduler.results) <= 3, "results piled up instead of streaming out"
        if done_at_first is None:
            done_at_first = scheduler.done
        seen.append(result.index)
    assert seen == list(range(len(items)))
    assert done_at_first is not None and done_at_first < len(items) - 5
    assert scheduler.done == len(items) > 10


@pytest.mark.usefixtures("eager_pool")
def test_workers_from_a_fork_server_started_earlier_see_the_callers_directory_and_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fork server keeps the environment it started with; workers forked from it must
    read with the environment and directory the scan runs with now."""
    from leakguard.app import workers

    if workers.start_method() != "forkserver":
        pytest.skip("no fork server on this platform")
    workers.warm_up(3)
    root, _rules = _tree(tmp_path)
    monkeypatch.chdir(root)
    monkeypatch.setenv("LEAKGUARD_TEST_MARK", "FAKE-set-after-the-server-started")
    items = _file_items(root, relative=True)
    matcher, _ = build_matcher(ruleset_from_yaml(MARK_RULE), engine=EngineChoice.REGEX)
    scheduler = _scheduler(matcher, EnvironmentReaderSpec(), jobs=3)
    assert scheduler.start_method == "forkserver"
    results = scheduler.run(items)
    assert scheduler.workers_started == 2
    seen = [m.secret.split("|") for r in results for m in r.matches]
    assert len(seen) == len(items)
    assert {(mark, cwd) for mark, _pid, cwd in seen} == \
        {("FAKE-set-after-the-server-started", str(root))}
    assert len({pid for _mark, pid, _cwd in seen}) > 1  # the workers read some of them


MARK_RULE = """
rules:
  - id: test.mark
    name: Environment mark
    description: What a worker saw.
    category: credential
    level: restricted
    pattern: 'mark=(?P<secret>\\S+)'
"""


@dataclass(frozen=True)
class EnvironmentReaderSpec:
    """Hands each item the reading process's view: the test variable, its pid, its directory."""

    def open(self) -> EnvironmentReader:
        return EnvironmentReader()


class EnvironmentReader:
    extract = None

    def read(self, items: Sequence[WorkItem]) -> Iterator[tuple[WorkItem, bytes]]:
        seen = f"{os.environ.get('LEAKGUARD_TEST_MARK')}|{os.getpid()}|{os.getcwd()}"
        for item in items:
            yield item, f"mark={seen}\n".encode()

    def close(self) -> None:
        return None


def test_a_worker_takes_the_environment_it_is_handed(monkeypatch: pytest.MonkeyPatch) -> None:
    from leakguard.app import workers

    matcher, _ = build_matcher(load_ruleset(), engine=EngineChoice.REGEX)
    saved = dict(os.environ)
    try:
        handed = {**saved, "LEAKGUARD_TEST_MARK": "handed"}
        handed.pop("HOME", None)
        workers.init_worker(pickle.dumps(matcher), FileReaderSpec(10), handed)
        assert os.environ.get("LEAKGUARD_TEST_MARK") == "handed" and "HOME" not in os.environ
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.mark.usefixtures("eager_pool")
def test_workers_are_spawned_when_no_fork_server_can_start(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from multiprocessing import forkserver

    from leakguard.app import workers

    if workers.start_method() != "forkserver":
        pytest.skip("no fork server on this platform")

    def refuse() -> None:
        raise OSError("no folder for the server's socket")

    monkeypatch.setattr(forkserver, "ensure_running", refuse)
    monkeypatch.setattr(workers, "_UNUSABLE", [])
    root, _rules = _tree(tmp_path)
    items = _file_items(root)
    matcher, _ = build_matcher(load_ruleset(), engine=EngineChoice.AUTO)
    scheduler = _scheduler(matcher, FileReaderSpec(10 ** 6), jobs=3)
    results = scheduler.run(items)
    assert scheduler.start_method == "spawn" and scheduler.workers_started == 2
    assert workers._UNUSABLE and "socket" in workers._UNUSABLE[0]
    assert results == parallel.scan_work(items, matcher=matcher, reader=FileReaderSpec(10 ** 6),
                                         jobs=1, cache=None)


def _slow_tree(tmp_path: Path) -> tuple[Path, set[str]]:
    """The scenario tree plus three large SVGs (extracted, so slow to scan), one with a secret."""
    root, _rules = _tree(tmp_path)
    shapes = "".join(f'<rect x="{n}" y="{n}" width="4" height="4"/>\n' for n in range(3000))
    slow = set()
    for n in range(3):
        path = root / "art" / f"figure{n}.svg"
        path.parent.mkdir(parents=True, exist_ok=True)
        secret = f"<text>password = 'FAKE-{n:04d}-x7Q!z9Lm'</text>\n" if n == 1 else ""
        path.write_text(f"<svg>\n{shapes}{secret}</svg>\n", encoding="utf-8")
        slow.add(path.relative_to(root).as_posix())
    return root, slow


def _sized(items: list[WorkItem]) -> list[WorkItem]:
    return [replace(item, size=os.stat(item.source).st_size) for item in items]


@pytest.mark.usefixtures("eager_pool")
def test_slow_items_go_to_the_workers_and_results_keep_their_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A parent busy with one slow item cannot feed the workers: with workers, it leaves the
    items ``slow_to_scan`` names to them, and what comes out is what one process gives."""
    from leakguard.sources.extract.detect import slow_to_scan

    root, slow = _slow_tree(tmp_path)
    items = _sized(_file_items(root))
    assert {i.origin.path for i in items if slow_to_scan(i.origin.path, i.size or 0)} == slow
    matcher, _ = build_matcher(load_ruleset(), engine=EngineChoice.AUTO)
    here: list[str] = []
    scan_here = parallel.Scheduler._scan_here

    def recorded(self: parallel.Scheduler, local: object, batch: list[WorkItem]) -> None:
        here.extend(item.origin.path for item in batch)
        scan_here(self, local, batch)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel.Scheduler, "_scan_here", recorded)
    scheduler = _scheduler(matcher, FileReaderSpec(10 ** 6), jobs=2)
    results = scheduler.run(items)
    assert scheduler.workers_started == 1
    assert here and not slow & set(here)
    alone = _scheduler(matcher, FileReaderSpec(10 ** 6), jobs=1).run(items)
    assert results == alone
    assert any(m.origin.path.startswith("art/figure1.svg") for r in results for m in r.matches)


def test_much_work_starts_the_workers_without_a_probe(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """``POOL_AT_ONCE_BYTES`` of work starts the workers before the parent scans anything;
    less work is probed first, as before."""
    root, _rules = _tree(tmp_path)
    items = _sized(_file_items(root))
    total = sum(item.size or 0 for item in items)
    matcher, _ = build_matcher(load_ruleset(), engine=EngineChoice.AUTO)
    started: list[int] = []
    start_pool = parallel.Scheduler._start_pool

    def recorded(self: parallel.Scheduler) -> None:
        started.append(self.done)
        start_pool(self)

    monkeypatch.setattr(parallel.Scheduler, "_start_pool", recorded)
    monkeypatch.setattr(parallel, "POOL_AT_ONCE_BYTES", total)
    scheduler = _scheduler(matcher, FileReaderSpec(10 ** 6), jobs=2)
    results = scheduler.run(items)
    assert started == [0] and scheduler.workers_started == 1  # nothing scanned before
    monkeypatch.setattr(parallel, "POOL_AT_ONCE_BYTES", total + 1)
    monkeypatch.setattr(parallel, "PROBE_BYTES", 1)
    started.clear()
    probed = _scheduler(matcher, FileReaderSpec(10 ** 6), jobs=2)
    assert probed.run(items) == results
    assert not started or started[0] > 0  # decided by the probe, after a first batch



def test_workers_started_ahead_of_the_items_scan_them_alike(tmp_path: Path) -> None:
    """A caller sure of much work (history, no cache) starts the workers before building its
    items; the results are those of one process, and an unused pool is stopped by ``close``."""
    root, _rules = _tree(tmp_path)
    items = _file_items(root)
    matcher, _ = build_matcher(load_ruleset(), engine=EngineChoice.AUTO)
    ahead = _scheduler(matcher, FileReaderSpec(10 ** 6), jobs=2)
    ahead.start_workers(parallel.POOL_AT_ONCE_BYTES - 1)
    assert ahead.pool is None  # too little to be sure of
    ahead.start_workers(parallel.POOL_AT_ONCE_BYTES)
    assert ahead.pool is not None and ahead.workers_started == 1
    assert ahead.run(items) == _scheduler(matcher, FileReaderSpec(10 ** 6), jobs=1).run(items)
    assert ahead.pool is None
    unused = _scheduler(matcher, FileReaderSpec(10 ** 6), jobs=2)
    unused.start_workers(parallel.POOL_AT_ONCE_BYTES)
    pool = unused.pool
    unused.close()
    assert unused.pool is None and pool is not None and pool._shutdown_thread
    alone = _scheduler(matcher, FileReaderSpec(10 ** 6), jobs=1)
    alone.start_workers(10 ** 12)
    assert alone.pool is None  # one job: nothing to start


@pytest.mark.usefixtures("eager_pool")
def test_a_tree_scan_forks_its_workers_from_itself_where_that_is_safe(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On Linux, with no other thread, a tree scan's workers are plain forks holding the
    parent's matcher: nothing is pickled and no fork server runs. The findings are those of
    one process."""
    import sys
    import threading

    from leakguard.app import workers

    if not sys.platform.startswith("linux") or threading.active_count() != 1:
        pytest.skip("plain forks are used on Linux, from a process with one thread")
    assert workers.fork_usable()
    methods: list[str] = []
    start_pool = parallel.Scheduler._start_pool

    def recorded(self: parallel.Scheduler) -> None:
        start_pool(self)
        methods.append(self.start_method)

    def no_pickling(*_args: object, **_kwargs: object) -> bytes:
        raise AssertionError("a forked worker needs no pickled matcher")

    monkeypatch.setattr(parallel.Scheduler, "_start_pool", recorded)
    root, rules = _tree(tmp_path)

    def scan(jobs: int) -> object:
        return comparable(run_scan(ScanRequest(targets=(str(root),), rule_paths=(rules,),
                                               jobs=jobs, use_cache=False, show_secrets=True)))

    single = scan(1)
    monkeypatch.setattr(parallel.pickle, "dumps", no_pickling)
    assert scan(3) == single
    assert methods == ["fork"]


@pytest.mark.usefixtures("eager_pool")
def test_with_another_thread_running_workers_come_from_the_fork_server(tmp_path: Path) -> None:
    """A thread (a progress display's, say) may hold a lock a fork would inherit taken: then
    the scheduler asked to fork uses the fork server, and the results are the same."""
    import threading

    from leakguard.app import workers

    if workers.start_method() != "forkserver":
        pytest.skip("no fork server on this platform")
    root, _rules = _tree(tmp_path)
    items = _file_items(root)
    matcher, _ = build_matcher(load_ruleset(), engine=EngineChoice.AUTO)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not workers.fork_usable()
        scheduler = parallel.Scheduler(matcher=matcher, reader=FileReaderSpec(10 ** 6), jobs=2,
                                       cache=None, progress=lambda _done: None,
                                       start_method="fork")
        results = scheduler.run(items)
    finally:
        stop.set()
        other.join()
    assert scheduler.start_method == "forkserver" and scheduler.workers_started == 1
    assert results == _scheduler(matcher, FileReaderSpec(10 ** 6), jobs=1).run(items)


def test_plain_results_travel_packed_and_come_back_equal(tmp_path: Path) -> None:
    """A worker sends "scanned whole, nothing found" as three values; the parent rebuilds a
    result equal to the one the worker made. Anything else travels as it is."""
    from leakguard.app.work import ChunkDone, ItemResult, scan_content
    from leakguard.app.workers import pack, unpack

    root, _rules = _tree(tmp_path)
    items = _file_items(root)
    matcher, _ = build_matcher(load_ruleset(), engine=EngineChoice.AUTO)
    packed_kinds = set()
    for item in items:
        result = scan_content(item, Path(item.source).read_bytes(), matcher, identify=True)
        packed = pack(item, result)
        packed_kinds.add(type(packed))
        assert unpack(item, packed) == result
        if result.matches:
            assert packed is result
    assert packed_kinds == {tuple, ItemResult}  # the tree has both kinds
    other = items[1]
    with pytest.raises(ValueError, match="in the place of"):
        unpack(other, (items[0].index, 1, None))
    timed_out = ItemResult(items[0].index, (ChunkDone(items[0].origin, 5, ("a.rule",)),))
    assert pack(items[0], timed_out) is timed_out


def test_batches_grow_with_the_work_known_to_be_left_and_shrink_at_the_end() -> None:
    """Long runs of a history's blobs per batch keep each git reader in storage order; a tree's
    few megabytes keep the small batches, and so does the end of any scan."""
    mb = 1024 * 1024
    scheduler = _scheduler(object(), object(), jobs=2)
    assert scheduler._batch_bytes(parallel.BATCH_BYTES, 1) == parallel.BATCH_BYTES
    assert scheduler._batch_bytes(parallel.PARENT_BATCH_BYTES, 4) == parallel.PARENT_BATCH_BYTES
    scheduler.expect(4096 * mb, 100_000)  # a history's blobs, none resolved yet
    assert scheduler._batch_bytes(parallel.BATCH_BYTES, 1) == parallel.BIG_BATCH_BYTES
    assert scheduler._batch_bytes(parallel.PARENT_BATCH_BYTES, 4) == parallel.BIG_BATCH_BYTES // 4
    scheduler.misses = 100_000 - 2000  # nearly all resolved, all of them misses
    scheduler.pending_bytes = 4000 * mb
    scheduler.taken_bytes = scheduler.pending_bytes - 16 * mb
    assert parallel.BATCH_BYTES < scheduler._batch_bytes(parallel.BATCH_BYTES, 1) \
        < parallel.BIG_BATCH_BYTES
    scheduler.misses, scheduler.taken_bytes = 100_000, scheduler.pending_bytes - mb
    assert scheduler._batch_bytes(parallel.BATCH_BYTES, 1) == parallel.BATCH_BYTES
    warm = _scheduler(object(), object(), jobs=2)  # the cache holds nearly every blob
    warm.expect(4096 * mb, 100_000)
    warm.hits, warm.misses, warm.pending_bytes = 5000, 5, 5 * mb
    assert warm._batch_bytes(parallel.BATCH_BYTES, 1) == parallel.BATCH_BYTES
    tree = _scheduler(object(), object(), jobs=2)
    tree.pending_bytes = 30 * mb
    assert tree._batch_bytes(parallel.BATCH_BYTES, 1) == parallel.BATCH_BYTES
    assert tree._batch_bytes(parallel.PARENT_BATCH_BYTES, 4) == parallel.PARENT_BATCH_BYTES


@pytest.mark.usefixtures("eager_pool")
def test_large_batches_give_the_results_of_one_process(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    root, _rules = _tree(tmp_path)
    items = _sized(_file_items(root))
    total = sum(item.size or 0 for item in items)
    monkeypatch.setattr(parallel, "BATCH_BYTES", 1)
    monkeypatch.setattr(parallel, "PARENT_BATCH_BYTES", 1)
    monkeypatch.setattr(parallel, "BATCH_ITEMS", 1)
    monkeypatch.setattr(parallel, "BIG_BATCH_BYTES", total)
    monkeypatch.setattr(parallel, "POOL_AT_ONCE_BYTES", 1)
    taken: list[int] = []
    take = parallel.Scheduler._take

    def recorded(self: parallel.Scheduler, position: int, limit: int) -> tuple[int, int]:
        end, size = take(self, position, limit)
        taken.append(end - position)
        return end, size

    monkeypatch.setattr(parallel.Scheduler, "_take", recorded)
    matcher, _ = build_matcher(load_ruleset(), engine=EngineChoice.AUTO)
    scheduler = _scheduler(matcher, FileReaderSpec(10 ** 6), jobs=2)
    scheduler.expect(total, len(items))
    scheduler.start_workers(total)
    results = scheduler.run(items)
    assert max(taken) > 1 and taken[-1] == 1  # long batches first, single items at the end
    assert results == _scheduler(matcher, FileReaderSpec(10 ** 6), jobs=1).run(items)
