"""Finding identity: stable when lines move, new when the secret changes, path-relative."""

from __future__ import annotations

from leakguard.findings import build_findings, fingerprint, secret_id
from tests import fakes
from tests.helpers import ruleset_from_yaml, scan_text

RULES = ruleset_from_yaml("""
- id: demo.token
  pattern: 'tok_(?P<secret>[A-Za-z0-9]{16})'
- id: demo.emails
  category: pii
  level: internal
  pattern: '[a-z]+@corp\\.test'
  escalate: [{count: 3, level: confidential}]
""")
KEY = b"test-key"


def findings_for(text: str, path: str = "app/config.py"):
    return build_findings(scan_text(RULES, text, path), RULES, KEY)


def test_fingerprint_survives_moving_lines() -> None:
    secret = "tok_" + fakes.password(3)[:16].replace("!", "a").replace("#", "b").replace("%", "c")
    [before] = findings_for(f"{secret}\n")
    [after] = findings_for("\n" * 50 + f"x = 1\n{secret}\n")
    assert after.line == 52
    assert before.fingerprint == after.fingerprint


def test_a_different_secret_on_the_same_line_is_a_new_finding() -> None:
    [first] = findings_for("tok_AAAAbbbbCCCCdddd\n")
    [second] = findings_for("tok_EEEEffffGGGGhhhh\n")
    assert first.fingerprint != second.fingerprint


def test_fingerprint_depends_on_path_but_secret_id_does_not() -> None:
    [one] = findings_for("tok_AAAAbbbbCCCCdddd", "a.py")
    [two] = findings_for("tok_AAAAbbbbCCCCdddd", "b.py")
    assert one.fingerprint != two.fingerprint
    assert one.secret_id == two.secret_id


def test_identity_is_a_keyed_hash() -> None:
    assert fingerprint(KEY, "r", "p", "s") != fingerprint(b"other", "r", "p", "s")
    assert fingerprint(KEY, "r", "p", "s") == fingerprint(KEY, "r", "p", "s")
    assert secret_id(KEY, "r", "s") != secret_id(KEY, "r2", "s")
    assert len(fingerprint(KEY, "r", "p", "s")) == 32


def test_repeated_secret_in_one_file_is_one_finding_with_occurrences() -> None:
    [finding] = findings_for("tok_AAAAbbbbCCCCdddd\nx\ntok_AAAAbbbbCCCCdddd\n")
    assert finding.occurrences == 2
    assert finding.lines == (1, 3)
    assert finding.line == 1


def test_volume_escalation_raises_the_level() -> None:
    two = findings_for("a@corp.test b@corp.test")
    three = findings_for("a@corp.test b@corp.test c@corp.test")
    assert {str(f.level) for f in two} == {"internal"}
    assert {str(f.level) for f in three} == {"confidential"}


def test_snippet_and_preview_are_redacted() -> None:
    [finding] = findings_for('token = "tok_AAAAbbbbCCCCdddd"  # prod')
    assert "AAAAbbbbCCCCdddd" not in finding.snippet
    assert "AAAAbbbbCCCCdddd" not in finding.redacted
    assert finding.snippet.startswith('token = "tok_') and finding.snippet.endswith('"  # prod')
