"""Pick the git mode a request asks for: history, range or staged."""

from __future__ import annotations

from leakguard.app.gitoptions import GitOptions
from leakguard.app.gitrange import run_range_scan
from leakguard.app.history import run_history_scan
from leakguard.app.pipeline import ProgressCallback, ScanRequest
from leakguard.app.staged import run_staged_scan
from leakguard.model import Report

_MODES = {"history": run_history_scan, "range": run_range_scan, "staged": run_staged_scan}


def run_git_scan(request: ScanRequest, options: GitOptions,
                 progress: ProgressCallback | None = None) -> Report:
    """Run the git mode ``options`` selects (``options.mode`` raises on conflicting options)."""
    mode = options.mode
    if mode is None:
        raise ValueError("no git mode selected")
    return _MODES[mode](request, options, progress)
