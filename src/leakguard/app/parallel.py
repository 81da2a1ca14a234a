"""Scan work items on several cores, consult the cache first, and return results in item order.

First the parent resolves the cache: it finds each item's content id (a file is read and hashed,
a blob's id is already known) and takes cached results; only misses remain. Then the parent
starts scanning the misses itself. After a first measured stretch it estimates how long the rest
would take; when that is longer than starting workers costs (``POOL_WORTH_SECONDS``) and
``jobs`` allows, it starts ``jobs - 1`` worker processes and keeps scanning alongside them, so
their start-up overlaps useful work and small scans never pay for it. Each worker builds the
matcher once from its pickled form (so every start method works) and opens its own reader (files
now; a ``git cat-file --batch`` reader for history) and returns matches, never contents. At most
``IN_FLIGHT_PER_WORKER`` batches per worker are outstanding, so memory stays bounded, and results
are put back in item order, so the output is the same for any ``--jobs``.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import replace
from typing import Any

from leakguard.app.cacheuse import CacheUse
from leakguard.app.work import ItemResult, Reader, ReaderSpec, WorkItem, content_id, scan_content
from leakguard.engine.matcher import Matcher
from leakguard.model import Skipped

#: Start workers only when the parent alone would need longer than this for the rest.
POOL_WORTH_SECONDS = 0.75
#: What the parent scans before it estimates the rest.
PROBE_BYTES = 1024 * 1024
BATCH_BYTES = 1024 * 1024
BATCH_ITEMS = 256
PARENT_BATCH_BYTES = 256 * 1024
IN_FLIGHT_PER_WORKER = 2
LOOKUP_BATCH = 256
#: Contents read while resolving the cache are kept for the parent's own scanning up to this.
KEEP_READ_BYTES = 64 * 1024 * 1024


#: Cyclic garbage collection thresholds while scanning: results are acyclic, and a history holds
#: millions of match objects, whose default-threshold collections would cost a third of a
#: warm rescan.
SCAN_GC_THRESHOLDS = (50_000, 20, 20)


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    saved = gc.get_threshold()
    gc.set_threshold(*SCAN_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*saved)


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


# -- worker side ------------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(matcher_blob: bytes, reader: ReaderSpec) -> None:
    gc.set_threshold(*SCAN_GC_THRESHOLDS)
    _WORKER["matcher"] = pickle.loads(matcher_blob)
    _WORKER["reader"] = reader.open()


def _scan_batch(items: Sequence[WorkItem], identify: bool) -> list[ItemResult]:
    matcher: Matcher = _WORKER["matcher"]
    reader: Reader = _WORKER["reader"]
    return [scan_content(item, data, matcher, identify=identify) for item, data in reader.read(items)]


# -- parent side ------------------------------------------------------------------------------


def _chunks(items: Sequence[WorkItem], size: int) -> Iterator[Sequence[WorkItem]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


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
                 start_method: str = "spawn") -> None:
        self.matcher = matcher
        self.reader_spec = reader
        self.jobs = max(1, jobs)
        self.cache = cache
        self.progress = progress
        self.start_method = start_method
        self.results: dict[int, ItemResult] = {}
        self.pending: list[tuple[WorkItem, int]] = []
        self.kept: dict[int, bytes] = {}
        self.kept_bytes = 0
        self.pool: ProcessPoolExecutor | None = None
        self.futures: set[Future] = set()
        self.workers_started = 0

    def run(self, items: Sequence[WorkItem]) -> list[ItemResult]:
        with fewer_collections():
            return self._run(items)

    def _run(self, items: Sequence[WorkItem]) -> list[ItemResult]:
        local = self.reader_spec.open()
        try:
            for batch in _chunks(items, LOOKUP_BATCH):
                self._resolve(batch, local)
            self._scan(local)
            if self.cache is not None:
                self.cache.store([self.results[i.index] for i in items], items)
        finally:
            local.close()
            if self.pool is not None:
                self.pool.shutdown(wait=True, cancel_futures=True)
        return [self.results[item.index] for item in items]

    # -- resolving the cache -------------------------------------------------------------------

    def _resolve(self, batch: Sequence[WorkItem], local: Reader) -> None:
        """Cached results for the batch; the rest become pending misses."""
        if self.cache is None:
            self.pending.extend((item, _size(item)) for item in batch)
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
                self._finish(hits[item.index])
                continue
            data = self.kept.get(item.index)
            # A file is read again where it is scanned: forget the id read here, so a file
            # changed in between is cached under its new content, never under the old id.
            pending = item if item.origin.blob_id else replace(item, content_id=None)
            self.pending.append((pending, len(data) if data is not None else _size(item)))

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

    def _scan(self, local: Reader) -> None:
        pending = self.pending
        position = 0
        probe_bytes = 0
        probe_started = time.perf_counter()
        decided = self.jobs == 1
        while position < len(pending) or self.futures:
            self._collect([f for f in self.futures if f.done()])
            if self.pool is not None:
                position = self._feed(pending, position)
            if position < len(pending):
                end, size = self._take(pending, position, PARENT_BATCH_BYTES)
                self._scan_here(local, [item for item, _ in pending[position:end]])
                position = end
                probe_bytes += size
                if not decided and probe_bytes >= PROBE_BYTES:
                    decided = True
                    rate = probe_bytes / max(time.perf_counter() - probe_started, 1e-6)
                    left = sum(size for _, size in pending[position:])
                    if left / rate > POOL_WORTH_SECONDS:
                        self._start_pool()
            elif self.futures:
                self._collect(wait(self.futures, return_when=FIRST_COMPLETED).done)

    def _scan_here(self, local: Reader, items: list[WorkItem]) -> None:
        identify = self.cache is not None
        kept = [item for item in items if item.index in self.kept]
        for item in kept:
            self._finish(scan_content(item, self.kept.pop(item.index), self.matcher, identify=identify))
        rest = [item for item in items if item.index not in {k.index for k in kept}]
        for item, data in local.read(rest):
            self._finish(scan_content(item, data, self.matcher, identify=identify))

    @staticmethod
    def _take(pending: list[tuple[WorkItem, int]], position: int, limit: int) -> tuple[int, int]:
        end, size = position, 0
        while end < len(pending) and (end == position or size < limit) \
                and end - position < BATCH_ITEMS:
            size += pending[end][1]
            end += 1
        return end, size

    def _feed(self, pending: list[tuple[WorkItem, int]], position: int) -> int:
        """Keep every worker's queue full; returns the new position in ``pending``."""
        assert self.pool is not None
        while position < len(pending) and len(self.futures) < self.workers_started * IN_FLIGHT_PER_WORKER:
            end, _size = self._take(pending, position, BATCH_BYTES)
            batch = [item for item, _ in pending[position:end]]
            for item in batch:
                self.kept.pop(item.index, None)
            self.futures.add(self.pool.submit(_scan_batch, batch, self.cache is not None))
            position = end
        return position

    def _start_pool(self) -> None:
        workers = self.jobs - 1
        blob = pickle.dumps(self.matcher, protocol=pickle.HIGHEST_PROTOCOL)
        self.pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context(self.start_method),
            initializer=_init_worker, initargs=(blob, self.reader_spec))
        self.workers_started = workers

    def _collect(self, done: Iterable[Future]) -> None:
        for future in list(done):
            self.futures.discard(future)
            for result in future.result():
                self._finish(result)

    def _finish(self, result: ItemResult) -> None:
        self.results[result.index] = result
        self.progress(len(self.results))


def scan_work(items: Sequence[WorkItem], *, matcher: Matcher, reader: ReaderSpec, jobs: int,
              cache: CacheUse | None, progress: Callable[[int], None] | None = None,
              start_method: str = "spawn") -> list[ItemResult]:
    """Results for ``items`` in their order; see the module docstring."""
    scheduler = Scheduler(matcher=matcher, reader=reader, jobs=jobs or default_jobs(),
                          cache=cache, progress=progress or (lambda _done: None),
                          start_method=start_method)
    return scheduler.run(items)

