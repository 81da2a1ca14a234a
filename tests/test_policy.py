"""The policy file: strict parsing of the vocabulary keys, and the rules the vocabulary makes."""

from __future__ import annotations

from pathlib import Path

import pytest

from leakguard.app.pipeline import load_rules_for
from leakguard.engine.matcher import Matcher
from leakguard.errors import ConfigError
from leakguard.findings import build_findings
from leakguard.model import Chunk, Level, Origin
from leakguard.policy import gate, parse_policy
from leakguard.rules.policy_rules import policy_rules, with_policy_rules
from leakguard.rules.rule import RuleSet
from leakguard.vocabulary import name_digest, normalise_name
from leakguard.yamlfile import parse_yaml

SALT = "policy-test-salt-01"


def policy_from(text: str):
    return parse_policy(parse_yaml(text, ".leakguard.yaml"), ".leakguard.yaml", Path("."))


def found(policy, text: str, path: str = "notes.md") -> list[tuple[str, str, Level]]:
    ruleset = RuleSet(policy_rules(policy.vocabulary))
    matches = Matcher(ruleset).scan(Chunk(Origin(path), text, size=len(text))).matches
    return sorted((f.rule_id, f.secret, f.level) for f in build_findings(matches, ruleset, b"k"))


def test_hash_format_is_sha256_of_salt_and_normalised_name() -> None:
    import hashlib
    assert normalise_name("  Blue \t Heron ") == "blue heron"
    assert name_digest("s4lt-s4lt", "Blue  HERON") == \
        hashlib.sha256(b"s4lt-s4ltblue heron").hexdigest()


VOCABULARY = f"""\
version: 1
salt: "{SALT}"
codenames:
  - Bluefin
  - {{name: Kestrel, level: restricted}}
  - {{sha256: {name_digest(SALT, "Nightjar")}, level: restricted}}
customers:
  - {{sha256: {name_digest(SALT, "Globex Fakeworks")}, words: 2}}
  - Initech Fake
internal_domains: [fakeco.internal, "*.corp.fakeco.example"]
internal_networks: [203.0.113.0/24, "2001:db8:1::/48"]
"""


def test_vocabulary_is_parsed_with_defaults() -> None:
    policy = policy_from(VOCABULARY)
    assert [(e.name, e.level) for e in policy.codenames[:2]] == [
        ("bluefin", Level.CONFIDENTIAL), ("kestrel", Level.RESTRICTED)]
    assert policy.codenames[2].hashed and policy.codenames[2].line == 6
    assert policy.customers[0].words == 2 and policy.customers[0].level is Level.CONFIDENTIAL
    assert policy.internal_domains == ("fakeco.internal", "corp.fakeco.example")
    assert policy.internal_networks == ("203.0.113.0/24", "2001:db8:1::/48")


def test_codenames_match_whole_words_in_any_case_at_their_level() -> None:
    policy = policy_from(VOCABULARY)
    text = ("Project BLUEFIN meets kestrel.\nimport bluefin_sdk\nbluefin-ui is fine\n"
            "The NIGHTJAR feed; nightjars are birds.\n")
    assert found(policy, text) == [
        ("policy.codename", "BLUEFIN", Level.CONFIDENTIAL),
        ("policy.codename", "bluefin", Level.CONFIDENTIAL),
        ("policy.codename", "kestrel", Level.RESTRICTED),
        ("policy.codename.hashed", "NIGHTJAR", Level.RESTRICTED),
    ]


def test_hashed_multi_word_customer_matches_across_spacing() -> None:
    policy = policy_from(VOCABULARY)
    assert found(policy, "Renewal: Globex   Fakeworks and initech fake.\n") == [
        ("policy.customer", "initech fake", Level.CONFIDENTIAL),
        ("policy.customer.hashed.2w", "Globex   Fakeworks", Level.CONFIDENTIAL),
    ]


def test_internal_domains_and_networks_make_infrastructure_rules() -> None:
    policy = policy_from(VOCABULARY)
    text = ("api: https://billing.fakeco.internal/v1\nmail jane@fakeco.internal\n"
            "vpn.corp.fakeco.example 203.0.113.9 2001:db8:1::7 2001:db8:2::7 198.51.100.1\n"
            "release 203.0.113.4\n")
    assert [(rule, secret) for rule, secret, _ in found(policy, text)] == [
        ("policy.internal-domain", "billing.fakeco.internal"),
        ("policy.internal-domain", "vpn.corp.fakeco.example"),
        ("policy.internal-network", "2001:db8:1::7"),
        ("policy.internal-network", "203.0.113.9"),
    ]


def test_the_policy_file_is_not_scanned_by_its_own_rules() -> None:
    policy = policy_from(VOCABULARY)
    assert found(policy, "codenames: [Bluefin]\n", ".leakguard.yaml") == []
    assert found(policy, "codenames: [Bluefin]\n", "docs/.leakguard.yaml") != []


def test_policy_rules_join_the_run_and_can_be_disabled() -> None:
    policy = policy_from(VOCABULARY)
    ids = {r.id for r in load_rules_for(policy, (), use_default=False)}
    assert ids == {"policy.codename", "policy.codename.hashed", "policy.customer",
                   "policy.customer.hashed.2w", "policy.internal-domain",
                   "policy.internal-network"}
    disabled = policy_from(VOCABULARY + "disable: [policy.codename]\n")
    assert "policy.codename" not in {r.id for r in load_rules_for(disabled, (), False)}


def test_ruleset_fingerprint_follows_the_vocabulary() -> None:
    base = RuleSet([])
    one = with_policy_rules(base, policy_from(VOCABULARY).vocabulary)
    two = with_policy_rules(base, policy_from(VOCABULARY.replace("Kestrel", "Osprey")).vocabulary)
    assert with_policy_rules(base, policy_from("version: 1\n").vocabulary) is base
    assert one.fingerprint != two.fingerprint


def test_gate_marks_codename_findings_against_the_path_level() -> None:
    policy = policy_from(VOCABULARY + "paths:\n  - {path: 'private/**', max_level: restricted}\n")
    ruleset = RuleSet(policy_rules(policy.vocabulary))
    matches = []
    for path in ("notes.md", "private/notes.md"):
        chunk = Chunk(Origin(path), "Kestrel\n", size=8)
        matches += Matcher(ruleset).scan(chunk).matches
    gated = {f.path: f.violation for f in gate(build_findings(matches, ruleset, b"k"), policy)}
    assert gated == {"notes.md": True, "private/notes.md": False}


HASH = "a" * 64


@pytest.mark.parametrize(("text", "line", "message"), [
    pytest.param("codenames: Bluefin\n", 1, "'codenames' must be a list of names", id="not-a-list"),
    pytest.param("codenames:\n  - ''\n", 2, "'codenames' item 1 must be a non-empty name",
                 id="empty-name"),
    pytest.param("codenames:\n  - ab\n", 2, "'codenames' item 1 'ab' must be 3 to 100 characters",
                 id="too-short"),
    pytest.param("customers:\n  - '-acme'\n", 2, "must start and end with a letter or digit",
                 id="punctuation-edge"),
    pytest.param("codenames:\n  - Bluefin\n  - {nmae: Kestrel}\n", 3,
                 "'codenames' item 2: unknown key 'nmae' (known: name, sha256, words, level)",
                 id="unknown-key"),
    pytest.param(f"salt: '{SALT}'\ncodenames:\n  - {{name: Kestrel, sha256: {HASH}}}\n", 3,
                 "'codenames' item 1 needs exactly one of 'name' or 'sha256'", id="name-and-hash"),
    pytest.param(f"salt: '{SALT}'\ncodenames:\n  - {{sha256: abc}}\n", 3,
                 "'codenames' item 1: 'sha256' must be 64 hexadecimal characters", id="bad-hash"),
    pytest.param(f"salt: '{SALT}'\ncodenames:\n  - {{sha256: {HASH}, words: 9}}\n", 3,
                 "'words' must be a whole number from 1 to 6", id="words-range"),
    pytest.param("codenames:\n  - {name: Kestrel, words: 2}\n", 2,
                 "'words' is only for hashed entries", id="words-on-plain"),
    pytest.param("codenames:\n  - {name: Kestrel, level: secret}\n", 2,
                 "'codenames' item 1: 'level' must be one of public, internal", id="bad-level"),
    pytest.param(f"codenames:\n  - {{sha256: {HASH}}}\n", 2,
                 "'codenames' item 1 is hashed but the policy has no 'salt'", id="hash-no-salt"),
    pytest.param("salt: short\n", 1, "'salt' must be a string of at least 8 characters",
                 id="short-salt"),
    pytest.param("codenames:\n  - Kestrel\n  - KESTREL\n", 3, "'codenames' item 2 repeats item 1",
                 id="duplicate"),
    pytest.param("internal_domains:\n  - fakeco.internal\n  - 'bad_domain.corp'\n", 3,
                 "'internal_domains' item 2 'bad_domain.corp' is not a domain name",
                 id="bad-domain"),
    pytest.param("internal_networks:\n  - 10.20.1.0/16\n", 2,
                 "'internal_networks' item 1 '10.20.1.0/16' has host bits set; did you mean "
                 "10.20.0.0/16?", id="host-bits"),
    pytest.param("internal_networks: [fakeco-net]\n", 1,
                 "'internal_networks' item 1 'fakeco-net' is not a network", id="not-a-network"),
    pytest.param("customer: [Initech]\n", 1, "unknown key 'customer'", id="unknown-top-key"),
])
def test_vocabulary_errors_name_file_line_and_item(text: str, line: int, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        policy_from("version: 1\n" + text)
    errors = getattr(caught.value, "errors", [caught.value])
    assert any(e.file == ".leakguard.yaml" and e.line == line + 1 and message in e.detail
               for e in errors), [str(e) for e in errors]


def test_every_vocabulary_error_is_reported_at_once() -> None:
    with pytest.raises(ConfigError) as caught:
        policy_from("version: 1\ncodenames: [ab]\ninternal_networks: [nope]\nsalt: x\n")
    assert len(caught.value.errors) == 3


def test_hashed_lookup_hashes_each_distinct_word_once(monkeypatch) -> None:
    import leakguard.rules.policy_rules as policy_rules_module

    calls: list[str] = []
    real = policy_rules_module.name_digest

    def counting(salt: str, name: str) -> str:
        calls.append(name)
        return real(salt, name)

    monkeypatch.setattr(policy_rules_module, "name_digest", counting)
    policy = policy_from(f'version: 1\nsalt: "{SALT}"\ncodenames:\n'
                         f'  - {{sha256: {name_digest(SALT, "Nightjar")}}}\n')
    text = "alpha beta gamma delta " * 5000 + "Nightjar\n"
    assert [secret for _, secret, _ in found(policy, text)] == ["Nightjar"]
    # every distinct word once while searching; the hit once more to look up its level
    assert sorted(calls) == ["Nightjar", "Nightjar", "alpha", "beta", "delta", "gamma"]
