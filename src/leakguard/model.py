"""Value types that flow through the pipeline.

Everything here is a frozen dataclass or an enum from the standard library, so every stage can be
tested with plain values and no stage can change what an earlier stage produced.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class _OrderedStrEnum(str, Enum):
    """A str enum whose members compare by declaration order, not alphabetically.

    Members are strings so that typer can use them as option types and JSON can hold them
    as-is; the order is what policies compare ("at most confidential here").
    """

    @property
    def rank(self) -> int:
        return list(type(self)).index(self)

    def _cmp_rank(self, other: object) -> int:
        if not isinstance(other, type(self)):
            return NotImplemented  # type: ignore[return-value]
        return self.rank - other.rank

    def __lt__(self, other: object) -> bool:
        result = self._cmp_rank(other)
        return result if result is NotImplemented else result < 0

    def __le__(self, other: object) -> bool:
        result = self._cmp_rank(other)
        return result if result is NotImplemented else result <= 0

    def __gt__(self, other: object) -> bool:
        result = self._cmp_rank(other)
        return result if result is NotImplemented else result > 0

    def __ge__(self, other: object) -> bool:
        result = self._cmp_rank(other)
        return result if result is NotImplemented else result >= 0

    __hash__ = str.__hash__

    def __str__(self) -> str:
        return self.value


class Level(_OrderedStrEnum):
    """How harmful disclosure would be; policies say which level may live where."""

    PUBLIC = "public"
    INTERNAL = "internal"
    CONFIDENTIAL = "confidential"
    RESTRICTED = "restricted"
    PROHIBITED = "prohibited"

    def below(self) -> Level:
        """The highest level that stays under this one (public has none below; it maps to itself)."""
        members = list(Level)
        return members[max(self.rank - 1, 0)]


class Confidence(_OrderedStrEnum):
    """How sure the engine is that a match is what the rule says; separate from the level."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    def raised(self) -> Confidence:
        members = list(Confidence)
        return members[min(self.rank + 1, len(members) - 1)]

    def lowered(self) -> Confidence:
        members = list(Confidence)
        return members[max(self.rank - 1, 0)]


class Category(str, Enum):
    """What kind of sensitive material a rule finds."""

    CREDENTIAL = "credential"
    PRIVATE_KEY = "private_key"
    PAYMENT = "payment"
    PII = "pii"
    HEALTH = "health"
    MARKING = "marking"
    PROVENANCE = "provenance"
    INFRASTRUCTURE = "infrastructure"
    CUSTOMER_DATA = "customer_data"
    BUSINESS = "business"
    ARTIFACT = "artifact"

    def __str__(self) -> str:
        return self.value


class OriginKind(str, Enum):
    """Where a chunk of text came from."""

    FILE = "file"
    STDIN = "stdin"
    BLOB = "blob"
    STAGED = "staged"
    DIFF = "diff"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Origin:
    """Identifies scanned content: a relative ``/`` path plus, when known, its git blob id.

    ``location`` names a place inside a container (an archive member, a sheet and cell) when
    the text was extracted from one.
    """

    path: str
    kind: OriginKind = OriginKind.FILE
    blob_id: str | None = None
    location: str | None = None


@dataclass(frozen=True)
class Chunk:
    """Text to scan and where it came from.

    ``lines`` restricts reporting to those 1-based line numbers (added lines of a diff) while the
    engine still sees the whole text, so multi-line patterns and context windows keep working.
    ``encoded`` is the text's UTF-8 form when the source bytes already are exactly that (the
    multi-pattern engine then scans them instead of encoding the text again), else None.
    """

    origin: Origin
    text: str = field(repr=False)
    size: int = 0
    lines: frozenset[int] | None = None
    encoded: bytes | None = field(default=None, repr=False, compare=False)


class SkipReason(str, Enum):
    """Why content was not scanned, or not scanned completely."""

    BINARY = "binary"
    TOO_LARGE = "too-large"
    UNREADABLE = "unreadable"
    SYMLINK = "symlink"
    REGEX_TIMEOUT = "regex-timeout"
    SUBMODULE = "submodule"
    CORRUPT = "corrupt"
    MALFORMED = "malformed"
    EXCLUDED = "excluded"
    UNSUPPORTED = "unsupported"
    ENCRYPTED = "encrypted"
    LIMIT = "limit"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Skipped:
    """Content a source or the engine could not scan; counted in the report, never silent."""

    origin: Origin
    reason: SkipReason
    detail: str = ""


@dataclass(frozen=True)
class InlineAllow:
    """A ``leakguard:allow`` directive found on (or just above) a match's line."""

    rule: str | None = None
    reason: str | None = None

    def covers(self, rule_id: str) -> bool:
        return self.rule is None or self.rule == rule_id


@dataclass(frozen=True)
class Match:
    """One hit of one rule in one chunk, before identity and policy are attached."""

    rule_id: str
    origin: Origin
    start: int
    end: int
    secret_start: int
    secret_end: int
    secret: str = field(repr=False)
    line: int = 1
    column: int = 1
    end_line: int = 1
    end_column: int = 1
    confidence: Confidence = Confidence.MEDIUM
    snippet: str = field(default="", repr=False)
    allow: InlineAllow | None = None
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class RuleInfo:
    """What reporters need to know about a rule (no compiled regexes, no examples)."""

    id: str
    name: str
    description: str
    category: Category
    level: Level
    confidence: Confidence
    remediation: str = ""
    references: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class CommitInfo:
    """A commit as evidence: who made it, when, and what it said."""

    sha: str
    author_name: str
    author_email: str
    date: str
    summary: str


@dataclass(frozen=True)
class History:
    """Where a finding lives in git: introduced by whom and when, removed or still present."""

    introduced: CommitInfo | None
    removed: CommitInfo | None = None
    present_at_head: bool = False
    refs: tuple[str, ...] = ()
    commits: int = 0


class SuppressionKind(str, Enum):
    """SARIF's two suppression kinds: in the scanned source, or in a file beside it."""

    IN_SOURCE = "inSource"
    EXTERNAL = "external"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Suppression:
    """Why a finding is not reported: the audit trail behind ``--show-suppressed``."""

    kind: SuppressionKind
    reason: str
    justification: str = ""


@dataclass(frozen=True)
class Finding:
    """A rule's secret at one path: the unit that baselines, ignores and policies talk about.

    ``fingerprint`` = H(rule id, path, secret) and ``secret_id`` = H(rule id, secret) are
    computed in ``findings.py`` only. ``secret`` is empty once the app has redacted the report.
    """

    rule_id: str
    level: Level
    category: Category
    confidence: Confidence
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    fingerprint: str
    secret_id: str
    redacted: str
    snippet: str = ""
    secret: str = field(default="", repr=False)
    blob_id: str | None = None
    location: str | None = None
    occurrences: int = 1
    lines: tuple[int, ...] = ()
    allowed_level: Level | None = None
    violation: bool = False
    suppression: Suppression | None = None
    history: History | None = None
    allow: InlineAllow | None = None
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class StaleEntry:
    """A baseline or ignore entry that matched nothing in this scan."""

    fingerprint: str
    rule_id: str
    path: str
    source: str


@dataclass(frozen=True)
class Stats:
    """Counts that tell a user what the scan covered and what it did not."""

    files_scanned: int = 0
    bytes_scanned: int = 0
    skipped: tuple[tuple[str, int], ...] = ()
    rule_timeouts: int = 0
    rules_loaded: int = 0
    duration_seconds: float = 0.0
    commits: int = 0
    blobs: int = 0

    @property
    def skipped_total(self) -> int:
        return sum(count for _, count in self.skipped)


@dataclass(frozen=True)
class Report:
    """Everything a reporter renders; reporters import nothing but this module."""

    tool_version: str
    root: str
    mode: str
    findings: tuple[Finding, ...]
    stats: Stats
    rules: dict[str, RuleInfo] = field(default_factory=dict)
    suppressed: tuple[Finding, ...] = ()
    stale: tuple[StaleEntry, ...] = ()
    warnings: tuple[str, ...] = ()
    skips: tuple[Skipped, ...] = ()
    fail_on: Level | None = None
    secrets_shown: bool = False
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def violations(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.violation)

    def findings_by_level(self) -> dict[Level, int]:
        counts = Counter(f.level for f in self.findings)
        return {level: counts.get(level, 0) for level in Level}

    def suppressed_by_reason(self) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for finding in self.suppressed:
            if finding.suppression is not None:
                counts[finding.suppression.reason] += 1
        return dict(sorted(counts.items()))
