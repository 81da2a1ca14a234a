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


def _database(expression: bytes) -> object:
    database = hyperscan.Database()
    database.compile(expressions=[expression], ids=[0], elements=1,
                     flags=[hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_SINGLEMATCH])
    return database


def _found(database: object, text: str) -> bool:
    hits: list[int] = []
    database.scan(text.encode("utf-8", "surrogatepass"),  # type: ignore[attr-defined]
                  match_event_handler=lambda *args: hits.append(args[0]))
    return bool(hits)


def _matches(expression: bytes, text: str) -> bool:
    return _found(_database(expression), text)


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
            translation = translate(rule.spec.pattern, rule.regex.flags)
        except Untranslatable:
            continue
        general = _database(translation.expression)
        narrowed = _database(translation.ascii_expression) \
            if translation.ascii_expression is not None else None
        for text in samples:
            if rule.regex.search(text):
                assert _found(general, text), f"{rule.id} translation misses {text[:60]!r}"
                if text.isascii():
                    assert narrowed is not None, f"{rule.id}: {text[:60]!r}"
                    assert _found(narrowed, text), f"{rule.id} ASCII translation misses {text[:60]!r}"
                checked += 1
    assert checked > 50


@pytest.mark.parametrize(("pattern", "hit", "miss"), [
    pytest.param(r"\bghp_[A-Za-z0-9]{36}\b", "x ghp_" + "a1" * 18, "gho_" + "a1" * 18,
                 id="literal-prefix"),
    pytest.param(r"[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,24}",
                 "jane@fakecorp.io", "@property\ndef f", id="wide-edges-trimmed"),
    pytest.param(r"(?:ab|[éè]z)_[0-9]{3}", "ab_123", "ab_12", id="non-ascii-branch"),
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


@pytest.mark.parametrize(("pattern", "ascii_hit", "ascii_miss"), [
    pytest.param(r"m[éèe]t", "met", "mat", id="class-narrowed"),
    pytest.param(r"(?:clé|key)=\d", "key=1", "cle=1", id="branch-dropped"),
])
def test_ascii_translations_match_ascii_text_only_where_the_rule_can(pattern: str, ascii_hit: str,
                                                                     ascii_miss: str) -> None:
    translation = translate(pattern)
    assert translation.ascii_expression is not None
    assert _matches(translation.ascii_expression, ascii_hit)
    assert not _matches(translation.ascii_expression, ascii_miss)


def test_a_pattern_that_needs_non_ascii_has_no_ascii_translation() -> None:
    assert translate(r"m[éè]t").ascii_expression is None


@pytest.mark.parametrize("pattern", [
    pytest.param(r"(?<![a-z])ab[0-9]{2,4}(?:cd)?", id="lookbehind"),
    pytest.param(r"ab[0-9]{2,4}(?=cd|$)", id="lookahead-and-end"),
    pytest.param(r"\bab[0-9]{2,4}\b", id="word-boundaries"),
    pytest.param(r"(?m)^ab[0-9]{2,4}$", id="line-anchors"),
])
def test_bounded_window_search_equals_finditer(pattern: str) -> None:
    """One search per window, bounded by the pattern's reach, finds what the whole text does,
    even where a window ends right where a lookahead or an anchor would look."""
    import regex

    from leakguard.engine.hschars import max_width
    from leakguard.engine.hsregex import parse_with_reach
    from leakguard.engine.windows import windowed_search

    compiled = regex.compile(pattern, regex.MULTILINE | regex.V0)
    tree, ahead = parse_with_reach(pattern)
    longest = max_width(tree)
    assert longest is not None and ahead is not None
    reach = longest + ahead
    text = "xab12cd ab1 ab123\nab99\nzab9999cd ab12345 ab12x " * 40 + "ab1234"
    expected = [(m.span(), m.groups()) for m in compiled.finditer(text)]
    assert expected

    def found(ends: object) -> list:
        return [(m.span(), m.groups())
                for m in windowed_search(compiled, text, ends, longest, reach, 5.0)]

    assert found(range(len(text) + 1)) == expected
    assert found([span[1] for span, _ in expected]) == expected
    assert found([span[0] + 1 for span, _ in expected]) == expected
    assert found([]) == []


def test_line_windows_find_what_finditer_finds() -> None:
    """A rule whose matches never hold a line break, searched line by line around the ends of
    a part of it, with anchors and a lookahead at the ends of lines."""
    import regex

    from leakguard.engine.windows import line_regions, search_regions

    compiled = regex.compile(r"(?m)^[ \t]*[A-Z]+(?: [A-Z]+)*:[ \t]*(?P<v>\w+)(?=[ \t]*$)",
                             regex.MULTILINE | regex.V0)
    text = ("NAME: alice\nlower: no\n  TWO WORDS: x1 \nTRAIL: y z\n" * 60) + "LAST: end"
    expected = [m.span() for m in compiled.finditer(text)]
    assert len(expected) == 121
    colons = [m.end() for m in regex.finditer(":", text)]  # a part every match holds
    for width in (None, 40):
        regions = line_regions(text, colons, width, 2, None)
        assert [m.span() for m in search_regions(compiled, text, regions, 5.0)] == expected
    assert search_regions(compiled, text, line_regions(text, [], None, 2, None), 5.0) == []


GUARDED = [
    r"(?<![\w.+/=-])(?P<secret>[2-6]\d{3}(?:\d{8,15}|(?P<s1>[ -])\d{4}(?P=s1)\d{4}))(?![\w-]|\.\d)",
    r"(?i)(?<![a-z])[0-9]{3}k",  # the class read with the pattern's case folding
    r"(?<![\d:])[0-9]{2}:[0-9]{2}",
    r"(?<![^\s\"])[0-9]{4}_ab",  # a negated class: only space and quote may precede
]
#: No guard: a first item that is not a digit (the guard is kept for numbers), or one whose
#: translation does not start where matches do.
UNGUARDED = [r"(?<![\w-])[a-z0-9_]{1,9}=k1", r"(?<!\w)x{0,3}k123", r"(?<![:])x9|12:34",
             r"(?<!\w)x[0-9]+", r"(?<![^\s\"])tok_[a-z0-9]{4}"]


@pytest.mark.parametrize("pattern", [*GUARDED, *UNGUARDED])
def test_a_leading_lookbehind_guard_keeps_every_match(pattern: str) -> None:
    """Random texts over the characters these patterns care about, non-ASCII ones included:
    wherever the rule matches, both translations match too (with a guard where it is sound)."""
    import random

    import regex

    translation = translate(pattern)
    assert (translation.guard_expression is not None) == (pattern in GUARDED)
    general = _database(translation.expression)
    narrowed = _database(translation.ascii_expression) \
        if translation.ascii_expression is not None else None
    guarded = _database(translation.guard_expression) \
        if translation.guard_expression is not None else None
    compiled = regex.compile(pattern, regex.MULTILINE | regex.V0)
    alphabet = "0123456789kKxXtok_ab:.-+/= \n\"éü٣"
    generator = random.Random(pattern)
    hits = 0
    for _ in range(8000):
        text = "".join(generator.choice(alphabet) for _ in range(generator.randint(1, 30)))
        text += generator.choice(["", "4176749365368614", "k123", "x9", "12:34", "tok_ab12",
                                  "ab=k1", "123k", "1234_ab"])
        text += "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 6)))
        if compiled.search(text):
            hits += 1
            assert _found(general, text), (pattern, text)
            if text.isascii() and narrowed is not None:
                assert _found(narrowed, text), (pattern, text)
            if text.isascii() and guarded is not None:
                assert _found(guarded, text), (pattern, text)
    assert hits > 50


@pytest.mark.parametrize(("pattern", "hit", "miss"), [
    pytest.param(GUARDED[0], "card 4176749365368614 exp", "pi = 3.14176749365368614",
                 id="not-inside-a-longer-number"),
    pytest.param(GUARDED[0], "4176749365368614", "id_4176749365368614", id="text-start"),
    pytest.param(GUARDED[1], "(123K)", "A123k", id="caseless-class"),
])
def test_a_leading_lookbehind_guard_is_selective(pattern: str, hit: str, miss: str) -> None:
    translation = translate(pattern)
    assert translation.guard_expression is not None
    assert _matches(translation.guard_expression, hit)
    assert not _matches(translation.guard_expression, miss)
    assert _matches(translation.ascii_expression, miss)  # what the guard adds


@pytest.mark.parametrize("pattern", [
    pytest.param(r"(?<!x)a1|b2", id="top-level-alternation"),
    pytest.param(r"(?<![\w-])x{0,3}abc", id="optional-first-item"),
    pytest.param(r"(?<![\w-])[a-z0-9_]{1,9}=abc", id="first-repeat-shrunk"),
    pytest.param(r"(?<![\w-])[\x20-\x7e]{3}=abc", id="wide-first-item-trimmed"),
    pytest.param(r"(?<!\w)(?:ab|cd)e", id="alternation-first"),
    pytest.param(r"(?<=k)abc", id="positive-lookbehind"),
])
def test_no_guard_where_the_translation_does_not_start_where_matches_do(pattern: str) -> None:
    assert translate(pattern).guard_expression is None
