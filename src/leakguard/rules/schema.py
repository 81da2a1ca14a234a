"""Raw rule YAML -> RuleSpec, with errors that name the file, the line and the rule id.

This module only checks shapes and types; compiling regexes and resolving validator names is
``rule.py``'s job. Users' rule files and the shipped packs go through the same code, so a user
gets the same messages the maintainers do.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from leakguard.errors import ConfigError, ConfigErrors
from leakguard.model import Category, Confidence, Level
from leakguard.yamlfile import LineDict, LineList

#: The level a rule gets when it names a category but no level.
DEFAULT_LEVEL = {
    Category.CREDENTIAL: Level.PROHIBITED,
    Category.PRIVATE_KEY: Level.PROHIBITED,
    Category.PAYMENT: Level.RESTRICTED,
    Category.PII: Level.CONFIDENTIAL,
    Category.HEALTH: Level.RESTRICTED,
    Category.MARKING: Level.CONFIDENTIAL,
    Category.PROVENANCE: Level.CONFIDENTIAL,
    Category.INFRASTRUCTURE: Level.INTERNAL,
    Category.CUSTOMER_DATA: Level.RESTRICTED,
    Category.BUSINESS: Level.CONFIDENTIAL,
    Category.ARTIFACT: Level.CONFIDENTIAL,
}

ID_ALPHABET = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
CONTEXT_EFFECTS = ("raise", "lower", "require", "exclude")
ALLOW_TARGETS = ("secret", "match", "line")
ON_FAIL = ("drop", "lower")


@dataclass(frozen=True)
class Example:
    """A text a rule must (or must not) match; ``path`` lets path-scoped rules be tested."""

    text: str
    path: str = "example.txt"


@dataclass(frozen=True)
class ContextSpec:
    """Evidence searched for within a character window around a match (DLP-style hotwords)."""

    pattern: str
    effect: str
    before: int = 80
    after: int = 80


@dataclass(frozen=True)
class CheckSpec:
    """A named validator: it must accept the secret, else ``on_fail`` decides (drop or lower)."""

    name: str
    on_fail: str = "drop"


@dataclass(frozen=True)
class EscalationSpec:
    """Raise a finding's level when a file holds at least ``count`` distinct secrets of the rule."""

    count: int
    level: Level


@dataclass(frozen=True)
class RuleSpec:
    """A rule as written, checked for shape; ``source`` and ``line`` say where it was defined."""

    id: str
    pattern: str
    name: str
    description: str
    category: Category
    level: Level
    confidence: Confidence
    source: str
    line: int
    secret_group: int | str | None = None
    keywords: tuple[str, ...] = ()
    min_entropy: float = 0.0
    paths_include: tuple[str, ...] = ()
    paths_exclude: tuple[str, ...] = ()
    allow_regexes: tuple[str, ...] = ()
    allow_stopwords: tuple[str, ...] = ()
    allow_target: str = "secret"
    context: tuple[ContextSpec, ...] = ()
    validators: tuple[CheckSpec, ...] = ()
    filters: tuple[str, ...] = ()
    generic: bool = False
    level_map: tuple[tuple[str, Level], ...] = ()
    escalate: tuple[EscalationSpec, ...] = ()
    examples: tuple[Example, ...] = ()
    negative_examples: tuple[Example, ...] = ()
    remediation: str = ""
    references: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    enabled: bool = True
    marking: bool = False
    field_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def line_of(self, key: str) -> int:
        return self.field_lines.get(key, self.line)


class _RuleReader:
    """Reads one rule mapping, collecting every fault instead of stopping at the first."""

    def __init__(self, raw: LineDict, source: str, rule_id: str | None) -> None:
        self.raw = raw
        self.source = source
        self.rule_id = rule_id
        self.errors: list[ConfigError] = []

    def fail(self, key: str | None, message: str, line: int | None = None) -> None:
        at = line if line is not None else (self.raw.line_of(key) if key else self.raw.line)
        self.errors.append(ConfigError(message, file=self.source, line=at, rule_id=self.rule_id))

    def get(self, key: str, check: Callable[[str, Any], Any], default: Any = None) -> Any:
        if key not in self.raw or self.raw[key] is None:
            return default
        try:
            return check(key, self.raw[key])
        except _FieldError as exc:
            self.fail(key, str(exc), exc.line)
            return default


class _FieldError(Exception):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _string(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise _FieldError(f"'{key}' must be a string, not {_type_name(value)}")
    return value


def _nonempty_string(key: str, value: Any) -> str:
    text = _string(key, value)
    if not text.strip():
        raise _FieldError(f"'{key}' must not be empty")
    return text


def _bool(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _FieldError(f"'{key}' must be true or false, not {_type_name(value)}")
    return value


def _string_list(key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise _FieldError(f"'{key}' must be a list of strings, not {_type_name(value)}")
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item:
            line = value.line_of(index) if isinstance(value, LineList) else None
            raise _FieldError(f"'{key}' item {index + 1} must be a non-empty string", line)
    return tuple(value)


def _enum(enum_type: type, label: str) -> Callable[[str, Any], Any]:
    def check(key: str, value: Any) -> Any:
        names = [member.value for member in enum_type]
        if not isinstance(value, str) or value.lower() not in names:
            raise _FieldError(f"'{key}' must be one of {', '.join(names)} (got {value!r})")
        return enum_type(value.lower())

    check.__name__ = label
    return check


def _choice(options: tuple[str, ...]) -> Callable[[str, Any], str]:
    def check(key: str, value: Any) -> str:
        if value not in options:
            raise _FieldError(f"'{key}' must be one of {', '.join(options)} (got {value!r})")
        return value

    return check


def _mapping(key: str, value: Any, allowed: tuple[str, ...]) -> LineDict:
    if not isinstance(value, dict):
        raise _FieldError(f"'{key}' must be a mapping, not {_type_name(value)}")
    for sub in value:
        if sub not in allowed:
            line = value.line_of(sub) if isinstance(value, LineDict) else None
            raise _FieldError(f"unknown key '{key}.{sub}'{_suggest(str(sub), allowed)}", line)
    return value  # type: ignore[return-value]


def _suggest(word: str, options: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _secret_group(key: str, value: Any) -> int | str:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise _FieldError(f"'{key}' must be a group number or name, not {_type_name(value)}")
    if isinstance(value, int) and value < 0:
        raise _FieldError(f"'{key}' must not be negative")
    return value


def _entropy(key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _FieldError(f"'{key}' must be a number of bits per character, not {_type_name(value)}")
    if not 0 <= value <= 8:
        raise _FieldError(f"'{key}' must be between 0 and 8 bits per character (got {value})")
    return float(value)


def _examples(key: str, value: Any) -> tuple[Example, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise _FieldError(f"'{key}' must be a list, not {_type_name(value)}")
    result = []
    for index, item in enumerate(value):
        line = value.line_of(index) if isinstance(value, LineList) else None
        if isinstance(item, str):
            result.append(Example(item))
        elif isinstance(item, dict):
            unknown = [k for k in item if k not in ("text", "path")]
            if unknown or not isinstance(item.get("text"), str):
                raise _FieldError(
                    f"'{key}' item {index + 1} must be a string or a mapping with 'text' "
                    "(and optional 'path')", line)
            path = item.get("path", "example.txt")
            if not isinstance(path, str):
                raise _FieldError(f"'{key}' item {index + 1}: 'path' must be a string", line)
            result.append(Example(item["text"], path))
        else:
            raise _FieldError(f"'{key}' item {index + 1} must be a string, not {_type_name(item)}",
                              line)
    return tuple(result)


def _paths(key: str, value: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    mapping = _mapping(key, value, ("include", "exclude"))
    include = _string_list(f"{key}.include", mapping.get("include") or [])
    exclude = _string_list(f"{key}.exclude", mapping.get("exclude") or [])
    return include, exclude


def _allow(key: str, value: Any) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    mapping = _mapping(key, value, ("regexes", "stopwords", "target"))
    regexes = _string_list(f"{key}.regexes", mapping.get("regexes") or [])
    stopwords = _string_list(f"{key}.stopwords", mapping.get("stopwords") or [])
    target = mapping.get("target", "secret")
    if target not in ALLOW_TARGETS:
        raise _FieldError(f"'{key}.target' must be one of {', '.join(ALLOW_TARGETS)}")
    return regexes, stopwords, target


def _window(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1000:
        raise _FieldError(f"'{key}' must be a number of characters from 0 to 1000")
    return value


def _context(key: str, value: Any) -> tuple[ContextSpec, ...]:
    if not isinstance(value, list):
        raise _FieldError(f"'{key}' must be a list of {{pattern, effect, before, after}}")
    result = []
    for index, item in enumerate(value):
        line = value.line_of(index) if isinstance(value, LineList) else None
        try:
            entry = _mapping(f"{key}[{index + 1}]", item, ("pattern", "effect", "before", "after"))
            pattern = _nonempty_string(f"{key}[{index + 1}].pattern", entry.get("pattern"))
            effect = _choice(CONTEXT_EFFECTS)(f"{key}[{index + 1}].effect", entry.get("effect"))
            before = _window(f"{key}[{index + 1}].before", entry.get("before", 80))
            after = _window(f"{key}[{index + 1}].after", entry.get("after", 80))
        except _FieldError as exc:
            raise _FieldError(str(exc), exc.line or line) from None
        result.append(ContextSpec(pattern, effect, before, after))
    return tuple(result)


def _checks(key: str, value: Any) -> tuple[CheckSpec, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise _FieldError(f"'{key}' must be a list of validator names")
    result = []
    for index, item in enumerate(value):
        line = value.line_of(index) if isinstance(value, LineList) else None
        if isinstance(item, str):
            result.append(CheckSpec(item))
            continue
        try:
            entry = _mapping(f"{key}[{index + 1}]", item, ("name", "on_fail"))
            name = _nonempty_string(f"{key}[{index + 1}].name", entry.get("name"))
            on_fail = _choice(ON_FAIL)(f"{key}[{index + 1}].on_fail", entry.get("on_fail", "drop"))
        except _FieldError as exc:
            raise _FieldError(str(exc), exc.line or line) from None
        result.append(CheckSpec(name, on_fail))
    return tuple(result)


def _level_map(key: str, value: Any) -> tuple[tuple[str, Level], ...]:
    if not isinstance(value, dict):
        raise _FieldError(f"'{key}' must map captured values to levels")
    check = _enum(Level, "level")
    return tuple((str(k).lower(), check(f"{key}.{k}", v)) for k, v in value.items())


def _escalate(key: str, value: Any) -> tuple[EscalationSpec, ...]:
    if not isinstance(value, list):
        raise _FieldError(f"'{key}' must be a list of {{count, level}}")
    result = []
    for index, item in enumerate(value):
        line = value.line_of(index) if isinstance(value, LineList) else None
        try:
            entry = _mapping(f"{key}[{index + 1}]", item, ("count", "level"))
            count = entry.get("count")
            if isinstance(count, bool) or not isinstance(count, int) or count < 2:
                raise _FieldError(f"'{key}[{index + 1}].count' must be a whole number >= 2")
            level = _enum(Level, "level")(f"{key}[{index + 1}].level", entry.get("level"))
        except _FieldError as exc:
            raise _FieldError(str(exc), exc.line or line) from None
        result.append(EscalationSpec(count, level))
    return tuple(sorted(result, key=lambda e: e.count))


RULE_KEYS = (
    "id", "name", "description", "category", "level", "confidence", "pattern", "secret_group",
    "keywords", "min_entropy", "paths", "allow", "context", "validators", "filters", "generic",
    "level_map", "escalate", "examples", "negative_examples", "remediation", "references", "tags",
    "enabled", "marking",
)


def read_rule(raw: Any, source: str, line: int) -> RuleSpec:
    """Check one raw rule; raise ConfigErrors listing every fault found in it."""
    if not isinstance(raw, dict):
        raise ConfigError(f"each rule must be a mapping, not {_type_name(raw)}", file=source,
                          line=line)
    rule_id = raw.get("id") if isinstance(raw.get("id"), str) else None
    reader = _RuleReader(raw, source, rule_id)
    for key in raw:
        if key not in RULE_KEYS:
            reader.fail(key, f"unknown key '{key}'{_suggest(str(key), RULE_KEYS)}")
    if "id" not in raw:
        reader.fail(None, "missing required key 'id'")
    elif rule_id is None or not rule_id or not set(rule_id) <= ID_ALPHABET:
        reader.fail("id", "'id' must be a string of letters, digits, '.', '_' and '-'")
    if "pattern" not in raw:
        reader.fail(None, "missing required key 'pattern'")
    pattern = reader.get("pattern", _nonempty_string, "")
    category = reader.get("category", _enum(Category, "category"), Category.CREDENTIAL)
    level = reader.get("level", _enum(Level, "level"), DEFAULT_LEVEL[category])
    paths_include, paths_exclude = reader.get("paths", _paths, ((), ()))
    allow_regexes, allow_stopwords, allow_target = reader.get("allow", _allow, ((), (), "secret"))
    spec = RuleSpec(
        id=rule_id or "",
        pattern=pattern,
        name=reader.get("name", _nonempty_string, rule_id or ""),
        description=reader.get("description", _string, ""),
        category=category,
        level=level,
        confidence=reader.get("confidence", _enum(Confidence, "confidence"), Confidence.MEDIUM),
        source=source,
        line=raw.line if isinstance(raw, LineDict) else line,
        secret_group=reader.get("secret_group", _secret_group),
        keywords=tuple(k.lower() for k in reader.get("keywords", _string_list, ())),
        min_entropy=reader.get("min_entropy", _entropy, 0.0),
        paths_include=paths_include,
        paths_exclude=paths_exclude,
        allow_regexes=allow_regexes,
        allow_stopwords=tuple(s.lower() for s in allow_stopwords),
        allow_target=allow_target,
        context=reader.get("context", _context, ()),
        validators=reader.get("validators", _checks, ()),
        filters=reader.get("filters", _string_list, ()),
        generic=reader.get("generic", _bool, False),
        level_map=reader.get("level_map", _level_map, ()),
        escalate=reader.get("escalate", _escalate, ()),
        examples=reader.get("examples", _examples, ()),
        negative_examples=reader.get("negative_examples", _examples, ()),
        remediation=reader.get("remediation", _string, ""),
        references=reader.get("references", _string_list, ()),
        tags=reader.get("tags", _string_list, ()),
        enabled=reader.get("enabled", _bool, True),
        marking=reader.get("marking", _bool, False),
        field_lines=dict(getattr(raw, "key_lines", {})),
    )
    if reader.errors:
        raise ConfigErrors(reader.errors)
    return spec


def read_rule_file(document: Any, source: str) -> list[RuleSpec]:
    """Accept a list of rules or a mapping with ``rules:``; check each rule and ids within the file."""
    if document is None:
        return []
    if isinstance(document, dict):
        for key in document:
            if key not in ("rules",):
                line = document.line_of(key) if isinstance(document, LineDict) else None
                raise ConfigError(f"unknown top-level key '{key}' (a rule file holds 'rules:')",
                                  file=source, line=line)
        document = document.get("rules") or []
    if not isinstance(document, list):
        raise ConfigError("a rule file must be a list of rules or a mapping with 'rules:'",
                          file=source, line=1)
    specs: list[RuleSpec] = []
    errors: list[ConfigError] = []
    for index, raw in enumerate(document):
        line = document.line_of(index) if isinstance(document, LineList) else 1
        try:
            specs.append(read_rule(raw, source, line))
        except ConfigErrors as exc:
            errors.extend(exc.errors)
        except ConfigError as exc:
            errors.append(exc)
    if errors:
        raise ConfigErrors(errors)
    return specs
