"""Archives: zip (and jar/war/ear), tar, and gzip/bzip2/xz streams, read member by member.

Members are streamed into memory through bounded readers and handed back to ``content_items``
with the path ``archive!/member``: nothing is ever written to disk, and member names are labels,
never file system paths. Every limit (depth, member count, member size, total size, compression
ratio) that stops a member or an archive is a counted skip with its reason.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import tarfile
import zipfile
from collections.abc import Iterator

from leakguard.model import Chunk, Origin, Skipped, SkipReason
from leakguard.sources.extract.base import (
    MEMBER_SEP,
    ExtractError,
    LimitReached,
    Walk,
    member_origin,
    skip,
)
from leakguard.sources.extract.limits import check_declared, read_bounded

Items = Iterator[Chunk | Skipped]
TAR_MAGIC_OFFSET = 257

#: Compressed single-stream formats: opener, and the suffixes that name what is inside.
STREAMS = {
    "gzip": (lambda raw: gzip.GzipFile(fileobj=raw), {".tgz": ".tar", ".gz": ""}),
    "bzip2": (bz2.BZ2File, {".tbz2": ".tar", ".tbz": ".tar", ".bz2": ""}),
    "xz": (lzma.LZMAFile, {".txz": ".tar", ".xz": ""}),
}


def is_tar(data: bytes) -> bool:
    return data[TAR_MAGIC_OFFSET:TAR_MAGIC_OFFSET + 5] == b"ustar"


def enter(walk: Walk, origin: Origin, what: str) -> None:
    """Refuse to open an archive nested deeper than ``max_archive_depth``."""
    if walk.depth + 1 > walk.options.max_archive_depth:
        raise ExtractError(SkipReason.LIMIT, f"{what} nested deeper than the archive depth "
                                             f"limit of {walk.options.max_archive_depth}")


def zip_members(origin: Origin, archive: zipfile.ZipFile, walk: Walk) -> Items:
    enter(walk, origin, "zip archive")
    options = walk.options
    for info in archive.infolist():
        if info.is_dir():
            continue
        walk.budget.take_member()
        if walk.budget.bytes_left <= 0:
            raise LimitReached(f"total uncompressed size limit of {options.max_total_bytes} "
                               "bytes reached")
        child = member_origin(origin, info.filename)
        if info.flag_bits & 0x1:
            yield Skipped(child, SkipReason.ENCRYPTED, "encrypted zip member")
            continue
        try:
            check_declared(walk, info.file_size, options.max_member_size)
            with archive.open(info) as stream:
                data = read_bounded(stream, walk, limit=options.max_member_size,
                                    compressed_size=info.compress_size)
        except LimitReached:
            raise
        except ExtractError as error:
            yield skip(child, error)
            continue
        except NotImplementedError as exc:
            yield Skipped(child, SkipReason.UNSUPPORTED, str(exc))
            continue
        except Exception as exc:  # BadZipFile (bad CRC, overlap), zlib.error, EOFError
            yield Skipped(child, SkipReason.MALFORMED, f"zip member: {type(exc).__name__}: {exc}")
            continue
        yield from walk.member(child, data)


def tar_members(origin: Origin, data: bytes, walk: Walk) -> Items:
    """Regular files of a tar; links, devices and folders hold no content of their own."""
    enter(walk, origin, "tar archive")
    options = walk.options
    try:
        archive = tarfile.open(fileobj=io.BytesIO(data), mode="r:")  # noqa: SIM115 (closed below)
    except tarfile.TarError as exc:
        raise ExtractError(SkipReason.MALFORMED, f"not a readable tar archive: {exc}") from None
    with archive:
        while True:
            try:
                info = archive.next()
            except tarfile.TarError as exc:
                yield Skipped(origin, SkipReason.MALFORMED, f"tar archive: {exc}")
                return
            if info is None:
                return
            if not info.isreg():
                continue
            walk.budget.take_member()
            child = member_origin(origin, info.name)
            try:
                if info.size > options.max_member_size:
                    raise ExtractError(SkipReason.TOO_LARGE, f"{info.size} bytes")
                stream = archive.extractfile(info)
                content = read_bounded(stream, walk, limit=options.max_member_size,
                                       counted=False) if stream is not None else b""
            except LimitReached:
                raise
            except ExtractError as error:
                yield skip(child, error)
                continue
            except (tarfile.TarError, OSError, EOFError) as exc:
                yield Skipped(child, SkipReason.MALFORMED, f"tar member: {exc}")
                continue
            yield from walk.member(child, content)


def inner_name(path: str, kind: str) -> str:
    """What a compressed stream holds: ``notes.txt.gz`` -> ``notes.txt``; ``a.tgz`` -> ``a.tar``."""
    base = path.rsplit(MEMBER_SEP, 1)[-1].rsplit("/", 1)[-1]
    for suffix, replacement in STREAMS[kind][1].items():
        if base.lower().endswith(suffix):
            return base[: -len(suffix)] + replacement or "content"
    return base + ".out"


def stream_items(origin: Origin, data: bytes, kind: str, walk: Walk) -> Items:
    """A gzip/bzip2/xz stream: a tarball's members directly (``a.tar.gz!/x``), else one member."""
    enter(walk, origin, f"{kind} stream")
    opener = STREAMS[kind][0]
    options = walk.options
    limit = max(options.max_member_size, options.max_total_bytes) if _may_hold_tar(origin) \
        else options.max_member_size
    try:
        with opener(io.BytesIO(data)) as stream:
            content = read_bounded(stream, walk, limit=limit, compressed_size=len(data))
    except ExtractError:
        raise
    except (OSError, EOFError, lzma.LZMAError, ValueError) as exc:
        raise ExtractError(SkipReason.MALFORMED, f"{kind} stream: {exc}") from None
    if is_tar(content):
        yield from tar_members(origin, content, walk)
        return
    yield from walk.member(member_origin(origin, inner_name(origin.path, kind)), content)


def _may_hold_tar(origin: Origin) -> bool:
    name = origin.path.lower()
    return any(name.endswith(s) for s in (".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz",
                                          ".tar.xz", ".txz"))
