from __future__ import annotations

import pytest

from leakguard.redact import MASK, redact


@pytest.mark.parametrize(("secret", "expected"), [
    pytest.param("hunter2", MASK, id="short-shows-nothing"),
    pytest.param("Tr0ub4dor&3-fake", "Tr" + MASK, id="medium-shows-two"),
    pytest.param("AKIAQ3FAKE7KEY2DEMOX", "AKIA" + MASK, id="long-shows-prefix"),
])
def test_redact(secret: str, expected: str) -> None:
    assert redact(secret) == expected


def test_redaction_does_not_reveal_length() -> None:
    assert redact("x" * 20) == redact("x" * 200)
