"""The matcher's gates: keywords, secret groups, entropy, allow lists, context, validators."""

from __future__ import annotations

import pytest

from leakguard.engine.matcher import Matcher
from leakguard.model import Chunk, Confidence, Origin
from tests import fakes
from tests.helpers import ruleset_from_yaml, scan_text

TOKEN_RULE = """
- id: demo.token
  pattern: '(?P<prefix>tok)_(?P<secret>[a-z0-9]{12})'
  keywords: [tok_]
"""


def test_named_secret_group_is_the_secret() -> None:
    [match] = scan_text(ruleset_from_yaml(TOKEN_RULE), "x = tok_ab12cd34ef56\n")
    assert match.secret == "ab12cd34ef56"
    assert (match.line, match.column) == (1, 9)
    assert (match.end_line, match.end_column) == (1, 21)


def test_numbered_secret_group() -> None:
    rules = ruleset_from_yaml("- id: demo.n\n  pattern: 'key=(\\w+);'\n  secret_group: 1\n")
    [match] = scan_text(rules, "a\nb key=hunter2abc; c\n")
    assert match.secret == "hunter2abc"
    assert (match.line, match.column) == (2, 7)


def test_keyword_prefilter_is_case_insensitive_and_required() -> None:
    rules = ruleset_from_yaml("- id: demo.k\n  pattern: '[0-9]{6}'\n  keywords: [PIN]\n")
    assert scan_text(rules, "pin 123456")
    assert scan_text(rules, "PIN 123456")
    assert not scan_text(rules, "code 123456")


def test_min_entropy_drops_low_entropy_secrets() -> None:
    rules = ruleset_from_yaml("- id: demo.e\n  pattern: 'k=(\\S{16})'\n  secret_group: 1\n"
                              "  min_entropy: 3.5\n")
    assert not scan_text(rules, "k=aaaaaaaabbbbbbbb")
    assert scan_text(rules, "k=q8Zr2fakeLp0Vx7Y")


def test_allow_regexes_and_stopwords() -> None:
    rules = ruleset_from_yaml("""
- id: demo.a
  pattern: 'k=(\\S+)'
  secret_group: 1
  allow:
    regexes: ['^test_']
    stopwords: [dummy]
""")
    assert not scan_text(rules, "k=test_abc")
    assert not scan_text(rules, "k=myDUMMYvalue")
    assert scan_text(rules, "k=realvalue")


def test_allow_target_line() -> None:
    rules = ruleset_from_yaml("""
- id: demo.a
  pattern: 'k=(\\S+)'
  secret_group: 1
  allow: {regexes: ['nosec'], target: line}
""")
    assert not scan_text(rules, "k=value  # nosec")
    assert scan_text(rules, "k=value")


def test_paths_include_and_exclude() -> None:
    rules = ruleset_from_yaml("""
- id: demo.p
  pattern: 'secret'
  paths: {include: ['*.env', 'config/**'], exclude: ['config/test/**']}
""")
    assert scan_text(rules, "secret", "prod.env")
    assert scan_text(rules, "secret", "config/app.yaml")
    assert not scan_text(rules, "secret", "config/test/app.yaml")
    assert not scan_text(rules, "secret", "src/app.py")


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("card 4111 visa", Confidence.HIGH, id="raise"),
    pytest.param("4111 order", Confidence.LOW, id="lower"),
    pytest.param("4111 sample data", None, id="exclude"),
    pytest.param("4111", Confidence.MEDIUM, id="no-context"),
])
def test_context_effects(text: str, expected: Confidence | None) -> None:
    rules = ruleset_from_yaml("""
- id: demo.c
  pattern: '\\b4111\\b'
  context:
    - {pattern: 'card', effect: raise, before: 10, after: 0}
    - {pattern: 'order', effect: lower, before: 0, after: 10}
    - {pattern: 'sample', effect: exclude}
""")
    matches = scan_text(rules, text)
    assert (matches[0].confidence if matches else None) == expected


def test_required_context_drops_matches_without_it() -> None:
    rules = ruleset_from_yaml("""
- id: demo.r
  pattern: '\\b\\d{9}\\b'
  context: [{pattern: '(?i)routing', effect: require, before: 30, after: 0}]
""")
    assert scan_text(rules, "routing number: 123456789")
    assert not scan_text(rules, "order 123456789")
    assert not scan_text(rules, "routing" + " " * 40 + "123456789")


def test_validator_failure_drops_or_lowers() -> None:
    rules = ruleset_from_yaml("""
- id: demo.gh
  pattern: '\\b(ghp_[A-Za-z0-9]{36})\\b'
  secret_group: 1
  confidence: high
  validators: [{name: github_crc32, on_fail: lower}]
- id: demo.card
  pattern: '\\b\\d{16}\\b'
  validators: [luhn]
""")
    good, bad = fakes.github_pat(1), fakes.github_pat(1, valid_checksum=False)
    assert [m.confidence for m in scan_text(rules, good)] == [Confidence.HIGH]
    assert [m.confidence for m in scan_text(rules, bad)] == [Confidence.LOW]
    assert [m.rule_id for m in scan_text(rules, "4111111111111111")] == ["demo.card"]
    assert scan_text(rules, "4111111111111112") == []


def test_filters_drop_placeholders_and_templates() -> None:
    rules = ruleset_from_yaml("""
- id: demo.f
  pattern: 'pw="([^"]+)"'
  secret_group: 1
  filters: [placeholder, template]
""")
    assert not scan_text(rules, 'pw="changeme"')
    assert not scan_text(rules, 'pw="${DB_PASSWORD}"')
    assert not scan_text(rules, 'pw="{{ vault_pw }}"')
    assert scan_text(rules, 'pw="k3Jx9-fq2Lz"')


def test_generic_rule_is_shadowed_by_a_specific_rule_on_the_same_secret() -> None:
    rules = ruleset_from_yaml("""
- id: demo.specific
  pattern: '\\b(ghp_[A-Za-z0-9]{36})\\b'
  secret_group: 1
- id: demo.generic
  generic: true
  pattern: 'token\\s*=\\s*"([^"]+)"'
  secret_group: 1
""")
    pat = fakes.github_pat(2)
    assert [m.rule_id for m in scan_text(rules, f'token = "{pat}"')] == ["demo.specific"]
    assert [m.rule_id for m in scan_text(rules, 'token = "q8Zr2fakeLp0Vx7Y"')] == ["demo.generic"]


def test_level_map_sets_the_level_from_the_captured_value() -> None:
    rules = ruleset_from_yaml("""
- id: demo.tlp
  category: marking
  pattern: 'TLP:(RED|AMBER|GREEN)'
  secret_group: 1
  level: confidential
  level_map: {RED: restricted, GREEN: internal}
""")
    rule = rules["demo.tlp"]
    assert str(rule.level_for("RED")) == "restricted"
    assert str(rule.level_for("AMBER")) == "confidential"


def test_regex_timeout_skips_the_rule_and_is_reported() -> None:
    rules = ruleset_from_yaml("- id: demo.slow\n  pattern: '(a|aa)+$'\n"
                              "- id: demo.fast\n  pattern: 'needle'\n")
    chunk = Chunk(Origin("f.txt"), "a" * 5000 + "!needle", size=5008)
    result = Matcher(rules, timeout=0.05).scan(chunk)
    assert result.timeouts == ("demo.slow",)
    assert [m.rule_id for m in result.matches] == ["demo.fast"]


def test_line_filter_reports_only_listed_lines() -> None:
    rules = ruleset_from_yaml(TOKEN_RULE)
    text = "tok_aaaaaaaaaaa1\ntok_aaaaaaaaaaa2\n"
    assert [m.line for m in scan_text(rules, text, lines=frozenset({2}))] == [2]


def test_multiline_secret_spans_lines() -> None:
    rules = ruleset_from_yaml("""
- id: demo.pem
  pattern: '-----BEGIN KEY-----[\\s\\S]+?-----END KEY-----'
""")
    [match] = scan_text(rules, "x\n-----BEGIN KEY-----\nabc\n-----END KEY-----\n")
    assert (match.line, match.end_line) == (2, 4)


def test_snippet_holds_a_marker_not_the_secret() -> None:
    [match] = scan_text(ruleset_from_yaml(TOKEN_RULE), "x = tok_ab12cd34ef56  # note\n")
    assert "ab12cd34ef56" not in match.snippet
    assert match.snippet.startswith("x = tok_") and match.snippet.endswith("  # note")


@pytest.mark.parametrize(("text", "rule", "reason"), [
    pytest.param("tok_ab12cd34ef56 # leakguard:allow", None, None, id="python"),
    pytest.param("tok_ab12cd34ef56 <!-- leakguard:allow rule=demo.token reason=\"test data\" -->",
                 "demo.token", "test data", id="xml-with-rule-and-reason"),
    pytest.param("-- leakguard:allow-next-line reason=fixture\ntok_ab12cd34ef56", None, "fixture",
                 id="sql-next-line"),
])
def test_inline_allow_directives(text: str, rule: str | None, reason: str | None) -> None:
    [match] = scan_text(ruleset_from_yaml(TOKEN_RULE), text)
    assert match.allow is not None
    assert (match.allow.rule, match.allow.reason) == (rule, reason)


def test_allow_next_line_does_not_cover_its_own_line() -> None:
    [match] = scan_text(ruleset_from_yaml(TOKEN_RULE), "tok_ab12cd34ef56 # leakguard:allow-next-line")
    assert match.allow is None


def test_only_credential_rules_shadow_generic_ones() -> None:
    rules = ruleset_from_yaml("""
- id: demo.email
  category: pii
  level: internal
  pattern: '[a-z0-9]+@[a-z]+\\.test'
- id: demo.url-password
  generic: true
  pattern: '://[a-z]+:([^@/]+)@'
  secret_group: 1
""")
    hits = {m.rule_id for m in scan_text(rules, "https://deploy:hunter2xyz@git.test/repo")}
    assert hits == {"demo.email", "demo.url-password"}


def test_generic_hits_on_one_span_are_reported_once() -> None:
    rules = ruleset_from_yaml("""
- id: demo.curl-a
  generic: true
  confidence: high
  pattern: 'curl -u [a-z]+:(\\S+)'
  secret_group: 1
- id: demo.curl-b
  generic: true
  pattern: '-u [a-z]+:(\\S+)'
  secret_group: 1
""")
    assert [m.rule_id for m in scan_text(rules, "curl -u admin:Zq8-fake-x1")] == ["demo.curl-a"]
