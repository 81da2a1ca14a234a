"""Shipped rules compile their patterns on first use, and behave exactly as compiled ones;
users' rules still compile at load, so a bad pattern names its file, line and rule there."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from leakguard.errors import ConfigErrors
from leakguard.rules.loader import load_ruleset
from leakguard.rules.rule import ENGINE_VERSION, LazyPattern, RuleSet, compile_rule


def test_loading_compiles_no_shipped_pattern() -> None:
    ruleset = load_ruleset()
    lazy = [rule for rule in ruleset if isinstance(rule.regex, LazyPattern)]
    assert len(lazy) == len(ruleset) > 400
    assert not any("finditer" in vars(rule.regex) for rule in lazy)


def test_lazy_rules_resolve_and_match_like_compiled_ones() -> None:
    for rule in load_ruleset():
        eager = compile_rule(rule.spec)
        assert rule.secret_group == eager.secret_group, rule.id
        texts = [example.text for example in (*rule.spec.examples, *rule.spec.negative_examples)]
        for text in texts:
            got = [m.span(rule.secret_group) for m in rule.regex.finditer(text)]
            assert got == [m.span(eager.secret_group) for m in eager.regex.finditer(text)]
        assert rule.regex.flags == eager.regex.flags and rule.regex.groupindex == eager.regex.groupindex
        for lazy_allow, allow in zip(rule.allow_regexes, eager.allow_regexes, strict=True):
            assert lazy_allow.pattern == allow.pattern and lazy_allow.flags == allow.flags


def test_the_fingerprint_is_the_one_computed_from_asdict() -> None:
    """Baselines and caches are keyed by it: a faster computation must not change it."""
    ruleset = load_ruleset()
    digest = __import__("hashlib").sha256(ENGINE_VERSION.encode())
    for rule in ruleset:
        data = asdict(rule.spec)
        for unstable in ("source", "line", "field_lines", "examples", "negative_examples"):
            data.pop(unstable, None)
        digest.update(json.dumps(data, sort_keys=True, default=str).encode())
    assert ruleset.fingerprint == digest.hexdigest()
    assert RuleSet(ruleset).fingerprint == ruleset.fingerprint


def test_a_bad_pattern_in_a_user_rule_file_fails_at_load(tmp_path: Path) -> None:
    rules = tmp_path / "mine.yaml"
    rules.write_text("rules:\n  - id: mine.bad\n    name: Bad\n    pattern: 'abc(['\n",
                     encoding="utf-8")
    with pytest.raises(ConfigErrors) as raised:
        load_ruleset([rules])
    message = str(raised.value)
    assert "mine.bad" in message and "mine.yaml" in message and "does not compile" in message
