"""Character-level parsing for the Hyperscan translation: literals, escapes and classes.

Each yields a ``set`` node, an explicit set of code points. The ASCII part is whatever ``regex``
itself says the construct matches among the 128 ASCII characters (``codepoints.ascii_members``);
the non-ASCII part is exact for characters and ranges written in the pattern and widened to
every non-ASCII character wherever Unicode properties or case folding come in. See ``hsregex``
for why a superset is what the engine needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import regex

from leakguard.engine.codepoints import (
    ALL_NON_ASCII,
    MAX_CODEPOINT,
    Ranges,
    ascii_members,
    merge,
    singles,
    subtract,
)

_SIMPLE_ESCAPES = {"a": 7, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11}
_CLASS_ESCAPES = frozenset("dDsSwWpP")
#: ``\G`` is left out on purpose: it depends on where the previous match ended, which the
#: windowed search (``windows``) does not reproduce.
_ZERO_WIDTH_ESCAPES = frozenset("bBAZzmM")


class Untranslatable(ValueError):
    """The pattern uses a construct this translator does not model; the rule falls back."""


@dataclass(frozen=True)
class Node:
    """A tiny regex AST: ``set`` (one character of these code point ranges), ``seq``, ``alt``,
    ``rep`` (``items[0]`` repeated ``low`` to ``high`` times, None = unbounded) or ``empty``.

    ``edge`` marks an item at either end of the pattern, where any part of a match suffices.
    """

    kind: str
    ranges: Ranges = ()
    items: tuple[Node, ...] = ()
    low: int = 0
    high: int | None = None
    edge: bool = False


EMPTY = Node("empty")


def max_width(node: Node) -> int | None:
    """The most characters a match of ``node`` can span (None: unbounded)."""
    if node.kind == "set":
        return 1
    if node.kind in ("seq", "alt"):
        widths = [max_width(item) for item in node.items]
        if any(width is None for width in widths):
            return None
        return sum(widths) if node.kind == "seq" else max(widths)  # type: ignore[arg-type]
    if node.kind == "rep":
        inner = max_width(node.items[0])
        return None if node.high is None or inner is None else inner * node.high
    return 0


def ascii_characters(node: Node) -> frozenset[str]:
    """The ASCII characters a match of ``node`` can hold (assertions are empty nodes, so what
    lookarounds inspect is not counted: it lies outside the match)."""
    if node.kind == "set":
        return frozenset(chr(code) for low, high in node.ranges
                         for code in range(low, min(high, 127) + 1))
    found: frozenset[str] = frozenset()
    for item in node.items:
        found |= ascii_characters(item)
    return found


class CharacterParser:
    """The cursor over a pattern and everything below the level of groups and repeats."""

    def __init__(self, pattern: str, *, caseless: bool, dotall: bool, verbose: bool) -> None:
        self.text = pattern
        self.pos = 0
        self.caseless = caseless
        self.dotall = dotall
        self.verbose = verbose
        self.scopes: list[tuple[bool, bool]] = []
        #: Whether an assertion looks at the character after its position (``$``, ``\b``...).
        self.peeks = False

    def peek(self, offset: int = 0) -> str:
        index = self.pos + offset
        return self.text[index] if index < len(self.text) else ""

    def fail(self, what: str) -> Untranslatable:
        return Untranslatable(f"{what} at position {self.pos}")

    def skip_verbose(self) -> None:
        while self.verbose and self.pos < len(self.text):
            char = self.text[self.pos]
            if char.isspace():
                self.pos += 1
            elif char == "#":
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end < 0 else end + 1
            else:
                return

    def is_caseless(self) -> bool:
        return self.caseless or any(scope[0] for scope in self.scopes)

    def is_dotall(self) -> bool:
        return self.dotall or any(scope[1] for scope in self.scopes)

    def literal(self, code: int) -> Node:
        caseless = self.is_caseless()
        if code < 128:
            if not caseless or not chr(code).isalpha():
                return Node("set", ranges=((code, code),))
            members = ascii_members(regex.escape(chr(code)), True)
            return Node("set", ranges=merge(singles(members)))
        if not caseless:
            return Node("set", ranges=((code, code),))
        members = ascii_members(regex.escape(chr(code)), True)
        return Node("set", ranges=merge([*singles(members), *ALL_NON_ASCII]))

    def backreference(self, number: int | None) -> Node:
        raise NotImplementedError

    def escape(self) -> Node:
        self.pos += 1
        char = self.peek()
        if not char:
            raise self.fail("a trailing backslash")
        if char in _ZERO_WIDTH_ESCAPES:
            self.pos += 1
            self.peeks = self.peeks or char != "A"
            return EMPTY
        if char in _CLASS_ESCAPES:
            source = self.class_escape_source()
            members = ascii_members(f"[{source}]", self.is_caseless())
            return Node("set", ranges=merge([*singles(members), *ALL_NON_ASCII]))
        if char == "g":
            found = re.compile(r"g<([^>]+)>").match(self.text, self.pos)
            if found is None:
                raise self.fail("a malformed \\g reference")
            self.pos = found.end()
            ref = found.group(1)
            return self.backreference(int(ref) if ref.isdigit() else self.names.get(ref))
        if char.isdigit():
            return self.digit_escape()
        return self.literal(self.char_escape())

    def class_escape_source(self) -> str:
        """The text of ``\\d``, ``\\p{Lu}``, ``\\pL``... starting at the letter; advances past it."""
        start = self.pos - 1
        letter = self.peek()
        self.pos += 1
        if letter in "pP":
            if self.peek() == "{":
                end = self.text.find("}", self.pos)
                if end < 0:
                    raise self.fail("an unterminated property")
                self.pos = end + 1
            else:
                self.pos += 1
        return self.text[start:self.pos]

    def digit_escape(self) -> Node:
        digits = self.text[self.pos:self.pos + 3]
        if digits[0] == "0" or (len(digits) == 3 and all(d in "01234567" for d in digits)):
            return self.literal(self.octal())
        count = 2 if digits[1:2].isdigit() else 1
        number = int(self.text[self.pos:self.pos + count])
        self.pos += count
        return self.backreference(number)

    def octal(self) -> int:
        found = re.compile(r"[0-7]{1,3}").match(self.text, self.pos)
        if found is None:
            raise self.fail("a bad octal escape")
        value = int(found.group(), 8)
        if value > 0o377:
            raise self.fail("an octal escape above \\377")
        self.pos = found.end()
        return value

    def char_escape(self) -> int:
        """A single-character escape (after the backslash); advances past it."""
        char = self.peek()
        self.pos += 1
        if char in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[char]
        widths = {"x": 2, "u": 4, "U": 8}
        if char in widths:
            digits = self.text[self.pos:self.pos + widths[char]]
            if len(digits) != widths[char] or not all(d in "0123456789abcdefABCDEF" for d in digits):
                raise self.fail(f"a malformed \\{char} escape")
            self.pos += widths[char]
            value = int(digits, 16)
            if value > MAX_CODEPOINT:
                raise self.fail("a code point above U+10FFFF")
            return value
        if char.isascii() and char.isalnum():
            raise self.fail(f"the escape \\{char}")
        return ord(char)

    # -- character classes ---------------------------------------------------------------------

    def char_class(self) -> Node:
        start = self.pos
        self.pos += 1
        negated = self.peek() == "^"
        if negated:
            self.pos += 1
        explicit: list[tuple[int, int]] = []
        wide = False
        first = True
        while True:
            char = self.peek()
            if not char:
                raise self.fail("an unterminated class")
            if char == "]" and not first:
                self.pos += 1
                break
            first = False
            low, is_class = self.class_item()
            if is_class:
                wide = True
                continue
            high = low
            if self.peek() == "-" and self.peek(1) not in ("]", ""):
                self.pos += 1
                high, is_class = self.class_item()
                if is_class or high < low:
                    raise self.fail("a bad class range")
            explicit.append((low, high))
        caseless = self.is_caseless()
        members = ascii_members(self.text[start:self.pos], caseless)
        non_ascii = [(max(low, 0x80), high) for low, high in explicit if high >= 0x80]
        if negated:
            rest = subtract(ALL_NON_ASCII, merge(non_ascii))
            ranges = merge([*singles(members), *rest])
        else:
            extra: list[tuple[int, int]] = list(non_ascii)
            if wide or (caseless and non_ascii):
                extra.extend(ALL_NON_ASCII)
            ranges = merge([*singles(members), *extra])
        if not ranges:
            raise self.fail("a class that matches nothing")
        return Node("set", ranges=ranges)

    def class_item(self) -> tuple[int, bool]:
        """One class member: (code point, False) or (-1, True) for a class escape or POSIX class."""
        char = self.peek()
        if char == "[" and self.peek(1) in (":", "=", "."):
            if self.peek(1) != ":":
                raise self.fail("a collating element")
            end = self.text.find(":]", self.pos + 2)
            if end < 0:
                raise self.fail("an unterminated POSIX class")
            self.pos = end + 2
            return -1, True
        if char != "\\":
            self.pos += 1
            return ord(char), False
        self.pos += 1
        letter = self.peek()
        if letter in _CLASS_ESCAPES:
            self.class_escape_source()
            return -1, True
        if letter == "b":
            self.pos += 1
            return 8, False
        if letter in "01234567":
            return self.octal(), False
        if letter in "89N":
            raise self.fail(f"the class escape \\{letter}")
        return self.char_escape(), False
