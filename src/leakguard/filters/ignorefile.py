"""``.leakguardignore``: one fingerprint per line, an optional ``# reason``, and its filter.

Entries are content fingerprints, H(rule id, path, secret), so an ignored finding stays ignored
when its line moves and a *different* secret on the same line is not hidden (gitleaks' positional
``file:rule:line`` fingerprints get both wrong: gitleaks#2239). Entries that match nothing are
reported as stale so the file does not silently rot (gitleaks PR #2244).

Parsing and appending take and return text; only the CLI and the app read and write the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import regex

from leakguard.errors import ConfigError, ConfigErrors, UsageError
from leakguard.filters.scope import Coverage
from leakguard.model import Finding, StaleEntry, Suppression, SuppressionKind

IGNORE_FILE_NAME = ".leakguardignore"
REASON = "ignore-file"
_LINE = regex.compile(r"^\s*(?P<fp>\S+?)\s*(?:#\s*(?P<reason>.*?))?\s*$")
_FINGERPRINT = regex.compile(r"^[0-9a-fA-F]{32}$")
#: gitleaks writes ``commit:file:rule:line`` or ``file:rule:line``; say so instead of "bad hex".
_GITLEAKS_LIKE = regex.compile(r"^\S+:\S+:\d+$")


@dataclass(frozen=True)
class IgnoreEntry:
    fingerprint: str
    reason: str
    line: int


@dataclass(frozen=True)
class IgnoreFile:
    """The parsed file; the first entry for a fingerprint wins (a union merge may repeat one)."""

    source: str
    entries: tuple[IgnoreEntry, ...] = ()
    _index: dict[str, IgnoreEntry] = field(default_factory=dict, init=False, repr=False,
                                           compare=False)

    def __post_init__(self) -> None:
        for entry in self.entries:
            self._index.setdefault(entry.fingerprint, entry)

    def find(self, fingerprint: str) -> IgnoreEntry | None:
        return self._index.get(fingerprint)


def normalise_fingerprint(value: str, where: str) -> str:
    """Lowercase a 32-hex-digit fingerprint, or raise naming ``where`` and what was wrong."""
    value = value.strip()
    if _FINGERPRINT.match(value):
        return value.lower()
    hint = ""
    if _GITLEAKS_LIKE.match(value):
        hint = " (this looks like a gitleaks 'file:rule:line' fingerprint)"
    raise UsageError(f"{where}: {value!r} is not a leakguard fingerprint{hint}; use the 32 hex "
                     "digits of a finding's 'fingerprint' (JSON, SARIF, --show-suppressed)")


def parse_ignore_file(text: str, source: str = IGNORE_FILE_NAME) -> IgnoreFile:
    """Every malformed line is reported at once, each as ``file:line``."""
    entries: list[IgnoreEntry] = []
    errors: list[ConfigError] = []
    seen: set[str] = set()
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        found = _LINE.match(line)
        try:
            if found is None:
                raise UsageError(f"{line!r} is not 'FINGERPRINT  # reason'")
            fingerprint = normalise_fingerprint(found.group("fp"), "entry")
        except UsageError as exc:
            errors.append(ConfigError(str(exc).removeprefix("entry: "), file=source,
                                      line=number))
            continue
        if fingerprint not in seen:
            seen.add(fingerprint)
            entries.append(IgnoreEntry(fingerprint, (found.group("reason") or "").strip(),
                                       number))
    if errors:
        raise ConfigErrors(errors)
    return IgnoreFile(source, tuple(entries))


def append_entry(text: str, fingerprint: str, reason: str, source: str = IGNORE_FILE_NAME
                 ) -> str:
    """The file's text with one entry appended; refuses a duplicate or a multi-line reason.

    The existing text is validated first and kept byte for byte (comments, order, line endings).
    """
    fingerprint = normalise_fingerprint(fingerprint, "FINGERPRINT")
    reason = reason.strip()
    if "\n" in reason or "\r" in reason:
        raise UsageError("--reason must be one line")
    existing = parse_ignore_file(text, source).find(fingerprint)
    if existing is not None:
        raise UsageError(f"{fingerprint} is already in {source} (line {existing.line})")
    newline = "\r\n" if "\r\n" in text else "\n"
    if text and not text.endswith("\n"):
        text += newline
    entry = f"{fingerprint}  # {reason}" if reason else fingerprint
    return text + entry + newline


@dataclass(frozen=True)
class IgnoreFilter:
    """Suppresses findings listed in the ignore file (SARIF kind ``external``)."""

    ignore: IgnoreFile

    def __call__(self, findings: Sequence[Finding]) -> tuple[list[Finding], list[Finding]]:
        kept, suppressed = [], []
        for finding in findings:
            entry = self.ignore.find(finding.fingerprint)
            if entry is None:
                kept.append(finding)
                continue
            where = f"{self.ignore.source}:{entry.line}"
            justification = f"{entry.reason} ({where})" if entry.reason else f"listed in {where}"
            suppressed.append(replace(finding, suppression=Suppression(
                SuppressionKind.EXTERNAL, REASON, justification)))
        return kept, suppressed

    def stale(self, found: Sequence[Finding], coverage: Coverage) -> list[StaleEntry]:
        """Entries matching no finding; judged only when the whole root was scanned, since an
        entry holds no path to tell whether a partial scan could have found it."""
        if not coverage.whole_root:
            return []
        fingerprints = {finding.fingerprint for finding in found}
        return [StaleEntry(entry.fingerprint, "", "", f"{self.ignore.source}:{entry.line}")
                for entry in self.ignore.entries if entry.fingerprint not in fingerprints]
