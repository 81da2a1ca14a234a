"""Turn the over-approximating AST (``hsregex``) into a Hyperscan pattern over UTF-8 bytes.

Hyperscan runs in byte mode on the chunk's UTF-8 encoding. An ASCII character is one byte that
no multi-byte sequence contains, so ASCII sets stay exact. A set with a few non-ASCII characters
becomes an alternation of their byte sequences (exact too). A set with many non-ASCII characters
becomes "one of its ASCII bytes or any byte >= 0x80", repeated 1 to 4 times per character,
because a character is 1 to 4 bytes: ``x{m,n}`` becomes ``x{m,4n}`` in bytes. That keeps the
database small and fast to compile (Hyperscan's UTF-8 mode turns every wide class into a
multi-byte automaton) while every text the rule matches is still matched.

At the two ends of a pattern, a repeat shrinks to its minimum: if ``x{0,50}abc`` matches
somewhere, ``abc`` does, and the engine only needs to know *whether* a rule can match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import regex

from leakguard.engine.codepoints import Ranges, merge, size, split_ascii
from leakguard.engine.hschars import EMPTY, Node, Untranslatable, max_width
from leakguard.engine.hsregex import parse_with_reach

#: Up to this many non-ASCII characters, a set is spelled out as byte sequences.
SMALL_NON_ASCII = 8
#: A repeat in the middle of a pattern whose count may vary by more than this is made unbounded:
#: Hyperscan compiles and scans ``x{0,}`` far faster than ``x{0,80}``, and it only widens.
MAX_BOUNDED_SPAN = 16
#: Compile flags a translation can honour; any other (locale, full case folding, POSIX, fuzzy,
#: reverse, V1 behaviour) makes the rule fall back.
SUPPORTED_COMPILE_FLAGS = (regex.MULTILINE | regex.IGNORECASE | regex.DOTALL | regex.VERBOSE
                           | regex.UNICODE | regex.ASCII | regex.WORD | regex.V0)


#: A set with more ASCII members than this (a word character, "not a quote"...) matches at most
#: positions of a text: leading or trailing a pattern, it keeps Hyperscan busy for little gain.
WIDE_SET = 40


def _wide(node: Node) -> bool:
    if node.kind == "set":
        return size(split_ascii(node.ranges)[0]) > WIDE_SET
    if node.kind == "rep":
        return node.low == 0 or _wide(node.items[0])
    return False


#: A bounded repeat of at least this many characters is kept where it trails a pattern.
KEPT_TRAILING_REPEAT = 8


def _trailing_wide(node: Node) -> bool:
    """Wide and worth dropping at the end: not a bounded repeat of ``KEPT_TRAILING_REPEAT`` or
    more characters (a token's body, ``[A-Za-z0-9]{32}``), which costs Hyperscan nothing once
    the literal before it matched, and without which ``key=`` alone made a rule a candidate."""
    if node.kind == "rep" and node.high is not None and node.low >= KEPT_TRAILING_REPEAT:
        return False
    return _wide(node)


def trim_wide_edges(node: Node) -> Node:
    """Drop the wide items (``_wide``) that lead or trail each top-level branch, as long as a
    narrower item is left: every match of the pattern contains a match of what remains (a
    contiguous part of it), and Hyperscan scans literal-led patterns far faster."""
    if node.kind == "alt":
        return replace(node, items=tuple(trim_wide_edges(branch) for branch in node.items))
    if node.kind != "seq" or all(_wide(item) for item in node.items):
        return node
    items = list(node.items)
    while _wide(items[0]):
        items.pop(0)
    while _trailing_wide(items[-1]):
        items.pop()
    return items[0] if len(items) == 1 else replace(node, items=tuple(items))


def reduce_ends(node: Node) -> Node:
    """Shrink the repeats at either end of each top-level branch to their minimum count."""
    if node.kind == "alt":
        return Node("alt", items=tuple(reduce_ends(branch) for branch in node.items))
    items = list(node.items) if node.kind == "seq" else [node]
    for index in (0, -1):
        while items:
            item = items[index]
            if item.kind == "rep" and item.low == 0:
                items.pop(index)
                continue
            items[index] = replace(item, high=item.low if item.kind == "rep" else item.high,
                                   edge=True)
            break
    if not items:
        return EMPTY
    return items[0] if len(items) == 1 else Node("seq", items=tuple(items))


def _byte(code: int) -> str:
    return f"\\x{code:02x}"


def _ascii_class(ranges: Ranges, *, high_bytes: bool) -> str:
    if len(ranges) == 1 and ranges[0][0] == ranges[0][1] and not high_bytes:
        char = chr(ranges[0][0])
        return char if char.isalnum() else _byte(ranges[0][0])
    parts = [_byte(low) if low == high else f"{_byte(low)}-{_byte(high)}" for low, high in ranges]
    if high_bytes:
        parts.append("\\x80-\\xff")
    return "[" + "".join(parts) + "]"


def _set(ranges: Ranges, *, repeated: bool = False) -> tuple[str, bool]:
    """(pattern for one character of the set, whether it stands for 1 to 4 bytes).

    Inside a repeat, any non-ASCII member makes the set wide: a repeated alternation of byte
    sequences is what makes Hyperscan databases big and slow.
    """
    ascii_part, rest = split_ascii(ranges)
    if not rest:
        return _ascii_class(ascii_part, high_bytes=False), False
    if size(rest) <= SMALL_NON_ASCII and not repeated:
        options = [_ascii_class(ascii_part, high_bytes=False)] if ascii_part else []
        for low, high in rest:
            for code in range(low, high + 1):
                options.append("".join(_byte(b) for b in chr(code).encode("utf-8", "surrogatepass")))
        return "(?:" + "|".join(options) + ")", False
    return _ascii_class(ascii_part, high_bytes=True), True


def _count(low: int, high: int | None, relax: bool) -> str:
    if relax and high is not None and high - low > MAX_BOUNDED_SPAN:
        high = None
    if low == high:
        return f"{{{low}}}"
    return f"{{{low},{'' if high is None else high}}}"


def emit(node: Node, *, relax: bool = True) -> str:
    """Hyperscan syntax (byte mode) for an AST produced by ``parse`` and ``reduce_ends``.

    ``relax`` makes wide bounded repeats unbounded (smaller, faster databases); the window
    database keeps them exact so that it reports fewer ends.
    """
    if node.kind == "set":
        text, scaled = _set(node.ranges)
        return text if not scaled or node.edge else text + "{1,4}"
    if node.kind == "seq":
        return "".join(emit(item, relax=relax) for item in node.items)
    if node.kind == "alt":
        return "(?:" + "|".join(emit(item, relax=relax) for item in node.items) + ")"
    if node.kind == "rep":
        inner = node.items[0]
        if inner.kind == "set":
            text, scaled = _set(inner.ranges, repeated=True)
            if scaled:
                high = node.low if node.edge else None if node.high is None else 4 * node.high
                return text + _count(node.low, high, relax)
            return text + _count(node.low, node.high, relax)
        return f"(?:{emit(inner, relax=relax)})" + _count(node.low, node.high, relax)
    return ""


def bounded_prefix(node: Node) -> Node | None:
    """The longest leading part of ``node`` whose matches have a bounded length: every match of
    ``node`` starts with a match of it (None when even the first item is unbounded)."""
    if max_width(node) is not None:
        return node
    if node.kind == "alt":
        branches = [bounded_prefix(branch) for branch in node.items]
        if any(branch is None for branch in branches):
            return None
        return Node("alt", items=tuple(b for b in branches if b is not None))
    if node.kind != "seq":
        return None
    prefix: list[Node] = []
    for item in node.items:
        if max_width(item) is None:
            break
        prefix.append(item)
    return Node("seq", items=tuple(prefix)) if prefix else None


def ascii_only(node: Node) -> Node | None:
    """``node`` for texts that are all ASCII: every non-ASCII member dropped (such a text holds
    none), a branch that needs one left out. None when nothing is left: the pattern cannot match
    an ASCII text at all. Simpler sets make much faster databases (no multi-byte sequences)."""
    if node.kind == "set":
        ascii_part, _ = split_ascii(node.ranges)
        return replace(node, ranges=ascii_part) if ascii_part else None
    if node.kind == "seq":
        items = [ascii_only(item) for item in node.items]
        if any(item is None for item in items):
            return None
        kept = tuple(item for item in items if item is not None and item.kind != "empty")
        if not kept:
            return EMPTY
        return kept[0] if len(kept) == 1 else replace(node, items=kept)
    if node.kind == "alt":
        kept = tuple(branch for branch in map(ascii_only, node.items) if branch is not None)
        filled = tuple(branch for branch in kept if branch.kind != "empty")
        if not kept:
            return None
        if not filled:
            return EMPTY
        choice = filled[0] if len(filled) == 1 else replace(node, items=filled)
        # A branch left empty makes the whole choice optional, as in the parser.
        return choice if len(filled) == len(kept) else Node("rep", items=(choice,), low=0, high=1)
    if node.kind == "rep":
        inner = ascii_only(node.items[0])
        if inner is None:
            return EMPTY if node.low == 0 else None
        return EMPTY if inner.kind == "empty" else replace(node, items=(inner,))
    return node


@dataclass(frozen=True)
class Translation:
    """A rule's Hyperscan patterns: ``expression`` matches at least every text the rule matches;
    ``ascii_expression`` at least every all-ASCII text it matches (None: it matches no such
    text). ``window_expression`` and ``window_width`` bound where its matches can start in ASCII
    text (see ``windows``), when they can be bounded."""

    expression: bytes
    ascii_expression: bytes | None = None
    window_expression: bytes | None = None
    window_width: int | None = None
    tree: Node | None = field(default=None, compare=False, repr=False)
    #: How far past its start a match, with whatever its assertions look at after it, can
    #: reach (None: unbounded): a search bounded there finds the same matches starting before.
    reach: int | None = None
    #: Whether no match holds a line break, and how far past a match's end its assertions can
    #: look (None: unbounded): then a match lies on the line where its translation ends.
    single_line: bool = False
    ahead: int | None = None
    #: For all-ASCII text, ``ascii_expression`` behind the guard its leading lookbehind allows
    #: (``leading_guard``): a second, more selective check once the main database has made
    #: the rule a candidate (None: no guard).
    guard_expression: bytes | None = None


def translate(pattern: str, flags: int = regex.MULTILINE | regex.V0) -> Translation:
    """Hyperscan patterns (byte mode, UTF-8 input) for ``pattern``; see ``Translation``.

    ``flags`` are the compiled pattern's flags (``Pattern.flags``, inline ones included).
    Raises ``Untranslatable`` when no superset pattern can be promised.
    """
    if flags & ~SUPPORTED_COMPILE_FLAGS:
        raise Untranslatable(f"unsupported compile flags {flags & ~SUPPORTED_COMPILE_FLAGS:#x}")
    tree, ahead = parse_with_reach(pattern, caseless=bool(flags & regex.IGNORECASE),
                                   dotall=bool(flags & regex.DOTALL))
    longest = max_width(tree)
    reach = None if longest is None or ahead is None else longest + ahead
    reduced = reduce_ends(trim_wide_edges(tree))
    if reduced.kind == "empty":
        raise Untranslatable("the pattern can match an empty string")
    expression = emit(reduced).encode("ascii")
    narrowed = ascii_only(reduced)
    guard_expression: bytes | None = None
    if narrowed is None:
        ascii_expression = None
    else:
        narrowed = reduce_ends(trim_wide_edges(narrowed))
        # Dropping non-ASCII branches can leave only optional parts: keep the general pattern.
        ascii_expression = expression if narrowed.kind == "empty" else emit(narrowed).encode("ascii")
        prefix = _guarded(leading_guard(pattern, flags, tree), tree, narrowed)
        if prefix:
            guard_expression = prefix + ascii_expression
    window: bytes | None = None
    width: int | None = None
    prefix = bounded_prefix(tree)
    narrowed_prefix = ascii_only(prefix) if prefix is not None else None
    if prefix is not None and narrowed_prefix is not None:
        reduced_prefix = reduce_ends(narrowed_prefix)
        if reduced_prefix.kind != "empty":
            window, width = emit(reduced_prefix, relax=False).encode("ascii"), max_width(prefix)
    single_line = not holds_newline(tree)
    if window is None and single_line and ascii_expression is not None:
        window = ascii_expression  # any part of a match ends on the match's line
    return Translation(expression, ascii_expression, window, width, tree, reach, single_line,
                       ahead, guard_expression)


#: A pattern that opens (after its global inline flags) with a negative lookbehind of one
#: character class: ``(?<![\w.+/=-])``, ``(?<!\w)``.
_LEADING_LOOKBEHIND = re.compile(
    r"^(?P<flags>(?:\(\?[a-zA-Z]+\))*)\(\?<!(?P<body>\[(?:\\.|[^\]\\])+\]|\\[wWdDsS])\)")


def leading_guard(pattern: str, flags: int, tree: Node) -> bytes | None:
    """For a pattern whose every match begins right after a character its leading negative
    lookbehind rejects (or at the text's start): a Hyperscan class of the bytes that may precede
    a match, to put before the translation (``(?:^|[...])``); None when there is no such guard.

    Assertions otherwise translate to nothing, which for a rule like a card number (twelve
    digits or more, not inside a longer number) makes every long number a candidate: a
    quarter of sympy's blobs, each then searched by the rule's ``regex``. The guard is not put
    in the main databases (a wide class before a pattern slowed the whole database by a third)
    but checked in a database of its own where the rule is a candidate. The guard keeps the
    superset promise: at a match's start the text either begins or holds a character outside
    the lookbehind's class; the class is read from ``regex`` itself for the 128 ASCII
    characters (case folding included) and admits every byte of a non-ASCII one.
    """
    found = _LEADING_LOOKBEHIND.match(pattern)
    if found is None or tree.kind != "seq" or not tree.items:
        return None  # a top-level alternation: the lookbehind guards its first branch only
    first = tree.items[0]
    leading = first.items[0] if first.kind == "rep" and first.low >= 1 else first
    if leading.kind != "set" or not _digits_only(leading):
        return None
    lookbehind = regex.compile(f"{found.group('flags')}(?<!{found.group('body')})", flags)
    allowed = merge([(code, code) for code in range(128)
                     if lookbehind.match(chr(code), 1) is not None])
    return _ascii_class(allowed, high_bytes=True).encode("ascii")


def _digits_only(node: Node) -> bool:
    """Whether the ASCII characters a set admits are all digits.

    Only matches that start with a digit get a guard: numbers run long in code and data, so
    "not inside a longer number" is what makes such a rule selective. Before a rare literal
    (``\\+`` of a phone number) or a letter class, the guard made Hyperscan up to 1.8x slower
    on sympy's blobs for almost no fewer candidates.
    """
    ascii_ranges = split_ascii(node.ranges)[0]
    return bool(ascii_ranges) and all(low >= 0x30 and high <= 0x39 for low, high in ascii_ranges)


def _guarded(guard: bytes | None, tree: Node, reduced: Node) -> bytes:
    """The guard's prefix when ``reduced`` still begins with the pattern's first item, as it is
    (trimming a wide or optional first item, or shrinking a repeat ``x{1,9}`` to ``x``, moves
    where the translation's match begins: ``x=`` ends, not starts, where ``x{1,9}=`` does)."""
    if guard is None or reduced.kind != "seq" or not reduced.items:
        return b""
    if replace(reduced.items[0], edge=False) != tree.items[0]:
        return b""
    return b"(?:^|" + guard + b")"


def holds_newline(node: Node) -> bool:
    """Whether a match of ``node`` can contain a line feed."""
    if node.kind == "set":
        return any(low <= 10 <= high for low, high in node.ranges)
    return any(holds_newline(item) for item in node.items)


def keyword_pattern(keyword: str, *, ascii_text: bool = True) -> bytes | None:
    """A pattern that matches a text exactly when ``keyword in text.lower()``: for all-ASCII
    text (ASCII letters in either case; None when no such text can hold the keyword), or for
    any text without ``fold_characters`` (every character whose lower case holds the keyword's
    character; None when a character of the keyword can come out of a lowering's tail)."""
    if not keyword:
        return None
    if ascii_text:
        if not keyword.isascii():
            return None
        nodes = []
        for char in keyword:
            code = ord(char)
            codes = {code, ord(char.upper())} if char.isalpha() else {code}
            nodes.append(Node("set", ranges=tuple(sorted((c, c) for c in codes))))
        return emit(Node("seq", items=tuple(nodes))).encode("ascii")
    from leakguard.engine.codepoints import fold_characters, lowering_sources, lowering_tails, merge

    if any(char in lowering_tails() for char in keyword):
        return None
    sources, excluded = lowering_sources(), fold_characters()
    nodes = []
    for char in keyword:
        codes = [ord(char), *(ord(s) for s in sources.get(char, ()) if s not in excluded)]
        nodes.append(Node("set", ranges=merge([(code, code) for code in codes])))
    return emit(Node("seq", items=tuple(nodes))).encode("ascii")
