"""The Hyperscan engine returns exactly what the regex engine returns, on every corpus we have."""

from __future__ import annotations

import itertools
import os
import pickle
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("hyperscan")

import leakguard.engine.hscheck as hscheck
import leakguard.engine.hsemit as hsemit
from leakguard.app import ScanRequest, run_scan
from leakguard.engine.matcher import Matcher
from leakguard.engine.multipattern import WINDOW_MIN_TEXT, MultiPatternMatcher
from leakguard.engine.selection import EngineChoice, build_matcher
from leakguard.model import Chunk, Origin
from leakguard.rules.loader import load_ruleset
from leakguard.rules.rule import RuleSet
from tests.conftest import write_tree
from tests.corpus.recall import all_cases
from tests.helpers import ruleset_from_yaml
from tests.perf.scenario import comparable
from tests.perf.tricky import TRICKY_RULES, texts

PRECISION = Path(__file__).parents[1] / "corpus" / "precision"


def engines(ruleset: RuleSet, cache: Path | None = None) -> tuple[Matcher, MultiPatternMatcher]:
    cache = cache or Path(os.environ["LEAKGUARD_CACHE_DIR"]) / "engines"
    fast, warnings = build_matcher(ruleset, engine=EngineChoice.HYPERSCAN, cache_dir=cache)
    assert isinstance(fast, MultiPatternMatcher), warnings
    assert not warnings
    return Matcher(ruleset), fast


def corpus_texts(ruleset: RuleSet) -> list[tuple[str, str]]:
    """(path, text): recall cases, precision files, every rule's examples and negative examples."""
    found: list[tuple[str, str]] = [(case.path, case.content) for case in all_cases()]
    for file in sorted(PRECISION.rglob("*")):
        if file.is_file():
            found.append((file.relative_to(PRECISION).as_posix(),
                          file.read_text(encoding="utf-8", errors="replace")))
    for rule in ruleset:
        for example in (*rule.spec.examples, *rule.spec.negative_examples):
            found.append((example.path, example.text))
    return found


def corpus_chunks(ruleset: RuleSet) -> Iterator[Chunk]:
    """Every corpus text on its own (at its own path, so path-scoped rules run), then all of them
    joined into one large chunk, and its ASCII lines alone (which the engine searches in
    windows)."""
    found = corpus_texts(ruleset)
    for path, text in found:
        yield Chunk(Origin(path), text, size=len(text))
    joined = "\n".join(text for _, text in found)
    ascii_joined = "\n".join(line for line in joined.split("\n") if line.isascii())
    for text in (joined, ascii_joined):
        yield Chunk(Origin("joined.txt"), text, size=len(text))


def assert_same(slow: Matcher, fast: Matcher, chunks: Iterator[Chunk]) -> int:
    compared = 0
    for chunk in chunks:
        expected, got = slow.scan(chunk), fast.scan(chunk)
        assert got.matches == expected.matches, f"engines differ on {chunk.origin.path}"
        assert got.timeouts == expected.timeouts
        compared += 1
    return compared


def test_shipped_rules_give_identical_matches_on_the_corpora() -> None:
    ruleset = load_ruleset()
    slow, fast = engines(ruleset)
    assert not fast.plan.fallbacks, "every shipped rule should run inside Hyperscan"
    assert assert_same(slow, fast, corpus_chunks(ruleset)) > len(ruleset)


def test_reports_are_identical_with_either_engine(tmp_path: Path) -> None:
    """The whole recall corpus as one repository: the same report, finding for finding."""
    write_tree(tmp_path, {f"{case.id}/{case.path}": case.content for case in all_cases()})

    def scan(engine: EngineChoice) -> object:
        return comparable(run_scan(ScanRequest(targets=(str(tmp_path),), engine=engine, jobs=1,
                                               use_cache=False, show_secrets=True)))

    regex_report = scan(EngineChoice.REGEX)
    assert len(regex_report.findings) > 200  # type: ignore[attr-defined]
    assert scan(EngineChoice.HYPERSCAN) == regex_report


def test_tricky_constructs_give_identical_matches() -> None:
    ruleset = ruleset_from_yaml(TRICKY_RULES)
    slow, fast = engines(ruleset)
    fallen = {rule_id for rule_id, _reason in fast.plan.fallbacks}
    assert fallen == {"t.fuzzy", "t.search-anchor"}
    chunks = [Chunk(Origin(path), text, size=len(text))
              for text in texts() for path in ("a.txt", "b.conf")]
    assert sum(bool(slow.scan(c).matches) for c in chunks) > len(chunks) // 3
    assert_same(slow, fast, iter(chunks))


def test_large_chunks_are_searched_in_windows_with_identical_results() -> None:
    ruleset = ruleset_from_yaml(TRICKY_RULES)
    slow, fast = engines(ruleset)
    big = [text for text in texts() if len(text) >= WINDOW_MIN_TEXT and text.isascii()]
    assert big
    windowed = 0
    for text in big:
        chunk = Chunk(Origin("big.txt"), text, size=len(text))
        for rule in fast.candidate_rules(chunk):
            index = fast._index[rule.id]
            if index in fast._window_expressions:
                bounded = index in fast._reach or index in fast._lines
                windowed += fast._window_ends(index, text, bounded, fast._width.get(index)) \
                    is not None
        assert fast.scan(chunk).matches == slow.scan(chunk).matches
    assert windowed, "no rule was searched in windows: the window path went untested"


def test_a_pickled_matcher_scans_alike() -> None:
    ruleset = ruleset_from_yaml(TRICKY_RULES)
    _slow, fast = engines(ruleset)
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


DEMO_RULES = """
rules:
  - id: demo.pgpass
    pattern: '\\bPGPASSWORD=(?P<secret>[A-Za-z0-9-]{8,})'
    examples: ['PGPASSWORD=FAKE-pw-123 psql']
  - id: demo.token
    pattern: 'demo_(?P<secret>[a-z0-9]{12})'
    examples: ['demo_abcdef123456']
"""


def test_a_rule_the_databases_miss_falls_back_to_its_keywords(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """An unsound translation (here made on purpose) is caught by the rule's own examples when
    the database is built, and the rule runs outside Hyperscan: no match is lost."""
    real = hsemit.translate

    def broken(pattern: str, flags: int = 0) -> hsemit.Translation:
        found = real(pattern, flags)
        if "PGPASSWORD" in pattern:  # a translation that can never match what the rule matches
            return hsemit.Translation(b"PGPASSWORD=NEVER", b"PGPASSWORD=NEVER")
        return found

    monkeypatch.setattr(hsemit, "translate", broken)
    ruleset = ruleset_from_yaml(DEMO_RULES)
    slow, fast = engines(ruleset, tmp_path)
    reasons = dict(fast.plan.fallbacks)
    assert set(reasons) == {"demo.pgpass"} and "missed its example" in reasons["demo.pgpass"]
    text = "x" * 40 + "\nPGPASSWORD=FAKE-pw-999 pg_dump\ndemo_abcdef123456\n"
    chunk = Chunk(Origin("backup.sh"), text, size=len(text))
    assert [m.rule_id for m in fast.scan(chunk).matches] == ["demo.pgpass", "demo.token"]
    assert fast.scan(chunk) == slow.scan(chunk)


def test_a_hyperscan_library_with_a_known_defect_is_not_used(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A probe the library fails (simulated: a text its pattern does not match) means every
    rule runs in the regex engine, with a warning that says why and what to install."""
    monkeypatch.setattr(hscheck, "KNOWN_DEFECTS", (*hscheck.KNOWN_DEFECTS, (b"abc", b"xyz")))
    matcher, warnings = build_matcher(ruleset_from_yaml(DEMO_RULES), engine=EngineChoice.AUTO,
                                      cache_dir=tmp_path)
    assert type(matcher) is Matcher
    assert len(warnings) == 1 and "misses matches" in warnings[0] and "regex engine" in warnings[0]


def test_the_installed_hyperscan_passes_the_defect_probes() -> None:
    assert hscheck.engine_defects() == []


def _card_text(seed: int) -> str:
    """A large all-ASCII text dense with digits: card numbers (grouped or not, in runs that
    overlap one another), card words near some and far from others, at both ends."""
    from tests.identity_fakes import card, grouped

    rng = random.Random(seed)
    lines = ["card " + card(seed)]
    for n in range(900):
        number = card((seed, n), prefix=rng.choice("23456"), length=rng.choice((13, 15, 16, 19)))
        shape = rng.randrange(6)
        if shape == 0:
            lines.append(f"values = [{', '.join(str(rng.randrange(10 ** 9)) for _ in range(8))}]")
        elif shape == 1:
            lines.append(f"x = {grouped(number)} {grouped(card((seed, n, 1)))} 1234")
        elif shape == 2:
            lines.append(f"{rng.choice(('Visa', 'card_no', 'PAN', 'expiry'))}: {number}")
        elif shape == 3:
            lines.append(f"{' ' * rng.randrange(80)}{grouped(number, '-')}   cvv")
        elif shape == 4:
            lines.append(f"{rng.randrange(10 ** 6)} {number} {rng.randrange(10 ** 6)}")
        else:
            lines.append(f"total {number} in order {rng.randrange(10 ** 5)}")
    lines.append(grouped(card(seed + 1)) + " credit")
    return "\n".join(lines)


@pytest.mark.parametrize("seed", (1, 2, 3))
def test_rules_with_a_required_context_are_searched_near_it_with_identical_results(
        seed: int) -> None:
    """``payment.card-number`` needs a card word nearby: in large ASCII text only the regions
    around such words are searched (``windows.required_regions``), with the same matches."""
    ruleset = load_ruleset()
    slow, fast = engines(ruleset)
    index = fast._index["payment.card-number"]
    assert index in fast._requires
    text = _card_text(seed)
    assert len(text) >= WINDOW_MIN_TEXT and text.isascii()
    chunk = Chunk(Origin("notes.md"), text, size=len(text))
    rule = next(r for r in ruleset if r.id == "payment.card-number")
    near = fast._near_required(index, rule, text)
    assert near is not None, "the regions were not used: the path went untested"
    expected = slow.scan(chunk).matches
    assert fast.scan(chunk).matches == expected
    cards = [m for m in expected if m.rule_id == "payment.card-number"]
    assert len(cards) > 50
    assert len(near) < len(list(rule.regex.finditer(text)))  # far numbers were not searched


def test_required_regions_start_where_no_match_can_be_under_way() -> None:
    from leakguard.engine.windows import required_regions

    text = "id 1234 5678 9012 3456 card"
    regions = required_regions(text, [len(text)], before=10, after=0, longest=8, reach=10,
                               characters=" 0123456789")
    assert regions == [(2, len(text), len(text) + 10)]  # back past the digits to after "id"
    assert required_regions("9" * 5000 + " card", [5005], before=0, after=0, longest=4,
                            reach=4, characters="9 ") is None  # no clean start near


def test_required_regions_walk_each_character_at_most_once() -> None:
    """Context ends crowding a long run of match characters (a key's alphabet, its own name
    inside it) must not each walk back over the run again."""
    from leakguard.engine.windows import required_regions

    class Counting(frozenset):
        checks = 0

        def __contains__(self, char: object) -> bool:
            Counting.checks += 1
            return super().__contains__(char)

    text = ("x" * 3900 + "\n") * 30
    ends = range(50, len(text), 130)
    regions = required_regions(text, ends, before=200, after=100, longest=27, reach=29,
                               characters=Counting("x"))
    assert regions is not None and Counting.checks <= len(text)
    assert regions[0][0] == 0 and all(a[1] < b[0] for a, b in itertools.pairwise(regions))
