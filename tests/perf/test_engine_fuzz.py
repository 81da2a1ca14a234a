"""Property test: the Hyperscan plan never rules out a rule the regex engine would report.

Texts are generated from every shipped rule's own examples (and from the recall corpus):
characters inserted, deleted and replaced, case changed, line breaks changed, the example
embedded at many offsets in longer text (ASCII and not, since SIMD code in the engine goes wrong
at vector boundaries). For each text, every rule the regex engine runs and whose regex matches
must be among the Hyperscan engine's candidates; large texts built from the same pieces (which
the engine searches in windows) must give identical matches. Seeds are fixed, so a failure
reproduces; the message names the rule and the text.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

pytest.importorskip("hyperscan")

from leakguard.engine.multipattern import WINDOW_MIN_TEXT
from leakguard.model import Chunk, Origin
from leakguard.rules.loader import load_ruleset
from tests.corpus.recall import all_cases
from tests.perf.test_engines import engines

SEEDS = (7, 2024)
VARIANTS_PER_EXAMPLE = 8
NOISE = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
         " _-=:;'\"(),.{}[]/\\\t\n#@$%+*<>|&!?~`^ééü€中𝄞")


def _noise(rng: random.Random, size: int) -> str:
    return "".join(rng.choice(NOISE) for _ in range(size))


def mutate(rng: random.Random, text: str) -> str:
    """One random edit: a case change, a line-break change, or a character inserted, deleted or
    replaced (most leave the rule matching; those that do not are simply not checked)."""
    kind = rng.randrange(9)
    position = rng.randrange(len(text) + 1)
    if kind == 0:
        return text.upper()
    if kind == 1:
        return text.lower()
    if kind == 2:
        return text.swapcase()
    if kind == 3:
        return text.replace("\n", "\r\n")
    if kind == 4:
        return text[:position] + "\n" + text[position:]
    if kind == 5:
        return text[:position] + rng.choice(NOISE) + text[position:]
    if kind == 6 and text:
        return text[:position] + text[position + 1:]
    if kind == 7 and text:
        return text[:position] + rng.choice(NOISE) + text[position + 1:]
    return text


def embed(rng: random.Random, text: str) -> str:
    """``text`` inside longer text: on its own line or not, after padding of any length."""
    before = rng.choice(("", "x" * rng.randrange(70), _noise(rng, rng.randrange(90)),
                         "é" * rng.randrange(40), "\n".join(_noise(rng, 30) for _ in range(3))))
    after = rng.choice(("", "y" * rng.randrange(70), _noise(rng, rng.randrange(90))))
    return before + rng.choice(("", " ", "\n", "\t", "\r\n", "=")) + text + \
        rng.choice(("", " ", "\n", ";")) + after


def generated(seed: int) -> Iterator[tuple[str, str]]:
    """(path, text) from every rule's examples and from the recall corpus."""
    rng = random.Random(seed)
    for rule in load_ruleset():
        for example in rule.spec.examples:
            yield example.path, example.text
            for _ in range(VARIANTS_PER_EXAMPLE):
                text = example.text
                for _ in range(rng.randrange(3)):
                    text = mutate(rng, text)
                yield example.path, embed(rng, text)
    for case in all_cases():
        yield case.path, embed(rng, mutate(rng, case.content))


@pytest.mark.parametrize("seed", SEEDS)
def test_hyperscan_never_rules_out_what_the_regex_engine_reports(seed: int) -> None:
    slow, fast = engines(load_ruleset())
    checked = 0
    for path, text in generated(seed):
        chunk = Chunk(Origin(path), text, size=len(text))
        expected = {rule.id for rule in slow.candidate_rules(chunk) if rule.regex.search(text)}
        got = {rule.id for rule in fast.candidate_rules(chunk)}
        missed = expected - got
        assert not missed, f"Hyperscan ruled out {sorted(missed)} on {text[:200]!r}"
        checked += len(expected)
    assert checked > 2000


@pytest.mark.parametrize("seed", SEEDS)
def test_large_generated_chunks_give_identical_matches(seed: int) -> None:
    """Big texts (searched in windows when ASCII) assembled from the generated pieces."""
    slow, fast = engines(load_ruleset())
    pieces = [text for _, text in generated(seed)]
    rng = random.Random(seed)
    rng.shuffle(pieces)
    ascii_pieces = [piece for piece in pieces if piece.isascii()]
    compared = 0
    for source in (ascii_pieces, pieces):
        for start in range(0, min(len(source), 3000), 300):
            text = "\n".join(source[start:start + 300])
            assert len(text) >= WINDOW_MIN_TEXT
            chunk = Chunk(Origin("big.txt"), text, size=len(text))
            assert fast.scan(chunk).matches == slow.scan(chunk).matches, \
                f"engines differ on pieces {start}..{start + 300} of seed {seed}"
            compared += 1
    assert compared >= 10


@pytest.mark.parametrize("seed", SEEDS)
def test_rules_whose_keywords_are_implied_match_only_where_a_keyword_is(seed: int) -> None:
    """The engine skips the keyword check for these rules; every generated text they match
    must hold one of their keywords, or the two engines would differ."""
    _slow, fast = engines(load_ruleset())
    rules = list(fast.ruleset)
    implied = [rules[index] for index in fast.plan.implied]
    assert len(implied) > 300
    by_id = {rule.id: rule for rule in implied}
    checked = 0
    for _path, text in generated(seed):
        lowered = text.lower()
        if any(char in text for char in fast.plan.fold_characters):
            continue
        for rule in by_id.values():
            if rule.regex.search(text):
                assert any(k in lowered for k in rule.keywords), (rule.id, text[:200])
                checked += 1
    assert checked > 1000
