"""Parse a rule's ``regex`` pattern (V0 syntax) into a small AST that over-approximates it.

The multi-pattern engine only asks Hyperscan *whether* (and roughly where) a rule can match a
chunk; the rule's own ``regex`` then finds the exact matches. That is correct as long as every
text the rule matches is also matched by its translation (a superset). This parser builds that
superset by construction rather than by hoping two regex dialects agree:

- zero-width assertions (``\\b``, ``^``, ``$``, lookarounds) become empty: dropping an
  assertion only adds matches;
- every character class, escape, dot and literal becomes an explicit set of code points. Its
  ASCII part is computed by asking ``regex`` itself which of the 128 ASCII characters it matches
  (so ``\\s``, ``\\w``, ``[^...]`` and case folding are exact there); its non-ASCII part is
  exact for listed characters and ranges and widened to "any non-ASCII character" wherever
  Unicode tables or case folding could differ between engines;
- case-insensitivity covers the whole pattern as soon as any ``(?i)`` appears (``(?-i:`` is
  ignored). The few non-ASCII characters that fold to ASCII letters (KELVIN SIGN, LONG S, ...,
  ``codepoints.fold_characters``) are left out: a chunk holding one takes the ``regex`` path;
- backreferences become a copy of their group; atomic groups, lazy and possessive quantifiers
  become ordinary ones;
- anything not understood raises ``Untranslatable`` and the rule falls back to ``regex``.

``hsemit`` turns the AST into Hyperscan syntax.
"""

from __future__ import annotations

import re

from leakguard.engine.codepoints import ALL_NON_ASCII, merge
from leakguard.engine.hschars import EMPTY, CharacterParser, Node, max_width

_QUANTIFIER = re.compile(r"\{(\d+)\}|\{(\d*),(\d*)\}")
#: After an atom, a brace that may open a fuzzy-matching constraint (``{e<=1}``, ``{i,d}``,
#: ``{1<=s<=2:[a-z]}``): anything with a comparison, or only error-type letters.
_FUZZY = re.compile(r"\{(?=[^}]*[<=])|\{[eids, ]+\}")
_FLAGS_GROUP = re.compile(r"\(\?([a-zA-Z]*)(?:-([a-zA-Z]+))?([:)])")
_GROUP_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: Flags that change nothing a superset translation cares about (``m``: anchors are dropped;
#: ``a``/``u``: ASCII parts are exact and non-ASCII parts are widened either way; ``w``: only
#: changes ``\b``, which is dropped).
_HARMLESS_FLAGS = frozenset("muaw")


class _Parser(CharacterParser):
    """Recursive descent over one pattern in ``regex`` V0 syntax: groups, alternation, repeats."""

    def __init__(self, pattern: str, *, caseless: bool, dotall: bool, verbose: bool) -> None:
        super().__init__(pattern, caseless=caseless, dotall=dotall, verbose=verbose)
        self.groups: dict[int, tuple[Node, bool]] = {}
        self.names: dict[str, int] = {}
        self.group_count = 0
        self.global_flags: set[str] = set()
        #: The longest text each lookahead can inspect (None: unbounded).
        self.lookaheads: list[int | None] = []

    # -- structure -----------------------------------------------------------------------------

    def parse(self) -> Node:
        node = self.alternation()
        if self.pos != len(self.text):
            raise self.fail("unbalanced ')'")
        return node

    def alternation(self) -> Node:
        branches = [self.sequence()]
        while self.peek() == "|":
            self.pos += 1
            branches.append(self.sequence())
        if len(branches) == 1:
            return branches[0]
        filled = tuple(b for b in branches if b.kind != "empty")
        if not filled:
            return EMPTY
        node = filled[0] if len(filled) == 1 else Node("alt", items=filled)
        # An empty branch makes the whole alternation optional: (?:^|x) is (?:x)?.
        return node if len(filled) == len(branches) else Node("rep", items=(node,), low=0, high=1)

    def sequence(self) -> Node:
        items: list[Node] = []
        while True:
            self.skip_verbose()
            char = self.peek()
            if char in ("", "|", ")"):
                break
            atom = self.atom()
            items.append(self.quantified(atom))
        items = [i for i in items if i.kind != "empty"]
        flat: list[Node] = []
        for item in items:
            flat.extend(item.items if item.kind == "seq" else (item,))
        if not flat:
            return EMPTY
        return flat[0] if len(flat) == 1 else Node("seq", items=tuple(flat))

    def quantified(self, atom: Node) -> Node:
        self.skip_verbose()
        char = self.peek()
        if char == "*":
            low, high, self.pos = 0, None, self.pos + 1
        elif char == "+":
            low, high, self.pos = 1, None, self.pos + 1
        elif char == "?":
            low, high, self.pos = 0, 1, self.pos + 1
        elif char == "{" and (found := _QUANTIFIER.match(self.text, self.pos)):
            if found.group(1) is not None:
                low = high = int(found.group(1))
            else:
                low = int(found.group(2) or 0)
                high = int(found.group(3)) if found.group(3) else None
            self.pos = found.end()
        else:
            if char == "{" and (self.verbose or _FUZZY.match(self.text, self.pos)):
                raise self.fail("a fuzzy constraint (or a brace in verbose mode)")
            return atom
        if high is not None and high < low:
            raise self.fail("a repeat whose maximum is below its minimum")
        if self.peek() in ("?", "+"):  # lazy or possessive: same set of texts matched
            self.pos += 1
        self.skip_verbose()
        if self.peek() in ("*", "+", "?") or (self.peek() == "{" and _QUANTIFIER.match(self.text, self.pos)):
            raise self.fail("a repeated repeat")
        if atom.kind == "empty" or high == 0:
            return EMPTY
        if low == high == 1:
            return atom
        return Node("rep", items=(atom,), low=low, high=high)

    # -- atoms ---------------------------------------------------------------------------------

    def atom(self) -> Node:
        char = self.peek()
        if char == "(":
            return self.group()
        if char == "[":
            return self.char_class()
        if char == ".":
            self.pos += 1
            ascii_part = [(0, 127)] if self.is_dotall() else [(0, 9), (11, 127)]
            return Node("set", ranges=merge([*ascii_part, *ALL_NON_ASCII]))
        if char in ("^", "$"):
            self.peeks = self.peeks or char == "$"
            self.pos += 1
            return EMPTY
        if char == "\\":
            return self.escape()
        if char in ("*", "+", "?"):
            raise self.fail("nothing to repeat")
        if char == "{" and _QUANTIFIER.match(self.text, self.pos):
            raise self.fail("nothing to repeat")
        self.pos += 1
        return self.literal(ord(char))

    def group(self) -> Node:
        start = self.pos
        self.pos += 1
        if self.peek() != "?":
            return self.capture(None)
        rest = self.text[self.pos:]
        if rest.startswith("?:") or rest.startswith("?>"):
            self.pos += 2
            return self.close(self.alternation())
        if rest.startswith(("?=", "?!")) or rest.startswith(("?<=", "?<!")):
            ahead = rest[1] in "=!"
            self.pos += 2 if ahead else 3
            inside = self.close(self.alternation())
            if ahead:
                self.lookaheads.append(max_width(inside))
            return EMPTY
        if rest.startswith("?#"):
            end = self.text.find(")", self.pos)
            if end < 0:
                raise self.fail("an unterminated comment")
            self.pos = end + 1
            return EMPTY
        if rest.startswith("?P="):
            name, self.pos = self.name(self.pos + 3, ")")
            return self.backreference(self.names.get(name))
        if rest.startswith("?P<") or (rest.startswith("?<") and rest[2:3] not in ("=", "!")):
            name, self.pos = self.name(self.pos + (3 if rest[1] == "P" else 2), ">")
            return self.capture(name)
        found = _FLAGS_GROUP.match(self.text, start)
        if found is None:
            raise self.fail("an unsupported group")
        on, off, end = set(found.group(1)), set(found.group(2) or ""), found.group(3)
        unsupported = (on | off) - _HARMLESS_FLAGS - {"i", "s", "x"}
        if unsupported:
            raise self.fail(f"unsupported inline flag(s) {''.join(sorted(unsupported))}")
        self.pos = found.end()
        if end == ")":
            if "x" in on and start != 0:
                raise self.fail("a verbose flag that is not at the start")
            self.global_flags |= on
            return EMPTY
        if "x" in on | off:
            raise self.fail("a scoped verbose flag")
        self.scopes.append(("i" in on, "s" in on))
        node = self.alternation()
        self.scopes.pop()
        return self.close(node)

    def name(self, at: int, terminator: str) -> tuple[str, int]:
        end = self.text.find(terminator, at)
        if end < 0 or not _GROUP_NAME.fullmatch(self.text[at:end]):
            raise self.fail("a malformed group name")
        return self.text[at:end], end + 1

    def capture(self, name: str | None) -> Node:
        self.group_count += 1
        number = self.group_count
        if name is not None:
            self.names[name] = number
        node = self.close(self.alternation())
        self.groups[number] = (node, self.is_caseless())
        return node

    def close(self, node: Node) -> Node:
        if self.peek() != ")":
            raise self.fail("a missing ')'")
        self.pos += 1
        return node

    def backreference(self, number: int | None) -> Node:
        if number is None or number not in self.groups:
            raise self.fail("a backreference to a group that is not closed before it")
        node, caseless = self.groups[number]
        if self.is_caseless() and not caseless:
            raise self.fail("a caseless backreference to a case-sensitive group")
        return node




def global_flags(pattern: str) -> tuple[set[str], bool]:
    """Flags set by unscoped ``(?flags)`` groups anywhere, and whether ``x`` opens the pattern."""
    verbose = bool(re.match(r"\(\?[a-zA-Z]*x[a-zA-Z]*\)", pattern))
    probe = _Parser(pattern, caseless=False, dotall=False, verbose=verbose)
    probe.parse()
    return probe.global_flags, verbose


def parse(pattern: str, *, caseless: bool = False, dotall: bool = False) -> Node:
    """The over-approximating AST of ``pattern``; raises ``Untranslatable``."""
    return parse_with_reach(pattern, caseless=caseless, dotall=dotall)[0]


def parse_with_reach(pattern: str, *, caseless: bool = False, dotall: bool = False
                     ) -> tuple[Node, int | None]:
    """The AST and how far past the end of a match the pattern may look (lookaheads and
    assertions such as ``$`` and ``\\b``): None when a lookahead is unbounded. Summing every
    lookahead bounds any nesting of them."""
    flags, verbose = global_flags(pattern)
    parser = _Parser(pattern, caseless=caseless or "i" in flags, dotall=dotall or "s" in flags,
                     verbose=verbose)
    tree = parser.parse()
    if any(width is None for width in parser.lookaheads):
        return tree, None
    return tree, sum(w for w in parser.lookaheads if w is not None) + (2 if parser.peeks else 0)
