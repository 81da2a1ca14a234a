"""What runs inside a worker process, and the process-wide settings scanning wants.

Kept apart from the scheduler so that a spawned worker imports only this, the work items and the
engine (``leakguard.app`` itself imports its modes lazily).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import multiprocessing
import os
import pickle
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from typing import Any

from leakguard.app.work import ChunkDone, ItemResult, Reader, ReaderSpec, WorkItem, scan_content
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


# -- starting workers -------------------------------------------------------------------------

@contextlib.contextmanager
def sigint_ignored_by_children() -> Iterator[None]:
    """Ignore SIGINT while child processes start: they keep ignoring it after exec."""
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


#: What the fork server imports once, so that each worker forked from it starts scanning at once.
PRELOAD = ["leakguard.app.workers", "leakguard.engine.multipattern", "leakguard.app.cacheuse",
           "hyperscan", "leakguard.app.serverexit"]


def start_method() -> str:
    """``forkserver`` where the platform has it, else ``spawn``.

    A spawned worker starts a fresh interpreter and imports the engine (0.3 s on this kind of
    machine) before it scans anything; a small tree scan was over before it helped. Workers
    forked from a server that imported the engine once start in milliseconds, and, unlike a
    plain ``fork``, inherit no open pipe, thread or lock of the scanning process.
    """
    if _UNUSABLE or "forkserver" not in multiprocessing.get_all_start_methods():
        return "spawn"
    return "forkserver"


def fork_usable() -> bool:
    """Whether workers may be plain forks of this process: on Linux, while it runs no other
    thread.

    A fork inherits the built matcher, so it scans within milliseconds, with no server to
    start and nothing to unpickle (sympy's tree: the worker began 0.1 s sooner). It is only
    safe where nothing the child needs can be held by another thread at the fork (a progress
    display's refresh thread writing to stderr, say), and on Linux (macOS's system libraries
    are not fork-safe). Only callers with no child process of their own may ask (a tree
    scan): a fork would keep those processes' pipes open.
    """
    return (sys.platform.startswith("linux") and not _UNUSABLE
            and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1)


def warm_up(jobs: int) -> None:
    """Start the fork server now, while the caller loads rules and lists what to scan.

    Its imports then run on an idle core and the first workers fork from it ready to scan.
    SIGINT is ignored while it starts, so it and every worker forked from it keep ignoring it:
    the parent alone handles Ctrl-C (see ``parallel``).
    """
    if (jobs or default_jobs()) <= 1 or start_method() != "forkserver":
        return
    from multiprocessing import forkserver

    multiprocessing.set_forkserver_preload(PRELOAD)
    try:
        with sigint_ignored_by_children():
            forkserver.ensure_running()
    except (OSError, RuntimeError, ValueError) as exc:
        # No server (e.g. no writable folder for its socket): workers are spawned instead.
        _UNUSABLE.append(f"{type(exc).__name__}: {exc}")


def reap_at_exit() -> None:
    """Once workers have been forked: stop the fork server at exit and wait for it (see
    ``_stop_server``). A scan that never needed workers does not wait for a server still
    importing; that server exits by itself once this process is gone."""
    if not _REAPER:
        _REAPER.append(atexit.register(_stop_server))


_REAPER: list[object] = []
#: Why the fork server could not be started, if it could not (then ``start_method`` is spawn).
_UNUSABLE: list[str] = []


def _stop_server() -> None:
    """Stop the fork server at exit and wait for it, so no process outlives leakguard and the
    CPU its workers used is counted as this process's children's (``time``, ``wait4``).
    multiprocessing only stops it this way in its own tests (a private method): where that is
    missing the server still exits by itself once this process is gone."""
    from multiprocessing import forkserver

    stop = getattr(getattr(forkserver, "_forkserver", None), "_stop", None)
    if stop is not None:
        with contextlib.suppress(OSError, ValueError, TypeError):
            stop()


# -- worker side ------------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def init_worker(matcher: bytes | Matcher, reader: ReaderSpec,
                environ: dict[str, str] | None = None) -> None:
    """Set up a worker: the parent's environment as it is now (a fork server's is that of when
    it started; git readers depend on it, e.g. a hook's ``GIT_INDEX_FILE``), the matcher
    (pickled, or the parent's own in a plain fork), and an open reader. (multiprocessing
    itself hands over the working directory.)"""
    if environ is not None:
        os.environ.clear()
        os.environ.update(environ)
    gc.set_threshold(*SCAN_GC_THRESHOLDS)
    _WORKER["matcher"] = pickle.loads(matcher) if isinstance(matcher, bytes) else matcher
    _WORKER["reader"] = reader.open()


def scan_batch(items: Sequence[WorkItem], identify: bool) -> list[ItemResult | PlainResult]:
    """The batch's results, in its order, each packed (``pack``) for the trip to the parent."""
    matcher: Matcher = _WORKER["matcher"]
    reader: Reader = _WORKER["reader"]
    return [pack(item, scan_content(item, data, matcher, identify=identify,
                                    extract=reader.extract))
            for item, data in reader.read(items)]


#: A result that says only "scanned whole, nothing found": (index, size, content id).
PlainResult = tuple[int, int, str | None]


def pack(item: WorkItem, result: ItemResult) -> ItemResult | PlainResult:
    """Most results (one chunk, the item's own content, no match, no timeout) travel as three
    values: pickled as dataclasses, sympy's history results cost 0.75 s of CPU to send and
    receive; the parent rebuilds them from its item (``unpack``), equal to the original."""
    events = result.events
    if result.matches or len(events) != 1:
        return result
    event = events[0]
    if not isinstance(event, ChunkDone) or event.origin is not item.origin or event.timeouts:
        return result
    return result.index, event.size, result.content_id


def unpack(item: WorkItem, packed: ItemResult | PlainResult) -> ItemResult:
    if isinstance(packed, ItemResult):
        return packed
    index, size, content = packed
    if index != item.index:
        raise ValueError(f"a worker answered for item {index} in the place of {item.index}")
    return ItemResult(index, (ChunkDone(item.origin, size),), (), content)


