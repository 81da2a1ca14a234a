"""What every extractor shares: the options, the per-input budget, and how parts are named.

An extractor turns one container (a document, an archive, an email) into chunks and skips.
It never touches the disk: members are read into memory through bounded readers, and every
member goes back through ``content_items`` so that nesting (a docx in a zip in a tarball) works
the same at every depth, within one budget per top-level input.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from leakguard.model import Chunk, Origin, Skipped, SkipReason

#: Separates an archive's path from a member's path in ``Origin.path``: ``bundle.zip!/docs/a.docx``.
MEMBER_SEP = "!/"

DEFAULT_MAX_ARCHIVE_DEPTH = 3
DEFAULT_MAX_MEMBER_SIZE = 10 * 1024 * 1024
DEFAULT_MAX_TOTAL_BYTES = 256 * 1024 * 1024
DEFAULT_MAX_MEMBERS = 10_000
DEFAULT_MAX_RATIO = 250
DEFAULT_RATIO_FLOOR = 1024 * 1024
DEFAULT_MAX_PART_SIZE = 64 * 1024 * 1024
DEFAULT_PDF_TIMEOUT = 30.0
DEFAULT_PDF_MAX_PAGES = 2_000


@dataclass(frozen=True)
class ExtractOptions:
    """Whether documents and archives are opened, and the limits that keep hostile input bounded.

    ``max_member_size`` caps one archive member (the CLI sets it to ``--max-file-size``);
    ``max_part_size`` caps one XML part inside an Office document; ``max_total_bytes`` and
    ``max_members`` are shared by everything inside one top-level input, however deep;
    ``max_ratio`` rejects members that expand more than that many times their compressed size
    (checked once a member passes ``ratio_floor`` bytes, so small well-compressed files pass).
    """

    enabled: bool = True
    max_archive_depth: int = DEFAULT_MAX_ARCHIVE_DEPTH
    max_member_size: int = DEFAULT_MAX_MEMBER_SIZE
    max_part_size: int = DEFAULT_MAX_PART_SIZE
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES
    max_members: int = DEFAULT_MAX_MEMBERS
    max_ratio: int = DEFAULT_MAX_RATIO
    ratio_floor: int = DEFAULT_RATIO_FLOOR
    pdf_timeout: float = DEFAULT_PDF_TIMEOUT
    pdf_max_pages: int = DEFAULT_PDF_MAX_PAGES


DEFAULT_OPTIONS = ExtractOptions()


class ExtractError(Exception):
    """Raised inside an extractor; turned into one ``Skipped`` with the reason and detail."""

    def __init__(self, reason: SkipReason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


class LimitReached(ExtractError):
    """A limit shared by the whole input ran out: stop the container, not just this member."""

    def __init__(self, detail: str) -> None:
        super().__init__(SkipReason.LIMIT, detail)


class Budget:
    """Bytes and members left for one top-level input; shared by every nested container in it."""

    def __init__(self, options: ExtractOptions) -> None:
        self.bytes_left = options.max_total_bytes
        self.members_left = options.max_members

    def take_member(self) -> None:
        if self.members_left <= 0:
            raise LimitReached("member count limit reached")
        self.members_left -= 1


Scan = Callable[..., Iterator["Chunk | Skipped"]]


@dataclass(frozen=True)
class Walk:
    """Where an extractor is: the options, the shared budget, the archive depth and the way back.

    ``scan`` is ``content_items`` itself, so a member is detected, extracted or decoded exactly
    as a file on disk would be.
    """

    options: ExtractOptions
    budget: Budget
    scan: Scan
    depth: int = 0

    @classmethod
    def start(cls, options: ExtractOptions, scan: Scan) -> Walk:
        return cls(options, Budget(options), scan)

    def member(self, origin: Origin, data: bytes) -> Iterator[Chunk | Skipped]:
        """Scan a member one archive level deeper, through the same dispatcher."""
        return self.scan(origin, data, walk=replace(self, depth=self.depth + 1))

    def embedded(self, origin: Origin, data: bytes) -> Iterator[Chunk | Skipped]:
        """Scan something embedded in a document (an attachment) at the same archive depth."""
        return self.scan(origin, data, walk=self)


def clean_member_name(name: str) -> str:
    """A member name as shown in paths: ``/`` separators, no root, no ``..``, no control bytes.

    Member names are attacker-controlled (``../../etc/passwd``, ``C:\\x``); they are only ever
    used as labels, never as file system paths, and are normalised so they cannot climb out of
    the archive's own namespace in reports or policy globs either.
    """
    name = "".join(ch if ch.isprintable() else "?" for ch in name.replace("\\", "/"))
    if len(name) > 1 and name[1] == ":":
        name = name[2:]
    normal = posixpath.normpath("/" + name).lstrip("/")
    return normal if normal not in ("", ".") else "?"


def member_origin(parent: Origin, name: str) -> Origin:
    """The origin of a member: the parent's path + ``!/`` + the cleaned member name."""
    return Origin(f"{parent.path}{MEMBER_SEP}{clean_member_name(name)}", parent.kind,
                  parent.blob_id)


def container_path(path: str) -> str:
    """The file or blob a (member) path lives in: ``a.zip!/b/c.docx`` -> ``a.zip``.

    A git blob holds the outermost container, so re-reading a finding from its blob starts here.
    """
    return path.split(MEMBER_SEP, 1)[0]


def is_extracted(origin: Origin) -> bool:
    """Whether a chunk's text came out of a document or archive rather than being the file itself.

    Line numbers of extracted text are not the blob's lines, so a diff's added-line filter
    (``Chunk.lines``) must not be applied to such chunks: a changed document is new as a whole.
    """
    return origin.location is not None or MEMBER_SEP in origin.path


def part_origin(parent: Origin, location: str) -> Origin:
    """The origin of a part of a document: same path (so the same fingerprints), a location."""
    return replace(parent, location=location)


def text_chunk(origin: Origin, text: str) -> Chunk:
    return Chunk(origin, text, size=len(text.encode("utf-8", "surrogatepass")))


def skip(origin: Origin, error: ExtractError) -> Skipped:
    return Skipped(origin, error.reason, error.detail)
