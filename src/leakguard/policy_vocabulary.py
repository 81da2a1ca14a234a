"""Parse the vocabulary keys of a policy (codenames, customers, salt, internal domains and
networks) as strictly as rules: every error names the file, the line and the item at fault.
"""

from __future__ import annotations

import ipaddress
import string
from typing import Any

import regex

from leakguard.errors import ConfigError, ConfigErrors
from leakguard.model import Level
from leakguard.vocabulary import (
    DEFAULT_DICTIONARY_LEVEL,
    MAX_HASHED_WORDS,
    MAX_NAME_LENGTH,
    MIN_NAME_LENGTH,
    DictionaryEntry,
    Vocabulary,
    normalise_name,
)
from leakguard.yamlfile import LineDict, LineList

ENTRY_KEYS = ("name", "sha256", "words", "level")
MIN_SALT_LENGTH = 8
_DOMAIN_LABEL = regex.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_HEX = frozenset(string.hexdigits.lower())


def _level(value: Any, where: str, source: str, line: int | None) -> Level:
    names = [lv.value for lv in Level]
    if not isinstance(value, str) or value.lower() not in names:
        raise ConfigError(f"{where} must be one of {', '.join(names)} (got {value!r})",
                          file=source, line=line)
    return Level(value.lower())


def _name(value: Any, where: str, source: str, line: int | None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where} must be a non-empty name", file=source, line=line)
    name = normalise_name(value)
    if not MIN_NAME_LENGTH <= len(name) <= MAX_NAME_LENGTH:
        raise ConfigError(f"{where} {value!r} must be {MIN_NAME_LENGTH} to {MAX_NAME_LENGTH} "
                          "characters long", file=source, line=line)
    if not (name[0].isalnum() and name[-1].isalnum()):
        raise ConfigError(f"{where} {value!r} must start and end with a letter or digit "
                          "(names match as whole words)", file=source, line=line)
    return name


def _entry(item: Any, where: str, source: str, line: int | None) -> DictionaryEntry:
    if isinstance(item, str):
        return DictionaryEntry(DEFAULT_DICTIONARY_LEVEL, name=_name(item, where, source, line),
                               line=line)
    if not isinstance(item, dict):
        raise ConfigError(f"{where} must be a name or a mapping with 'name' or 'sha256' and "
                          "'level'", file=source, line=line)
    unknown = [str(k) for k in item if k not in ENTRY_KEYS]
    if unknown:
        raise ConfigError(f"{where}: unknown key '{unknown[0]}' (known: {', '.join(ENTRY_KEYS)})",
                          file=source, line=line)
    if ("name" in item) == ("sha256" in item):
        raise ConfigError(f"{where} needs exactly one of 'name' or 'sha256'", file=source,
                          line=line)
    level = _level(item["level"], f"{where}: 'level'", source, line) if "level" in item \
        else DEFAULT_DICTIONARY_LEVEL
    if "name" in item:
        if "words" in item:
            raise ConfigError(f"{where}: 'words' is only for hashed entries (a name has its "
                              "own words)", file=source, line=line)
        return DictionaryEntry(level, name=_name(item["name"], f"{where}: 'name'", source, line),
                               line=line)
    digest = item["sha256"]
    if not isinstance(digest, str) or len(digest) != 64 or not set(digest.lower()) <= _HEX:
        raise ConfigError(f"{where}: 'sha256' must be 64 hexadecimal characters (make entries "
                          "with `leakguard policy hash NAME`)", file=source, line=line)
    words = item.get("words", 1)
    if isinstance(words, bool) or not isinstance(words, int) \
            or not 1 <= words <= MAX_HASHED_WORDS:
        raise ConfigError(f"{where}: 'words' must be a whole number from 1 to "
                          f"{MAX_HASHED_WORDS}", file=source, line=line)
    return DictionaryEntry(level, sha256=digest.lower(), words=words, line=line)


def parse_dictionary(value: Any, key: str, source: str, line: int | None
                     ) -> tuple[DictionaryEntry, ...]:
    """``codenames:`` or ``customers:``: names, ``{name, level}`` or ``{sha256, words, level}``."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ConfigError(f"'{key}' must be a list of names or {{name, level}} / "
                          "{sha256, level} mappings", file=source, line=line)
    entries: list[DictionaryEntry] = []
    errors: list[ConfigError] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(value):
        item_line = value.line_of(index) if isinstance(value, LineList) else line
        where = f"'{key}' item {index + 1}"
        try:
            entry = _entry(item, where, source, item_line)
        except ConfigError as exc:
            errors.append(exc)
            continue
        identity = entry.name or entry.sha256 or ""
        if identity in seen:
            errors.append(ConfigError(f"{where} repeats item {seen[identity]}", file=source,
                                      line=item_line))
            continue
        seen[identity] = index + 1
        entries.append(entry)
    if errors:
        raise ConfigErrors(errors)
    return tuple(entries)


def parse_salt(value: Any, source: str, line: int | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) < MIN_SALT_LENGTH:
        raise ConfigError(f"'salt' must be a string of at least {MIN_SALT_LENGTH} characters "
                          "(`leakguard init` writes a random one)", file=source, line=line)
    return value


def parse_domains(value: Any, source: str, line: int | None) -> tuple[str, ...]:
    """Domain names, lower-cased; a leading ``*.`` or ``.`` is accepted and dropped."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ConfigError("'internal_domains' must be a list of domain names", file=source,
                          line=line)
    domains = []
    for index, item in enumerate(value):
        item_line = value.line_of(index) if isinstance(value, LineList) else line
        text = item.lower().removeprefix("*.").lstrip(".").rstrip(".") \
            if isinstance(item, str) else ""
        labels = text.split(".")
        if not text or len(text) > 253 or not all(_DOMAIN_LABEL.match(lb) for lb in labels):
            raise ConfigError(f"'internal_domains' item {index + 1} {item!r} is not a domain name "
                              "(letters, digits, '-' and '.', e.g. corp.fakeco.com)",
                              file=source, line=item_line)
        domains.append(text)
    return tuple(dict.fromkeys(domains))


def parse_networks(value: Any, source: str, line: int | None) -> tuple[str, ...]:
    """IP networks in CIDR form (a bare address is a /32 or /128)."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ConfigError("'internal_networks' must be a list of CIDR networks", file=source,
                          line=line)
    networks = []
    for index, item in enumerate(value):
        item_line = value.line_of(index) if isinstance(value, LineList) else line
        where = f"'internal_networks' item {index + 1} {item!r}"
        if not isinstance(item, str):
            raise ConfigError(f"{where} is not a network (CIDR such as 10.20.0.0/16)",
                              file=source, line=item_line)
        try:
            network = ipaddress.ip_network(item.strip(), strict=True)
        except ValueError as exc:
            try:
                loose = ipaddress.ip_network(item.strip(), strict=False)
            except ValueError:
                raise ConfigError(f"{where} is not a network (CIDR such as 10.20.0.0/16)",
                                  file=source, line=item_line) from None
            raise ConfigError(f"{where} has host bits set; did you mean {loose}?",
                              file=source, line=item_line) from exc
        networks.append(str(network))
    return tuple(dict.fromkeys(networks))


def parse_vocabulary(document: LineDict | dict, source: str) -> Vocabulary:
    """All vocabulary keys of a policy document, every fault collected before raising."""
    line_of = document.line_of if isinstance(document, LineDict) else (lambda _k: None)
    errors: list[ConfigError] = []
    results: dict[str, Any] = {}
    parsers = {
        "codenames": lambda v, ln: parse_dictionary(v, "codenames", source, ln),
        "customers": lambda v, ln: parse_dictionary(v, "customers", source, ln),
        "salt": lambda v, ln: parse_salt(v, source, ln),
        "internal_domains": lambda v, ln: parse_domains(v, source, ln),
        "internal_networks": lambda v, ln: parse_networks(v, source, ln),
    }
    for key, parse in parsers.items():
        try:
            results[key] = parse(document.get(key), line_of(key))
        except ConfigErrors as exc:
            errors.extend(exc.errors)
        except ConfigError as exc:
            errors.append(exc)
    if errors:
        raise ConfigErrors(errors)
    salt = results["salt"]
    for key in ("codenames", "customers"):
        for index, entry in enumerate(results[key]):
            if entry.hashed and salt is None:
                errors.append(ConfigError(
                    f"'{key}' item {index + 1} is hashed but the policy has no 'salt' (the salt "
                    "the hashes were made with)", file=source, line=entry.line))
    if errors:
        raise ConfigErrors(errors)
    return Vocabulary(
        codenames=results["codenames"], customers=results["customers"], salt=salt,
        internal_domains=results["internal_domains"],
        internal_networks=results["internal_networks"], source=source,
        lines={key: line for key in parsers if (line := line_of(key)) is not None},
    )
