from __future__ import annotations

from leakguard.model import Confidence, Level


def test_levels_are_ordered_by_harm_not_alphabetically() -> None:
    assert Level.PUBLIC < Level.INTERNAL < Level.CONFIDENTIAL < Level.RESTRICTED < Level.PROHIBITED
    assert max([Level.RESTRICTED, Level.CONFIDENTIAL, Level.PROHIBITED]) is Level.PROHIBITED
    assert Level.INTERNAL == "internal"
    assert {Level.INTERNAL: 1}["internal"] == 1


def test_level_below() -> None:
    assert Level.CONFIDENTIAL.below() is Level.INTERNAL
    assert Level.PUBLIC.below() is Level.PUBLIC


def test_confidence_steps_are_clamped() -> None:
    assert Confidence.HIGH.raised() is Confidence.HIGH
    assert Confidence.LOW.lowered() is Confidence.LOW
    assert Confidence.MEDIUM.raised() is Confidence.HIGH
