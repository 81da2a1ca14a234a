"""Scan work items on several cores, consult the cache first, and hand results out in item order.

The parent walks the items in order. With a cache it first finds each item's content id (a file
is read and hashed, a blob's id is already known) and takes cached results; only misses are
scanned. The parent starts scanning the misses itself; after a first measured stretch it
estimates how long the rest would take, and when that is longer than starting workers costs
(``POOL_WORTH_SECONDS``) and ``jobs`` allows, it starts ``jobs - 1`` worker processes and keeps
scanning alongside them, so their start-up overlaps useful work and small scans never pay for
it. Each worker builds the matcher once from its pickled form (so every start method works),
opens its own reader and returns matches, never contents.

Results are handed out in item order as soon as each is ready (``iter_results``), so the output
is the same for any ``--jobs`` and a consumer that folds them as they come keeps memory bounded:
only ``MAX_AHEAD`` results (``MAX_AHEAD_BYTES``), ``BACKLOG_BYTES`` of known misses
and ``IN_FLIGHT_PER_WORKER`` batches per worker wait at any time. New results are sealed for the
cache as they are handed out and written in batches.

The git modes plug in with work items ``WorkItem(i, Origin(path, OriginKind.BLOB, blob_id),
source=blob_id, content_id=blob_id, size=size)`` in pack order and a ``ReaderSpec`` whose reader
streams each batch through the worker's own long-lived ``git cat-file --batch``
(``app/blobwork.py``): cached blobs are then never read at all.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import replace

from leakguard.app.cache import CachedRow
from leakguard.app.cacheuse import CacheUse
from leakguard.app.work import ItemResult, Reader, ReaderSpec, WorkItem, content_id, scan_content
from leakguard.app.workers import (
    default_jobs,
    fewer_collections,
    fork_usable,
    init_worker,
    reap_at_exit,
    scan_batch,
    sigint_ignored_by_children,
    unpack,
    warm_up,
)
from leakguard.app.workers import start_method as worker_start_method
from leakguard.engine.matcher import Matcher
from leakguard.model import Skipped
from leakguard.sources.extract.detect import slow_to_scan

#: Start workers only when the parent alone would need longer than this for the rest.
POOL_WORTH_SECONDS = 0.75
#: What the parent scans before it estimates the rest.
PROBE_BYTES = 1024 * 1024
#: Misses known (or, from the lookups so far, expected) to hold at least this much start the
#: workers at once, without a probe: at the 80-230 MB/s a core scans, that is 0.07-0.2 s of
#: work, more than a worker forked from the warm server needs to start (sympy's tree, 33 MB:
#: 0.82 s -> 0.75 s; its history gained a second).
POOL_AT_ONCE_BYTES = 16 * 1024 * 1024
BATCH_BYTES = 1024 * 1024
BATCH_ITEMS = 256
PARENT_BATCH_BYTES = 256 * 1024
#: With much work known to be left, batches grow to this share of it (a worker's) or a quarter
#: of that (the parent's), up to ``BIG_BATCH_BYTES``, and shrink again towards the end.
#: Each git reader then reads long runs in storage order, where the bases of its deltas are in
#: its own cache: sympy's history (4.6 GB) took 17.6 s instead of 19.1 s, git and scanning both
#: spending less CPU; a tree (tens of MB) keeps the small batches.
BATCHES_PER_JOB = 16
BIG_BATCH_BYTES = 8 * 1024 * 1024
IN_FLIGHT_PER_WORKER = 4
LOOKUP_BATCH = 256
#: Results (and their matches) waiting for an earlier item before they can be handed out, at most.
MAX_AHEAD = 32768
MAX_AHEAD_BYTES = 32 * 1024 * 1024
#: Misses known ahead of the scanning, at most (enough to keep every worker busy).
BACKLOG_BYTES = 32 * 1024 * 1024
#: Contents read while resolving the cache are kept for the parent's own scanning up to this.
KEEP_READ_BYTES = 64 * 1024 * 1024


#: What one match object costs in memory, roughly, to weigh results against cached rows.
MATCH_BYTES = 600


def _weight(entry: ItemResult | CachedRow) -> int:
    return len(entry.matches) * MATCH_BYTES if isinstance(entry, ItemResult) else entry.weight


def _size(item: WorkItem) -> int:
    if item.size is not None:
        return item.size
    try:
        return os.stat(item.source).st_size
    except OSError:
        return 0


class Scheduler:
    """One run over a list of work items; ``run`` returns the results in item order."""

    def __init__(self, *, matcher: Matcher, reader: ReaderSpec, jobs: int,
                 cache: CacheUse | None, progress: Callable[[int], None],
                 start_method: str | None = None) -> None:
        self.matcher = matcher
        self.reader_spec = reader
        self.jobs = max(1, jobs)
        self.cache = cache
        self.progress = progress
        self.start_method = start_method or worker_start_method()
        self.results: dict[int, ItemResult | CachedRow] = {}
        self.pending: list[tuple[WorkItem, int]] = []
        #: Misses that are slow to scan (``slow_to_scan``): workers take them first, the parent
        #: only when it has nothing else, so it never leaves the workers unfed for seconds.
        self.slow: deque[tuple[WorkItem, int]] = deque()
        self.pending_bytes = 0
        self.taken_bytes = 0
        #: What all the items hold and how many they are (``expect``), 0 if unknown.
        self.total_bytes = 0
        self.total_items = 0
        self.hits = 0
        self.misses = 0
        self.done = 0
        self.decided = self.jobs == 1
        self.probe_bytes = 0
        self.probe_started: float | None = None
        self.held_bytes = 0
        self.kept: dict[int, bytes] = {}
        self.kept_bytes = 0
        self.pool: ProcessPoolExecutor | None = None
        self.futures: set[Future] = set()
        #: Each future's batch, to rebuild the results workers send packed (``unpack``).
        self.batches: dict[Future, list[WorkItem]] = {}
        self.workers_started = 0

    def start_workers(self, expected_bytes: int) -> None:
        """Start the workers before the items are handed over, when ``expected_bytes`` of misses
        are sure to come (``POOL_AT_ONCE_BYTES``): their start then overlaps the caller's
        building of the items (0.27 s for sympy's 121,781 blobs)."""
        if not self.decided and expected_bytes >= POOL_AT_ONCE_BYTES:
            self.decided = True
            self._start_pool()

    def expect(self, total_bytes: int, total_items: int) -> None:
        """The items to come hold about ``total_bytes`` in all (a history's listed blobs): with
        the share the cache lookups so far have missed, that tells how much scanning is left
        before the items are resolved (``_batch_bytes``)."""
        self.total_bytes, self.total_items = total_bytes, total_items

    def close(self) -> None:
        """Stop the workers if ``iter_results`` has not (it was never run, or not to the end)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def run(self, items: Sequence[WorkItem]) -> list[ItemResult]:
        return list(self.iter_results(items))

    def iter_results(self, items: Sequence[WorkItem]) -> Iterator[ItemResult]:
        """Results in item order, as soon as each is ready (scanning goes on as they are consumed).

        Only a bounded window of results waits here (``MAX_AHEAD`` items, plus what is in
        flight), so a consumer that folds results as they come keeps memory bounded.
        """
        with fewer_collections():
            local = self.reader_spec.open()
            try:
                yield from self._stream(items, local)
                self._flush()
            finally:
                local.close()
                self.close()

    def _stream(self, items: Sequence[WorkItem], local: Reader) -> Iterator[ItemResult]:
        position = 0  # next pending miss to hand out
        resolved = 0  # items whose cache lookup is done
        cursor = 0  # next item to yield
        while cursor < len(items):
            while resolved < len(items) and len(self.results) < MAX_AHEAD \
                    and self.held_bytes < MAX_AHEAD_BYTES \
                    and self._backlog(position) < BACKLOG_BYTES:
                batch = items[resolved:resolved + LOOKUP_BATCH]
                self._resolve(batch, local)
                resolved += len(batch)
            if position < len(self.pending) or self.slow or self.futures:
                position = self._scan_step(local, position, items, resolved)
            while cursor < len(items) and items[cursor].index in self.results:
                item = items[cursor]
                result = self._hand_out(self.results.pop(item.index), item, local)
                cursor += 1
                yield result

    def _backlog(self, position: int) -> int:
        return self.pending_bytes - self.taken_bytes

    # -- resolving the cache -------------------------------------------------------------------

    def _resolve(self, batch: Sequence[WorkItem], local: Reader) -> None:
        """Cached results for the batch; the rest become pending misses."""
        if self.cache is None:
            for item in batch:
                self._pend(item, _size(item))
            return
        identified: list[WorkItem] = []
        for item, data in self._identify(batch, local):
            if isinstance(data, Skipped):
                self._finish(ItemResult(item.index, (data,)))
            else:
                identified.append(item)
        hits = self.cache.lookup(identified)
        for item in identified:
            if item.index in hits:
                self.hits += 1
                self._finish(hits[item.index], item.index)
                continue
            data = self.kept.get(item.index)
            # A file is read again where it is scanned: forget the id read here, so a file
            # changed in between is cached under its new content, never under the old id.
            pending = item if item.origin.blob_id else replace(item, content_id=None)
            self._pend(pending, len(data) if data is not None else _size(item))

    def _pend(self, item: WorkItem, size: int) -> None:
        self.misses += 1
        if slow_to_scan(item.origin.path, size):
            self.slow.append((item, size))
        else:
            self.pending.append((item, size))
        self.pending_bytes += size

    def _identify(self, batch: Sequence[WorkItem], local: Reader
                  ) -> Iterator[tuple[WorkItem, bytes | Skipped | None]]:
        """Items with their content id set: known ids as they are, others read and hashed."""
        unknown = [item for item in batch if item.content_id is None]
        read = dict((item.index, data) for item, data in local.read(unknown)) if unknown else {}
        for item in batch:
            data = read.get(item.index)
            if not isinstance(data, bytes):
                yield item, data
                continue
            if self.kept_bytes + len(data) <= KEEP_READ_BYTES:
                self.kept[item.index] = data
                self.kept_bytes += len(data)
            yield replace(item, content_id=content_id(data)), data

    # -- scanning ------------------------------------------------------------------------------

    def _scan_step(self, local: Reader, position: int, items: Sequence[WorkItem],
                   resolved: int) -> int:
        """Scan one parent batch (keeping workers fed), or wait for a worker; new position."""
        self._collect([f for f in self.futures if f.done()])
        if self.probe_started is None and not self.decided \
                and self._left(position, items[resolved:]) >= POOL_AT_ONCE_BYTES:
            self.decided = True  # so much to scan that workers pay off whatever the probe says
            self._start_pool()
        if self.pool is not None:
            position = self._feed(position)
        if position < len(self.pending) and (self.pool is not None or not self.slow):
            end, size = self._take(position, self._batch_bytes(PARENT_BATCH_BYTES, 4))
            batch = [item for item, _ in self.pending[position:end]]
        elif self.slow:
            item, size = self._take_slow()
            end, batch = position, [item]
        else:
            end, batch = position, []
        if batch:
            if self.probe_started is None:
                self.probe_started = time.perf_counter()
            self._scan_here(local, batch)
            if not self.decided:
                self._probe(size, end, items[resolved:])
            return end
        if self.futures:
            self._collect(wait(self.futures, return_when=FIRST_COMPLETED).done)
        return position

    def _probe(self, size: int, position: int, unresolved: Sequence[WorkItem]) -> None:
        """After the first ``PROBE_BYTES``, start workers if the rest looks long enough."""
        self.probe_bytes += size
        if self.probe_bytes < PROBE_BYTES:
            return
        self.decided = True
        assert self.probe_started is not None
        rate = self.probe_bytes / max(time.perf_counter() - self.probe_started, 1e-6)
        if self._left(position, unresolved) / rate > POOL_WORTH_SECONDS:
            self._start_pool()

    def _left(self, position: int, unresolved: Sequence[WorkItem]) -> float:
        """The bytes still to scan from ``position`` on: the known misses, and the share of the
        unresolved items' bytes that the lookups so far say will miss."""
        waiting = sum(size for _, size in self.pending[position:]) \
            + sum(size for _, size in self.slow)
        return waiting + self._miss_share() * sum(map(_size, unresolved))

    def _miss_share(self) -> float:
        """The share of the cache lookups so far that missed (all, before the first)."""
        resolved = self.misses + self.hits
        return self.misses / resolved if resolved else 1.0

    def _scan_here(self, local: Reader, items: list[WorkItem]) -> None:
        """Scan a batch in this process, using contents already read while resolving the cache."""
        identify = self.cache is not None
        rest = []
        for item in items:
            data = self.kept.pop(item.index, None)
            if data is None:
                rest.append(item)
            else:
                self._finish(scan_content(item, data, self.matcher, identify=identify,
                                          extract=local.extract))
        for item, read in local.read(rest):
            self._finish(scan_content(item, read, self.matcher, identify=identify,
                                      extract=local.extract))

    def _batch_bytes(self, smallest: int, fraction: int) -> int:
        """How much the next batch takes: ``smallest``, or more while much work is left
        (``BATCHES_PER_JOB``); the parent's batches are a ``fraction`` of a worker's."""
        left = self.pending_bytes - self.taken_bytes
        resolved = self.hits + self.misses
        if self.total_items > resolved:
            unresolved = (self.total_items - resolved) / self.total_items
            left += int(self.total_bytes * unresolved * self._miss_share())
        share = left // (self.jobs * BATCHES_PER_JOB * fraction)
        return max(smallest, min(share, BIG_BATCH_BYTES // fraction))

    def _take(self, position: int, limit: int) -> tuple[int, int]:
        """The end of the next batch of pending misses from ``position``, and its size (items
        at most ``BATCH_ITEMS`` per ``BATCH_BYTES`` of ``limit``)."""
        pending = self.pending
        end, size = position, 0
        items = BATCH_ITEMS * max(1, limit // BATCH_BYTES)
        while end < len(pending) and (end == position or size < limit) \
                and end - position < items:
            size += pending[end][1]
            end += 1
        self.taken_bytes += size
        return end, size

    def _take_slow(self) -> tuple[WorkItem, int]:
        """The first slow miss and its size, taken."""
        item, size = self.slow.popleft()
        self.taken_bytes += size
        return item, size

    def _feed(self, position: int) -> int:
        """Keep every worker's queue full, slow misses first, one to a batch; returns the new
        position in ``pending``."""
        assert self.pool is not None
        while (position < len(self.pending) or self.slow) \
                and len(self.futures) < self.workers_started * IN_FLIGHT_PER_WORKER:
            if self.slow:
                batch = [self._take_slow()[0]]
            else:
                end, _size = self._take(position, self._batch_bytes(BATCH_BYTES, 1))
                batch = [item for item, _ in self.pending[position:end]]
                position = end
            for item in batch:
                self.kept.pop(item.index, None)
            future = self.pool.submit(scan_batch, batch, self.cache is not None)
            self.futures.add(future)
            self.batches[future] = batch
        return position

    def _start_pool(self) -> None:
        """Start ``jobs - 1`` workers now, ignoring Ctrl-C: the parent alone handles it (it stops
        handing out work and shuts the pool down), so workers never print tracebacks."""
        workers = self.jobs - 1
        if self.start_method == "fork" and not fork_usable():  # a thread started since
            self.start_method = worker_start_method()
        if self.start_method == "forkserver":
            warm_up(self.jobs)  # the server, if the scan did not start it
            self.start_method = worker_start_method()  # spawn if the server could not start
            if self.start_method == "forkserver":
                reap_at_exit()
        if self.start_method == "fork":  # the child has the matcher and the environment
            initargs: tuple = (self.matcher, self.reader_spec, None)
        else:
            initargs = (pickle.dumps(self.matcher, protocol=pickle.HIGHEST_PROTOCOL),
                        self.reader_spec, dict(os.environ))
        with sigint_ignored_by_children():
            self.pool = ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context(self.start_method),
                initializer=init_worker, initargs=initargs)
            for _ in range(workers):  # each submit starts one process while SIGINT is ignored
                self.pool.submit(os.getpid)
        self.workers_started = workers

    def _collect(self, done: Iterable[Future]) -> None:
        for future in list(done):
            self.futures.discard(future)
            batch = self.batches.pop(future)
            for item, packed in zip(batch, future.result(), strict=True):
                self._finish(unpack(item, packed))

    def _finish(self, result: ItemResult | CachedRow, index: int | None = None) -> None:
        self.results[result.index if isinstance(result, ItemResult) else index] = result
        self.held_bytes += _weight(result)
        self.done += 1
        self.progress(self.done)

    def _hand_out(self, entry: ItemResult | CachedRow, item: WorkItem, local: Reader) -> ItemResult:
        """The result to yield: a cache row is decoded only now; fresh results go to the cache."""
        self.held_bytes -= _weight(entry)
        if isinstance(entry, ItemResult):
            if self.cache is not None:
                self.cache.add(entry, item)
            return entry
        decoded = self.cache.decode(item, entry) if self.cache is not None else None
        if decoded is not None:
            return decoded
        # The cache failed after this row was looked up: scan the item after all.
        for read_item, data in local.read([replace(item, content_id=None)]):
            return scan_content(read_item, data, self.matcher, extract=local.extract)
        raise AssertionError("the reader returned nothing")

    def _flush(self) -> None:
        if self.cache is not None:
            self.cache.flush()


def scan_work(items: Sequence[WorkItem], *, matcher: Matcher, reader: ReaderSpec, jobs: int,
              cache: CacheUse | None, progress: Callable[[int], None] | None = None,
              start_method: str | None = None) -> list[ItemResult]:
    """Results for ``items`` in their order; see the module docstring."""
    scheduler = Scheduler(matcher=matcher, reader=reader, jobs=jobs or default_jobs(),
                          cache=cache, progress=progress or (lambda _done: None),
                          start_method=start_method)
    return scheduler.run(items)

