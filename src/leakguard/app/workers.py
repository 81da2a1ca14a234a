"""What runs inside a worker process, and the process-wide settings scanning wants.

Kept apart from the scheduler so that a spawned worker imports only this, the work items and the
engine (``leakguard.app`` itself imports its modes lazily).
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
from collections.abc import Iterator, Sequence
from typing import Any

from leakguard.app.work import ItemResult, Reader, ReaderSpec, WorkItem, scan_content
from leakguard.engine.matcher import Matcher

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


def init_worker(matcher_blob: bytes, reader: ReaderSpec) -> None:
    gc.set_threshold(*SCAN_GC_THRESHOLDS)
    _WORKER["matcher"] = pickle.loads(matcher_blob)
    _WORKER["reader"] = reader.open()


def scan_batch(items: Sequence[WorkItem], identify: bool) -> list[ItemResult]:
    matcher: Matcher = _WORKER["matcher"]
    reader: Reader = _WORKER["reader"]
    return [scan_content(item, data, matcher, identify=identify, extract=reader.extract)
            for item, data in reader.read(items)]


