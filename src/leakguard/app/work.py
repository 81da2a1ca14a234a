"""Work items and their results: the unit that parallel scanning, the cache and every scan mode
share.

A work item names one content to scan (a file now, a git blob in history mode) and where its
chunks are reported. Scanning it reads the bytes (through a reader that lives in the process
doing the work), decodes them into chunks (``content_items``) and runs the matcher; the result
holds matches and counts, never the content, so results can cross process boundaries cheaply.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from leakguard.engine.matcher import Matcher
from leakguard.model import Match, Origin, Skipped, SkipReason
from leakguard.sources.content import content_items
from leakguard.sources.extract import ExtractOptions
from leakguard.sources.extract.base import is_extracted
from leakguard.sources.files import read_bytes
from leakguard.sources.gitcmd import GitRunner
from leakguard.sources.gitobjects import MISSING, BlobReader


@dataclass(frozen=True)
class WorkItem:
    """One content to scan. ``source`` says where to read it (an absolute file path; a blob id
    for a blob reader); ``content_id`` is its git blob id when already known (history);
    ``lines`` restricts reporting to those lines (added lines of a diff), as ``Chunk.lines``."""

    index: int
    origin: Origin
    source: str
    content_id: str | None = None
    size: int | None = None
    lines: frozenset[int] | None = None


@dataclass(frozen=True)
class ChunkDone:
    """A chunk that was scanned: where it came from, its size and the rules that timed out."""

    origin: Origin
    size: int
    timeouts: tuple[str, ...] = ()


@dataclass(frozen=True)
class ItemResult:
    """What one work item produced, in content order; ``cached`` when it came from the cache."""

    index: int
    events: tuple[ChunkDone | Skipped, ...]
    matches: tuple[Match, ...] = ()
    content_id: str | None = None
    cached: bool = False

    @property
    def complete(self) -> bool:
        """No rule timed out: the result is the same whenever this content is scanned again."""
        return not any(isinstance(e, ChunkDone) and e.timeouts for e in self.events)


def content_id(data: bytes) -> str:
    """The git blob id of ``data``: tree scans and history scans name the same content alike."""
    digest = hashlib.sha1(b"blob %d\0" % len(data), usedforsecurity=False)
    digest.update(data)
    return digest.hexdigest()


class Reader(Protocol):
    """Reads work items' bytes inside the process that scans them; ``extract`` says how the
    bytes are decoded (documents and archives opened or not, how deep)."""

    extract: ExtractOptions | None

    def read(self, items: Sequence[WorkItem]) -> Iterator[tuple[WorkItem, bytes | Skipped]]: ...

    def close(self) -> None: ...


class ReaderSpec(Protocol):
    """A picklable recipe for a ``Reader``; each worker process opens its own."""

    def open(self) -> Reader: ...


@dataclass(frozen=True)
class FileReaderSpec:
    max_size: int
    extract: ExtractOptions | None = None

    def open(self) -> FileReader:
        return FileReader(self.max_size, self.extract)


class FileReader:
    """Reads files named by absolute path, honouring the size limit."""

    def __init__(self, max_size: int, extract: ExtractOptions | None = None) -> None:
        self.max_size = max_size
        self.extract = extract

    def read(self, items: Sequence[WorkItem]) -> Iterator[tuple[WorkItem, bytes | Skipped]]:
        for item in items:
            yield item, read_bytes(item.source, item.origin, self.max_size)

    def close(self) -> None:
        return None


@dataclass(frozen=True)
class BlobReaderSpec:
    """Reads git blobs (``WorkItem.source`` is the blob id) through one long-lived, hardened
    ``git cat-file --batch`` per process: each worker opens its own."""

    runner: GitRunner
    max_size: int
    extract: ExtractOptions | None = None

    def open(self) -> GitBlobReader:
        return GitBlobReader(self.runner, self.max_size, self.extract)


class GitBlobReader:
    """Blobs by id, in item order; a blob over the size limit is skipped from its listed size
    without being read, a missing or unreadable one is a ``corrupt`` skip naming it."""

    def __init__(self, runner: GitRunner, max_size: int, extract: ExtractOptions | None = None
                 ) -> None:
        self.max_size = max_size
        self.extract = extract
        self._reader = BlobReader(runner)

    def read(self, items: Sequence[WorkItem]) -> Iterator[tuple[WorkItem, bytes | Skipped]]:
        wanted = [item for item in items if item.size is None
                  or (item.size != MISSING and item.size <= self.max_size)]
        answers = self._reader.read([item.source for item in wanted])
        for item in items:
            if item.size == MISSING:
                yield item, Skipped(item.origin, SkipReason.CORRUPT, "object missing or unreadable")
            elif item.size is not None and item.size > self.max_size:
                yield item, Skipped(item.origin, SkipReason.TOO_LARGE, f"{item.size} bytes")
            else:
                _oid, data, reason = next(answers)
                yield item, data if data is not None else Skipped(item.origin, SkipReason.CORRUPT,
                                                                  reason)

    def close(self) -> None:
        self._reader.close()


def scan_content(item: WorkItem, data: bytes | Skipped, matcher: Matcher, *,
                 identify: bool = False, extract: ExtractOptions | None = None) -> ItemResult:
    """Decode and match one content; a skip (unreadable, too large) passes through.

    ``identify`` computes the content id when the item does not carry one (for the cache);
    ``extract`` are the document and archive options (the reader's).
    """
    if isinstance(data, Skipped):
        return ItemResult(item.index, (data,))
    events: list[ChunkDone | Skipped] = []
    matches: list[Match] = []
    for piece in content_items(item.origin, data, extract, holds=matcher.may_hold):
        if isinstance(piece, Skipped):
            events.append(piece)
            continue
        # Added lines are the blob's lines; extracted or decoded text has its own numbering.
        if item.lines is not None and not is_extracted(piece.origin):
            piece = replace(piece, lines=item.lines)
        result = matcher.scan(piece)
        events.append(ChunkDone(piece.origin, piece.size, result.timeouts))
        matches.extend(result.matches)
    ident = item.content_id or (content_id(data) if identify else None)
    return ItemResult(item.index, tuple(events), tuple(matches), ident)
