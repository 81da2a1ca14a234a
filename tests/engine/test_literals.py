"""The multi-string finder the commit log's reader uses."""

from __future__ import annotations

import pytest

from leakguard.engine.literals import literal_ends


def test_every_occurrence_of_every_literal_is_found_in_order() -> None:
    pytest.importorskip("hyperscan")
    data = b"abcab\0cabc.*?"
    assert literal_ends(data, [b"abc", b"ca", b".*?"], limit=100) == [3, 4, 8, 10, 13]
    assert literal_ends(data, [], limit=100) == []
    assert literal_ends(data, [b"zz"], limit=100) == []


def test_too_many_occurrences_give_up() -> None:
    pytest.importorskip("hyperscan")
    assert literal_ends(b"a" * 50, [b"a"], limit=49) is None
    assert len(literal_ends(b"a" * 50, [b"a"], limit=50) or []) == 50
