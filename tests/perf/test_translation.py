"""A rule's Hyperscan translation matches every text the rule matches, and stays selective."""

from __future__ import annotations

import pytest

hyperscan = pytest.importorskip("hyperscan")

from leakguard.engine.codepoints import fold_characters  # noqa: E402
from leakguard.engine.hsemit import Untranslatable, translate  # noqa: E402
from leakguard.engine.windows import windowed_matches  # noqa: E402
from leakguard.rules.loader import load_ruleset  # noqa: E402
from tests.helpers import ruleset_from_yaml  # noqa: E402
from tests.perf.tricky import TRICKY_RULES, texts  # noqa: E402


def _matches(expression: bytes, text: str) -> bool:
    database = hyperscan.Database()
    database.compile(expressions=[expression], ids=[0], elements=1,
                     flags=[hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_SINGLEMATCH])
    hits: list[int] = []
    database.scan(text.encode("utf-8", "surrogatepass"),
                  match_event_handler=lambda *args: hits.append(args[0]))
    return bool(hits)


def _samples() -> list[str]:
    rules = [*load_ruleset(), *ruleset_from_yaml(TRICKY_RULES)]
    found = list(texts())
    for rule in rules:
        found += [example.text for example in (*rule.spec.examples, *rule.spec.negative_examples)]
    return [text for text in found if not any(c in text for c in fold_characters())]


def test_every_match_of_a_rule_is_a_match_of_its_translation() -> None:
    rules = [*load_ruleset(), *ruleset_from_yaml(TRICKY_RULES)]
    samples = _samples()
    checked = 0
    for rule in rules:
        try:
            expression = translate(rule.spec.pattern, rule.regex.flags).expression
        except Untranslatable:
            continue
        translation = translate(rule.spec.pattern, rule.regex.flags)
        for text in samples:
            if rule.regex.search(text):
                assert _matches(expression, text), f"{rule.id} translation misses {text[:60]!r}"
                if text.isascii():
                    assert translation.ascii_expression is not None, f"{rule.id}: {text[:60]!r}"
                    assert _matches(translation.ascii_expression, text), \
                        f"{rule.id} ASCII translation misses {text[:60]!r}"
                checked += 1
    assert checked > 50


@pytest.mark.parametrize(("pattern", "hit", "miss"), [
    pytest.param(r"\bghp_[A-Za-z0-9]{36}\b", "x ghp_" + "a1" * 18, "ghp_short", id="literal-prefix"),
    pytest.param(r"(?i)aws.{0,20}secret", "AWS_SECRET", "aws\nsecret", id="caseless-dot"),
    pytest.param(r"(?<=key=)[0-9]{4}", "key=1234", "key=12", id="lookbehind-dropped"),
    pytest.param(r"m[éè]t", "mèt", "met", id="non-ascii-class"),
])
def test_translations_stay_selective(pattern: str, hit: str, miss: str) -> None:
    expression = translate(pattern).expression
    assert _matches(expression, hit)
    assert not _matches(expression, miss)


@pytest.mark.parametrize("pattern", [
    pytest.param(r"(?:word){e<=1}", id="fuzzy"),
    pytest.param(r"\Gabc", id="search-anchor"),
    pytest.param(r"(?(1)a|b)", id="conditional"),
    pytest.param(r"a*", id="matches-empty"),
    pytest.param(r"(?L)abc", id="locale-flag"),
    pytest.param(r"ab(?x) c", id="late-verbose"),
])
def test_constructs_without_a_safe_translation_are_refused(pattern: str) -> None:
    with pytest.raises(Untranslatable):
        translate(pattern)


def test_windowed_search_equals_finditer() -> None:
    import regex

    pattern = regex.compile(r"(?<![a-z])ab[0-9]{2,4}(?:cd)?", regex.MULTILINE | regex.V0)
    text = "xab12cd ab1 ab123 zab99 " * 50 + "ab1234cd"
    expected = [(m.span(), m.groups()) for m in pattern.finditer(text)]

    def found(ends: object) -> list:
        return [(m.span(), m.groups()) for m in windowed_matches(pattern, text, ends, 8, 5.0)]

    assert found(range(len(text) + 1)) == expected
    assert found([span[1] for span, _ in expected]) == expected
    assert found([span[1] - 1 for span, _ in expected]) == expected
    assert found([]) == []
