"""Raw bytes -> text chunks (or skips): the one place content is decoded.

Every source (files, stdin, git blobs) hands its bytes here, so decoding, binary detection and
(later) document extraction apply the same way in every scan mode. ``content_items`` is a
generator because one input can become several chunks (an archive's members, a document's parts).
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator

from leakguard.model import Chunk, Origin, Skipped, SkipReason
from leakguard.sources.decoders import derived_chunks
from leakguard.sources.extract import DEFAULT_OPTIONS, ExtractOptions, Walk
from leakguard.sources.extract.detect import may_extract
from leakguard.sources.extract.dispatch import extract

BINARY_SNIFF_BYTES = 8192
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


_BOM_PREFIXES = tuple(bom for bom, _ in _BOMS)


def decode(data: bytes) -> str:
    """Bytes -> text without ever failing: BOM-marked Unicode, UTF-8, else Latin-1 (1:1 bytes)."""
    return decode_encoded(data)[0]


def decode_encoded(data: bytes) -> tuple[str, bytes | None]:
    """``decode(data)``, with ``data`` itself when it is exactly the text's UTF-8 form (strict
    UTF-8 decoding never yields a lone surrogate, so encoding the text gives ``data`` back); a
    BOM-marked text, which loses its BOM, and Latin-1 text come without."""
    if data.startswith(_BOM_PREFIXES):
        for bom, encoding in _BOMS:
            if data.startswith(bom):
                try:
                    return data.decode(encoding), None
                except UnicodeDecodeError:
                    break
    try:
        return data.decode("utf-8"), data
    except UnicodeDecodeError:
        return data.decode("latin-1"), None


def looks_binary(data: bytes) -> bool:
    """A NUL byte near the start means binary, unless a UTF-16/32 BOM explains it."""
    if data.find(b"\0", 0, BINARY_SNIFF_BYTES) < 0:  # no slice copied: most content has no NUL
        return False
    return not data.startswith(_BOM_PREFIXES)


def content_items(origin: Origin, data: bytes, options: ExtractOptions | None = None, *,
                  walk: Walk | None = None,
                  holds: Callable[[Chunk, str], bool | None] | None = None
                  ) -> Iterator[Chunk | Skipped]:
    """Turn raw bytes into chunks to scan, or a skip saying why not.

    Documents and archives are extracted first (``options``; on by default, so every source
    gets it); ``walk`` is how extractors hand members back here, one level deeper. ``holds``
    answers, once the caller has scanned the chunk yielded, whether it holds a word
    (``Matcher.may_hold``), which spares the decoders a search of their own.
    """
    enabled = (walk.options if walk is not None else options or DEFAULT_OPTIONS).enabled
    if enabled and may_extract(origin.path, data):
        walk = walk or Walk.start(options or DEFAULT_OPTIONS, content_items)
        extracted = extract(origin, data, walk)
        if extracted is not None:
            yield from extracted
            return
    if looks_binary(data):
        yield Skipped(origin, SkipReason.BINARY)
        return
    text, encoded = decode_encoded(data)
    chunk = Chunk(origin, text, size=len(data), encoded=encoded)
    yield chunk
    yield from derived_chunks(chunk, None if holds is None else lambda word: holds(chunk, word))
