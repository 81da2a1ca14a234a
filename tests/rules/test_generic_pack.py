"""The generic pack's contract: marked generic, gated, filtered, and one finding per secret."""

from __future__ import annotations

import pytest

from leakguard.engine.matcher import Matcher
from leakguard.model import Chunk, Confidence, Level, Origin
from leakguard.rules.loader import load_ruleset
from tests.corpus.recall import generic as recall

SHIPPED = load_ruleset()
GENERIC = [rule for rule in SHIPPED if rule.spec.source == "rules/credentials/generic.yaml"]


def test_the_pack_has_at_least_twenty_rules() -> None:
    assert len(GENERIC) >= 20


@pytest.mark.parametrize("rule", GENERIC, ids=lambda rule: rule.id)
def test_generic_rules_are_marked_and_filtered(rule) -> None:
    spec = rule.spec
    assert spec.generic and spec.level is Level.PROHIBITED
    assert spec.confidence in (Confidence.MEDIUM, Confidence.LOW)
    assert spec.keywords, "a generic rule without keywords runs its regex on every file"
    assert "placeholder" in spec.filters or "example_value" in spec.filters
    assert spec.min_entropy or spec.validators, "ungated: neither entropy nor a validator"


@pytest.mark.parametrize("case", recall.CASES, ids=lambda case: case.id)
def test_each_generic_secret_is_reported_once(case) -> None:
    """One leaked value, one finding: the case's generic rule, a provider rule that claims the
    value (and shadows the generic), or the most confident of generic rules on the same span."""
    chunk = Chunk(Origin(case.path), case.content, size=len(case.content))
    matches = Matcher(SHIPPED).scan(chunk).matches
    hits = [m.rule_id for m in matches if m.secret == case.secret]
    assert len(hits) == 1, hits


def test_a_specific_rule_wins_over_a_generic_one() -> None:
    from tests import fakes
    pat = fakes.github_pat(7)
    text = f'github_token = "{pat}"\n'
    matches = Matcher(SHIPPED).scan(Chunk(Origin("ci.py"), text, size=len(text))).matches
    assert [m.rule_id for m in matches] == ["github.pat-classic"]
