"""The repository policy (``.leakguard.yaml``): which level may live where, and the gate.

A finding whose level is above the level allowed at its path is a *violation*; the exit code is 1
exactly when a scan has violations. Without a policy file the repository allows ``internal``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pathspec
import regex

from leakguard.errors import ConfigError, ConfigErrors
from leakguard.globs import gitignore_spec
from leakguard.model import Finding, Level
from leakguard.policy_vocabulary import parse_vocabulary
from leakguard.vocabulary import DictionaryEntry, Vocabulary
from leakguard.yamlfile import LineDict, LineList, load_yaml

POLICY_FILE = ".leakguard.yaml"
DEFAULT_MAX_LEVEL = Level.INTERNAL
POLICY_KEYS = (
    "version", "max_level", "paths", "codenames", "internal_domains", "internal_networks", "rules",
    "disable", "allow", "labels", "customers", "salt",
)


@dataclass(frozen=True)
class PathLevel:
    """One ``paths:`` entry: a glob and the highest level allowed under it."""

    glob: str
    max_level: Level
    spec: pathspec.PathSpec = field(compare=False, repr=False)


@dataclass(frozen=True)
class Policy:
    """A parsed, validated policy. ``source`` is the file it came from (None for the default)."""

    max_level: Level = DEFAULT_MAX_LEVEL
    paths: tuple[PathLevel, ...] = ()
    codenames: tuple[DictionaryEntry, ...] = ()
    internal_domains: tuple[str, ...] = ()
    internal_networks: tuple[str, ...] = ()
    rules: tuple[Path, ...] = ()
    disable: tuple[str, ...] = ()
    allow_paths: tuple[str, ...] = ()
    allow_regexes: tuple[str, ...] = ()
    labels: tuple[tuple[str, Level], ...] = ()
    source: str | None = None
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    customers: tuple[DictionaryEntry, ...] = ()
    salt: str | None = field(default=None, repr=False)

    def allowed_level(self, path: str) -> Level:
        """The repository's level, overridden by the last ``paths:`` entry matching ``path``."""
        level = self.max_level
        for entry in self.paths:
            if entry.spec.match_file(path):
                level = entry.max_level
        return level

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key)

    @property
    def vocabulary(self) -> Vocabulary:
        """Codenames, customers and internal names: what ``policy_rules`` turns into rules."""
        return Vocabulary(
            codenames=self.codenames, customers=self.customers, salt=self.salt,
            internal_domains=self.internal_domains, internal_networks=self.internal_networks,
            source=self.source, lines=self.lines,
        )


def gate(findings: Iterable[Finding], policy: Policy, fail_on: Level | None = None) -> list[Finding]:
    """Mark each finding with the level allowed at its path and whether it exceeds it.

    ``fail_on`` (from ``--fail-on``) overrides the policy: everything at or above it violates.
    """
    gated = []
    for finding in findings:
        if fail_on is not None:
            allowed: Level | None = fail_on.below() if fail_on > Level.PUBLIC else None
            violation = finding.level >= fail_on
        else:
            allowed = policy.allowed_level(finding.path)
            violation = finding.level > allowed
        gated.append(replace(finding, allowed_level=allowed, violation=violation))
    return gated


# -- parsing ---------------------------------------------------------------------------------


def _level(value: Any, key: str, source: str, line: int | None) -> Level:
    if not isinstance(value, str) or value.lower() not in [lv.value for lv in Level]:
        names = ", ".join(lv.value for lv in Level)
        raise ConfigError(f"'{key}' must be one of {names} (got {value!r})", file=source, line=line)
    return Level(value.lower())


def _strings(value: Any, key: str, source: str, line: int | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"'{key}' must be a list of non-empty strings", file=source, line=line)
    return tuple(value)


def _paths(value: Any, source: str, line: int | None) -> tuple[PathLevel, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ConfigError("'paths' must be a list of {path, max_level}", file=source, line=line)
    entries = []
    for index, item in enumerate(value):
        item_line = value.line_of(index) if isinstance(value, LineList) else line
        if not isinstance(item, dict) or set(item) != {"path", "max_level"}:
            raise ConfigError(
                f"'paths' item {index + 1} must have exactly the keys 'path' and 'max_level'",
                file=source, line=item_line)
        if not isinstance(item["path"], str) or not item["path"]:
            raise ConfigError(f"'paths' item {index + 1}: 'path' must be a glob string",
                              file=source, line=item_line)
        level = _level(item["max_level"], f"paths[{index + 1}].max_level", source, item_line)
        spec = gitignore_spec([item["path"]])
        entries.append(PathLevel(item["path"], level, spec))
    return tuple(entries)


def _allow(value: Any, source: str, line: int | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if value is None:
        return (), ()
    if not isinstance(value, dict) or not set(value) <= {"paths", "regexes"}:
        raise ConfigError("'allow' must be a mapping with 'paths' and/or 'regexes'",
                          file=source, line=line)
    sub_line = value.line_of if isinstance(value, LineDict) else (lambda _k: line)
    paths = _strings(value.get("paths"), "allow.paths", source, sub_line("paths"))
    regexes = _strings(value.get("regexes"), "allow.regexes", source, sub_line("regexes"))
    for pattern in regexes:
        try:
            regex.compile(pattern)
        except regex.error as exc:
            raise ConfigError(f"'allow.regexes' entry {pattern!r} does not compile: {exc}",
                              file=source, line=sub_line("regexes")) from None
    return paths, regexes


def _labels(value: Any, source: str, line: int | None) -> tuple[tuple[str, Level], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise ConfigError("'labels' must map sensitivity label names to levels",
                          file=source, line=line)
    return tuple((str(name), _level(level, f"labels.{name}", source, line))
                 for name, level in value.items())


def parse_policy(document: Any, source: str, base_dir: Path) -> Policy:
    """Validate a policy document as strictly as rules: unknown keys and bad types are errors."""
    if document is None:
        document = LineDict()
    if not isinstance(document, dict):
        raise ConfigError("a policy must be a mapping (see `leakguard init`)", file=source, line=1)
    line_of = document.line_of if isinstance(document, LineDict) else (lambda _k: None)
    errors: list[ConfigError] = []
    for key in document:
        if key not in POLICY_KEYS:
            errors.append(ConfigError(
                f"unknown key '{key}' (known: {', '.join(POLICY_KEYS)})", file=source,
                line=line_of(key)))
    if errors:
        raise ConfigErrors(errors)
    version = document.get("version", 1)
    if version != 1:
        raise ConfigError(f"unsupported policy version {version!r} (this leakguard reads 1)",
                          file=source, line=line_of("version"))
    max_level = DEFAULT_MAX_LEVEL
    if document.get("max_level") is not None:
        max_level = _level(document["max_level"], "max_level", source, line_of("max_level"))
    rules = tuple(base_dir / p for p in _strings(document.get("rules"), "rules", source,
                                                   line_of("rules")))
    for rule_path in rules:
        if not rule_path.exists():
            raise ConfigError(f"'rules' entry {rule_path} does not exist", file=source,
                              line=line_of("rules"))
    vocabulary = parse_vocabulary(document, source)
    allow_paths, allow_regexes = _allow(document.get("allow"), source, line_of("allow"))
    return Policy(
        max_level=max_level,
        paths=_paths(document.get("paths"), source, line_of("paths")),
        codenames=vocabulary.codenames,
        internal_domains=vocabulary.internal_domains,
        internal_networks=vocabulary.internal_networks,
        rules=rules,
        disable=_strings(document.get("disable"), "disable", source, line_of("disable")),
        allow_paths=allow_paths,
        allow_regexes=allow_regexes,
        labels=_labels(document.get("labels"), source, line_of("labels")),
        source=source,
        lines=dict(getattr(document, "key_lines", {})),
        customers=vocabulary.customers,
        salt=vocabulary.salt,
    )


def load_policy(root: Path, config: Path | None = None) -> Policy:
    """The policy at ``config``, else ``<root>/.leakguard.yaml``, else the default policy."""
    path = config if config is not None else root / POLICY_FILE
    if config is None and not path.is_file():
        return Policy()
    display = str(path) if config is not None else POLICY_FILE
    return parse_policy(load_yaml(path, display), display, path.parent)
