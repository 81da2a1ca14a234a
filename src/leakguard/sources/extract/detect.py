"""Which extractor (if any) a piece of content needs: magic bytes first, the name second.

Binary formats are recognised by their magic bytes wherever they are and whatever their name
(a renamed docx is still a docx; an unknown zip is an archive). Text formats (RTF, e-mail,
notebooks, HTML/SVG) are recognised by name, with a content check where one is cheap, so a source
file that merely contains ``%PDF-`` or ``{\\rtf`` in a string is still scanned as the text it is.
"""

from __future__ import annotations

import posixpath

from leakguard.sources.archives import is_tar
from leakguard.sources.extract.base import MEMBER_SEP
from leakguard.sources.extract.mail import looks_like_email
from leakguard.sources.extract.ole import OLE_MAGIC

_BZIP2_BLOCKS = (b"1AY&SY", b"\x17rE8P\x90")
MARKUP_SUFFIXES = (".html", ".htm", ".xhtml", ".svg")


def suffix(path: str) -> str:
    return posixpath.splitext(path.rsplit(MEMBER_SEP, 1)[-1])[1].lower()


ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
PDF_MAGIC = b"%PDF-"
GZIP_MAGIC = b"\x1f\x8b"
BZIP2_MAGIC = b"BZh"
XZ_MAGIC = b"\xfd7zXZ\x00"
RTF_MAGIC = b"{\\rtf"
#: First bytes of every magic ``detect`` looks for at the start, and the suffixes it reads.
_MAGIC_FIRST = frozenset(magic[0] for magic in (*ZIP_MAGICS, OLE_MAGIC, PDF_MAGIC, GZIP_MAGIC,
                                                BZIP2_MAGIC, XZ_MAGIC, RTF_MAGIC))
_NAMED_SUFFIXES = (".pdf", ".rtf", ".eml", ".ipynb", *MARKUP_SUFFIXES)


#: Names of content that is extracted (at 0.4-5 MB/s on sympy: a 630 KB PDF took 1.5 s, a 2 MB
#: SVG 0.44 s) rather than scanned as it is (about 200 MB/s).
SLOW_SUFFIXES = frozenset({*_NAMED_SUFFIXES, ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp",
                           ".doc", ".xls", ".ppt", ".zip", ".jar", ".war", ".tar", ".tgz", ".gz",
                           ".bz2", ".xz"})


#: Content this large with such a name takes long enough to be scheduled specially.
SLOW_BYTES = 64 * 1024


def slow_to_scan(path: str, size: int) -> bool:
    """Whether content at ``path`` will likely take long to scan, judged from its name and size
    alone (before anything is read): used only to schedule it, never to decide how it is
    scanned."""
    return size >= SLOW_BYTES and suffix(path) in SLOW_SUFFIXES


def may_extract(path: str, data: bytes) -> bool:
    """False only when ``detect`` would return None, for a fraction of its cost: most content
    starts with none of the magics' first bytes, is no tar and has no suffix ``detect`` reads."""
    return (bool(data) and data[0] in _MAGIC_FIRST) or is_tar(data) \
        or path.lower().endswith(_NAMED_SUFFIXES)


def detect(path: str, data: bytes) -> str | None:
    """The format name of ``data`` (``zip``, ``pdf``, ``markup``, …), or None for plain content."""
    ext = suffix(path)
    if data.startswith(ZIP_MAGICS):
        return "zip"
    if data.startswith(OLE_MAGIC):
        return "ole"
    if data.startswith(PDF_MAGIC) or (ext == ".pdf" and PDF_MAGIC in data[:1024]):
        return "pdf"
    if data.startswith(GZIP_MAGIC):
        return "gzip"
    if data.startswith(BZIP2_MAGIC) and data[4:10] in _BZIP2_BLOCKS:
        return "bzip2"
    if data.startswith(XZ_MAGIC):
        return "xz"
    if is_tar(data):
        return "tar"
    if ext == ".rtf" or data.startswith(RTF_MAGIC):
        return "rtf"
    if ext == ".eml" and looks_like_email(data):
        return "eml"
    if ext == ".ipynb":
        return "notebook"
    if ext in MARKUP_SUFFIXES:
        return "markup"
    return None
