"""The multi-pattern engine: one Hyperscan scan per chunk decides which rules to run, and where.

Hyperscan scans the chunk's UTF-8 bytes once against every rule's translated pattern
(``hsemit.translate``, a superset of what the rule matches) and reports which rules *can*
match. Only those rules then run their own ``regex``, through the same code as the pure
``regex`` engine (``Matcher.candidates`` and ``confirm``). A rule Hyperscan rules out has no
match at all, so both engines return identical matches.

In a large ASCII chunk, a rule whose matches have a bounded length runs only near the places its
translation ended (``windows`` proves that finds exactly what ``finditer`` finds); a second
database without the single-match flag reports those places.

Rules whose pattern cannot be translated (or that Hyperscan refuses) keep the keyword prefilter:
their keywords go into the database as literals, and such a rule runs when one of them is seen.
A rule without keywords that cannot be translated runs on every chunk, as in the ``regex``
engine.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import regex

from leakguard.engine.matcher import DEFAULT_REGEX_TIMEOUT, Matcher
from leakguard.engine.plan import Plan
from leakguard.engine.windows import window_cover, windowed_matches
from leakguard.model import Chunk
from leakguard.rules.rule import Rule, RuleSet

#: Chunks shorter than this always run candidate rules over the whole text.
WINDOW_MIN_TEXT = 8192
#: Windows are used only while they cover less than this share of the text.
WINDOW_MAX_SHARE = 0.25
#: Past this many reported ends in one chunk, windows are abandoned for whole-text search.
MAX_ENDS = 20_000


def _collect(expression_id: int, _start: int, _end: int, _flags: int, hits: set[int]) -> None:
    hits.add(expression_id)


class _Ends:
    """Collects end offsets per rule from the second database, giving up past ``MAX_ENDS``."""

    def __init__(self) -> None:
        self.by_rule: dict[int, list[int]] = {}
        self.count = 0

    def __call__(self, rule_index: int, _start: int, end: int, _flags: int, _context: Any) -> bool:
        self.count += 1
        self.by_rule.setdefault(rule_index, []).append(end)
        return self.count >= MAX_ENDS


def _load(database: bytes) -> Any:
    import hyperscan

    if not database:
        return None
    loaded = hyperscan.loadb(database, hyperscan.HS_MODE_BLOCK)
    loaded.scratch = hyperscan.Scratch(loaded)
    return loaded


class MultiPatternMatcher(Matcher):
    """``Matcher`` whose candidate rules come from one Hyperscan scan instead of keywords."""

    def __init__(self, ruleset: RuleSet, plan: Plan, database: bytes, ends_database: bytes = b"",
                 *, timeout: float = DEFAULT_REGEX_TIMEOUT) -> None:
        super().__init__(ruleset, timeout=timeout)
        if len(plan.triggers) != len(ruleset):
            raise ValueError("the plan was made for another ruleset")
        self.plan = plan
        self.database_bytes = database
        self.ends_database_bytes = ends_database
        self._rules = tuple(ruleset)
        self._always = tuple(i for i, t in enumerate(plan.triggers) if t is None)
        by_expression: dict[int, list[int]] = {}
        for index, trigger in enumerate(plan.triggers):
            for expression_id in trigger or ():
                by_expression.setdefault(expression_id, []).append(index)
        self._by_expression = {k: tuple(v) for k, v in by_expression.items()}
        self._max_length = {index: width for index, width, _ in plan.windows}
        self._index = {rule.id: index for index, rule in enumerate(self._rules)}
        self._database = _load(database) if plan.expressions else None
        self._ends_database = _load(ends_database) if plan.windows else None
        self._ends: dict[int, list[int]] = {}

    def __reduce__(self) -> tuple[Callable[..., MultiPatternMatcher], tuple[Any, ...]]:
        """Pickle as ruleset, plan and serialized databases: a worker process rebuilds the
        matcher without compiling anything."""
        return _restore, (self.ruleset, self.plan, self.database_bytes, self.ends_database_bytes,
                          self.timeout)

    def _triggered(self, text: str, data: bytes) -> set[int]:
        indices: set[int] = set(self._always)
        if self._database is not None:
            hits: set[int] = set()
            self._database.scan(data, match_event_handler=_collect, context=hits)
            for expression_id in hits:
                indices.update(self._by_expression.get(expression_id, ()))
        return indices

    def candidate_rules(self, chunk: Chunk) -> list[Rule]:
        text = chunk.text
        self._ends = {}
        if not text.isascii() and any(char in text for char in self.plan.fold_characters):
            return super().candidate_rules(chunk)
        data = text.encode("utf-8", "surrogatepass")
        indices = self._triggered(text, data)
        if not indices:
            return []
        path = chunk.origin.path
        lowered: str | None = None
        chosen = []
        for index in sorted(indices):
            rule = self._rules[index]
            if rule.keywords:
                if lowered is None:
                    lowered = text.lower()
                if not any(keyword in lowered for keyword in rule.keywords):
                    continue
            if rule.applies_to(path):
                chosen.append(rule)
        self._find_ends(text, data, chosen)
        return chosen

    def _find_ends(self, text: str, data: bytes, chosen: list[Rule]) -> None:
        """Where the windowed rules among ``chosen`` can match (ASCII chunks only)."""
        wanted = {self._index[rule.id] for rule in chosen} & self._max_length.keys()
        if self._ends_database is None or not wanted or len(text) < WINDOW_MIN_TEXT \
                or not text.isascii():
            return
        ends = _Ends()
        import hyperscan

        try:
            self._ends_database.scan(data, match_event_handler=ends)
        except hyperscan.ScanTerminated:
            return
        for rule_index, offsets in ends.by_rule.items():
            if rule_index in wanted and window_cover(offsets, self._max_length[rule_index]) \
                    < WINDOW_MAX_SHARE * len(text):
                self._ends[rule_index] = offsets

    def find(self, rule: Rule, chunk: Chunk) -> list[regex.Match]:
        index = self._index[rule.id]
        offsets = self._ends.get(index)
        if offsets is None:
            return super().find(rule, chunk)
        return windowed_matches(rule.regex, chunk.text, offsets, self._max_length[index],
                                self.timeout)


def _restore(ruleset: RuleSet, plan: Plan, database: bytes, ends_database: bytes,
             timeout: float) -> MultiPatternMatcher:
    return MultiPatternMatcher(ruleset, plan, database, ends_database, timeout=timeout)
