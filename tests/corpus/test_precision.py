"""Realistic content that holds no secret: the shipped packs must report nothing on it."""

from __future__ import annotations

from pathlib import Path

from leakguard.app import ScanRequest, run_scan

PRECISION = Path(__file__).parent / "precision"


def test_precision_corpus_yields_no_findings() -> None:
    report = run_scan(ScanRequest(targets=(str(PRECISION),), config=None))
    described = [f"{f.path}:{f.line} {f.rule_id} ({f.redacted})" for f in report.findings]
    assert described == []
    corpus_files = [p for p in PRECISION.rglob("*") if p.is_file() and p.name != "README.md"]
    # Every file was read as text: nothing skipped as binary or too large, so nothing is hidden.
    assert report.stats.files_scanned == len(corpus_files) + 1
    assert dict(report.stats.skipped) == {}
    assert len(corpus_files) >= 60
