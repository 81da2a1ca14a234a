#!/usr/bin/env python3
"""Estimate what parallel history scanning costs: every blob of a repository through the engine.

Until ``leakguard scan --history`` lands, this probe drives the same pieces it will use: work
items (one per blob, in pack order), the parallel scheduler, the scan cache, and a reader that
streams each worker's share through its own ``git cat-file --batch``. It does not attribute
blobs to paths or commits (that is the history mode's job), so path-scoped rules see no path.

    python benchmarks/history_probe.py /work/bench/sympy.git --jobs 2
    python benchmarks/history_probe.py /work/bench/sympy.git --jobs 2 --cache /tmp/c.sqlite  # twice

It prints blobs and bytes scanned, wall and CPU time, throughput and matches found.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from leakguard.app.cacheuse import open_cache
from leakguard.app.parallel import Scheduler
from leakguard.app.work import WorkItem
from leakguard.app.workers import default_jobs
from leakguard.engine.selection import EngineChoice, build_matcher
from leakguard.model import Origin, OriginKind, Skipped, SkipReason
from leakguard.rules.loader import load_ruleset
from leakguard.userdirs import user_cache_dir


@dataclass(frozen=True)
class BlobReaderSpec:
    """Opens, in each worker, one long-lived ``git cat-file --batch`` over ``repo``."""

    repo: str
    max_size: int

    def open(self) -> BlobReader:
        return BlobReader(self.repo, self.max_size)


class BlobReader:
    def __init__(self, repo: str, max_size: int) -> None:
        self.max_size = max_size
        self.process = subprocess.Popen(["git", "-C", repo, "cat-file", "--batch"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def read(self, items: Sequence[WorkItem]) -> Iterator[tuple[WorkItem, bytes | Skipped]]:
        wanted = [item for item in items if (item.size or 0) <= self.max_size]
        too_large = {item.index for item in items if (item.size or 0) > self.max_size}
        assert self.process.stdin is not None and self.process.stdout is not None
        stdin, stdout = self.process.stdin, self.process.stdout

        def ask() -> None:  # a separate writer: cat-file's output must drain while we ask
            stdin.write(b"".join(f"{item.source}\n".encode() for item in wanted))
            stdin.flush()

        writer = threading.Thread(target=ask)
        writer.start()
        answers = iter(wanted)
        for item in items:
            if item.index in too_large:
                yield item, Skipped(item.origin, SkipReason.TOO_LARGE, f"{item.size} bytes")
                continue
            expected = next(answers)
            header = stdout.readline().split()
            size = int(header[2])
            data = stdout.read(size)
            stdout.read(1)
            yield expected, data
        writer.join()

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait()


def blobs(repo: str) -> list[tuple[str, int]]:
    listing = subprocess.run(
        ["git", "-C", repo, "cat-file", "--batch-all-objects", "--unordered",
         "--batch-check=%(objectname) %(objecttype) %(objectsize)"],
        capture_output=True, text=True, check=True).stdout
    return [(name, int(size)) for name, kind, size in (line.split() for line in listing.splitlines())
            if kind == "blob"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo")
    parser.add_argument("--jobs", type=int, default=0)
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--rules", type=Path, action="append", default=[])
    parser.add_argument("--disable", action="append", default=[], help="leave this rule id out")
    parser.add_argument("--engine", default="auto", choices=[e.value for e in EngineChoice])
    parser.add_argument("--max-size", type=int, default=10 * 1024 * 1024)
    parser.add_argument("--limit", type=int, default=0, help="scan only the first N blobs")
    args = parser.parse_args()
    started, cpu = time.perf_counter(), time.process_time()
    ruleset = load_ruleset(args.rules, disable=args.disable)
    matcher, warnings = build_matcher(ruleset, engine=EngineChoice(args.engine),
                                      cache_dir=user_cache_dir() / "engines")
    found = blobs(args.repo)[:args.limit or None]
    items = [WorkItem(index, Origin(f"blobs/{name}", OriginKind.BLOB, name), name, name, size)
             for index, (name, size) in enumerate(found)]
    cache, cache_warnings = open_cache(args.cache, ruleset) if args.cache else (None, [])
    listed = time.perf_counter()
    scheduler = Scheduler(matcher=matcher, reader=BlobReaderSpec(args.repo, args.max_size),
                          jobs=args.jobs or default_jobs(), cache=cache, progress=lambda _done: None)
    matches = 0
    distinct: set[tuple[str, str]] = set()
    for result in scheduler.iter_results(items):  # folded as they come: memory stays bounded
        matches += len(result.matches)
        distinct.update((match.rule_id, match.secret) for match in result.matches)
    if cache is not None:
        cache.close()
    wall = time.perf_counter() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    total_cpu = time.process_time() - cpu + children.ru_utime + children.ru_stime
    scanned = sum(size for _, size in found if size <= args.max_size)
    print(f"blobs {len(items)}  bytes {scanned / 1e9:.2f} GB  rules {len(ruleset)}  "
          f"engine {type(matcher).__name__}  jobs {args.jobs or 'all'}")
    print(f"listing+setup {listed - started:.1f} s  total wall {wall:.1f} s  CPU {total_cpu:.1f} s  "
          f"throughput {scanned / wall / 1e6:.0f} MB/s  matches {matches} "
          f"(distinct rule+secret: {len(distinct)})")
    if cache is not None:
        print(f"cache hits {cache.hits}  stored {cache.stored}")
    for warning in [*warnings, *cache_warnings]:
        print("warning:", warning, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
