"""The multi-pattern engine: one Hyperscan scan per chunk decides which rules to run, and where.

Hyperscan scans the chunk's UTF-8 bytes once against every rule's translated pattern
(``hsemit.translate``, a superset of what the rule matches) and reports which rules *can*
match. Only those rules then run their own ``regex``, through the same code as the pure
``regex`` engine (``Matcher.candidates`` and ``confirm``). A rule Hyperscan rules out has no
match at all, so both engines return identical matches. A chunk that is all ASCII (most source
code) is scanned against the ASCII form of the patterns, which is much faster.

In a large ASCII chunk, a rule whose matches have a bounded length runs only near the places its
window expression ended (``windows`` proves that finds exactly what ``finditer`` finds); each
such rule has a small database of its own that reports every end, scanned only when the rule
is a candidate, and given up for a whole-chunk search when the ends are too many to pay off.

A rule reported only with a ``require`` context near its match (``Plan.requires``) is, in a
large ASCII chunk, searched only in the regions around where that context can be
(``windows.required_regions`` proves it finds every match that can meet it).

Rules kept out of the databases (``Plan.fallbacks``: untranslatable, refused by Hyperscan, or
failing the engine check) run behind their keywords exactly as in the ``regex`` engine.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import regex

from leakguard.engine.literals import scan_ends
from leakguard.engine.matcher import DEFAULT_REGEX_TIMEOUT, Matcher
from leakguard.engine.plan import Compiled, Plan
from leakguard.engine.windows import (
    line_regions,
    merged_windows,
    required_regions,
    search_regions,
    window_cover,
    windowed_matches,
    windowed_search,
)
from leakguard.engine.winstore import WindowStore
from leakguard.model import Chunk
from leakguard.rules.rule import Rule, RuleSet
from leakguard.rules.scopes import PathScopes

#: Chunks shorter than this always run candidate rules over the whole text.
WINDOW_MIN_TEXT = 8192
#: Windows tried position by position are used only while the positions they hold are under
#: this share of the text: a position costs a Python call, a whole-text search a few
#: nanoseconds per character.
WINDOW_MAX_SHARE = 1 / 32
#: Windows searched whole (bounded rules) are used while there is at least this much text per
#: window, and window ends are collected (a Python call each) up to one per this many characters.
TEXT_PER_WINDOW = 512
TEXT_PER_END = 128


def _load(database: bytes) -> Any:
    import hyperscan

    if not database:
        return None
    loaded = hyperscan.loadb(database, hyperscan.HS_MODE_BLOCK)
    loaded.scratch = hyperscan.Scratch(loaded)
    return loaded


class MultiPatternMatcher(Matcher):
    """``Matcher`` whose candidate rules come from one Hyperscan scan instead of keywords."""

    def __init__(self, ruleset: RuleSet, plan: Plan, compiled: Compiled,
                 windows: WindowStore | None = None, *,
                 timeout: float = DEFAULT_REGEX_TIMEOUT) -> None:
        super().__init__(ruleset, timeout=timeout)
        if plan.size != len(ruleset):
            raise ValueError("the plan was made for another ruleset")
        self.plan = plan
        self.compiled = compiled
        self.windows = windows or WindowStore()
        self._rules = tuple(ruleset)
        translated = plan.translated
        self._fallbacks = tuple(i for i in range(len(self._rules)) if i not in translated)
        implied = frozenset(plan.implied)
        # Per rule: the keywords still to look for (None: none to check) and, for all-ASCII
        # chunks, the ids under which the ASCII database reports them (None: search in Python).
        self._keywords = tuple(None if i in implied or not rule.keywords else rule.keywords
                               for i, rule in enumerate(self._rules))
        size = len(self._rules)
        in_ascii = {i for i, _ in plan.ascii_expressions if i >= size}
        in_general = {i for i, _ in plan.expressions if i >= size}
        keyword_id = {keyword: size + n for n, keyword in enumerate(plan.keywords)}

        def reported(keywords: tuple[str, ...] | None, index: int, ids: set[int],
                     every: bool) -> frozenset[int] | None:
            if keywords is None or index not in translated:
                return None
            found = frozenset(keyword_id[k] for k in keywords if keyword_id.get(k) in ids)
            # For the general database every keyword must have a pattern; for the ASCII one a
            # keyword without one cannot occur in such text anyway.
            if every and len(found) < len(set(keywords)):
                return None
            return found

        self._keyword_ids = tuple(reported(k, i, in_ascii, False)
                                  for i, k in enumerate(self._keywords))
        self._general_keyword_ids = tuple(reported(k, i, in_general, True)
                                          for i, k in enumerate(self._keywords))
        self._scopes = PathScopes(enumerate(self._rules))
        self._excluded_at: dict[str, frozenset[int]] = {}
        # Rules with databases of their own: loaded on first use, scanned where they apply.
        self._own_bytes = {index: (general, ascii_only) for index, general, ascii_only
                           in compiled.scoped}
        self._own: dict[tuple[int, bool], Any] = {}
        self._width = {index: width for index, width, _ in plan.windows if width is not None}
        self._reach = dict(plan.reaches)
        self._lines = dict(plan.lines)
        self._index = {rule.id: index for index, rule in enumerate(self._rules)}
        self._database = _load(compiled.database)
        self._ascii_database = _load(compiled.ascii_database)
        self._window_expressions = {index: expression for index, _w, expression in plan.windows}
        self._ends_databases: dict[int, Any] = {}
        self._guards = dict(plan.guards)
        self._guard_databases: dict[int, Any] = {}
        self._requires = {index: (expression, before, after, longest, reach, frozenset(chars))
                          for index, expression, before, after, longest, reach, chars
                          in plan.requires}
        self._require_databases: dict[int, Any] = {}
        first_marker = size + len(plan.keywords)
        self._markers = {word: first_marker + n for n, word in enumerate(plan.markers)
                         if first_marker + n in in_ascii and first_marker + n in in_general}
        #: The text the main database scanned last and what it reported (for ``may_hold``).
        self._scanned: tuple[str, set[int]] | None = None
        self._data: tuple[str, bytes] | None = None

    @property
    def engine_identity(self) -> str:
        import hyperscan

        from leakguard.engine.plan import PLAN_VERSION

        return f"hyperscan {hyperscan.__version__} plan {PLAN_VERSION}"

    def __reduce__(self) -> tuple[Callable[..., MultiPatternMatcher], tuple[Any, ...]]:
        """Pickle as ruleset, plan and serialized databases: a worker process rebuilds the
        matcher without compiling anything."""
        return _restore, (self.ruleset, self.plan, self.compiled, self.windows, self.timeout)

    def _bytes(self, text: str) -> bytes:
        """The chunk's UTF-8 bytes, encoded once per chunk for every scan that needs them."""
        if self._data is None or self._data[0] is not text:
            self._data = (text, text.encode("utf-8", "surrogatepass"))
        return self._data[1]

    def candidate_rules(self, chunk: Chunk) -> list[Rule]:
        text = chunk.text
        if chunk.encoded is not None:  # the source's own bytes: no need to encode the text
            self._data = (text, chunk.encoded)
        ascii_text = text.isascii()
        if not ascii_text and any(char in text for char in self.plan.fold_characters):
            return super().candidate_rules(chunk)
        database = self._ascii_database if ascii_text else self._database
        hits: set[int] = set()
        if database is not None:
            database.scan(self._bytes(text), match_event_handler=_collect, context=hits)
            self._scanned = (text, hits)
        excluded = self._excluded(chunk.origin.path)
        for index in self._own_bytes:
            if index not in excluded:
                own = self._own_database(index, ascii_text)
                if own is not None:
                    own.scan(self._bytes(text), match_event_handler=_collect, context=hits)
        if self._fallbacks:
            hits.update(self._fallbacks)
        if not hits:
            return []
        size = len(self._rules)
        lowered: str | None = None
        chosen = []
        for index in sorted(hits):
            if index >= size:
                break  # keyword reports
            if index in excluded:
                continue
            if ascii_text and index in self._guards and not self._guard_passes(index, text):
                continue
            keywords = self._keywords[index]
            if keywords is not None:
                ids = self._keyword_ids[index] if ascii_text else self._general_keyword_ids[index]
                if ids is not None:
                    if ids.isdisjoint(hits):
                        continue
                else:
                    if lowered is None:
                        lowered = text.lower()
                    if not any(keyword in lowered for keyword in keywords):
                        continue
            chosen.append(self._rules[index])
        return chosen

    def _ends_database(self, index: int) -> Any:
        """The rule's window database, loaded (compiled on first use ever) and checked on its
        examples once; None when there is none or windows would not be sound for the rule."""
        if index not in self._ends_databases:
            from leakguard.engine.hscheck import window_sound

            database = self._rule_database(index, self._window_expressions[index], "w")
            if database is not None and not window_sound(self._rules[index], index, self.plan,
                                                         database):
                database = None
            self._ends_databases[index] = database
        return self._ends_databases[index]

    def may_hold(self, chunk: Chunk, word: str) -> bool | None:
        scanned = self._scanned
        marker = self._markers.get(word)
        if scanned is None or marker is None or scanned[0] is not chunk.text:
            return None
        return marker in scanned[1]

    def _guard_passes(self, index: int, text: str) -> bool:
        """Whether the rule's guard expression (``Plan.guards``) matches the all-ASCII text."""
        if index not in self._guard_databases:
            self._guard_databases[index] = self._rule_database(index, self._guards[index], "g")
        database = self._guard_databases[index]
        if database is None:
            return True
        hits: set[int] = set()
        database.scan(self._bytes(text), match_event_handler=_collect, context=hits)
        return bool(hits)

    def _rule_database(self, index: int, expression: bytes, kind: str) -> Any:
        """One of the rule's small databases (``WindowStore.database``), loaded; None when
        Hyperscan will not compile it."""
        serialized = self.windows.database(index, expression, kind=kind)
        return _load(serialized) if serialized else None

    def _all_ends(self, database: Any, text: str, limit: int) -> list[int] | None:
        """Every end ``database`` reports in ``text``; None once they are more than ``limit``
        (too many for searching near them to cost less than searching the whole text)."""
        return scan_ends(database, self._bytes(text), limit)

    def _own_database(self, index: int, ascii_text: bool) -> Any:
        key = (index, ascii_text)
        if key not in self._own:
            self._own[key] = _load(self._own_bytes[index][1 if ascii_text else 0])
        return self._own[key]

    def _excluded(self, path: str) -> frozenset[int]:
        """Path-scoped rules that do not apply at ``path`` (a history has many versions of
        each path, so this is remembered)."""
        found = self._excluded_at.get(path)
        if found is None:
            if len(self._excluded_at) > 65536:
                self._excluded_at.clear()
            found = self._excluded_at[path] = frozenset(self._scopes.excluded(path))
        return found

    def find(self, rule: Rule, chunk: Chunk) -> list[regex.Match]:
        text = chunk.text
        index = self._index[rule.id]
        large_ascii = len(text) >= WINDOW_MIN_TEXT and text.isascii()
        if large_ascii and index in self._requires:
            near = self._near_required(index, rule, text)
            if near is not None:
                return near
        if not large_ascii or index not in self._window_expressions \
                or self._ends_database(index) is None:
            return super().find(rule, chunk)
        width, reach, ahead = self._width.get(index), self._reach.get(index), self._lines.get(index)
        bounded = ahead is not None or reach is not None
        offsets = self._window_ends(index, text, bounded, width)
        if offsets is None:
            return super().find(rule, chunk)
        if ahead is not None:
            regions = line_regions(text, offsets, width, ahead, reach)
            if len(regions) > len(text) // TEXT_PER_WINDOW:
                return super().find(rule, chunk)
            return search_regions(rule.regex, text, regions, self.timeout)
        assert width is not None  # a window without lines has a width (see plan_for)
        if reach is not None:
            if len(merged_windows(offsets, width)) > len(text) // TEXT_PER_WINDOW:
                return super().find(rule, chunk)
            return windowed_search(rule.regex, text, offsets, width, reach, self.timeout)
        if window_cover(offsets, width) > int(len(text) * WINDOW_MAX_SHARE):
            return super().find(rule, chunk)
        return windowed_matches(rule.regex, text, offsets, width, self.timeout)

    def _near_required(self, index: int, rule: Rule, text: str) -> list[regex.Match] | None:
        """The rule's matches that can meet its ``require`` context, searched only near where
        that context's translation ends (``windows.required_regions``); None when those ends
        are too many or no clean start is near (search as usual then).

        A card number needs a card word within 60 characters: sympy's digit-heavy files made
        ``payment.card-number`` a tenth of all scanning, spent finding numbers far from any."""
        expression, before, after, longest, reach, characters = self._requires[index]
        if index not in self._require_databases:
            self._require_databases[index] = self._rule_database(index, expression, "r")
        database = self._require_databases[index]
        ends = None if database is None else self._all_ends(database, text,
                                                            len(text) // TEXT_PER_END)
        if ends is None:
            return None
        regions = required_regions(text, ends, before=before, after=after,
                                   longest=longest, reach=reach, characters=characters)
        if regions is None:
            return None
        return search_regions(rule.regex, text, regions, self.timeout)

    def _window_ends(self, index: int, text: str, bounded: bool, width: int | None
                     ) -> list[int] | None:
        """Where the rule's window expression ends in ``text``; None when they are too many
        for windows to cost less than searching the whole text."""
        limit = len(text) // TEXT_PER_END if bounded \
            else int(len(text) * WINDOW_MAX_SHARE) // max(width or 1, 1)
        return self._all_ends(self._ends_database(index), text, limit)


def _collect(index: int, _start: int, _end: int, _flags: int, hits: set[int]) -> None:
    hits.add(index)


def _restore(ruleset: RuleSet, plan: Plan, compiled: Compiled, windows: WindowStore,
             timeout: float) -> MultiPatternMatcher:
    return MultiPatternMatcher(ruleset, plan, compiled, windows, timeout=timeout)
