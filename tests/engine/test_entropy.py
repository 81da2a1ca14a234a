from __future__ import annotations

import pytest

from leakguard.engine.entropy import shannon_entropy


@pytest.mark.parametrize(("value", "expected"), [
    pytest.param("", 0.0, id="empty"),
    pytest.param("aaaa", 0.0, id="one-symbol"),
    pytest.param("abab", 1.0, id="two-symbols"),
    pytest.param("abcdefgh", 3.0, id="eight-symbols"),
])
def test_shannon_entropy(value: str, expected: float) -> None:
    assert shannon_entropy(value) == pytest.approx(expected)
