"""Schema errors name the file, the line and the rule id, with an exact message."""

from __future__ import annotations

from pathlib import Path

import pytest

from leakguard.errors import ConfigError
from leakguard.rules.loader import compile_specs, read_specs


def load(tmp_path: Path, text: str) -> list:
    path = tmp_path / "custom.yaml"
    path.write_text(text, encoding="utf-8")
    return list(compile_specs(read_specs([path])))


GOOD = """\
rules:
  - id: demo.token
    pattern: 'tok_[a-z0-9]{12}'
"""


def test_minimal_rule_gets_defaults(tmp_path: Path) -> None:
    [rule] = load(tmp_path, GOOD)
    assert rule.id == "demo.token"
    assert rule.spec.name == "demo.token"
    assert str(rule.spec.category) == "credential"
    assert str(rule.spec.level) == "prohibited"
    assert str(rule.spec.confidence) == "medium"


def test_list_form_is_accepted(tmp_path: Path) -> None:
    [rule] = load(tmp_path, "- id: demo.list\n  pattern: 'abc'\n")
    assert rule.id == "demo.list"


@pytest.mark.parametrize(("text", "message"), [
    pytest.param(
        "rules:\n  - id: demo.a\n    patern: 'x'\n    pattern: 'y'\n",
        "custom.yaml:3: rule 'demo.a': unknown key 'patern' (did you mean 'pattern'?)",
        id="unknown-key-with-suggestion"),
    pytest.param(
        "rules:\n  - id: demo.a\n    name: x\n",
        "custom.yaml:2: rule 'demo.a': missing required key 'pattern'",
        id="missing-pattern"),
    pytest.param(
        "rules:\n  - pattern: 'x'\n",
        "custom.yaml:2: missing required key 'id'",
        id="missing-id"),
    pytest.param(
        "rules:\n  - id: demo.a\n    pattern: 'x'\n    level: secret\n",
        "custom.yaml:4: rule 'demo.a': 'level' must be one of public, internal, confidential, "
        "restricted, prohibited (got 'secret')",
        id="bad-level"),
    pytest.param(
        "rules:\n  - id: demo.a\n    pattern: 'x'\n    keywords: 5\n",
        "custom.yaml:4: rule 'demo.a': 'keywords' must be a list of strings, not a number",
        id="wrong-type"),
    pytest.param(
        "rules:\n  - id: demo.a\n    pattern: 'x'\n    min_entropy: 9\n",
        "custom.yaml:4: rule 'demo.a': 'min_entropy' must be between 0 and 8 bits per character "
        "(got 9)",
        id="entropy-range"),
    pytest.param(
        "rules:\n  - id: demo.a\n    pattern: '(unclosed'\n",
        "custom.yaml:3: rule 'demo.a': 'pattern' does not compile: missing ) at position 9",
        id="bad-regex"),
    pytest.param(
        "rules:\n  - id: demo.a\n    pattern: '(a)'\n    secret_group: 2\n",
        "custom.yaml:4: rule 'demo.a': 'secret_group' is 2 but the pattern has 1 group(s)",
        id="secret-group-out-of-range"),
    pytest.param(
        "rules:\n  - id: demo.a\n    pattern: 'a'\n  - id: demo.a\n    pattern: 'b'\n",
        "custom.yaml:4: rule 'demo.a': duplicate rule id (first defined at custom.yaml:2)",
        id="duplicate-id"),
    pytest.param(
        "rules:\n  - id: demo.a\n    pattern: 'a'\n    validators: [nope]\n",
        "custom.yaml:4: rule 'demo.a': unknown validator 'nope'",
        id="unknown-validator"),
    pytest.param(
        "rules:\n  - id: demo.a\n    pattern: 'a'\n    pattern: 'b'\n",
        "custom.yaml:4: duplicate key 'pattern'",
        id="duplicate-yaml-key"),
    pytest.param(
        "rules:\n  - id: demo.a\n    pattern: [unclosed\n",
        "custom.yaml:4: invalid YAML",
        id="yaml-syntax"),
    pytest.param(
        "rule:\n  - id: demo.a\n",
        "custom.yaml:1: unknown top-level key 'rule' (a rule file holds 'rules:')",
        id="top-level-key"),
    pytest.param(
        "rules:\n  - id: demo.a\n    pattern: 'a'\n    context:\n      - {pattern: 'x', effect: boost}\n",
        "custom.yaml:5: rule 'demo.a': 'context[1].effect' must be one of raise, lower, require, "
        "exclude (got 'boost')",
        id="context-effect"),
])
def test_schema_errors_name_file_line_and_rule(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load(tmp_path, text)
    expected = message.replace("custom.yaml", str(tmp_path / "custom.yaml"))
    assert str(raised.value).startswith(expected)


def test_every_error_in_a_file_is_reported_at_once(tmp_path: Path) -> None:
    text = ("rules:\n  - id: demo.a\n    pattern: 'a'\n    colour: red\n"
            "  - id: demo.b\n    pattern: 'b'\n    level: 3\n")
    with pytest.raises(ConfigError) as raised:
        load(tmp_path, text)
    lines = str(raised.value).splitlines()
    assert len(lines) == 2
    assert "rule 'demo.a': unknown key 'colour'" in lines[0]
    assert "rule 'demo.b': 'level' must be one of" in lines[1]
