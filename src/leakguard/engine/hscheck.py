"""Check compiled databases against the engine before trusting them.

The translation is built to match a superset of what each rule matches, but a database is only
as good as the library that runs it: Vectorscan 5.4.12 (in the ``hyperscan`` wheels from 0.7.23
to at least 0.9.1) misses matches of some valid patterns on x86-64, depending on where they fall
in the buffer. That lost ``db.client-password-env`` in ``PGPASSWORD=… pg_dump`` and
``generic.keyed-call`` in ``os.environ.get("SECRET_KEY", "…")``. Two checks keep such a defect
from ever costing a finding:

* ``engine_defects``: patterns (minimised from those misses) and texts they must match. A
  library that misses one is not used at all; the regex engine runs instead, with a warning.
* ``missed_rules``: every rule's own examples, embedded at many offsets and lengths (SIMD code
  goes wrong at vector boundaries), through the engine built on the compiled databases. A rule
  it does not run where the ``regex`` engine would find a match is taken out of the databases
  and runs behind its keywords.

Both run when a database is built; the result is cached with it (the cache key holds the
library's version), so a normal start pays nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from leakguard.engine.plan import Compiled, Plan
from leakguard.model import Chunk, Origin
from leakguard.rules.rule import Rule, RuleSet

#: (pattern, text it must match): minimised false negatives of Vectorscan 5.4.12 on x86-64.
KNOWN_DEFECTS: tuple[tuple[bytes, bytes], ...] = (
    (rb"(?:PGPASSWORD|MONGO_INITDB_ROOT_PASSWORD|SA_PASSWORD)[\x09\x20]{0,3}=",
     b"x" * 15 + b"PGPASSWORD=" + b"x" * 9),
    (rb"\([\x09\x20]*[\x22\x27][\x2d-\x2e\x30-\x39\x41-\x5a\x5f\x61-\x7a]*(?:[Ss][Ee]|[Tt][Ii][Aa][Ll])",
     b' os.environ.get("SERETKEY","8wLpQ7"'),
)
#: Padding before and after each example: both sides of 16, 32 and 64-byte boundaries.
PAD_BEFORE = (0, 1, 3, 7, 14, 15, 16, 17, 30, 31, 33, 47, 62, 63)
PAD_AFTER = (0, 5, 9, 33)


def _hits(database: Any, data: bytes) -> set[int]:
    found: set[int] = set()
    database.scan(data, match_event_handler=lambda i, _f, _t, _x, _c: found.add(i))
    return found


def engine_defects() -> list[str]:
    """Descriptions of known defects this Hyperscan library shows (empty: none)."""
    import hyperscan

    patterns = [pattern for pattern, _ in KNOWN_DEFECTS]
    if not patterns:
        return []
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(expressions=patterns, ids=list(range(len(patterns))), elements=len(patterns),
                     flags=[hyperscan.HS_FLAG_SINGLEMATCH] * len(patterns))
    missed = []
    for number, (pattern, text) in enumerate(KNOWN_DEFECTS):
        if number not in _hits(database, text):
            missed.append(f"misses {pattern[:40]!r}… in {text[:40]!r}")
    return missed


def variants(example: str) -> Iterator[str]:
    """``example`` on a line of its own among padding of many lengths, ASCII and not, and in
    upper and lower case: the texts ``missed_rules`` checks."""
    for before in PAD_BEFORE:
        for after in PAD_AFTER:
            yield f"{'a' * before}\n{example}\n{'b' * after}"
    for before in (0, 13, 31):
        yield f"{'é' * before}\n{example}\n{'ü' * 9}"
    yield example.upper()
    yield example.lower()


def missed_rules(ruleset: RuleSet, plan: Plan, compiled: Compiled) -> dict[str, str]:
    """Rule id -> what the engine missed, for translated rules that the Hyperscan engine does
    not make candidates on a variant of their examples (at the example's path) where the
    ``regex`` engine would run them and their regex matches."""
    from leakguard.engine.multipattern import MultiPatternMatcher

    engine = MultiPatternMatcher(ruleset, plan, compiled)
    rules: Sequence[Rule] = tuple(ruleset)
    missed: dict[str, str] = {}
    for index in sorted(plan.translated):
        rule = rules[index]
        for example in rule.spec.examples:
            if not rule.applies_to(example.path):
                continue
            for text in variants(example.text):
                if any(c in text for c in plan.fold_characters) or not rule.regex.search(text):
                    continue
                lowered = text.lower()
                if rule.keywords and not any(keyword in lowered for keyword in rule.keywords):
                    continue
                chunk = Chunk(Origin(example.path), text, size=len(text))
                if rule not in engine.candidate_rules(chunk):
                    missed[rule.id] = f"the Hyperscan engine missed its example {text.strip()[:40]!r}"
                    break
            if rule.id in missed:
                break
    return missed


def window_sound(rule: Rule, index: int, plan: Plan, database: Any) -> bool:
    """Whether every window strategy the rule may use finds what ``finditer`` finds, on its
    examples inside a text long enough to be searched in windows (checked once per process,
    when the rule's window database is first loaded)."""
    from leakguard.engine.multipattern import WINDOW_MIN_TEXT
    from leakguard.engine.windows import (
        line_regions,
        search_regions,
        windowed_matches,
        windowed_search,
    )

    texts = [example.text for example in rule.spec.examples if example.text.isascii()]
    if not texts:
        return True
    width = next((w for i, w, _e in plan.windows if i == index), None)
    reach, ahead = dict(plan.reaches).get(index), dict(plan.lines).get(index)
    padding = "x" * WINDOW_MIN_TEXT
    text = padding + "".join(f"\n{t}\n{padding[:97]}" for t in texts)
    expected = [m.span() for m in rule.regex.finditer(text)]
    ends = database_ends(database, text.encode("ascii"))
    found: list[list] = []
    if width is not None:
        found.append(windowed_matches(rule.regex, text, ends, width, 10.0))
        if reach is not None:
            found.append(windowed_search(rule.regex, text, ends, width, reach, 10.0))
    if ahead is not None:
        found.append(search_regions(rule.regex, text, line_regions(text, ends, width, ahead, reach),
                                    10.0))
    return all([m.span() for m in matches] == expected for matches in found)


def database_ends(database: Any, data: bytes) -> list[int]:
    """Every end offset a database reports."""
    ends: list[int] = []
    database.scan(data, match_event_handler=lambda _i, _f, end, _x, _c: ends.append(end))
    return ends
