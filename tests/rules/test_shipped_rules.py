"""Every shipped rule's examples match and its negative examples do not."""

from __future__ import annotations

import pytest

from leakguard.rules.loader import load_ruleset
from leakguard.rules.selftest import test_rule as run_rule_test

SHIPPED = load_ruleset()


@pytest.mark.parametrize("rule", list(SHIPPED), ids=lambda rule: rule.id)
def test_shipped_rule_examples(rule) -> None:
    result = run_rule_test(rule)
    assert result.passed, f"{result.source}:{result.line}: {'; '.join(result.failures)}"


def test_shipped_packs_load_from_the_installed_package() -> None:
    assert len(SHIPPED) >= 10
    categories = {str(rule.spec.category) for rule in SHIPPED}
    assert {"credential", "private_key", "marking", "pii"} <= categories
