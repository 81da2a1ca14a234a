"""Sensitivity label names -> levels: the policy's ``labels:`` merged into the label rule.

The shipped rule ``document.sensitivity-label`` captures a label's name and maps it through its
``level_map``. When the ruleset is built, the policy's mapping is laid over the defaults (it wins;
names compare case-insensitively; a label id works as a name), and the pattern is rebuilt so that
a sublabel path such as ``Confidential\\Finance`` captures the longest mapped prefix
(``Confidential``) unless the full path is itself mapped. A name that maps to nothing keeps the
rule's own level.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

import regex

from leakguard.model import Level
from leakguard.rules.rule import RuleSet, compile_rule

LABEL_RULE = "document.sensitivity-label"
LABEL_LINE = r"^\uE000sensitivity-label: "


def label_pattern(names: Iterable[str]) -> str:
    """Capture a mapped name (longest first) ending at a sublabel separator, else the whole name."""
    ordered = sorted({name for name in names if name}, key=lambda n: (-len(n), n))
    known = "|".join(regex.escape(name) for name in ordered)
    mapped = rf"(?i:{known})(?=[\\/]|\t|$)|" if known else ""
    return rf"{LABEL_LINE}(?P<secret>{mapped}[^\t\n]+)"


def with_label_levels(ruleset: RuleSet, labels: Iterable[tuple[str, Level]]) -> RuleSet:
    """The ruleset with the label rule's map extended by ``labels`` (policy entries win)."""
    rule = ruleset.get(LABEL_RULE)
    if rule is None:
        return ruleset
    merged = dict(rule.spec.level_map)
    merged.update((name.strip().strip("{}").lower(), level) for name, level in labels)
    spec = dataclasses.replace(rule.spec, level_map=tuple(merged.items()),
                               pattern=label_pattern(merged))
    rebuilt = compile_rule(spec)
    return RuleSet(rebuilt if r.id == LABEL_RULE else r for r in ruleset)
