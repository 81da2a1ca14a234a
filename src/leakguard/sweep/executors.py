"""Where repository tasks run: a local pool (default) or an existing Dask cluster.

Both yield each RepoResult as it completes; the coordinator writes it to the database at once.
Local tasks run in threads that each supervise one child scan process, so N workers means N
scans at a time and Ctrl-C reaches every child through the terminal's process group.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Protocol

from leakguard.errors import UsageError
from leakguard.sweep.task import RepoResult, RepoTask, run_task


class Executor(Protocol):
    """Runs tasks; ``started`` is told the source of each task as it starts (for progress)."""

    def run(self, tasks: Sequence[RepoTask], started: Callable[[str], None]
            ) -> Iterator[RepoResult]: ...

    def close(self) -> None: ...


class LocalExecutor:
    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self.pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="sweep")

    def run(self, tasks: Sequence[RepoTask], started: Callable[[str], None]
            ) -> Iterator[RepoResult]:
        pending = iter(tasks)
        running: set[Future[RepoResult]] = set()

        def top_up() -> None:
            while len(running) < self.workers:
                task = next(pending, None)
                if task is None:
                    return
                started(task.target.source)
                running.add(self.pool.submit(run_task, task))

        top_up()
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                running.discard(future)
                yield future.result()
            top_up()

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


class DaskExecutor:
    """Submits every task to an existing Dask distributed scheduler; results come back here."""

    def __init__(self, address: str) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise UsageError("--dask needs the optional extra: pip install 'leakguard[dask]'") \
                from None
        try:
            self.client = Client(address, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise UsageError(f"--dask {address!r}: cannot reach the scheduler ({exc})") from None

    def run(self, tasks: Sequence[RepoTask], started: Callable[[str], None]
            ) -> Iterator[RepoResult]:
        from distributed import as_completed

        futures = []
        for task in tasks:
            started(task.target.source)
            futures.append(self.client.submit(run_task, task, pure=False))
        for future in as_completed(futures):
            yield future.result()

    def close(self) -> None:
        self.client.close()
