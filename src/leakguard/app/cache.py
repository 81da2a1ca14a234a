"""The incremental scan cache: what scanning a content produced, keyed by its git blob id.

One SQLite file (default ``<user cache dir>/scan-cache.sqlite``) maps (content id, scan key) to
a work item's result, so a rescan reads from it instead of matching again. The content id is
the git blob id, so a tree scan and a history scan share entries. The scan key folds in
everything else the result depends on: leakguard's version, the ruleset fingerprint, which
path-scoped rules do not apply at the item's path, and the id of the sealing key. Results in
which a rule timed out are never stored.

Matches are stored sealed (``sealing``): never a secret in clear on disk. Every row carries a
tag over all its fields; a row that fails it, or a file SQLite reports damaged, makes the whole
cache untrusted for the run: it is discarded with a warning and the scan goes on without it.

Concurrency: WAL journal, a busy timeout, and writes in transactions from the parent process
only, so several runs (and their readers) can share one file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from leakguard import __version__
from leakguard.app.cachecodec import FORMAT, decode_result, encode_result
from leakguard.app.work import ItemResult, WorkItem
from leakguard.model import Origin
from leakguard.rules.rule import RuleSet
from leakguard.rules.scopes import PathScopes
from leakguard.sealing import CacheKey, SealError
from leakguard.sources.extract import DEFAULT_OPTIONS, ExtractOptions

SCHEMA_VERSION = "3"
CACHE_FILE = "scan-cache.sqlite"
BUSY_TIMEOUT_MS = 10_000
KEEP_DAYS = 30
LOOKUP_BATCH = 500
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS results (
    content_id TEXT NOT NULL,
    scan_key TEXT NOT NULL,
    events BLOB NOT NULL,
    sealed BLOB,
    tag BLOB NOT NULL,
    used INTEGER NOT NULL,
    PRIMARY KEY (content_id, scan_key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS histories (
    slot TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    body BLOB NOT NULL,
    tag BLOB NOT NULL,
    used INTEGER NOT NULL
) WITHOUT ROWID;
"""


class CacheCorrupt(Exception):
    """The cache file cannot be trusted any more."""


@dataclass(frozen=True)
class CachedRow:
    """A row whose tag verified, not decoded yet."""

    content_id: str
    events: bytes
    sealed: bytes | None

    @property
    def weight(self) -> int:
        return len(self.events) + len(self.sealed or b"")


def _today() -> int:
    return int(time.time() // 86400)


class ScanKeys:
    """Computes the scan key of a path: one per distinct set of path-scoped rules left out."""

    def __init__(self, ruleset: RuleSet, key: CacheKey,
                 extract: ExtractOptions | None = None, engine: str = "regex") -> None:
        # What a content yields also depends on how documents and archives are opened, and (only
        # through a defect, but a defect did happen) on the engine that picked the candidates.
        extraction = repr(extract or DEFAULT_OPTIONS)
        self._base = "\0".join((SCHEMA_VERSION, FORMAT, __version__, ruleset.fingerprint,
                                key.key_id, extraction, engine))
        self._scopes = PathScopes((rule.id, rule) for rule in ruleset)
        self._memo: dict[tuple[str, ...], str] = {}
        # A history holds each path in many versions (sympy: 121,781 blobs at 4,768 paths), and
        # matching every scoped rule's globs is the slow part, so each path is matched once.
        self._paths: dict[str, str] = {}

    @property
    def base(self) -> str:
        """What every key of this run folds in (version, ruleset, sealing key, extraction)."""
        return self._base

    def for_path(self, path: str) -> str:
        known = self._paths.get(path)
        if known is not None:
            return known
        excluded = self._scopes.excluded(path)
        found = self._memo.get(excluded)
        if found is None:
            text = self._base + "\0" + "\0".join(excluded)
            found = self._memo[excluded] = hashlib.sha256(text.encode()).hexdigest()[:32]
        self._paths[path] = found
        return found


class ScanCache:
    """An open cache file. Every method turns SQLite and tag failures into ``CacheCorrupt``."""

    def __init__(self, path: Path, key: CacheKey) -> None:
        self.path = path
        self.key = key
        self._touched: list[tuple[str, str]] = []
        self._today = _today()
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            with contextlib.suppress(FileExistsError):
                # Owner-only from the start (SQLite gives its -wal and -shm files the same mode):
                # nothing in it is a secret in clear, but nobody else needs to read it.
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            self._db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.executescript(_SCHEMA)
            row = self._db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
            if row is None:
                self._db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            elif row[0] != SCHEMA_VERSION:
                self._reset()
        except sqlite3.DatabaseError as exc:
            raise CacheCorrupt(str(exc)) from None

    def _reset(self) -> None:
        """A cache written by another format version: empty it (not corruption, just stale)."""
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("DELETE FROM results")
            self._db.execute("DELETE FROM histories")
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))

    def _tag(self, content: str, scan_key: str, events: bytes, sealed: bytes | None) -> bytes:
        return self.key.tag(content.encode(), scan_key.encode(), events, sealed or b"")

    def lookup(self, items: Sequence[tuple[WorkItem, str, str]]) -> dict[int, CachedRow]:
        """Verified cached rows for (item, content id, scan key) triples, by item index.

        Tags are checked here; decoding waits for ``decode``, so that rows looked up ahead
        stay compact bytes until their results are wanted.
        """
        found: dict[int, CachedRow] = {}
        by_scan_key: dict[str, list[tuple[WorkItem, str]]] = {}
        for item, content, scan_key in items:
            by_scan_key.setdefault(scan_key, []).append((item, content))
        try:
            for scan_key, group in by_scan_key.items():
                for start in range(0, len(group), LOOKUP_BATCH):
                    batch = group[start:start + LOOKUP_BATCH]
                    marks = ",".join("?" * len(batch))
                    # Equality on the key's second column plus IN on its first: an index search
                    # per id (a row-value IN over both columns would scan the whole table).
                    rows = self._db.execute(
                        "SELECT content_id, scan_key, events, sealed, tag, used FROM results "
                        f"WHERE scan_key = ? AND content_id IN ({marks})",
                        [scan_key, *(content for _, content in batch)]).fetchall()
                    by_id = {row[0]: row for row in rows}
                    for item, content in batch:
                        row = by_id.get(content)
                        if row is not None:
                            found[item.index] = self._verify(row)
                            if row[5] < self._today:
                                self._touched.append((content, scan_key))
        except sqlite3.DatabaseError as exc:
            raise CacheCorrupt(str(exc)) from None
        return found

    def _verify(self, row: tuple) -> CachedRow:
        content, scan_key, events, sealed, tag, _used = row
        if not isinstance(tag, bytes) or not isinstance(events, bytes) \
                or tag != self._tag(content, scan_key, events, sealed):
            raise CacheCorrupt(f"an entry for {content} failed its integrity check")
        return CachedRow(content, events, sealed)

    def decode(self, item: WorkItem, row: CachedRow) -> ItemResult:
        """The result a verified row holds, rebuilt for ``item``."""
        try:
            plain = self.key.open(row.sealed) if row.sealed is not None else None
            return decode_result(item, row.content_id, row.events, plain)
        except (SealError, ValueError, TypeError, KeyError, IndexError, EOFError) as exc:
            raise CacheCorrupt(f"an entry for {row.content_id} does not decode ({exc})") from None

    def row(self, result: ItemResult, origin: Origin, scan_key: str) -> tuple | None:
        """The sealed, tagged row for a complete, freshly scanned result (None: not cacheable)."""
        if result.cached or result.content_id is None or not result.complete:
            return None
        try:
            events, matches = encode_result(result, origin)
        except ValueError:
            return None
        sealed = self.key.seal(matches) if matches is not None else None
        return (result.content_id, scan_key, events, sealed,
                self._tag(result.content_id, scan_key, events, sealed), self._today)

    def write(self, rows: Sequence[tuple]) -> int:
        """Write rows from ``row`` in one transaction."""
        if not rows:
            return 0
        try:
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?)", rows)
        except sqlite3.DatabaseError as exc:
            raise CacheCorrupt(str(exc)) from None
        return len(rows)

    def store(self, entries: Iterable[tuple[ItemResult, Origin, str]]) -> int:
        """Store complete results (result, its item's origin, scan key) in one transaction."""
        rows = [self.row(result, origin, scan_key) for result, origin, scan_key in entries]
        return self.write([row for row in rows if row is not None])

    def history(self, slot: str) -> tuple[str, bytes] | None:
        """The (ref state, body) remembered for a history slot, its tag verified."""
        try:
            row = self._db.execute("SELECT state, body, tag, used FROM histories WHERE slot = ?",
                                   (slot,)).fetchone()
            if row is None:
                return None
            state, body, tag, used = row
            if not isinstance(state, str) or not isinstance(body, bytes) \
                    or tag != self.key.tag(b"history", slot.encode(), state.encode(), body):
                raise CacheCorrupt("a remembered history scan failed its integrity check")
            if used < self._today:
                self._db.execute("UPDATE histories SET used = ? WHERE slot = ?", (self._today, slot))
        except sqlite3.DatabaseError as exc:
            raise CacheCorrupt(str(exc)) from None
        return state, body

    def remember_history(self, slot: str, state: str, body: bytes) -> None:
        """Replace the slot's remembered history scan (one per repository and options)."""
        tag = self.key.tag(b"history", slot.encode(), state.encode(), body)
        try:
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.execute("INSERT OR REPLACE INTO histories VALUES (?, ?, ?, ?, ?)",
                                 (slot, state, body, tag, self._today))
        except sqlite3.DatabaseError as exc:
            raise CacheCorrupt(str(exc)) from None

    def close(self) -> None:
        """Mark today's hits as used, drop entries unused for ``KEEP_DAYS``, and close."""
        today = _today()
        try:
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany(
                    "UPDATE results SET used = ? WHERE content_id = ? AND scan_key = ?",
                    [(today, content, scan_key) for content, scan_key in self._touched])
                last = self._db.execute("SELECT value FROM meta WHERE name = 'pruned'").fetchone()
                if last is None or int(last[0]) < today:
                    self._db.execute("DELETE FROM results WHERE used < ?", (today - KEEP_DAYS,))
                    self._db.execute("DELETE FROM histories WHERE used < ?", (today - KEEP_DAYS,))
                    self._db.execute("INSERT OR REPLACE INTO meta VALUES ('pruned', ?)", (str(today),))
        except sqlite3.DatabaseError:
            pass
        finally:
            self._db.close()


def discard(path: Path) -> None:
    """Remove a cache file and its WAL companions."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            Path(str(path) + suffix).unlink()
