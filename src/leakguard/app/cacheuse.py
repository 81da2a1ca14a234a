"""One run's use of the scan cache: open it, look results up, store new ones, fail safe.

Any sign of damage (SQLite errors, an entry that fails its integrity check) discards the file,
records a warning for the report, and lets the rest of the run go on without a cache: a damaged
cache is never trusted and never stops a scan.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from leakguard.app.cache import CACHE_FILE, CacheCorrupt, CachedRow, ScanCache, ScanKeys, discard
from leakguard.app.work import ItemResult, WorkItem
from leakguard.rules.rule import RuleSet
from leakguard.sealing import load_cache_key
from leakguard.sources.extract import ExtractOptions
from leakguard.userdirs import user_cache_dir

WRITE_ROWS = 4096
WRITE_BYTES = 16 * 1024 * 1024


class CacheUse:
    """The cache for one run and how to key its items."""

    def __init__(self, cache: ScanCache, keys: ScanKeys, warnings: list[str] | None = None) -> None:
        self.cache: ScanCache | None = cache
        self.path = cache.path
        self.keys = keys
        self.warnings = warnings if warnings is not None else []
        self.hits = 0
        self.stored = 0
        self._rows: list[tuple] = []
        self._row_bytes = 0

    def _fail(self, exc: CacheCorrupt) -> None:
        self.warnings.append(f"the scan cache {self.path} is damaged ({exc}); it was discarded "
                             "and the scan went on without it")
        if self.cache is not None:
            self.cache.close()
        self.cache = None
        discard(self.path)

    def lookup(self, items: Sequence[WorkItem]) -> dict[int, CachedRow]:
        """Verified cached rows by item index for items whose ``content_id`` is set."""
        if self.cache is None or not items:
            return {}
        keyed = [(item, item.content_id or "", self.keys.for_path(item.origin.path))
                 for item in items if item.lines is None]
        try:
            found = self.cache.lookup(keyed)
        except CacheCorrupt as exc:
            self._fail(exc)
            return {}
        self.hits += len(found)
        return found

    def decode(self, item: WorkItem, row: CachedRow) -> ItemResult | None:
        """The cached result for ``item``, or None (and the cache dropped) if it does not decode."""
        if self.cache is None:
            return None
        try:
            return self.cache.decode(item, row)
        except CacheCorrupt as exc:
            self._fail(exc)
            return None

    def add(self, result: ItemResult, item: WorkItem) -> None:
        """Queue a freshly scanned result, encoded and sealed at once (so that no match objects
        wait here); written in one transaction per ``WRITE_ROWS`` rows or ``WRITE_BYTES``."""
        if self.cache is None or result.cached or result.content_id is None \
                or item.lines is not None:  # what is reported depends on the diff, not the blob
            return
        row = self.cache.row(result, item.origin, self.keys.for_path(item.origin.path))
        if row is None:
            return
        self._rows.append(row)
        self._row_bytes += len(row[2]) + len(row[3] or b"")
        if len(self._rows) >= WRITE_ROWS or self._row_bytes >= WRITE_BYTES:
            self.flush()

    def store(self, results: Sequence[ItemResult], items: Sequence[WorkItem]) -> None:
        """Store the complete, freshly scanned results (``items`` in the same order)."""
        for result, item in zip(results, items, strict=True):
            self.add(result, item)
        self.flush()

    def flush(self) -> None:
        rows, self._rows, self._row_bytes = self._rows, [], 0
        if self.cache is None or not rows:
            return
        try:
            self.stored += self.cache.write(rows)
        except CacheCorrupt as exc:
            self._fail(exc)

    def history(self, slot: str) -> tuple[str, bytes] | None:
        """The remembered (ref state, body) of a history slot, or None (the cache dropped if it
        fails its check)."""
        if self.cache is None:
            return None
        try:
            return self.cache.history(slot)
        except CacheCorrupt as exc:
            self._fail(exc)
            return None

    def remember_history(self, slot: str, state: str, body: bytes) -> None:
        if self.cache is None:
            return
        try:
            self.cache.remember_history(slot, state, body)
        except CacheCorrupt as exc:
            self._fail(exc)

    def close(self) -> None:
        self.flush()
        if self.cache is not None:
            self.cache.close()
            self.cache = None


def open_cache(path: Path | None, ruleset: RuleSet, extract: ExtractOptions | None = None,
               engine: str = "regex") -> tuple[CacheUse | None, list[str]]:
    """The run's scan cache at ``path`` (default: the user cache folder), or None and why not.

    A file SQLite cannot read is discarded with a warning and replaced by an empty one.
    """
    target = path or user_cache_dir() / CACHE_FILE
    warnings: list[str] = []
    try:
        key = load_cache_key()
    except (OSError, ValueError) as exc:
        return None, [f"the scan cache is off: its key could not be read or created ({exc})"]
    for attempt in range(2):
        try:
            return CacheUse(ScanCache(target, key), ScanKeys(ruleset, key, extract, engine), warnings), []
        except CacheCorrupt as exc:
            if attempt:
                break
            warnings.append(f"the scan cache {target} is damaged ({exc}); it was discarded")
            discard(target)
        except OSError as exc:
            return None, [*warnings, f"the scan cache {target} cannot be used ({exc})"]
    return None, [*warnings, f"the scan cache {target} cannot be used"]
