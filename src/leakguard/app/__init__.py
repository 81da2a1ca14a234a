"""A scan request in, a Report out: one module per scan mode over shared pipeline stages."""

from leakguard.app.gitmodes import run_git_scan
from leakguard.app.gitscan import GitOptions
from leakguard.app.pipeline import ProgressCallback, ProgressEvent, ScanRequest
from leakguard.app.tree import run_scan

__all__ = ["GitOptions", "ProgressCallback", "ProgressEvent", "ScanRequest", "run_git_scan",
           "run_scan"]
