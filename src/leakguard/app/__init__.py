"""A scan request in, a Report out: one module per scan mode over shared pipeline stages."""

from leakguard.app.pipeline import ProgressCallback, ProgressEvent, ScanRequest
from leakguard.app.tree import run_scan

__all__ = ["ProgressCallback", "ProgressEvent", "ScanRequest", "run_scan"]
