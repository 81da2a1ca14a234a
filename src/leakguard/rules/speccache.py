"""The shipped packs, parsed once and kept as JSON in the user cache folder.

Reading the 52 YAML packs costs every run about 0.1 s (YAML, the schema check and each rule's
fingerprint), as much as scanning a small repository; a pre-commit hook pays it on every commit.
The packs only change with leakguard itself, so their parsed form is kept on disk under a key
made of every pack file's bytes and of the code that parses them: an edited pack or an upgraded
leakguard simply misses. JSON, not pickle, so reading the file never runs code. The cache folder
may travel between CI runs, and whoever can write it must not be able to switch rules off: the
file is authenticated, like every scan-cache entry, with the user's cache key (``sealing``),
over its cache key and its body, so a file not written by a run with the same key, or moved
under another key's name, is not trusted. One that fails, or does not decode into specs, is
parsed again and rewritten. Users' own rule files are never cached: they are read every run, so
their errors are reported every run.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from leakguard.model import Category, Confidence, Level
from leakguard.rules import rule, schema
from leakguard.rules.rule import plain_value, remember_digest
from leakguard.rules.schema import CheckSpec, ContextSpec, EscalationSpec, Example, RuleSpec
from leakguard.sealing import CacheKey, load_cache_key

FORMAT = "2"
KEEP_FILES = 4

_ENUMS: dict[str, Callable[[Any], Any]] = {"category": Category, "level": Level,
                                           "confidence": Confidence}
_NESTED: dict[str, type] = {"context": ContextSpec, "validators": CheckSpec,
                            "examples": Example, "negative_examples": Example}


def _code_digest() -> bytes:
    """The parsing code's own bytes: a changed schema (or fingerprint, ``rule``) must not be
    served an old parse."""
    from leakguard import __version__, yamlfile

    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0".encode())
    for module in (schema, yamlfile, rule):
        digest.update(Path(str(module.__file__)).read_bytes())
    digest.update(Path(__file__).read_bytes())
    for kind in (RuleSpec, ContextSpec, CheckSpec, EscalationSpec, Example):
        digest.update(repr([(f.name, str(f.type)) for f in fields(kind)]).encode())
    return digest.digest()


def cache_key(files: Sequence[tuple[str, Path]]) -> str:
    """A digest of every pack file (display name and bytes) and of the parsing code."""
    digest = hashlib.sha256(_code_digest())
    for name, path in files:
        body = path.read_bytes()
        digest.update(f"\0{name}\0{len(body)}\0".encode())
        digest.update(body)
    return digest.hexdigest()[:40]


def encode(specs: Sequence[RuleSpec]) -> list[Any]:
    """Specs as JSON-ready dictionaries (enums are strings, tuples lists)."""
    return [plain_value(spec) for spec in specs]


def decode(items: Sequence[dict[str, Any]]) -> list[RuleSpec]:
    """The inverse of ``encode``; raises (KeyError, TypeError, ValueError) on anything else.
    Each spec's fingerprint digest is taken from its plain form on the way (``rule``)."""
    specs = []
    for item in items:
        values: dict[str, Any] = {}
        for name, value in item.items():
            if name in _ENUMS:
                value = _ENUMS[name](value)
            elif name in _NESTED:
                value = tuple(_NESTED[name](**entry) for entry in value)
            elif name == "escalate":
                value = tuple(EscalationSpec(entry["count"], Level(entry["level"]))
                              for entry in value)
            elif name == "level_map":
                value = tuple((label, Level(level)) for label, level in value)
            elif isinstance(value, list):
                value = tuple(value)
            values[name] = value
        spec = RuleSpec(**values)
        remember_digest(spec, item)
        specs.append(spec)
    return specs


def _path(folder: Path, key: str) -> Path:
    return folder / f"packs-{key}.json"


def _tag(secret: CacheKey, key: str, body: bytes) -> bytes:
    return secret.tag(b"leakguard rule packs", key.encode(), body).hex().encode()


def load(folder: Path, key: str, secret: CacheKey) -> list[RuleSpec] | None:
    """The cached specs for ``key``, or None when absent, damaged, written under another key
    or another cache key, or of another shape."""
    path = _path(folder, key)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    tag, _, body = data.partition(b"\n")
    if not hmac.compare_digest(tag, _tag(secret, key, body)):
        return None
    try:
        specs = decode(json.loads(body))
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # in use: pruning keeps the most recently used files
    return specs


def save(folder: Path, key: str, specs: Sequence[RuleSpec], secret: CacheKey) -> None:
    """Write atomically (temporary file, then rename); a folder that cannot be written, or specs
    JSON cannot hold, are silently skipped, the cache being only an optimisation."""
    try:
        body = json.dumps(encode(specs), separators=(",", ":")).encode()
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".packs-", suffix=".tmp")
    except (OSError, TypeError, ValueError):
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(_tag(secret, key, body) + b"\n" + body)
        os.replace(temporary, _path(folder, key))
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        return
    _prune(folder)


def _prune(folder: Path) -> None:
    with contextlib.suppress(OSError):
        files = sorted(folder.glob("packs-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in files[KEEP_FILES:]:
            stale.unlink(missing_ok=True)


def cached_specs(files: Sequence[tuple[str, Path]], parse: Callable[[], list[RuleSpec]],
                 folder: Path | None, secret: CacheKey | None = None) -> list[RuleSpec]:
    """``parse()``'s specs, from ``folder`` when a sound copy for these exact files is there.

    ``folder`` None parses every time; ``secret`` is the cache key (the user's, by default).
    Parse errors propagate and nothing is written.
    """
    if folder is None:
        return parse()
    try:
        key = cache_key(files)
        secret = secret or load_cache_key()
    except (OSError, ValueError):
        return parse()
    found = load(folder, key, secret)
    if found is not None:
        return found
    specs = parse()
    save(folder, key, specs, secret)
    return specs
