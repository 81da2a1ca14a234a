"""Pick the engine for a run: Hyperscan when it is installed, the pure ``regex`` engine otherwise.

Both engines return identical matches (``multipattern`` explains why); the choice only changes
speed. ``--engine regex`` forces the fallback, ``--engine hyperscan`` insists on Hyperscan.
"""

from __future__ import annotations

import importlib.util
from enum import Enum
from pathlib import Path

from leakguard.engine.matcher import DEFAULT_REGEX_TIMEOUT, Matcher
from leakguard.errors import UsageError
from leakguard.rules.rule import RuleSet


class EngineChoice(str, Enum):
    """``--engine``: how chunks are matched against the rules."""

    AUTO = "auto"
    HYPERSCAN = "hyperscan"
    REGEX = "regex"

    def __str__(self) -> str:
        return self.value


def hyperscan_available() -> bool:
    """Whether the ``hyperscan`` package imports here (wheels exist for common platforms)."""
    if importlib.util.find_spec("hyperscan") is None:
        return False
    try:
        import hyperscan  # noqa: F401
    except ImportError:
        return False
    return True


def build_matcher(ruleset: RuleSet, *, timeout: float = DEFAULT_REGEX_TIMEOUT,
                  engine: EngineChoice = EngineChoice.AUTO,
                  cache_dir: Path | None = None) -> tuple[Matcher, tuple[str, ...]]:
    """The matcher for ``engine`` and any warnings a user should see.

    ``cache_dir`` holds compiled databases between runs (None: compile every time).
    """
    if engine is EngineChoice.REGEX or len(ruleset) == 0:
        return Matcher(ruleset, timeout=timeout), ()
    if not hyperscan_available():
        if engine is EngineChoice.HYPERSCAN:
            raise UsageError("--engine hyperscan needs the 'hyperscan' package "
                             "(pip install hyperscan); use --engine auto or regex")
        return Matcher(ruleset, timeout=timeout), ()
    from leakguard.engine.dbcache import DatabaseUnavailable, load_or_build
    from leakguard.engine.multipattern import MultiPatternMatcher

    try:
        built = load_or_build(ruleset, cache_dir)
    except DatabaseUnavailable as exc:
        return Matcher(ruleset, timeout=timeout), (f"{exc}; using the regex engine",)
    try:
        matcher = MultiPatternMatcher(ruleset, built.plan, built.compiled, built.windows,
                                      timeout=timeout)
    except Exception as exc:  # a database built elsewhere (other CPU) that does not load here
        if not built.from_cache or cache_dir is None:
            raise
        built = load_or_build(ruleset, None)
        matcher = MultiPatternMatcher(ruleset, built.plan, built.compiled, built.windows,
                                      timeout=timeout)
        return matcher, (f"the cached engine database did not load ({exc}); recompiled",)
    return matcher, built.warnings
