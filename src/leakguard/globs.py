"""Gitignore-style glob sets, compiled the cheap way.

pathspec 1.x picks the "best" backend available, which is Hyperscan when it is installed: a
database compile costs ~50 ms per spec, and leakguard builds one spec per rule path filter, per
policy path and per ``.gitignore`` met in a walk. A handful of globs matched one path at a time
is exactly what the plain backend is for, so every spec is built through here.
"""

from __future__ import annotations

from collections.abc import Iterable

import pathspec


def gitignore_spec(lines: Iterable[str]) -> pathspec.PathSpec:
    """Compile gitignore-style lines with pathspec's plain backend where it can be chosen."""
    lines = list(lines)
    try:
        return pathspec.GitIgnoreSpec.from_lines(lines, backend="simple")
    except TypeError:  # pathspec < 1.0 has one backend and no ``backend`` argument
        return pathspec.GitIgnoreSpec.from_lines(lines)
