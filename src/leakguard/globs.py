"""Gitignore-style glob sets, compiled the cheap way.

pathspec 1.x picks the "best" backend available, which is Hyperscan when it is installed: a
database compile costs ~50 ms per spec, and leakguard builds one spec per rule path filter, per
policy path and per ``.gitignore`` met in a walk. A handful of globs matched one path at a time
is exactly what the plain backend is for, so every spec is built through here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pathspec
from pathspec.util import normalize_file

_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


def gitignore_spec(lines: Iterable[str]) -> pathspec.PathSpec:
    """Compile gitignore-style lines with pathspec's plain backend where it can be chosen."""
    lines = list(lines)
    try:
        return pathspec.GitIgnoreSpec.from_lines(lines, backend="simple")
    except TypeError:  # pathspec < 1.0 has one backend and no ``backend`` argument
        return pathspec.GitIgnoreSpec.from_lines(lines)


def _joined(patterns: list) -> re.Pattern[str] | None:
    """One expression matching where any of pathspec's ``patterns`` matches (their own regular
    expressions, named groups made plain); None when there are none or one is not a regex."""
    if not patterns or not all(isinstance(getattr(p, "regex", None), re.Pattern)
                               for p in patterns):
        return None
    return re.compile(_factored([_NAMED_GROUP.sub("(?:", p.regex.pattern) for p in patterns]))


#: How pathspec writes "at any depth" (a glob without an inner slash, or led by ``**/``)...
_ANY_DEPTH = "^(?:.+/)?"
#: ... "as a whole file or folder name" ...
_WHOLE_NAME = "(?:(?:/)|$)"
#: ... and a leading ``*`` within a name.
_NAME_START = "[^/]*"
_QUANTIFIERS = ("*", "+", "?", "{")


def _factored(expressions: list[str]) -> str:
    """One expression for the union of ``expressions`` (pathspec's), their shared parts
    written once.

    Python's ``re`` tries alternatives one at a time, and each of pathspec's begins by
    backtracking over the whole path (``^(?:.+/)?``): joined side by side, the shipped rules'
    include globs took 19 µs a path, most of a tree scan's path matching; factored, 1.4 µs.
    Union distributes over concatenation, so the answer is the same. An expression whose
    parts cannot be split off safely (one with a top-level ``|``, or a quantifier right after
    a shared part) is kept whole. (The expressions compile, so a name cannot end in a lone
    backslash that would escape the shared end.)
    """
    starred: list[str] = []
    named: list[str] = []
    anywhere: list[str] = []
    kept: list[str] = []
    for expression in expressions:
        rest = expression[len(_ANY_DEPTH):]
        if not expression.startswith(_ANY_DEPTH) or rest.startswith(_QUANTIFIERS) \
                or _has_top_level_bar(expression):
            kept.append(expression)
            continue
        name = rest[:-len(_WHOLE_NAME)]
        if not rest.endswith(_WHOLE_NAME):
            anywhere.append(rest)
        elif name.startswith(_NAME_START) \
                and not name[len(_NAME_START):].startswith(_QUANTIFIERS):
            starred.append(name[len(_NAME_START):])
        else:
            named.append(name)
    names = [f"(?:{name})" for name in named]
    if starred:
        names.append(_NAME_START + _any_of(starred))
    parts = [f"{_ANY_DEPTH}{_any_of(names)}{_WHOLE_NAME}"] if names else []
    if anywhere:
        parts.append(_ANY_DEPTH + _any_of(anywhere))
    return "|".join(f"(?:{part})" for part in [*parts, *kept])


def _any_of(expressions: list[str]) -> str:
    return "(?:" + "|".join(f"(?:{expression})" for expression in expressions) + ")"


def _has_top_level_bar(expression: str) -> bool:
    """Whether ``|`` splits ``expression`` outside every group and character class."""
    depth = 0
    in_class = False
    position = 0
    while position < len(expression):
        char = expression[position]
        if char == "\\":
            position += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            # a "]" first in the class (after an optional "^") is a member, not its end
            if expression.startswith("^]", position + 1):
                position += 2
            elif expression.startswith("]", position + 1):
                position += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
        position += 1
    return False


class GitignoreFile:
    """One ``.gitignore``: its verdict on a path, answered by one expression when no pattern
    matches at all (most paths), as a tree walk asks for every file against every file met.

    pathspec tries the patterns one by one; sympy's ``.gitignore`` made that 84,000 calls and
    most of the walk's time.
    """

    def __init__(self, lines: Iterable[str]) -> None:
        self.spec = gitignore_spec(lines)
        self._any = _joined([p for p in self.spec.patterns if p.include is not None])

    def verdict(self, path: str) -> bool | None:
        """True ignored, False re-included by a ``!`` pattern, None when no pattern matches."""
        if self._any is not None and self._any.search(normalize_file(path)) is None:
            return None
        return self.spec.check_file(path).include


class GlobSet:
    """A gitignore-style glob set that answers "does any glob take this path" with one regex.

    A rule's ``paths`` globs are asked about every file a scan meets; pathspec tries its
    patterns one by one, which cost a tree scan of sympy a fifth of its matching time. Without
    negations (``!glob``) gitignore's "last match wins" is simply "any match", so the patterns'
    own regular expressions are joined into one; with negations pathspec decides.

    ``lazy`` (the shipped packs, whose globs are known to parse) compiles on first use: most
    rules' globs are never asked about, since ``PathScopes`` answers for the common path, and
    compiling all 27 cost every process 40 ms.
    """

    def __init__(self, lines: Iterable[str], *, lazy: bool = False) -> None:
        self.lines = tuple(lines)
        self._compiled: tuple[pathspec.PathSpec, re.Pattern[str] | None] | None = None
        if not lazy:
            self._compile()

    def _compile(self) -> tuple[pathspec.PathSpec, re.Pattern[str] | None]:
        if self._compiled is None:
            spec = gitignore_spec(self.lines)
            patterns = [p for p in spec.patterns if p.include is not None]
            self._compiled = spec, _joined(patterns) if all(p.include for p in patterns) else None
        return self._compiled

    @property
    def spec(self) -> pathspec.PathSpec:
        return self._compile()[0]

    @property
    def _joined(self) -> re.Pattern[str] | None:
        return self._compile()[1]

    @property
    def joined(self) -> bool:
        """True when one expression answers (no negations): then sets can be merged."""
        return self._joined is not None

    def match_file(self, path: str) -> bool:
        spec, joined = self._compiled or self._compile()
        if joined is None:
            return spec.match_file(path)
        return joined.match(normalize_file(path)) is not None

    def __getstate__(self) -> tuple[str, ...]:
        return self.lines  # compiled again where it is used: patterns pickle as their source

    def __setstate__(self, lines: tuple[str, ...]) -> None:
        self.lines = lines
        self._compiled = None
