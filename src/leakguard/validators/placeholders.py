"""Values that look like secrets but are not: placeholders, templates and references."""

from __future__ import annotations

import itertools

import regex

from leakguard.validators.registry import false_positive_filter

_TEMPLATE = regex.compile(
    r"""^\$\{[^}]*\}$|^\$\(.*\)$|^\$[A-Za-z_][A-Za-z0-9_]*$|^\{\{.*\}\}$|^<%.*%>$|^%\([^)]*\)s$"""
    r"""|^%[A-Za-z_][A-Za-z0-9_]*%$|^#\{[^}]*\}$""",
)
_PLACEHOLDER_WORDS = (
    "changeme", "change_me", "change-me", "replaceme", "replace_me", "your_", "your-", "<your",
    "placeholder", "example", "dummy", "redacted", "xxxxxx", "******", "notasecret", "not_a_secret",
    "insert_", "todo", "fixme", "sample", "lorem",
)


def _repeated_or_sequential(value: str) -> bool:
    distinct = set(value)
    if len(distinct) <= 2:
        return True
    run = 1
    for previous, current in itertools.pairwise(value):
        run = run + 1 if ord(current) - ord(previous) == 1 else 1
        if run >= 6 and run >= len(value) * 0.6:
            return True
    return False


@false_positive_filter("template")
def template(value: str) -> bool:
    return bool(_TEMPLATE.match(value.strip("'\"")))


@false_positive_filter("placeholder")
def placeholder(value: str) -> bool:
    lowered = value.lower()
    if any(word in lowered for word in _PLACEHOLDER_WORDS):
        return True
    return _repeated_or_sequential(lowered)
