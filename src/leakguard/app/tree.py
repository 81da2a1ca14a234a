"""Tree mode: scan files under one root (and stdin) and return the gated, redacted report."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

from leakguard.app.pipeline import (
    ProgressCallback,
    ScanContext,
    ScanRequest,
    Tally,
    finish,
    no_progress,
    prepare,
    scan_chunks,
)
from leakguard.engine.matcher import Matcher
from leakguard.model import Chunk, Report, Skipped
from leakguard.sources.files import TreeOptions, read_file, target_items
from leakguard.sources.stdin import read_stdin


def _tree_chunks(context: ScanContext, request: ScanRequest,
                 items: list[tuple[Path, str] | Skipped]) -> Iterator[Chunk | Skipped]:
    options = request.extract_options()
    if context.read_stdin:
        yield from read_stdin(options=options)
    for item in items:
        if isinstance(item, Skipped):
            yield item
        else:
            yield from read_file(item[0], item[1], request.max_file_size, options)


def run_scan(request: ScanRequest, progress: ProgressCallback | None = None) -> Report:
    """Scan files (and stdin) under one root and return the gated, redacted report."""
    started = time.monotonic()
    progress = progress or no_progress
    context = prepare(request)
    matcher = Matcher(context.ruleset, timeout=request.regex_timeout)
    options = TreeOptions(excludes=request.excludes, max_file_size=request.max_file_size)
    items = list(target_items(context.root, context.targets, options))
    tally = Tally()
    total = len(items) + (1 if context.read_stdin else 0)
    matches = scan_chunks(_tree_chunks(context, request, items), matcher, tally, progress, total)
    warnings = [] if len(context.ruleset) else ["no rules are loaded: nothing can be found"]
    return finish(context=context, request=request, matches=matches, tally=tally,
                  started=started, mode="tree", warnings=warnings)
