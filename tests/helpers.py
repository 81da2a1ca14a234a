"""Build rulesets and chunks from plain values, for tests of the pure stages."""

from __future__ import annotations

from leakguard.engine.matcher import Matcher
from leakguard.model import Chunk, Match, Origin
from leakguard.rules.loader import compile_specs
from leakguard.rules.rule import RuleSet
from leakguard.rules.schema import read_rule_file
from leakguard.yamlfile import parse_yaml


def ruleset_from_yaml(text: str, name: str = "test-rules.yaml") -> RuleSet:
    return compile_specs(read_rule_file(parse_yaml(text, name), name))


def scan_text(ruleset: RuleSet, text: str, path: str = "file.txt", *, timeout: float = 2.0,
              lines: frozenset[int] | None = None) -> list[Match]:
    chunk = Chunk(Origin(path), text, size=len(text), lines=lines)
    return list(Matcher(ruleset, timeout=timeout).scan(chunk).matches)
