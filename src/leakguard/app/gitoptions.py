"""Which git mode a scan runs, as the command line gives it: kept apart from the git modes so
that a tree scan's command line is read without importing them."""

from __future__ import annotations

from dataclasses import dataclass

from leakguard.errors import UsageError


@dataclass(frozen=True)
class GitOptions:
    """Which git mode to run, as given on the command line."""

    history: bool = False
    refs: tuple[str, ...] = ()
    include_unreachable: bool = False
    since: str | None = None
    range: str | None = None
    staged: bool = False

    @property
    def mode(self) -> str | None:
        """``history``, ``range``, ``staged`` or None (a tree scan); conflicts are errors."""
        chosen = [name for name, on in (
            ("--history/--ref/--include-unreachable",
             self.history or bool(self.refs) or self.include_unreachable),
            ("--since/--range", self.since is not None or self.range is not None),
            ("--staged", self.staged)) if on]
        if len(chosen) > 1:
            raise UsageError(f"{' and '.join(chosen)} cannot be combined; choose one git mode")
        if self.since is not None and self.range is not None:
            raise UsageError("--since and --range cannot be combined; --since REV means REV..HEAD")
        if not chosen:
            return None
        return {"--history/--ref/--include-unreachable": "history", "--since/--range": "range",
                "--staged": "staged"}[chosen[0]]
