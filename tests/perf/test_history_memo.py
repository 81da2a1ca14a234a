"""A history scan remembered per repository: a rescan with unchanged refs skips listing, blob
lookups and the commit walk, yet reports exactly what a full scan reports; any moved ref, a
changed option or a tampered entry means a full scan."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

import leakguard.app.history as history
from leakguard.app import GitOptions, ScanRequest, run_git_scan
from leakguard.model import Report
from tests.documents.builders import zip_bytes
from tests.fakes import password
from tests.git.builder import RepoBuilder, aws_line, token_line
from tests.perf.scenario import comparable


def _build(path: Path) -> RepoBuilder:
    builder = RepoBuilder(path)
    builder.commit("start", {"README.md": "hello\n"})
    builder.commit("settings", {"app/settings.py": "debug = False\n" + aws_line("m1")})
    builder.commit("bundle", {"dist/bundle.zip": zip_bytes({"conf/app.env": token_line("m-zip")}),
                              "assets/logo.bin": b"\x00\x01binary\x00" * 40})
    builder.commit("drop", {"app/settings.py": "debug = False\n"})
    builder.git("checkout", "-q", "-b", "feature")
    builder.commit("branch", {"feature.py": f"db_password = '{password('m-branch')}'\n"})
    builder.git("checkout", "-q", "main")
    return builder


def _scan(builder: RepoBuilder, cache: Path | None, **changes: object) -> Report:
    request = ScanRequest(targets=(str(builder.path),), jobs=1, cache=cache,
                          use_cache=cache is not None, show_secrets=True)
    return comparable(run_git_scan(replace(request, **changes),  # type: ignore[arg-type]
                                   GitOptions(history=True)), warnings=False)


def _forbid_full_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the history was listed and walked although its refs did not move")

    monkeypatch.setattr(history, "list_blobs", refuse)
    monkeypatch.setattr(history, "CommitLog", refuse)


def test_unchanged_refs_reuse_the_last_scan_with_the_same_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    builder = _build(tmp_path / "repo")
    cache = tmp_path / "cache.sqlite"
    full = _scan(builder, None)
    assert _scan(builder, cache) == full  # cold: scans and remembers
    with monkeypatch.context() as patch:
        _forbid_full_scan(patch)
        assert _scan(builder, cache) == full  # warm: replayed, same findings, stats, history
    assert {f.path for f in full.findings} >= {"app/settings.py", "dist/bundle.zip!/conf/app.env",
                                              "feature.py"}
    assert dict(full.stats.skipped).get("binary") == 1
    settings = next(f for f in full.findings if f.path == "app/settings.py")
    assert settings.history is not None and settings.history.removed is not None


def test_a_moved_ref_or_another_option_scans_in_full(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    builder = _build(tmp_path / "repo")
    cache = tmp_path / "cache.sqlite"
    _scan(builder, cache)
    builder.commit("new", {"deploy.env": token_line("m-new")})
    after = _scan(builder, cache)
    assert after == _scan(builder, None)
    assert "deploy.env" in {f.path for f in after.findings}
    builder.git("branch", "-D", "feature")  # a ref removed: its secret is gone from the history
    pruned = _scan(builder, cache)
    assert pruned == _scan(builder, None)
    assert "feature.py" not in {f.path for f in pruned.findings}
    with monkeypatch.context() as patch:
        _forbid_full_scan(patch)
        with pytest.raises(AssertionError, match="did not move"):
            _scan(builder, cache, excludes=("dist/**",))  # another option: another slot


def test_a_tampered_entry_is_discarded_with_a_warning(tmp_path: Path) -> None:
    builder = _build(tmp_path / "repo")
    cache = tmp_path / "cache.sqlite"
    full = _scan(builder, None)
    _scan(builder, cache)
    with sqlite3.connect(cache) as db:
        (body,) = db.execute("SELECT body FROM histories").fetchone()
        db.execute("UPDATE histories SET body = ?", (body[:-1] + bytes([body[-1] ^ 1]),))
    request = ScanRequest(targets=(str(builder.path),), jobs=1, cache=cache, show_secrets=True)
    report = run_git_scan(request, GitOptions(history=True))
    assert comparable(report, warnings=False) == full
    assert any("integrity check" in warning for warning in report.warnings)


def test_no_cache_remembers_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    builder = _build(tmp_path / "repo")
    _scan(builder, None)
    calls: list[object] = []
    real = history.list_blobs
    monkeypatch.setattr(history, "list_blobs", lambda *a, **k: calls.append(a) or real(*a, **k))
    _scan(builder, None)
    assert calls
