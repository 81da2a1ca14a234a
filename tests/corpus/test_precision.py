"""Realistic content that holds no secret: the shipped packs must report nothing on it."""

from __future__ import annotations

from pathlib import Path

from leakguard.app import ScanRequest, run_scan

PRECISION = Path(__file__).parent / "precision"


def test_precision_corpus_yields_no_findings() -> None:
    report = run_scan(ScanRequest(targets=(str(PRECISION),), config=None))
    described = [f"{f.path}:{f.line} {f.rule_id} ({f.redacted})" for f in report.findings]
    assert described == []
    # Every file was looked at: only genuinely binary files may be skipped, nothing for size or
    # a read error, so no finding can hide behind a skip.
    corpus_files = [p for p in PRECISION.rglob("*") if p.is_file()]
    skipped = dict(report.stats.skipped)
    assert set(skipped) <= {"binary"}
    assert report.stats.files_scanned + skipped.get("binary", 0) == len(corpus_files)
    assert len(corpus_files) >= 60
