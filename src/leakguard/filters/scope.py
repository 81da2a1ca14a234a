"""What a scan looked at, so that "not found" can be told apart from "not looked for".

A baseline or ignore entry is stale only when the scan covered the place it points to and did
not find it there. Scanning one file (a pre-commit hook), excluding a folder, or skipping a file
that grew too large must not make every other entry look fixed, or ``baseline update`` would
prune live entries and the next full scan would report them as new: the churn this tool exists
to avoid.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pathspec

from leakguard.globs import gitignore_spec

WHOLE_ROOT = ""


@dataclass(frozen=True)
class Coverage:
    """The scan's targets (relative ``/`` paths; ``""`` is the whole root), minus what it skipped.

    ``skipped`` holds paths the scan was asked to read but could not read completely (too large,
    unreadable, a rule timing out there); ``excludes`` are the ``--exclude`` globs.
    """

    targets: tuple[str, ...] = (WHOLE_ROOT,)
    skipped: frozenset[str] = frozenset()
    excludes: tuple[str, ...] = ()
    _spec: pathspec.PathSpec | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.excludes:
            object.__setattr__(self, "_spec", gitignore_spec(self.excludes))

    @classmethod
    def of(cls, targets: Iterable[str], skipped: Iterable[str] = (),
           excludes: Iterable[str] = ()) -> Coverage:
        normal = tuple(sorted({t.strip("/") if t not in (".", "./") else WHOLE_ROOT
                               for t in targets}))
        return cls(normal, frozenset(skipped), tuple(excludes))

    @property
    def whole_root(self) -> bool:
        """True when every file under the root was in scope (ignore entries carry no path)."""
        return WHOLE_ROOT in self.targets and not self.excludes

    def _under_skipped(self, path: str) -> bool:
        """The path itself or a folder holding it was skipped (an unreadable folder)."""
        if "." in self.skipped or WHOLE_ROOT in self.skipped:
            return True
        parts = path.split("/")
        return any("/".join(parts[:n]) in self.skipped for n in range(1, len(parts) + 1))

    def covers(self, path: str) -> bool:
        """True when a finding at ``path`` would have been found had it been there."""
        if self.skipped and self._under_skipped(path):
            return False
        if self._spec is not None and self._spec.match_file(path):
            return False
        return any(t == WHOLE_ROOT or path == t or path.startswith(t + "/") for t in self.targets)
