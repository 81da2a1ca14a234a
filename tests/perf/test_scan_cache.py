"""The scan cache: identical findings cold and warm, no secret in clear, damage never trusted."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import leakguard.app.parallel as parallel
from leakguard.app import ScanRequest, run_scan
from leakguard.app.cache import ScanCache
from leakguard.app.work import ChunkDone, ItemResult, WorkItem
from leakguard.model import Origin
from leakguard.sealing import CacheKey
from tests.perf.scenario import EXTRA_RULES, comparable, plant


@pytest.fixture
def planted(tmp_path: Path) -> tuple[Path, dict[str, str], Path]:
    root = tmp_path / "tree"
    rules = tmp_path / "extra-rules.yaml"
    rules.write_text(EXTRA_RULES, encoding="utf-8")
    return root, plant(root), rules


def _request(root: Path, rules: Path, cache: Path | None, **changes: object) -> ScanRequest:
    return ScanRequest(targets=(str(root),), rule_paths=(rules,), cache=cache,
                       use_cache=cache is not None, jobs=1, **changes)  # type: ignore[arg-type]


def _no_scanning(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("content was scanned although the cache holds it")

    monkeypatch.setattr(parallel, "scan_content", refuse)


def test_findings_are_identical_without_cache_cold_and_warm(planted, tmp_path, monkeypatch) -> None:
    root, secrets, rules = planted
    cache = tmp_path / "cache.sqlite"
    for show in (False, True):
        plain = run_scan(_request(root, rules, None, show_secrets=show))
        cold = run_scan(_request(root, rules, cache, show_secrets=show))
        with monkeypatch.context() as patch:
            _no_scanning(patch)
            warm = run_scan(_request(root, rules, cache, show_secrets=show))
        assert comparable(cold) == comparable(plain) == comparable(warm)
    assert {f.secret for f in warm.findings} >= {secrets["aws_id"], secrets["github"]}
    assert {f.rule_id for f in warm.findings} >= {"scoped.conf-token", "fuzzy.word"}
    assert warm.warnings == ()


def test_the_cache_file_holds_no_secret_in_clear(planted, tmp_path) -> None:
    root, secrets, rules = planted
    cache = tmp_path / "cache.sqlite"
    report = run_scan(_request(root, rules, cache, show_secrets=True))
    found = {f.secret for f in report.findings}
    assert secrets["aws_secret"] in found and secrets["password"] in found
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("cache.sqlite*"))
    assert len(stored) > 4096
    for secret in found:
        assert secret.encode() not in stored, "a secret is stored in clear"
    assert secrets["pem"].splitlines()[1].encode() not in stored


def test_changed_content_and_changed_rules_are_scanned_again(planted, tmp_path) -> None:
    root, _secrets, rules = planted
    cache = tmp_path / "cache.sqlite"
    run_scan(_request(root, rules, cache))
    (root / "README.md").write_text("conf_token=zzzzzz999999\nfakepass=111111\n", encoding="utf-8")
    changed = run_scan(_request(root, rules, cache))
    assert any(f.path == "README.md" for f in changed.findings)
    rules.write_text(EXTRA_RULES.replace("[0-9]{6}", "[0-9]{5}"), encoding="utf-8")
    assert comparable(run_scan(_request(root, rules, cache))) == \
        comparable(run_scan(_request(root, rules, None)))


def _tamper(path: Path, statement: str) -> None:
    with sqlite3.connect(path) as db:
        db.execute(statement)


@pytest.mark.parametrize("statement", [
    pytest.param("UPDATE results SET sealed = NULL", id="matches-removed"),
    pytest.param("UPDATE results SET events = '[]'", id="events-edited"),
    pytest.param("UPDATE results SET tag = zeroblob(16)", id="tags-forged"),
])
def test_an_edited_cache_is_discarded_never_trusted(planted, tmp_path, statement: str) -> None:
    root, _secrets, rules = planted
    cache = tmp_path / "cache.sqlite"
    expected = comparable(run_scan(_request(root, rules, None)))
    run_scan(_request(root, rules, cache))
    _tamper(cache, statement)
    report = run_scan(_request(root, rules, cache))
    assert len(report.warnings) == 1 and "damaged" in report.warnings[0]
    assert comparable(report, warnings=False) == expected
    assert comparable(run_scan(_request(root, rules, cache))) == expected


def test_a_file_that_is_not_a_database_is_replaced(planted, tmp_path) -> None:
    root, _secrets, rules = planted
    cache = tmp_path / "cache.sqlite"
    cache.write_bytes(b"this is not an sqlite file" * 100)
    report = run_scan(_request(root, rules, cache))
    assert any("damaged" in w for w in report.warnings)
    assert comparable(report, warnings=False) == comparable(run_scan(_request(root, rules, None)))
    assert run_scan(_request(root, rules, cache)).warnings == ()


def test_another_key_sees_nothing_and_warns_about_nothing(planted, tmp_path, monkeypatch) -> None:
    root, _secrets, rules = planted
    cache = tmp_path / "cache.sqlite"
    run_scan(_request(root, rules, cache))
    monkeypatch.setenv("LEAKGUARD_CACHE_KEY", "another key")
    with sqlite3.connect(cache) as db:
        before = db.execute("SELECT count(*) FROM results").fetchone()[0]
    report = run_scan(_request(root, rules, cache))
    with sqlite3.connect(cache) as db:
        after = db.execute("SELECT count(*) FROM results").fetchone()[0]
    assert report.warnings == () and after == 2 * before


def test_two_runs_can_share_one_cache_file(tmp_path) -> None:
    path = tmp_path / "shared.sqlite"
    key = CacheKey(b"k" * 32)
    first, second = ScanCache(path, key), ScanCache(path, key)
    origin = Origin("a.txt")
    for number, cache in enumerate((first, second, first)):
        result = ItemResult(0, (ChunkDone(origin, 3),), (), content_id=f"{number:040x}")
        assert cache.store([(result, origin, "k")]) == 1
    items = [(WorkItem(n, origin, "a.txt"), f"{n:040x}", "k") for n in range(3)]
    assert set(second.lookup(items)) == {0, 1, 2} == set(first.lookup(items))
    first.close()
    second.close()


def test_a_row_that_does_not_decode_is_scanned_again(planted, tmp_path, monkeypatch) -> None:
    import leakguard.app.cache as cache_module

    root, _secrets, rules = planted
    cache = tmp_path / "cache.sqlite"
    expected = comparable(run_scan(_request(root, rules, None)))
    run_scan(_request(root, rules, cache))

    def broken(*_args: object) -> None:
        raise ValueError("unexpected format")

    monkeypatch.setattr(cache_module, "decode_result", broken)
    report = run_scan(_request(root, rules, cache))
    assert len(report.warnings) == 1 and "damaged" in report.warnings[0]
    assert comparable(report, warnings=False) == expected


@pytest.mark.skipif(not hasattr(__import__("os"), "getuid"), reason="POSIX file modes")
def test_the_cache_file_is_private(planted, tmp_path) -> None:
    root, _secrets, rules = planted
    cache = tmp_path / "private" / "cache.sqlite"
    run_scan(_request(root, rules, cache))
    assert cache.stat().st_mode & 0o777 == 0o600
    assert cache.parent.stat().st_mode & 0o777 == 0o700


def test_items_limited_to_some_lines_report_only_those_and_are_not_cached(tmp_path) -> None:
    from leakguard.app.cacheuse import open_cache
    from leakguard.app.parallel import scan_work
    from leakguard.app.work import FileReaderSpec
    from leakguard.engine.matcher import Matcher
    from leakguard.rules.loader import load_ruleset

    file = tmp_path / "two.txt"
    file.write_text("contact jane.fake.doe@fakecorp.io\nor sam.fake@fakecorp.io\n", encoding="utf-8")
    ruleset = load_ruleset()
    cache, _ = open_cache(tmp_path / "c.sqlite", ruleset)
    assert cache is not None
    whole = WorkItem(0, Origin("two.txt"), str(file))
    second_line = WorkItem(1, Origin("two.txt"), str(file), lines=frozenset({2}))
    for _ in range(2):
        results = scan_work([whole, second_line], matcher=Matcher(ruleset),
                            reader=FileReaderSpec(10 ** 6), jobs=1, cache=cache)
        assert [m.line for m in results[0].matches] == [1, 2]
        assert [m.line for m in results[1].matches] == [2]
        assert not results[1].cached
    assert cache.hits == 1 and cache.stored == 1
    cache.close()


def test_results_cached_by_one_engine_are_not_served_to_another(planted, tmp_path,
                                                                 monkeypatch) -> None:
    """A defective engine (a Hyperscan build that missed matches did exist) must not poison
    what another engine reads from the cache: entries are keyed by the engine's identity."""
    pytest.importorskip("hyperscan")
    from leakguard.engine.matcher import Matcher
    from leakguard.engine.selection import EngineChoice

    root, secrets, rules = planted
    cache = tmp_path / "cache.sqlite"
    with monkeypatch.context() as patch:
        patch.setattr(Matcher, "find", lambda self, rule, chunk: [])  # finds nothing at all
        assert run_scan(_request(root, rules, cache, engine=EngineChoice.REGEX)).findings == ()
    # The poisoned entries are there, and served to the same engine...
    assert run_scan(_request(root, rules, cache, engine=EngineChoice.REGEX)).findings == ()
    # ...but never to another one, which scans for itself.
    found = run_scan(_request(root, rules, cache, engine=EngineChoice.HYPERSCAN, show_secrets=True))
    assert {f.secret for f in found.findings} >= {secrets["aws_id"], secrets["github"]}
