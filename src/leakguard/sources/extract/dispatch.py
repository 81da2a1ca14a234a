"""Route content to its extractor, and turn whatever goes wrong inside one into a skip.

``extract`` returns None for content no extractor claims, and ``content_items`` then decodes it
as plain text exactly as before extraction existed. For everything else it returns the
extractor's chunks and skips, guarded: a parser error, a refused XML part or an exceeded limit
ends that container with one counted skip, never an exception out of the scan.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace

from leakguard.model import Chunk, Origin, Skipped, SkipReason
from leakguard.sources.archives import stream_items, tar_members, zip_members
from leakguard.sources.extract.base import ExtractError, Walk, part_origin, skip, text_chunk
from leakguard.sources.extract.detect import detect
from leakguard.sources.extract.mail import extract_eml
from leakguard.sources.extract.markup import visible_text
from leakguard.sources.extract.notebook import notebook_chunks

# The office, PDF, RTF and sensitivity-label extractors (and defusedxml, logging) are imported
# by their handlers on first use: most scans meet none of those formats, and importing them
# all cost every process 9 ms of a 0.7 s tree scan.

Items = Iterator[Chunk | Skipped]


def plain(origin: Origin, data: bytes, walk: Walk) -> Items:
    """The content as plain text, through ``content_items`` with extraction off for this call."""
    return walk.scan(origin, data, walk=replace(walk, options=replace(walk.options,
                                                                      enabled=False)))


def _text(data: bytes) -> str:
    from leakguard.sources.content import decode  # content imports this module

    return decode(data)


def _zip(origin: Origin, data: bytes, walk: Walk) -> Items:
    from leakguard.sources.extract.odf import extract_odf, odf_kind
    from leakguard.sources.extract.ooxml import extract_docx, extract_pptx
    from leakguard.sources.extract.package import Package
    from leakguard.sources.extract.xlsx import extract_xlsx

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise ExtractError(SkipReason.MALFORMED, f"truncated or malformed zip ({exc})") from None
    with archive:
        package = Package(archive, walk)
        main = package.main_part() if package.has("_rels/.rels") else None
        ooxml = {"word": extract_docx, "xl": extract_xlsx, "ppt": extract_pptx}
        handler = ooxml.get(main.split("/", 1)[0]) if main else None
        if handler is not None:
            yield from handler(origin, package, walk)
            return
        kind = odf_kind(package)
        if kind is not None:
            yield from extract_odf(origin, package, kind, walk)
            return
        yield from zip_members(origin, archive, walk)


def _ole(origin: Origin, data: bytes, _walk: Walk) -> Items:
    from leakguard.sources.extract.labels import encrypted_chunk
    from leakguard.sources.extract.ole import ole_encryption

    how = ole_encryption(data)
    if how is None:
        yield Skipped(origin, SkipReason.UNSUPPORTED, "legacy Office (OLE compound file) format")
        return
    yield encrypted_chunk(origin, how)
    yield Skipped(origin, SkipReason.ENCRYPTED, how)


def _pdf(origin: Origin, data: bytes, walk: Walk) -> Items:
    from leakguard.sources.extract.pdf import extract_pdf

    items = list(extract_pdf(origin, data, walk))
    yield from items
    from leakguard.sources.content import looks_binary

    if any(isinstance(i, Skipped) and i.reason is SkipReason.MALFORMED for i in items) \
            and not looks_binary(data):
        yield from plain(origin, data, walk)


def _markup(origin: Origin, data: bytes, walk: Walk) -> Items:
    yield from plain(origin, data, walk)
    text = visible_text(_text(data))
    if text.strip():
        yield text_chunk(part_origin(origin, "text"), text)


def _notebook(origin: Origin, data: bytes, walk: Walk) -> Items:
    chunks = notebook_chunks(origin, _text(data))
    if chunks is None:
        yield from plain(origin, data, walk)
    else:
        yield from chunks


def _rtf(origin: Origin, data: bytes, _walk: Walk) -> Items:
    from leakguard.sources.extract.rtf import rtf_to_text

    text = rtf_to_text(data)
    if text.strip():
        yield text_chunk(part_origin(origin, "text"), text)


HANDLERS: dict[str, Callable[[Origin, bytes, Walk], Items]] = {
    "zip": _zip,
    "ole": _ole,
    "pdf": _pdf,
    "gzip": lambda o, d, w: stream_items(o, d, "gzip", w),
    "bzip2": lambda o, d, w: stream_items(o, d, "bzip2", w),
    "xz": lambda o, d, w: stream_items(o, d, "xz", w),
    "tar": tar_members,
    "rtf": _rtf,
    "eml": extract_eml,
    "notebook": _notebook,
    "markup": _markup,
}


def extract(origin: Origin, data: bytes, walk: Walk) -> Items | None:
    """The chunks and skips of a document or archive, or None when ``data`` is neither."""
    kind = detect(origin.path, data)
    if kind is None:
        return None
    return _guarded(origin, kind, HANDLERS[kind](origin, data, walk))


def _guarded(origin: Origin, kind: str, items: Items) -> Items:
    try:
        yield from items
    except ExtractError as error:
        yield skip(origin, error)
    except Exception as exc:  # hostile input must never end the scan
        detail = f"{kind}: {type(exc).__name__}: {exc}"[:300]
        yield Skipped(origin, SkipReason.MALFORMED, detail)
