"""Which rules' keywords are implied by their own pattern (so the engine need not look for them)."""

from __future__ import annotations

import pytest

from leakguard.engine.factors import implies_keyword
from leakguard.engine.hsregex import parse


@pytest.mark.parametrize(("pattern", "keywords", "implied"), [
    pytest.param(r"\bPGPASSWORD=(?P<secret>\S+)", ["pgpassword"], True, id="literal"),
    pytest.param(r"(?i)api[_.-]?key\s*=", ["apikey", "api_key", "api.key", "api-key"], True,
                 id="optional-separator-all-listed"),
    pytest.param(r"(?i)api[_.-]?key\s*=", ["api_key"], False, id="optional-separator-one-listed"),
    pytest.param(r"(?:ghp|gho)_[A-Za-z0-9]{36}", ["ghp_", "gho_"], True, id="alternation"),
    pytest.param(r"(?:ghp|gho)_[A-Za-z0-9]{36}", ["ghp_"], False, id="alternation-one-listed"),
    pytest.param(r"[A-Za-z0-9]{40}", ["key"], False, id="no-literal"),
    pytest.param(r"x(?:token)?=\d+", ["token"], False, id="optional-literal"),
    pytest.param(r"(?:token)+=\d+", ["token"], True, id="repeated-literal"),
    pytest.param(r"user@[a-z]+\.com", ["@"], True, id="one-character"),
    pytest.param(r"(?i)secret", ["secret"], True, id="caseless"),
])
def test_implication(pattern: str, keywords: list[str], implied: bool) -> None:
    assert implies_keyword(parse(pattern), keywords) is implied
