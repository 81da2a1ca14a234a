"""The coordinator: resolve targets, resume or start a run, dispatch tasks, record results."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from leakguard.sweep.executors import DaskExecutor, Executor, LocalExecutor
from leakguard.sweep.store import Store
from leakguard.sweep.targets import resolve_targets, targets_digest
from leakguard.sweep.task import RepoResult, RepoTask, ScanOptions


@dataclass(frozen=True)
class SweepRequest:
    targets: tuple[str, ...]
    db: Path
    cache_dir: Path
    from_files: tuple[Path, ...] = ()
    workers: int = 1
    dask: str | None = None
    rescan: bool = False
    options: ScanOptions = field(default_factory=ScanOptions)


@dataclass(frozen=True)
class SweepProgress:
    """Where a sweep stands, for a progress bar or periodic log lines."""

    done: int
    total: int
    findings: int
    failed: int
    in_flight: tuple[str, ...]
    elapsed: float
    last: RepoResult | None = None

    @property
    def rate(self) -> float:
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        return (self.total - self.done) / self.rate if self.rate > 0 else None


@dataclass(frozen=True)
class SweepSummary:
    run_id: int
    total: int
    scanned: int
    unchanged: int
    failed: int
    findings: int
    violations: int
    resumed: bool
    already_done: int
    duration: float
    failures: tuple[tuple[str, str], ...] = ()


def _executor(request: SweepRequest) -> Executor:
    return DaskExecutor(request.dask) if request.dask else LocalExecutor(request.workers)


def run_sweep(request: SweepRequest,
              progress: Callable[[SweepProgress], None] | None = None) -> SweepSummary:
    started = time.monotonic()
    targets = resolve_targets(request.targets, request.from_files)
    digest = targets_digest(targets)
    options = request.options
    if options.cache_dir is None:
        options = ScanOptions(**{**options.__dict__, "cache_dir": str(request.cache_dir)})
    store = Store.open(request.db)
    try:
        run = store.resumable_run(digest)
        resumed = run is not None
        if run is None:
            run = store.start_run(digest, len(targets), {
                "workers": request.workers, "dask": request.dask, "rescan": request.rescan})
        else:
            store.reopen_run(run)
        done_before = store.scanned_in_run(run.id)
        tasks = [RepoTask(target, options, store.last_refs_hash(target.source), request.rescan)
                 for target in targets if target.source not in done_before]
        in_flight: list[str] = []
        counts = {"done": len(done_before), "findings": 0, "failed": 0, "scanned": 0,
                  "unchanged": 0, "violations": 0}
        failures: list[tuple[str, str]] = []

        def report(last: RepoResult | None = None) -> None:
            if progress is not None:
                progress(SweepProgress(counts["done"], len(targets), counts["findings"],
                                       counts["failed"], tuple(in_flight),
                                       time.monotonic() - started, last))

        def on_start(source: str) -> None:
            in_flight.append(source)
            report()

        executor = _executor(request)
        status = "interrupted"
        try:
            report()
            for result in executor.run(tasks, on_start):
                store.record(run.id, result)
                if result.source in in_flight:
                    in_flight.remove(result.source)
                counts["done"] += 1
                key = {"ok": "scanned", "unchanged": "unchanged"}.get(result.status, "failed")
                counts[key] += 1
                if result.status == "failed":
                    failures.append((result.source, result.error))
                counts["findings"] += len((result.report or {}).get("findings", []))
                report(result)
            status = "finished"
        finally:
            executor.close()
            store.finish_run(run.id, status)
        totals = store.query(
            "SELECT COALESCE(SUM(findings), 0) AS f, COALESCE(SUM(violations), 0) AS v, "
            "COALESCE(SUM(status='failed'), 0) AS failed FROM repo_scans WHERE run_id=?",
            (run.id,))[0]
        return SweepSummary(
            run_id=run.id, total=len(targets), scanned=counts["scanned"],
            unchanged=counts["unchanged"], failed=int(totals["failed"]), findings=int(totals["f"]),
            violations=int(totals["v"]), resumed=resumed, already_done=len(done_before),
            duration=time.monotonic() - started, failures=tuple(failures))
    finally:
        store.close()
