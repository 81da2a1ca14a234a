"""Named checks that rules refer to by name: validators gate a match, filters reject fakes.

A validator answers "is this value well-formed?" (a checksum, a structure); a filter answers
"is this value a placeholder, a template or some other known non-secret?". Both take the
extracted secret only, so they stay pure and are cached by nothing but their input.
"""

from __future__ import annotations

from collections.abc import Callable

Check = Callable[[str], bool]

VALIDATORS: dict[str, Check] = {}
FILTERS: dict[str, Check] = {}


def validator(name: str) -> Callable[[Check], Check]:
    """Register ``func`` as the validator ``name`` (True means the value is valid)."""

    def register(func: Check) -> Check:
        if name in VALIDATORS:
            raise RuntimeError(f"validator {name!r} registered twice")
        VALIDATORS[name] = func
        return func

    return register


def false_positive_filter(name: str) -> Callable[[Check], Check]:
    """Register ``func`` as the filter ``name`` (True means the value is NOT a real secret)."""

    def register(func: Check) -> Check:
        if name in FILTERS:
            raise RuntimeError(f"filter {name!r} registered twice")
        FILTERS[name] = func
        return func

    return register
