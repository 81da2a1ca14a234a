"""Several worker processes give exactly the findings one process gives."""

from __future__ import annotations

from pathlib import Path

import pytest

import leakguard.app.parallel as parallel
from leakguard.app import ScanRequest, run_scan
from leakguard.app.work import FileReaderSpec, WorkItem
from leakguard.engine.selection import EngineChoice, build_matcher
from leakguard.model import Origin
from leakguard.rules.loader import load_ruleset
from tests.perf.scenario import EXTRA_RULES, comparable, plant


def _tree(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "tree"
    plant(root)
    for n in range(12):
        (root / "more" / f"file{n}.py").parent.mkdir(parents=True, exist_ok=True)
        (root / "more" / f"file{n}.py").write_text(f"password = 'FAKE-{n:04d}-x7Q!z9Lm'\n" * 3)
    rules = tmp_path / "extra.yaml"
    rules.write_text(EXTRA_RULES, encoding="utf-8")
    return root, rules


@pytest.mark.usefixtures("eager_pool")
@pytest.mark.parametrize("engine", [EngineChoice.HYPERSCAN, EngineChoice.REGEX])
def test_reports_are_identical_for_one_and_three_jobs(tmp_path: Path, engine: EngineChoice) -> None:
    pytest.importorskip("hyperscan") if engine is EngineChoice.HYPERSCAN else None
    root, rules = _tree(tmp_path)

    def scan(jobs: int) -> object:
        return comparable(run_scan(ScanRequest(targets=(str(root),), rule_paths=(rules,), jobs=jobs,
                                               use_cache=False, engine=engine, show_secrets=True)))

    single = scan(1)
    assert scan(3) == single
    assert len(single.findings) > 12  # type: ignore[attr-defined]


@pytest.mark.usefixtures("eager_pool")
def test_workers_really_scan_and_results_keep_item_order(tmp_path: Path) -> None:
    root, _rules = _tree(tmp_path)
    files = sorted(p for p in root.rglob("*") if p.is_file())
    items = [WorkItem(i, Origin(p.relative_to(root).as_posix()), str(p)) for i, p in enumerate(files)]
    matcher, _ = build_matcher(load_ruleset(), engine=EngineChoice.AUTO)
    scheduler = parallel.Scheduler(matcher=matcher, reader=FileReaderSpec(10 ** 6), jobs=3,
                                   cache=None, progress=lambda _done: None)
    results = scheduler.run(items)
    assert scheduler.workers_started == 2
    assert [r.index for r in results] == list(range(len(items)))
    alone = parallel.scan_work(items, matcher=matcher, reader=FileReaderSpec(10 ** 6), jobs=1,
                               cache=None)
    assert results == alone


def test_results_stream_out_in_order_with_a_bounded_window(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(parallel, "MAX_AHEAD", 3)
    monkeypatch.setattr(parallel, "BACKLOG_BYTES", 1)
    monkeypatch.setattr(parallel, "PARENT_BATCH_BYTES", 1)
    root, _rules = _tree(tmp_path)
    files = sorted(p for p in root.rglob("*") if p.is_file())
    items = [WorkItem(i, Origin(p.relative_to(root).as_posix()), str(p)) for i, p in enumerate(files)]
    matcher, _ = build_matcher(load_ruleset(), engine=EngineChoice.AUTO)
    scheduler = parallel.Scheduler(matcher=matcher, reader=FileReaderSpec(10 ** 6), jobs=1,
                                   cache=None, progress=lambda _done: None)
    seen = []
    done_at_first = None
    for result in scheduler.iter_results(items):
        assert len(scheduler.results) <= 3, "results piled up instead of streaming out"
        if done_at_first is None:
            done_at_first = scheduler.done
        seen.append(result.index)
    assert seen == list(range(len(items)))
    assert done_at_first is not None and done_at_first < len(items) - 5
    assert scheduler.done == len(items) > 10
