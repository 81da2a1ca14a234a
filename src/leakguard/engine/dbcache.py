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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import regex

from leakguard.engine import winstore
from leakguard.engine.plan import PLAN_VERSION, Compiled, Plan, plan_for
from leakguard.engine.winstore import WindowStore
from leakguard.rules.rule import RuleSet

MAGIC = b"LGHSDB3\n"
KEEP_FILES = 8


class DatabaseUnavailable(RuntimeError):
    """Hyperscan could not compile the ruleset, or this Hyperscan library misses matches."""


@dataclass(frozen=True)
class Built:
    """A plan and its serialized databases, plus what a user should know about how they came."""

    plan: Plan
    compiled: Compiled
    warnings: tuple[str, ...] = ()
    from_cache: bool = False
    windows: WindowStore = field(default_factory=WindowStore)


def cache_key(ruleset: RuleSet) -> str:
    import hyperscan

    parts = (PLAN_VERSION, ruleset.fingerprint, hyperscan.__version__, regex.__version__,
             unicodedata.unidata_version, platform.machine(), platform.system())
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:40]


def _compile(expressions: Sequence[tuple[int, bytes]], *, single: bool = True) -> bytes:
    """Serialized block-mode database, each expression reported under its rule index; prefilter
    mode (a superset, never fewer matches) and, for trigger databases, one report per rule."""
    import hyperscan

    if not expressions:
        return b""
    flags = hyperscan.HS_FLAG_PREFILTER | (hyperscan.HS_FLAG_SINGLEMATCH if single else 0)
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(expressions=[e for _, e in expressions], ids=[i for i, _ in expressions],
                     elements=len(expressions), flags=[flags] * len(expressions))
    return hyperscan.dumpb(database)


def _refused(expressions: Sequence[tuple[int, bytes]], *, single: bool = True) -> set[bytes]:
    """The expressions Hyperscan will not compile, found by bisection (one compile if none)."""
    import hyperscan

    if not expressions:
        return set()
    try:
        _compile(expressions, single=single)
        return set()
    except hyperscan.error:
        if len(expressions) == 1:
            return {expressions[0][1]}
    middle = len(expressions) // 2
    return _refused(expressions[:middle], single=single) | _refused(expressions[middle:], single=single)


def _compile_plan(plan: Plan) -> Compiled:
    """Every database of a plan; raises ``hyperscan.error`` when one does not compile."""

    scoped = set(plan.scoped)
    general = dict(plan.expressions)
    ascii_only = dict(plan.ascii_expressions)
    own = tuple((index, _compile([(index, general[index])]),
                 _compile([(index, ascii_only[index])]) if index in ascii_only else b"")
                for index in plan.scoped)
    return Compiled(_compile([e for e in plan.expressions if e[0] not in scoped]),
                    _compile([e for e in plan.ascii_expressions if e[0] not in scoped]), own)


def build(ruleset: RuleSet) -> tuple[Plan, Compiled]:
    """Translate, compile and check the databases (``hscheck``). What Hyperscan refuses and what
    fails the check falls back rule by rule to the keywords; a library with a known defect is
    not used at all (``DatabaseUnavailable``)."""
    import hyperscan

    from leakguard.engine.hscheck import engine_defects, missed_rules

    defects = engine_defects()
    if defects:
        raise DatabaseUnavailable(
            f"Hyperscan {hyperscan.__version__} misses matches on this machine ({defects[0]}; "
            "a defect of the Vectorscan library it bundles: pip install 'hyperscan<0.7.23')")
    refused: frozenset[bytes] = frozenset()
    demoted: dict[str, str] = {}
    for _ in range(6):
        plan = plan_for(ruleset, refused, demoted)
        try:
            compiled = _compile_plan(plan)
        except hyperscan.error:
            found = _refused(plan.expressions) | _refused(plan.ascii_expressions)
            if not found:
                break
            refused = refused | found
            continue
        missed = missed_rules(ruleset, plan, compiled)
        if missed:
            demoted.update(missed)
            continue
        return plan, compiled
    raise DatabaseUnavailable("Hyperscan could not compile the rules")


def _pack(parts: Sequence[bytes]) -> bytes:
    return struct.pack(f">I{len(parts)}I", len(parts), *map(len, parts)) + b"".join(parts)


def _unpack(body: bytes) -> list[bytes]:
    (count,) = struct.unpack(">I", body[:4])
    sizes = struct.unpack(f">{count}I", body[4:4 + 4 * count])
    parts, offset = [], 4 + 4 * count
    for size in sizes:
        parts.append(body[offset:offset + size])
        offset += size
    if offset != len(body):
        raise ValueError("trailing bytes")
    return parts


def _read(path: Path) -> tuple[Plan, Compiled]:
    data = path.read_bytes()
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 36:
        raise ValueError("not a leakguard engine cache file")
    digest, body = data[len(MAGIC):len(MAGIC) + 32], data[len(MAGIC) + 32:]
    if hashlib.sha256(body).digest() != digest:
        raise ValueError("checksum mismatch")
    plan_json, database, ascii_database, *rest = _unpack(body)
    plan = Plan.from_json(plan_json.decode("utf-8"))
    if len(rest) != 2 * len(plan.scoped):
        raise ValueError("the databases do not match the plan")
    return plan, Compiled(database, ascii_database,
                          tuple(zip(plan.scoped, rest[::2], rest[1::2], strict=True)))


def _write(path: Path, plan: Plan, compiled: Compiled) -> None:
    if tuple(index for index, _g, _a in compiled.scoped) != plan.scoped:
        raise ValueError("the scoped databases do not match the plan")
    body = _pack([plan.to_json().encode("utf-8"), compiled.database, compiled.ascii_database,
                  *(part for _index, general, ascii_only in compiled.scoped
                    for part in (general, ascii_only))])
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
        winstore.remove(window_folder(folder, stale.stem.removeprefix("hsdb-")))


def window_folder(folder: Path, key: str) -> Path:
    """Where the window databases of the ruleset with cache key ``key`` are kept."""
    return folder / f"windows-{key}"


def load_or_build(ruleset: RuleSet, folder: Path | None) -> Built:
    """The ruleset's databases from ``folder`` if a sound copy is there, else built (and saved).

    ``folder`` None disables the disk cache. A damaged file is reported in ``warnings``; a
    folder that cannot be written is not (the cache is only an optimisation).
    """
    warnings: list[str] = []
    key = cache_key(ruleset)
    path = folder / f"hsdb-{key}.bin" if folder is not None else None
    if path is not None and path.is_file():
        try:
            plan, compiled = _read(path)
            if plan.size != len(ruleset):
                raise ValueError("it describes another ruleset")
            os.utime(path)
            return Built(plan, compiled, from_cache=True,
                         windows=WindowStore(window_folder(path.parent, key)))
        except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError, struct.error) as exc:
            warnings.append(f"discarded the damaged engine cache {path} ({exc}); recompiling")
            path.unlink(missing_ok=True)
    plan, compiled = build(ruleset)
    if path is None:
        return Built(plan, compiled, tuple(warnings))
    winstore.remove(window_folder(path.parent, key))  # any left from a damaged file
    with contextlib.suppress(OSError):  # an unwritable cache folder only costs speed
        _write(path, plan, compiled)
    return Built(plan, compiled, tuple(warnings), windows=WindowStore(window_folder(path.parent, key)))
