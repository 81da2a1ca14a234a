"""The Hyperscan engine returns exactly what the regex engine returns, on every corpus we have."""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("hyperscan")

from leakguard.engine.matcher import Matcher
from leakguard.engine.multipattern import MultiPatternMatcher
from leakguard.engine.selection import EngineChoice, build_matcher
from leakguard.model import Chunk, Origin
from leakguard.rules.loader import load_ruleset
from leakguard.rules.rule import RuleSet
from tests.corpus.recall import all_cases
from tests.helpers import ruleset_from_yaml
from tests.perf.tricky import TRICKY_RULES, texts

PRECISION = Path(__file__).parents[1] / "corpus" / "precision"


def _engines(ruleset: RuleSet) -> tuple[Matcher, MultiPatternMatcher]:
    cache = Path(os.environ["LEAKGUARD_CACHE_DIR"]) / "engines"
    fast, warnings = build_matcher(ruleset, engine=EngineChoice.HYPERSCAN, cache_dir=cache)
    assert isinstance(fast, MultiPatternMatcher) and not warnings
    return Matcher(ruleset), fast


def corpus_chunks(ruleset: RuleSet) -> Iterator[Chunk]:
    """Recall cases, precision files, every rule's examples, and all of it concatenated."""
    texts_found: list[tuple[str, str]] = [(case.path, case.content) for case in all_cases()]
    for file in sorted(PRECISION.rglob("*")):
        if file.is_file():
            texts_found.append((file.relative_to(PRECISION).as_posix(),
                                file.read_text(encoding="utf-8", errors="replace")))
    for rule in ruleset:
        for example in (*rule.spec.examples, *rule.spec.negative_examples):
            texts_found.append((example.path, example.text))
    for path, text in texts_found:
        yield Chunk(Origin(path), text, size=len(text))
    joined = "\n".join(text for _, text in texts_found)
    for path in {path for path, _ in texts_found}:
        yield Chunk(Origin(path), joined, size=len(joined))


def _assert_same(slow: Matcher, fast: Matcher, chunks: Iterator[Chunk]) -> int:
    compared = 0
    for chunk in chunks:
        expected, got = slow.scan(chunk), fast.scan(chunk)
        assert got.matches == expected.matches, f"engines differ on {chunk.origin.path}"
        assert got.timeouts == expected.timeouts
        compared += 1
    return compared


def test_shipped_rules_give_identical_matches_on_the_corpora() -> None:
    ruleset = load_ruleset()
    slow, fast = _engines(ruleset)
    assert not fast.plan.fallbacks, "every shipped rule should run inside Hyperscan"
    assert _assert_same(slow, fast, corpus_chunks(ruleset)) > len(ruleset)


def test_tricky_constructs_give_identical_matches() -> None:
    ruleset = ruleset_from_yaml(TRICKY_RULES)
    slow, fast = _engines(ruleset)
    fallen = {rule_id for rule_id, _reason in fast.plan.fallbacks}
    assert fallen == {"t.fuzzy", "t.search-anchor"}
    chunks = [Chunk(Origin(path), text, size=len(text))
              for text in texts() for path in ("a.txt", "b.conf")]
    assert sum(bool(slow.scan(c).matches) for c in chunks) > len(chunks) // 3
    _assert_same(slow, fast, iter(chunks))


def test_large_chunks_are_searched_in_windows_with_identical_results() -> None:
    ruleset = ruleset_from_yaml(TRICKY_RULES)
    slow, fast = _engines(ruleset)
    big = [text for text in texts() if len(text) > 8192 and text.isascii()]
    assert big
    windowed = 0
    for text in big:
        chunk = Chunk(Origin("big.txt"), text, size=len(text))
        fast.candidate_rules(chunk)
        windowed += len(fast._ends)
        assert fast.scan(chunk).matches == slow.scan(chunk).matches
    assert windowed, "no rule was searched in windows: the window path went untested"


def test_a_pickled_matcher_scans_alike() -> None:
    ruleset = ruleset_from_yaml(TRICKY_RULES)
    _slow, fast = _engines(ruleset)
    copy = pickle.loads(pickle.dumps(fast))
    assert isinstance(copy, MultiPatternMatcher)
    for text in texts()[:20]:
        chunk = Chunk(Origin("a.txt"), text, size=len(text))
        assert copy.scan(chunk) == fast.scan(chunk)


def test_without_hyperscan_the_regex_engine_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    import leakguard.engine.selection as selection

    monkeypatch.setattr(selection, "hyperscan_available", lambda: False)
    matcher, warnings = build_matcher(load_ruleset(), engine=EngineChoice.AUTO)
    assert type(matcher) is Matcher and warnings == ()
    from leakguard.errors import UsageError

    with pytest.raises(UsageError, match="hyperscan"):
        build_matcher(load_ruleset(), engine=EngineChoice.HYPERSCAN)
