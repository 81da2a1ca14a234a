"""What the multi-pattern engine compiles for a ruleset, and which rules stay outside it.

A plan is built once per ruleset (``plan_for``), compiled into Hyperscan databases, checked
against the rules' own examples (``hscheck``) and stored with the databases (``dbcache``), so a
later run with the same rules needs neither translation, compile nor check.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from leakguard.engine.hsemit import Translation
    from leakguard.rules.rule import Rule, RuleSet

#: Bumped whenever translation or plan building changes, so cached databases are rebuilt.
PLAN_VERSION = "14"

#: Words every chunk is asked about outside the rules (the Kubernetes Secret decoder's): the
#: databases report them too, so the answer costs nothing beyond the scan already made.
MARKERS = ("Secret",)

#: Rules whose longest match exceeds this are always searched over the whole chunk.
MAX_WINDOW = 4096


@dataclass(frozen=True)
class Plan:
    """Hyperscan expressions for the rules of one ruleset (``size`` rules, in ruleset order).

    Every expression's id is its rule's index, so a database reports rule indices directly.
    ``expressions``: one per translated rule, for any text. ``ascii_expressions``: the same
    rules for text that is all ASCII (non-ASCII alternatives dropped, which such a text cannot
    match); a translated rule missing there cannot match ASCII text at all.
    ``windows``: (rule index, width, expression) for rules that may be searched near the ends of
    ``expression`` only (every match starts within ``width`` characters before one, in ASCII
    text). ``fallbacks``: (rule id, why) for rules kept out of the databases: they run behind
    their keywords, as in the ``regex`` engine, or on every chunk when they have none.
    ``fold_characters``: chunks holding one of these go to the ``regex`` engine's path.
    ``implied``: translated rules every match of which contains one of their keywords
    (``factors``), so that a chunk without a keyword cannot match them anyway: their keywords
    need not be looked for. ``keywords``: the other translated rules' keywords; the databases
    also report keyword ``k`` (as id ``size + k``) where ``keyword in text.lower()``, so that
    chunks need no keyword search of their own (a keyword a database cannot report, such as a
    non-ASCII one for the ASCII database, has no pattern there). ``scoped``: translated rules
    limited to some paths (``paths: include``), kept out of the main databases in databases of
    their own, scanned only for chunks at a path they apply to (most files are none of the
    ``.properties``, ``.tf``, ``.csv``... these rules are written for). ``reaches``: (rule
    index, reach) for windowed rules whose matches, with what their assertions look at, end
    within ``reach`` characters of their start: each window is then one bounded search.
    ``lines``: (rule index, ahead) for windowed rules whose matches never hold a line break and
    whose assertions look at most ``ahead`` characters past a match: a match then lies on the
    line where the window expression ended, and that line bounds the search. A window's
    ``width`` is None for such rules when their matches have no bounded prefix. ``guards``:
    (rule index, expression) for rules whose matches start after a character their leading
    lookbehind rejects (``hsemit.leading_guard``): in all-ASCII text such a rule stays a
    candidate only if this more selective expression matches too. ``markers``: words (case
    as given) the databases also report, as ids after the keywords', so that a chunk's scan
    also says whether it holds them (``MARKERS``). ``requires``: (rule index, expression,
    before, after, longest, reach, characters) for rules reported only with a ``require``
    context near the match, all of whose such contexts translate: ``expression`` finds (a part
    of) every text those contexts can match, ``before``/``after`` are the largest distances
    they are looked for at, ``longest`` the rule's longest match, ``reach`` how far past its
    start a match's assertions look, and ``characters`` every ASCII character a match can
    hold (see ``windows.required_regions``).
    """

    size: int
    expressions: tuple[tuple[int, bytes], ...]
    ascii_expressions: tuple[tuple[int, bytes], ...] = ()
    windows: tuple[tuple[int, int | None, bytes], ...] = ()
    fallbacks: tuple[tuple[str, str], ...] = ()
    fold_characters: str = ""
    implied: tuple[int, ...] = ()
    keywords: tuple[str, ...] = ()
    scoped: tuple[int, ...] = ()
    reaches: tuple[tuple[int, int], ...] = ()
    lines: tuple[tuple[int, int], ...] = ()
    guards: tuple[tuple[int, bytes], ...] = ()
    markers: tuple[str, ...] = ()
    requires: tuple[tuple[int, bytes, int, int, int, int, str], ...] = ()

    @property
    def translated(self) -> frozenset[int]:
        return frozenset(index for index, _ in self.expressions if index < self.size)

    def to_json(self) -> str:
        return json.dumps({
            "size": self.size,
            "expressions": [[i, e.decode("ascii")] for i, e in self.expressions],
            "ascii_expressions": [[i, e.decode("ascii")] for i, e in self.ascii_expressions],
            "windows": [[index, width, expr.decode("ascii")] for index, width, expr in self.windows],
            "fallbacks": [list(f) for f in self.fallbacks],
            "fold_characters": self.fold_characters,
            "implied": list(self.implied),
            "keywords": list(self.keywords),
            "scoped": list(self.scoped),
            "reaches": [list(r) for r in self.reaches],
            "lines": [list(r) for r in self.lines],
            "guards": [[index, expr.decode("ascii")] for index, expr in self.guards],
            "markers": list(self.markers),
            "requires": [[index, expr.decode("ascii"), *rest] for index, expr, *rest
                         in self.requires],
        })

    @classmethod
    def from_json(cls, text: str) -> Plan:
        data = json.loads(text)
        return cls(
            size=data["size"],
            expressions=tuple((i, e.encode("ascii")) for i, e in data["expressions"]),
            ascii_expressions=tuple((i, e.encode("ascii")) for i, e in data["ascii_expressions"]),
            windows=tuple((index, width, expr.encode("ascii")) for index, width, expr in data["windows"]),
            fallbacks=tuple((rule_id, reason) for rule_id, reason in data["fallbacks"]),
            fold_characters=data["fold_characters"],
            implied=tuple(data["implied"]),
            keywords=tuple(data["keywords"]),
            scoped=tuple(data["scoped"]),
            reaches=tuple((index, reach) for index, reach in data["reaches"]),
            lines=tuple((index, ahead) for index, ahead in data["lines"]),
            guards=tuple((index, expr.encode("ascii")) for index, expr in data["guards"]),
            markers=tuple(data["markers"]),
            requires=tuple((index, expr.encode("ascii"), before, after, longest, reach, chars)
                           for index, expr, before, after, longest, reach, chars
                           in data["requires"]),
        )


@dataclass(frozen=True)
class Compiled:
    """A plan's serialized Hyperscan databases (block mode): ``database`` and
    ``ascii_database`` report each translated rule at most once per scan (but the scoped
    ones); ``scoped`` (rule index, general database, ASCII database) each scoped rule's own
    databases (empty bytes: none needed). Window databases come from a ``WindowStore``."""

    database: bytes = b""
    ascii_database: bytes = b""
    scoped: tuple[tuple[int, bytes, bytes], ...] = ()


def plan_for(ruleset: RuleSet, refused: frozenset[bytes] = frozenset(),
             demoted: Mapping[str, str] | None = None) -> Plan:
    """Translate every rule. Rules whose expression Hyperscan refused (``refused``) or that
    failed the engine check (``demoted``: rule id -> why) fall back to their keywords.

    The translation modules are imported here, not at the top: a run whose databases come from
    the disk cache never needs them.
    """
    from leakguard.engine.codepoints import fold_characters
    from leakguard.engine.factors import implies_keyword
    from leakguard.engine.hsemit import Untranslatable, keyword_pattern, translate

    demoted = demoted or {}
    expressions: list[tuple[int, bytes]] = []
    ascii_expressions: list[tuple[int, bytes]] = []
    windows: list[tuple[int, int | None, bytes]] = []
    fallbacks: list[tuple[str, str]] = []
    implied: list[int] = []
    reaches: list[tuple[int, int]] = []
    lines: list[tuple[int, int]] = []
    guards: list[tuple[int, bytes]] = []
    requires: list[tuple[int, bytes, int, int, int, int, str]] = []
    for index, rule in enumerate(ruleset):
        try:
            if rule.id in demoted:
                raise Untranslatable(demoted[rule.id])
            if not hasattr(rule.regex, "flags"):
                # A computed matcher (the policy's hashed dictionaries) has no pattern to
                # translate; it runs on every chunk, as it would without Hyperscan.
                raise Untranslatable("computed matcher, not a regular expression")
            translation = translate(rule.spec.pattern, rule.regex.flags)
            if translation.expression in refused or translation.ascii_expression in refused:
                raise Untranslatable("Hyperscan refused the translation")
        except Untranslatable as exc:
            fallbacks.append((rule.id, str(exc)))
            continue
        expressions.append((index, translation.expression))
        if translation.tree is not None and implies_keyword(translation.tree, rule.keywords):
            implied.append(index)
        if translation.ascii_expression is not None:
            ascii_expressions.append((index, translation.ascii_expression))
        if translation.guard_expression is not None and translation.guard_expression not in refused:
            guards.append((index, translation.guard_expression))
        width, window = translation.window_width, translation.window_expression
        if width is not None and width > MAX_WINDOW:
            width = None
        by_line = translation.single_line and translation.ahead is not None
        required = _required(rule, translation, refused)
        if required is not None:
            requires.append((index, *required))
        if window is not None and window not in refused and (width is not None or by_line):
            windows.append((index, width, window))
            if translation.reach is not None and width is not None:
                reaches.append((index, translation.reach))
            if by_line and translation.ahead is not None:
                lines.append((index, translation.ahead))
    rules = list(ruleset)
    translated = {index for index, _ in expressions}
    keywords = sorted({keyword for index in translated - set(implied)
                       for keyword in rules[index].keywords})
    for number, keyword in enumerate(keywords):
        for target, ascii_text in ((ascii_expressions, True), (expressions, False)):
            pattern = keyword_pattern(keyword, ascii_text=ascii_text)
            if pattern is not None and pattern not in refused:
                target.append((len(rules) + number, pattern))
    first_marker = len(rules) + len(keywords)
    for number, word in enumerate(MARKERS):
        pattern = "".join(f"\\x{ord(char):02x}" for char in word).encode("ascii")
        if pattern not in refused:
            expressions.append((first_marker + number, pattern))
            ascii_expressions.append((first_marker + number, pattern))
    scoped = tuple(index for index in sorted(translated) if rules[index].path_include is not None)
    return Plan(len(ruleset), tuple(expressions), tuple(ascii_expressions), tuple(windows),
                tuple(fallbacks), fold_characters(), tuple(implied), tuple(keywords), scoped,
                tuple(reaches), tuple(lines), tuple(guards), MARKERS, tuple(requires))


def _required(rule: Rule, translation: Translation, refused: frozenset[bytes]
              ) -> tuple[bytes, int, int, int, int, str] | None:
    """``Plan.requires``'s entry for a rule (without its index), or None when its matches
    are not bounded or one of its ``require`` contexts cannot be translated."""
    from leakguard.engine.hschars import ascii_characters, max_width
    from leakguard.engine.hsemit import Untranslatable, translate

    contexts = [c for c in rule.context if c.spec.effect == "require"]
    tree, reach = translation.tree, translation.reach
    longest = max_width(tree) if tree is not None else None
    if not contexts or longest is None or reach is None or longest > MAX_WINDOW:
        return None
    parts = []
    for context in contexts:
        try:
            part = translate(context.spec.pattern, context.regex.flags).ascii_expression
        except Untranslatable:
            return None
        if part is None:
            return None
        parts.append(b"(?:" + part + b")")
    expression = b"|".join(parts)
    characters = ascii_characters(tree)
    if expression in refused or "\n" in characters:
        return None  # a match may span lines: too few places where no match can be under way
    return (expression, max(c.spec.before for c in contexts),
            max(c.spec.after for c in contexts), longest, reach, "".join(sorted(characters)))
