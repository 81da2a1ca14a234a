"""Regular expressions compiled on first use, for the many a run may never need.

Shipped rules and the validators' shape tests are several hundred patterns; compiling them all
at start-up (``regex`` compiles slowly) costs more than a small scan.
"""

from __future__ import annotations

import regex


class LazyPattern:
    """A pattern compiled on first use, standing in for the ``regex.Pattern``.

    Shipped rules are compiled this way: most of several hundred never run on a given chunk
    (the prefilter rules them out), so a run pays only for those it needs. The first call of a
    method compiles the pattern and puts the compiled pattern's bound methods and attributes on
    this object, so later calls go straight to them. Shipped patterns are known to compile (the
    test suite compiles every one); users' rules are compiled at load, where a bad pattern fails
    with its file, line and rule.
    """

    _METHODS = ("finditer", "search", "match", "fullmatch", "findall", "sub", "subn", "split")
    _ATTRIBUTES = ("flags", "groupindex", "groups", "pattern")

    def __init__(self, source: str, flags: int) -> None:
        self._source = source
        self._flags = flags

    def compiled(self) -> regex.Pattern:
        compiled = regex.compile(self._source, self._flags)
        for name in (*self._METHODS, *self._ATTRIBUTES):
            setattr(self, name, getattr(compiled, name))
        return compiled

    def __getattr__(self, name: str) -> object:
        if name in self._METHODS or name in self._ATTRIBUTES:
            return getattr(self.compiled(), name)
        raise AttributeError(name)

    def __reduce__(self) -> tuple[type[LazyPattern], tuple[str, int]]:
        return LazyPattern, (self._source, self._flags)


def lazy_compile(source: str, flags: int = 0) -> regex.Pattern:
    """``regex.compile`` on first use; for module-level patterns known to compile (the tests
    exercise every one)."""
    return LazyPattern(source, flags)  # type: ignore[return-value]
