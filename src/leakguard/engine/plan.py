"""What the multi-pattern engine compiles for a ruleset, and which rule each expression serves.

A plan is built once per ruleset (``plan_for``), compiled into Hyperscan databases and stored
with them (``dbcache``), so a later run with the same rules needs neither translation nor compile.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from leakguard.rules.rule import Rule, RuleSet

#: Bumped whenever translation or plan building changes, so cached databases are rebuilt.
PLAN_VERSION = "1"


@dataclass(frozen=True)
class Plan:
    """Hyperscan expressions and how they map to the ruleset's rules (in ruleset order).

    ``triggers[i]``: the expression ids whose match makes rule ``i`` a candidate; ``None`` means
    the rule runs on every chunk. ``windows``: (rule index, width, expression) for the rules that
    may be searched near the ends of ``expression`` only (every match starts within ``width``
    characters before one); the second database holds those expressions, the rule index as id.
    ``fallbacks``: (rule id, why its pattern is not in the database).
    ``fold_characters``: chunks holding one of these go to the ``regex`` path.
    """

    expressions: tuple[bytes, ...]
    triggers: tuple[tuple[int, ...] | None, ...]
    windows: tuple[tuple[int, int, bytes], ...] = ()
    fallbacks: tuple[tuple[str, str], ...] = ()
    fold_characters: str = ""

    def window_expressions(self) -> tuple[list[bytes], list[int]]:
        """(expressions, ids) of the second database."""
        return [w[2] for w in self.windows], [w[0] for w in self.windows]

    def to_json(self) -> str:
        return json.dumps({
            "expressions": [e.decode("ascii") for e in self.expressions],
            "triggers": [list(t) if t is not None else None for t in self.triggers],
            "windows": [[index, width, expr.decode("ascii")] for index, width, expr in self.windows],
            "fallbacks": [list(f) for f in self.fallbacks],
            "fold_characters": self.fold_characters,
        })

    @classmethod
    def from_json(cls, text: str) -> Plan:
        data = json.loads(text)
        return cls(
            expressions=tuple(e.encode("ascii") for e in data["expressions"]),
            triggers=tuple(tuple(t) if t is not None else None for t in data["triggers"]),
            windows=tuple((index, width, expr.encode("ascii")) for index, width, expr in data["windows"]),
            fallbacks=tuple((rule_id, reason) for rule_id, reason in data["fallbacks"]),
            fold_characters=data["fold_characters"],
        )


#: Rules whose longest match exceeds this are always searched over the whole chunk.
MAX_WINDOW = 4096


def plan_for(ruleset: RuleSet, refused: frozenset[bytes] = frozenset()) -> Plan:
    """Translate every rule; expressions in ``refused`` (Hyperscan would not compile them) are
    left out and their rules fall back to keywords (or to running everywhere).

    The translation modules are imported here, not at the top: a run whose databases come from
    the disk cache never needs them.
    """
    from leakguard.engine.codepoints import fold_characters
    from leakguard.engine.hsemit import Untranslatable, translate

    expressions: list[bytes] = []
    keyword_ids: dict[str, int] = {}
    triggers: list[tuple[int, ...] | None] = []
    windows: list[tuple[int, int, bytes]] = []
    fallbacks: list[tuple[str, str]] = []
    for index, rule in enumerate(ruleset):
        try:
            if not hasattr(rule.regex, "flags"):
                # A computed matcher (the policy's hashed dictionaries) has no pattern to
                # translate; it runs on every chunk, as it would without Hyperscan.
                raise Untranslatable("computed matcher, not a regular expression")
            translation = translate(rule.spec.pattern, rule.regex.flags)
            if translation.expression in refused:
                raise Untranslatable("Hyperscan refused the translation")
        except Untranslatable as exc:
            fallbacks.append((rule.id, str(exc)))
            triggers.append(_keyword_triggers(rule, expressions, keyword_ids, refused))
            continue
        expressions.append(translation.expression)
        triggers.append((len(expressions) - 1,))
        width, window = translation.window_width, translation.window_expression
        if window is not None and width is not None and width <= MAX_WINDOW \
                and window not in refused:
            windows.append((index, width, window))
    return Plan(tuple(expressions), tuple(triggers), tuple(windows), tuple(fallbacks),
                fold_characters())


def _keyword_triggers(rule: Rule, expressions: list[bytes], ids: dict[str, int],
                      refused: frozenset[bytes]) -> tuple[int, ...] | None:
    from leakguard.engine.hsemit import Untranslatable, keyword_pattern

    if not rule.keywords:
        return None
    found = []
    for keyword in rule.keywords:
        if keyword not in ids:
            try:
                expression = keyword_pattern(keyword)
            except Untranslatable:
                return None
            if expression in refused:
                return None
            expressions.append(expression)
            ids[keyword] = len(expressions) - 1
        found.append(ids[keyword])
    return tuple(found)
