"""The baseline file: parse (strictly) and serialise (deterministically), text in and text out.

The format is built so that it never churns and rarely conflicts in a merge:

* it holds only content identities (fingerprint, secret id), the rule id and the path: no line
  numbers, no timestamps, no tool version, so rescanning an unchanged tree rewrites it byte for
  byte, and lines moving inside a file change nothing;
* one entry per line, sorted by path, rule id and fingerprint, keys in a fixed order, a trailing
  newline: adding a finding inserts one line where it sorts, so two branches that add findings in
  different places merge cleanly in plain git (``leakguard baseline merge`` handles the rest);
* ``key_check`` is a keyed hash of a constant, so a baseline made under a different
  ``LEAKGUARD_HASH_KEY`` is refused with a clear message instead of reporting everything as new.

No secret ever enters the file: entries are built from a finding's hashes, rule id and path only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from leakguard.errors import ConfigError, ConfigErrors
from leakguard.findings import keyed_hash
from leakguard.model import Finding
from leakguard.rules.schema import ID_ALPHABET

BASELINE_VERSION = 1
DEFAULT_BASELINE_NAME = ".leakguard-baseline.json"
HEX = frozenset("0123456789abcdef")
HASH_LENGTH = 32

_TOP_KEYS = ("version", "key_check", "entries")
_ENTRY_KEYS = ("path", "rule_id", "fingerprint", "secret_id", "label", "reason", "author")
_REQUIRED_ENTRY_KEYS = ("path", "rule_id", "fingerprint", "secret_id")


class Label(str, Enum):
    """A reviewer's verdict on a baselined finding: the audit trail of the decision."""

    TRUE_POSITIVE = "true-positive"
    FALSE_POSITIVE = "false-positive"
    ACCEPTED_RISK = "accepted-risk"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class BaselineEntry:
    """One known finding, identified by content; ``label`` and friends record a review."""

    path: str
    rule_id: str
    fingerprint: str
    secret_id: str
    label: Label | None = None
    reason: str = ""
    author: str = ""

    @classmethod
    def from_finding(cls, finding: Finding) -> BaselineEntry:
        return cls(finding.path, finding.rule_id, finding.fingerprint, finding.secret_id)

    @property
    def sort_key(self) -> tuple[str, str, str]:
        return (self.path, self.rule_id, self.fingerprint)

    def review(self) -> str:
        """The decision in words, for suppression justifications and listings."""
        if self.label is None:
            return "not reviewed"
        text = f"{self.label}: {self.reason}"
        return f"{text} ({self.author})" if self.author else text

    def relabelled(self, label: Label | None, reason: str = "", author: str = "") -> BaselineEntry:
        return replace(self, label=label, reason=reason if label else "",
                       author=author if label else "")


@dataclass(frozen=True)
class Baseline:
    """Known findings by fingerprint; entries are kept sorted so serialising is deterministic."""

    key_check: str
    entries: tuple[BaselineEntry, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "entries", tuple(sorted(self.entries, key=lambda e: e.sort_key)))

    def by_fingerprint(self) -> dict[str, BaselineEntry]:
        return {entry.fingerprint: entry for entry in self.entries}

    def with_entries(self, entries: list[BaselineEntry] | tuple[BaselineEntry, ...]) -> Baseline:
        return Baseline(self.key_check, tuple(entries))


def key_check(key: bytes) -> str:
    """A keyed hash of a constant: equal for equal keys, and reveals nothing about the key."""
    return keyed_hash(key, "leakguard baseline key check")


def is_hash(value: object) -> bool:
    return isinstance(value, str) and len(value) == HASH_LENGTH and set(value) <= HEX


def entry_dict(entry: BaselineEntry) -> dict[str, str]:
    data = {"path": entry.path, "rule_id": entry.rule_id, "fingerprint": entry.fingerprint,
            "secret_id": entry.secret_id}
    if entry.label is not None:
        data.update(label=str(entry.label), reason=entry.reason)
        if entry.author:
            data["author"] = entry.author
    return data


def serialise_baseline(baseline: Baseline) -> str:
    """One entry per line, sorted, fixed key order, trailing newline: byte-stable output."""
    lines = ["{", f'  "version": {BASELINE_VERSION},',
             f'  "key_check": {json.dumps(baseline.key_check)},']
    if not baseline.entries:
        lines.append('  "entries": []')
    else:
        lines.append('  "entries": [')
        rows = [json.dumps(entry_dict(entry), ensure_ascii=False) for entry in baseline.entries]
        lines.extend(f"    {row}," for row in rows[:-1])
        lines.append(f"    {rows[-1]}")
        lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


class _Reader:
    """Collects every error in one pass, each naming the file, the line and the entry."""

    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source
        self.errors: list[ConfigError] = []

    def fail(self, message: str, line: int | None = None) -> None:
        self.errors.append(ConfigError(message, file=self.source, line=line))

    def line_of(self, needle: str) -> int | None:
        position = self.text.find(needle) if needle else -1
        return self.text.count("\n", 0, position) + 1 if position >= 0 else None

    def entry(self, index: int, raw: Any) -> BaselineEntry | None:
        fingerprint = raw.get("fingerprint") if isinstance(raw, dict) else None
        line = self.line_of(f'"{fingerprint}"') if isinstance(fingerprint, str) else None
        where = f"entry {index}" + (f" ({fingerprint})" if isinstance(fingerprint, str) else "")
        if not isinstance(raw, dict):
            self.fail(f"{where}: must be an object, not {type(raw).__name__}", line)
            return None
        problems = [f"unknown key {key!r} (allowed: {', '.join(_ENTRY_KEYS)})"
                    for key in raw if key not in _ENTRY_KEYS]
        problems += [f"missing required key {key!r}" for key in _REQUIRED_ENTRY_KEYS
                     if key not in raw]
        problems += [f"{key!r} must be a string" for key in _ENTRY_KEYS
                     if key in raw and not isinstance(raw[key], str)]
        if problems:
            for problem in problems:
                self.fail(f"{where}: {problem}", line)
            return None
        problems += [f"{key!r} must be {HASH_LENGTH} lowercase hex digits"
                     for key in ("fingerprint", "secret_id") if not is_hash(raw[key])]
        path = raw["path"]
        if not path or path.startswith("/") or "\\" in path or "\n" in path:
            problems.append(f"'path' must be a relative path with '/' separators, not {path!r}")
        if not raw["rule_id"] or not set(raw["rule_id"]) <= ID_ALPHABET:
            problems.append(f"'rule_id' {raw['rule_id']!r} is not a rule id")
        label = None
        if "label" in raw:
            try:
                label = Label(raw["label"])
            except ValueError:
                problems.append(f"'label' must be one of {', '.join(str(x) for x in Label)}, "
                                f"not {raw['label']!r}")
            if not raw.get("reason", "").strip():
                problems.append("a labelled entry needs a non-empty 'reason'")
        else:
            problems += [f"{key!r} is only allowed with a 'label'" for key in ("reason", "author")
                         if key in raw]
        for problem in problems:
            self.fail(f"{where}: {problem}", line)
        if problems:
            return None
        return BaselineEntry(path, raw["rule_id"], raw["fingerprint"], raw["secret_id"], label,
                             raw.get("reason", ""), raw.get("author", ""))


def parse_baseline(text: str, source: str) -> Baseline:
    """Parse and validate a baseline file; every fault is reported at once (ConfigErrors).

    Exactly repeated entries (as a union merge leaves them) are tolerated; two entries with the
    same fingerprint and different content are an error, since one review would silently win.
    """
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"not valid JSON: {exc.msg} (column {exc.colno})", file=source,
                          line=exc.lineno) from None
    reader = _Reader(text, source)
    if not isinstance(raw, dict):
        raise ConfigError("a baseline must be a JSON object with 'version', 'key_check' and "
                          "'entries'", file=source, line=1)
    for key in raw:
        if key not in _TOP_KEYS:
            reader.fail(f"unknown key {key!r} (allowed: {', '.join(_TOP_KEYS)})",
                        reader.line_of(f'"{key}"'))
    version = raw.get("version")
    if version != BASELINE_VERSION or isinstance(version, bool):
        reader.fail(f"unsupported 'version' {version!r}: this leakguard reads version "
                    f"{BASELINE_VERSION}", reader.line_of('"version"'))
    if not is_hash(raw.get("key_check")):
        reader.fail(f"'key_check' must be {HASH_LENGTH} lowercase hex digits",
                    reader.line_of('"key_check"'))
    raw_entries = raw.get("entries")
    if not isinstance(raw_entries, list):
        reader.fail("'entries' must be a list", reader.line_of('"entries"'))
        raw_entries = []
    seen: dict[str, tuple[int, BaselineEntry]] = {}
    entries: list[BaselineEntry] = []
    for index, item in enumerate(raw_entries, 1):
        entry = reader.entry(index, item)
        if entry is None:
            continue
        if entry.fingerprint in seen:
            first_index, first = seen[entry.fingerprint]
            if first != entry:
                reader.fail(f"entry {index} ({entry.fingerprint}): same fingerprint as entry "
                            f"{first_index} with different content; keep one",
                            reader.line_of(f'"{entry.fingerprint}"'))
            continue
        seen[entry.fingerprint] = (index, entry)
        entries.append(entry)
    if reader.errors:
        raise ConfigErrors(reader.errors)
    return Baseline(raw["key_check"], tuple(entries))
