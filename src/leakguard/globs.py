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
    return re.compile("|".join(f"(?:{_NAMED_GROUP.sub('(?:', p.regex.pattern)})"
                               for p in patterns))


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
