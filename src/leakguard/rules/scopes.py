"""Which path-scoped rules a path rules out, asked once per file a scan meets.

A rule's ``paths: include/exclude`` globs (``Rule.applies_to``) are checked for every file
against every scoped rule (27 in the shipped packs), which cost a tree scan of sympy about a
tenth of its time. Most paths match none of the globs at all: one expression made of every
include glob, and one of every exclude glob, answer that for all the rules at once, and only
a path matching one of them is checked rule by rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, TypeVar

from leakguard.globs import GlobSet
from leakguard.rules.rule import Rule

K = TypeVar("K")


class PathScopes(Generic[K]):
    """The scoped rules among ``rules`` (each under a caller's key: an index, an id)."""

    def __init__(self, rules: Iterable[tuple[K, Rule]]) -> None:
        self.scoped = tuple((key, rule) for key, rule in rules
                            if rule.path_include is not None or rule.path_exclude is not None)
        self._including = tuple(key for key, rule in self.scoped if rule.path_include is not None)
        self._any_include = _union(rule.spec.paths_include for _k, rule in self.scoped)
        self._any_exclude = _union(rule.spec.paths_exclude for _k, rule in self.scoped)
        self._merged = all(glob is None or glob.joined
                           for glob in (self._any_include, self._any_exclude))

    def excluded(self, path: str) -> tuple[K, ...]:
        """The keys of the scoped rules that do not apply at ``path``, in the rules' order."""
        if self._merged \
                and (self._any_include is None or not self._any_include.match_file(path)) \
                and (self._any_exclude is None or not self._any_exclude.match_file(path)):
            return self._including  # no include glob takes it, no exclude glob drops it
        return tuple(key for key, rule in self.scoped if not rule.applies_to(path))


def _union(globs: Iterable[tuple[str, ...]]) -> GlobSet | None:
    lines = [line for patterns in globs for line in patterns]
    return GlobSet(lines) if lines else None
