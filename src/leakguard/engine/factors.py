"""Does every match of a rule contain one of its keywords? Then checking them is redundant.

The ``regex`` engine runs a rule only when one of its keywords occurs in the lower-cased chunk;
the Hyperscan engine must do the same to report the same matches. But when every text the rule
matches contains one of its keywords anyway (``PGPASSWORD=…`` and the keyword ``pgpassword``),
a chunk without the keyword has no match, and the check (a search of the whole chunk per
keyword) can be skipped. That is decided here, once per ruleset, from the translation's AST
(``hsregex``: a superset of the rule's matches, so whatever all its matches contain, all the
rule's matches contain).

Only ASCII is reasoned about: a set of code points counts as a literal when all its members are
ASCII, and a caseless letter is its two ASCII cases. Chunks holding a character that folds to an
ASCII letter (KELVIN SIGN...) take the ``regex`` engine's path, keyword check included, so
ASCII reasoning is exact where it is used. Lower-casing is per character for ASCII, so a text
holding ``PGPASSWORD`` lower-cases to one holding ``pgpassword``.
"""

from __future__ import annotations

from collections.abc import Sequence

from leakguard.engine.hschars import Node

#: Literal alternatives are expanded up to this many strings.
MAX_OPTIONS = 64


def options(node: Node) -> frozenset[str] | None:
    """The lower-cased strings ``node`` can match, when they are few and all ASCII."""
    if node.kind == "empty":
        return frozenset({""})
    if node.kind == "set":
        if size(node) > 8 or any(high > 0x7F for _low, high in node.ranges):
            return None
        return frozenset(chr(code).lower() for low, high in node.ranges for code in range(low, high + 1))
    if node.kind == "seq":
        return _product([options(item) for item in node.items])
    if node.kind == "alt":
        found: set[str] = set()
        for branch in node.items:
            branch_options = options(branch)
            if branch_options is None:
                return None
            found |= branch_options
        return frozenset(found) if len(found) <= MAX_OPTIONS else None
    if node.kind == "rep" and node.high is not None and node.high <= 4:
        inner = options(node.items[0])
        if inner is None:
            return None
        found = set()
        for count in range(node.low, node.high + 1):
            repeated = _product([inner] * count)
            if repeated is None:
                return None
            found |= repeated
        return frozenset(found) if len(found) <= MAX_OPTIONS else None
    return None


def size(node: Node) -> int:
    return sum(high - low + 1 for low, high in node.ranges)


def _product(parts: Sequence[frozenset[str] | None]) -> frozenset[str] | None:
    result = frozenset({""})
    for part in parts:
        if part is None:
            return None
        result = frozenset(a + b for a in result for b in part)
        if len(result) > MAX_OPTIONS:
            return None
    return result


def _all_hold(strings: frozenset[str], keywords: Sequence[str]) -> bool:
    return all(any(keyword in string for keyword in keywords) for string in strings)


def implies_keyword(node: Node, keywords: Sequence[str]) -> bool:
    """True when every match of ``node`` contains one of ``keywords`` (lower-cased)."""
    if not keywords:
        return False
    literal = options(node)
    if literal is not None:
        return _all_hold(literal, keywords)
    if node.kind == "alt":
        return all(implies_keyword(branch, keywords) for branch in node.items)
    if node.kind == "rep":
        return node.low >= 1 and implies_keyword(node.items[0], keywords)
    if node.kind != "seq":
        return False
    items = node.items
    if any(implies_keyword(item, keywords) for item in items):
        return True
    # A keyword may span several items: try every run of consecutive literal items.
    for start in range(len(items)):
        run: frozenset[str] | None = frozenset({""})
        for item in items[start:]:
            run = _product([run, options(item)])
            if run is None:
                break
            if _all_hold(run, keywords):
                return True
    return False
