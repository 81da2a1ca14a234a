"""A scan request in, a Report out: one module per scan mode over shared pipeline stages.

Names are imported on first use, so that a worker process importing ``leakguard.app.work``
does not pay for every scan mode.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from leakguard.app.gitmodes import run_git_scan
    from leakguard.app.gitoptions import GitOptions
    from leakguard.app.pipeline import ProgressCallback, ProgressEvent, ScanRequest
    from leakguard.app.tree import run_scan

__all__ = ["GitOptions", "ProgressCallback", "ProgressEvent", "ScanRequest", "run_git_scan",
           "run_scan"]
_HOMES = {"ProgressCallback": "pipeline", "ProgressEvent": "pipeline", "ScanRequest": "pipeline",
          "run_scan": "tree", "GitOptions": "gitoptions", "run_git_scan": "gitmodes"}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        import importlib

        return getattr(importlib.import_module(f"leakguard.app.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'leakguard.app' has no attribute {name!r}")
