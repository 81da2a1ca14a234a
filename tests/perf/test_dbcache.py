"""The compiled Hyperscan database is cached on disk, keyed by the rules, and never trusted damaged."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("hyperscan")

from leakguard.engine.dbcache import cache_key, load_or_build
from leakguard.engine.multipattern import MultiPatternMatcher
from leakguard.model import Chunk, Origin
from tests.helpers import ruleset_from_yaml

RULES = """
rules:
  - id: demo.token
    pattern: 'demo_(?P<secret>[a-z0-9]{12})'
  - id: demo.fuzzy
    pattern: '(?:fakeword){e<=1}=(?P<secret>\\d{4})'
    keywords: [fake]
"""


def _one_file(folder: Path) -> Path:
    files = list(folder.glob("hsdb-*.bin"))
    assert len(files) == 1
    return files[0]


def test_second_build_comes_from_the_cache(tmp_path: Path) -> None:
    ruleset = ruleset_from_yaml(RULES)
    first = load_or_build(ruleset, tmp_path)
    second = load_or_build(ruleset, tmp_path)
    assert not first.from_cache and second.from_cache
    assert second.plan == first.plan and second.compiled == first.compiled
    assert second.plan.fallbacks[0][0] == "demo.fuzzy"
    matcher = MultiPatternMatcher(ruleset, second.plan, second.compiled)
    text = "x demo_abc123def456 fakeword=1234"
    matches = matcher.scan(Chunk(Origin("a.txt"), text, size=len(text))).matches
    assert [m.rule_id for m in matches] == ["demo.token", "demo.fuzzy"]


def test_changed_rules_use_another_cache_entry(tmp_path: Path) -> None:
    ruleset = ruleset_from_yaml(RULES)
    changed = ruleset_from_yaml(RULES.replace("{12}", "{16}"))
    assert cache_key(ruleset) != cache_key(changed)
    load_or_build(ruleset, tmp_path)
    assert not load_or_build(changed, tmp_path).from_cache
    assert len(list(tmp_path.glob("hsdb-*.bin"))) == 2


@pytest.mark.parametrize("damage", [
    pytest.param(lambda data: data[:200] + bytes(b ^ 0xFF for b in data[200:210]) + data[210:],
                 id="flipped-bytes"),
    pytest.param(lambda data: data[:40], id="truncated"),
    pytest.param(lambda data: b"not a database at all", id="garbage"),
])
def test_a_damaged_cache_file_is_discarded_with_a_warning(tmp_path: Path, damage) -> None:
    ruleset = ruleset_from_yaml(RULES)
    good = load_or_build(ruleset, tmp_path)
    path = _one_file(tmp_path)
    path.write_bytes(damage(path.read_bytes()))
    rebuilt = load_or_build(ruleset, tmp_path)
    assert not rebuilt.from_cache
    assert len(rebuilt.warnings) == 1 and "damaged engine cache" in rebuilt.warnings[0]
    assert rebuilt.plan == good.plan
    assert load_or_build(ruleset, tmp_path).from_cache


def test_an_unwritable_cache_folder_only_costs_speed(tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    built = load_or_build(ruleset_from_yaml(RULES), blocker / "engines")
    assert built.warnings == () and not built.from_cache


def test_window_databases_are_compiled_on_first_use_and_kept(tmp_path: Path) -> None:
    ruleset = ruleset_from_yaml(RULES)
    built = load_or_build(ruleset, tmp_path)
    matcher = MultiPatternMatcher(ruleset, built.plan, built.compiled, built.windows)
    assert built.windows.folder is not None and not built.windows.folder.exists()
    index = next(index for index, _width, _expression in built.plan.windows)
    assert matcher._ends_database(index) is not None
    saved = list(built.windows.folder.glob("w*.bin"))
    assert len(saved) == 1
    expression = dict((i, e) for i, _w, e in built.plan.windows)[index]
    assert built.windows.database(index, expression) == built.windows.database(index, expression)
    saved[0].write_bytes(saved[0].read_bytes()[:-8] + b"damaged!")  # fails its checksum
    again = built.windows.database(index, expression)
    assert again is not None and saved[0].read_bytes().endswith(again)
