"""PDF text layers with pypdf: one chunk per page (``page 3``), plus properties and labels.

pypdf is pure Python and hostile PDFs can make it slow, so parsing runs under a deadline
(``pdf_timeout``; enforced with a timer signal when the scan runs in the main thread, and
checked between pages everywhere) and a page cap (``pdf_max_pages``). pypdf's own decompression
limits stay on. A PDF that cannot be decrypted with the empty password is reported as encrypted;
one pypdf cannot parse is a ``corrupt`` skip.
"""

from __future__ import annotations

import contextlib
import io
import logging
import signal
import threading
import time
import warnings
from collections.abc import Iterator
from typing import Any

from leakguard.model import Chunk, Origin, Skipped, SkipReason
from leakguard.sources.extract.base import ExtractError, Walk, part_origin, text_chunk
from leakguard.sources.extract.labels import (
    encrypted_chunk,
    is_label_key,
    label_chunk,
    labels_from_pairs,
    labels_from_xmp,
    merge,
)
from leakguard.sources.extract.xmltext import parse_xml

Items = Iterator[Chunk | Skipped]


class _Deadline(BaseException):
    """Raised by the timer; a BaseException so that pypdf's ``except Exception`` cannot eat it."""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` where a timer signal can be used (main thread)."""
    usable = (threading.current_thread() is threading.main_thread()
              and hasattr(signal, "setitimer") and seconds > 0
              and signal.getitimer(signal.ITIMER_REAL)[0] == 0)  # never steal a caller's timer
    if not usable:
        yield
        return

    def expire(_signum: int, _frame: Any) -> None:
        raise _Deadline()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """pypdf warns about every oddity of a malformed file; a scanner reports a skip instead."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def extract_pdf(origin: Origin, data: bytes, walk: Walk) -> Items:
    """Chunks of a PDF; parsing happens before the first yield so the deadline covers it all."""
    options = walk.options
    try:
        with _quiet(), _time_limit(options.pdf_timeout):
            items = _read(origin, data, options.pdf_timeout, options.pdf_max_pages)
    except _Deadline:
        raise ExtractError(SkipReason.LIMIT,
                           f"PDF parsing exceeded {options.pdf_timeout:g}s") from None
    yield from items


def _read(origin: Origin, data: bytes, timeout: float, max_pages: int) -> list[Chunk | Skipped]:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    started = time.monotonic()
    items: list[Chunk | Skipped] = []
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:
                opened = 0
            if not opened:
                return [encrypted_chunk(origin, "encrypted PDF"),
                        Skipped(origin, SkipReason.ENCRYPTED, "PDF needs a password")]
        items.extend(_metadata(origin, reader))
        pages = reader.pages
        count = len(pages)
        for index in range(min(count, max_pages)):
            if time.monotonic() - started > timeout:
                items.append(Skipped(origin, SkipReason.LIMIT,
                                     f"PDF parsing exceeded {timeout:g}s at page {index + 1}"))
                return items
            text = pages[index].extract_text() or ""
            if text.strip():
                items.append(text_chunk(part_origin(origin, f"page {index + 1}"), text))
        if count > max_pages:
            items.append(Skipped(origin, SkipReason.LIMIT,
                                 f"only the first {max_pages} of {count} pages were read"))
    except FileNotDecryptedError as exc:
        return [encrypted_chunk(origin, "encrypted PDF"),
                Skipped(origin, SkipReason.ENCRYPTED, str(exc))]
    except (PdfReadError, Exception) as exc:  # pypdf raises many types on malformed input
        detail = f"malformed PDF ({type(exc).__name__}: {exc})"[:300]
        items.append(Skipped(origin, SkipReason.MALFORMED, detail))
    return items


def _metadata(origin: Origin, reader: Any) -> Items:
    """Info dictionary and XMP: properties, and MSIP labels written by Office's PDF export."""
    info = reader.metadata or {}
    pairs = [(str(key), str(value)) for key, value in info.items()]
    properties = [f"{key.lstrip('/')}: {value}" for key, value in pairs
                  if value.strip() and not is_label_key(key)]
    if properties:
        yield text_chunk(part_origin(origin, "properties"), "\n".join(properties))
    xmp_labels = {}
    raw = _xmp_bytes(reader)
    if raw:
        with contextlib.suppress(ExtractError):
            xmp_labels = labels_from_xmp(parse_xml(raw, "XMP metadata"))
    chunk = label_chunk(origin, merge(labels_from_pairs(pairs), xmp_labels))
    if chunk is not None:
        yield chunk


def _xmp_bytes(reader: Any) -> bytes | None:
    try:
        root = reader.trailer["/Root"]
        stream = root.get("/Metadata")
        return stream.get_object().get_data() if stream is not None else None
    except Exception:
        return None
