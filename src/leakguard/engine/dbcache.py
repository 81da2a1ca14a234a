"""Compile a ruleset's Hyperscan database once and keep it on disk, so start-up skips the compile.

The file name is a digest of everything the database depends on (the ruleset fingerprint, this
module's plan version, the hyperscan, regex and Unicode versions, the machine), so a changed rule
or an upgraded library simply misses. The file holds a SHA-256 of its own body; a file that does
not match is discarded with a warning and rebuilt, never loaded. Writing is atomic (temporary
file, then rename), so concurrent runs at worst compile twice.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import platform
import struct
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import regex

from leakguard.engine.plan import PLAN_VERSION, Plan, plan_for
from leakguard.rules.rule import RuleSet

MAGIC = b"LGHSDB2\n"
KEEP_FILES = 8


class DatabaseUnavailable(RuntimeError):
    """Hyperscan could not compile the ruleset even after leaving refused patterns out."""


@dataclass(frozen=True)
class Built:
    """A plan and its serialized database, plus what a user should know about how they came."""

    plan: Plan
    database: bytes
    ends_database: bytes = b""
    warnings: tuple[str, ...] = ()
    from_cache: bool = False


def cache_key(ruleset: RuleSet) -> str:
    import hyperscan

    parts = (PLAN_VERSION, ruleset.fingerprint, hyperscan.__version__, regex.__version__,
             unicodedata.unidata_version, platform.machine(), platform.system())
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:40]


def _compile(expressions: list[bytes], ids: list[int] | None = None, *, single: bool = True) -> bytes:
    """Serialized block-mode database; prefilter mode (a superset, never fewer matches) and, for
    the trigger database, one report per expression."""
    import hyperscan

    flags = hyperscan.HS_FLAG_PREFILTER | (hyperscan.HS_FLAG_SINGLEMATCH if single else 0)
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(expressions=expressions, ids=ids if ids is not None else list(range(len(expressions))),
                     elements=len(expressions), flags=[flags] * len(expressions))
    return hyperscan.dumpb(database)


def _refused(expressions: list[bytes], *, single: bool = True) -> set[bytes]:
    """The expressions Hyperscan will not compile, found by bisection (one compile if none)."""
    import hyperscan

    if not expressions:
        return set()
    try:
        _compile(expressions, single=single)
        return set()
    except hyperscan.error:
        if len(expressions) == 1:
            return set(expressions)
    middle = len(expressions) // 2
    return _refused(expressions[:middle], single=single) | _refused(expressions[middle:], single=single)


def build(ruleset: RuleSet) -> tuple[Plan, bytes, bytes]:
    """Translate and compile both databases; what Hyperscan refuses falls back rule by rule
    (a refused trigger pattern to keywords, a refused window pattern to whole-chunk search)."""
    import hyperscan

    refused: frozenset[bytes] = frozenset()
    for _ in range(4):
        plan = plan_for(ruleset, refused)
        if not plan.expressions:
            return plan, b"", b""
        expressions, ids = plan.window_expressions()
        try:
            database = _compile(list(plan.expressions))
            ends = _compile(expressions, ids, single=False) if expressions else b""
            return plan, database, ends
        except hyperscan.error:
            found = _refused(list(plan.expressions)) | _refused(expressions, single=False)
            if not found:
                break
            refused = refused | found
    raise DatabaseUnavailable("Hyperscan could not compile the rules")


def _read(path: Path) -> tuple[Plan, bytes, bytes]:
    data = path.read_bytes()
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 44:
        raise ValueError("not a leakguard engine cache file")
    digest, body = data[len(MAGIC):len(MAGIC) + 32], data[len(MAGIC) + 32:]
    if hashlib.sha256(body).digest() != digest:
        raise ValueError("checksum mismatch")
    plan_size, database_size = struct.unpack(">II", body[:8])
    plan = Plan.from_json(body[8:8 + plan_size].decode("utf-8"))
    rest = body[8 + plan_size:]
    return plan, rest[:database_size], rest[database_size:]


def _write(path: Path, plan: Plan, database: bytes, ends: bytes) -> None:
    encoded = plan.to_json().encode("utf-8")
    body = struct.pack(">II", len(encoded), len(database)) + encoded + database + ends
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".hsdb-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(MAGIC + hashlib.sha256(body).digest() + body)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _prune(path.parent)


def _prune(folder: Path) -> None:
    files = sorted(folder.glob("hsdb-*.bin"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in files[KEEP_FILES:]:
        stale.unlink(missing_ok=True)


def load_or_build(ruleset: RuleSet, folder: Path | None) -> Built:
    """The ruleset's database from ``folder`` if a sound copy is there, else compiled (and saved).

    ``folder`` None disables the disk cache. A damaged file is reported in ``warnings``; a
    folder that cannot be written is not (the cache is only an optimisation).
    """
    warnings: list[str] = []
    path = folder / f"hsdb-{cache_key(ruleset)}.bin" if folder is not None else None
    if path is not None and path.is_file():
        try:
            plan, database, ends = _read(path)
            if len(plan.triggers) != len(ruleset):
                raise ValueError("it describes another ruleset")
            os.utime(path)
            return Built(plan, database, ends, from_cache=True)
        except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError, struct.error) as exc:
            warnings.append(f"discarded the damaged engine cache {path} ({exc}); recompiling")
            path.unlink(missing_ok=True)
    plan, database, ends = build(ruleset)
    if path is not None:
        with contextlib.suppress(OSError):  # an unwritable cache folder only costs speed
            _write(path, plan, database, ends)
    return Built(plan, database, ends, tuple(warnings))
