"""Tree mode: scan files under one root (and stdin) and return the gated, redacted report."""

from __future__ import annotations

import time
from pathlib import Path

from leakguard.app.cacheuse import open_cache
from leakguard.app.parallel import scan_work
from leakguard.app.pipeline import (
    ProgressCallback,
    ProgressEvent,
    ScanRequest,
    Tally,
    absorb,
    finish,
    make_matcher,
    no_progress,
    prepare,
    scan_chunks,
)
from leakguard.app.work import FileReaderSpec, WorkItem
from leakguard.app.workers import fork_usable, warm_up
from leakguard.model import Match, Origin, OriginKind, Report, Skipped
from leakguard.sources.files import TreeOptions, target_items
from leakguard.sources.stdin import read_stdin

PHASE = "scanning files"


def run_scan(request: ScanRequest, progress: ProgressCallback | None = None) -> Report:
    """Scan files (and stdin) under one root and return the gated, redacted report."""
    started = time.monotonic()
    progress = progress or no_progress
    # Workers fork from this process once the matcher is built where that is safe; else a
    # folder may well need them: have the fork server ready.
    start_method = "fork" if fork_usable() else None
    if start_method is None and any(Path(target).is_dir() for target in request.targets or (".",)):
        warm_up(request.jobs)
    context = prepare(request)
    matcher, warnings = make_matcher(context.ruleset, request)
    extract = request.extract_options()
    options = TreeOptions(excludes=request.excludes, max_file_size=request.max_file_size)
    entries = list(target_items(context.root, context.targets, options))
    tally = Tally()
    matches: list[Match] = []
    stdin_done = 0
    total = len(entries) + (1 if context.read_stdin else 0)
    if context.read_stdin:
        matches.extend(scan_chunks(read_stdin(options=extract), matcher, tally, progress, total,
                                   PHASE))
        stdin_done = 1
    work = [WorkItem(index, Origin(entry[1], OriginKind.FILE), str(entry[0]))
            for index, entry in enumerate(entries) if not isinstance(entry, Skipped)]
    cache, cache_warnings = open_cache(request.cache, context.ruleset, extract, matcher.engine_identity) \
        if request.use_cache else (None, [])
    skipped = len(entries) - len(work)
    results = scan_work(
        work, matcher=matcher, reader=FileReaderSpec(request.max_file_size, extract),
        jobs=request.jobs, cache=cache, start_method=start_method,
        progress=lambda done: progress(ProgressEvent(PHASE, stdin_done + skipped + done, total)))
    by_index = {result.index: result for result in results}
    for index, entry in enumerate(entries):
        if isinstance(entry, Skipped):
            absorb(tally, (entry,))
        else:
            absorb(tally, by_index[index].events)
            matches.extend(by_index[index].matches)
    if cache is not None:
        cache.close()
    warnings = [*warnings, *cache_warnings, *(cache.warnings if cache else [])]
    if not len(context.ruleset):
        warnings.append("no rules are loaded: nothing can be found")
    return finish(context=context, request=request, matches=matches, tally=tally,
                  started=started, mode="tree", warnings=warnings)
