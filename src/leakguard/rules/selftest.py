"""Rules test themselves: every example must match and every negative example must not.

Used by ``leakguard rules test`` and by a parametrised pytest over every shipped rule, so the
packs cannot drift from what their examples promise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from leakguard.engine.matcher import Matcher
from leakguard.model import Chunk, Match, Origin
from leakguard.rules.rule import Rule, RuleSet


@dataclass(frozen=True)
class RuleTestResult:
    """The outcome for one rule; ``failures`` empty means it passed."""

    rule_id: str
    source: str
    line: int
    examples: int
    negative_examples: int
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


def match_example(rule: Rule, text: str, path: str, matcher: Matcher | None = None) -> list[Match]:
    """What ``rule`` alone finds in ``text`` at ``path``: every gate applies, as in a real scan."""
    matcher = matcher or Matcher(RuleSet([rule]))
    return [m for m in matcher.scan(Chunk(Origin(path), text, size=len(text))).matches
            if m.rule_id == rule.id]


def test_rule(rule: Rule, *, require_examples: bool = True) -> RuleTestResult:
    spec = rule.spec
    failures: list[str] = []
    matcher = Matcher(RuleSet([rule]))
    if require_examples and not spec.examples:
        failures.append("has no examples")
    if require_examples and not spec.negative_examples:
        failures.append("has no negative_examples")
    for index, example in enumerate(spec.examples, 1):
        if not match_example(rule, example.text, example.path, matcher):
            failures.append(f"example {index} is not matched")
    for index, example in enumerate(spec.negative_examples, 1):
        if match_example(rule, example.text, example.path, matcher):
            failures.append(f"negative example {index} is matched")
    return RuleTestResult(rule.id, spec.source, spec.line, len(spec.examples),
                          len(spec.negative_examples), tuple(failures))


def test_rules(rules: Iterable[Rule], *, require_examples: bool = True) -> list[RuleTestResult]:
    return [test_rule(rule, require_examples=require_examples) for rule in rules]
