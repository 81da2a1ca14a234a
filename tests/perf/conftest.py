"""Fixtures shared by the performance tests."""

from __future__ import annotations

import pytest

import leakguard.app.parallel as parallel


@pytest.fixture
def eager_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start workers at once and feed them small batches, so that a small tree or history
    spreads out over them."""
    monkeypatch.setattr(parallel, "POOL_WORTH_SECONDS", 0.0)
    monkeypatch.setattr(parallel, "POOL_AT_ONCE_BYTES", 0)
    monkeypatch.setattr(parallel, "PROBE_BYTES", 1)
    monkeypatch.setattr(parallel, "BATCH_BYTES", 1)
    monkeypatch.setattr(parallel, "PARENT_BATCH_BYTES", 1)
