"""The shortcuts of ``content_items``: ``may_extract`` rules out only content ``detect`` would
leave plain, and the bytes handed on with a chunk are exactly its text's UTF-8 form."""

from __future__ import annotations

import io
import random
import tarfile

import pytest

from leakguard.sources.content import decode, decode_encoded
from leakguard.sources.extract.detect import MARKUP_SUFFIXES, detect, may_extract
from leakguard.sources.extract.ole import OLE_MAGIC
from tests.documents.corpus import done_when_tree


def _tar() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        info = tarfile.TarInfo("a.txt")
        info.size = 2
        archive.addfile(info, io.BytesIO(b"hi"))
    return buffer.getvalue()


STARTS = [b"", b"plain text\n", b"PK\x03\x04rest", b"PK\x05\x06", b"PKnot-a-zip", OLE_MAGIC + b"x",
          b"%PDF-1.7\n", b"x" * 10 + b"%PDF-1.4", b"\x1f\x8b\x08", b"BZh91AY&SY", b"BZhxx",
          b"\xfd7zXZ\x00", b"{\\rtf1 hello}", b"From: a@b\nTo: c@d\n\nbody", b"{\"cells\": []}",
          b"<html><body>x</body></html>", _tar()]
SUFFIXES = ["", ".txt", ".py", ".pdf", ".PDF", ".rtf", ".eml", ".EML", ".ipynb",
            *MARKUP_SUFFIXES, *(s.upper() for s in MARKUP_SUFFIXES), ".tar", ".zip", ".docx"]
PATHS = [f"{folder}file{suffix}" for folder in ("", "dir/", "a.zip!/inner/")
         for suffix in SUFFIXES] + ["dir.pdf/file", "a.pdf!/member.txt"]


@pytest.mark.parametrize("path", PATHS)
def test_may_extract_keeps_everything_detect_would_extract(path):
    for data in STARTS:
        if detect(path, data) is not None:
            assert may_extract(path, data), (path, data[:16])


def test_may_extract_keeps_every_document_of_the_corpus():
    files = done_when_tree()
    kept = [path for path, data in files.items() if detect(path, data) is not None]
    assert kept, "the corpus has documents"
    assert all(may_extract(path, files[path]) for path in kept)


def test_may_extract_rules_out_ordinary_source():
    assert not may_extract("src/module.py", b"import os\nprint('hello')\n")


def test_random_bytes_decode_alike_and_carry_their_own_bytes():
    rng = random.Random(7)
    samples = [b"", b"\xef\xbb\xbfbom", "héllo ☃".encode(), b"\xff\xfeh\x00i\x00", b"\xed\xa0\x80"]
    samples += [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 40))) for _ in range(3000)]
    samples += [bytes(rng.choice(b"ab\xc3\xa9\xe2\x98\x83 \n") for _ in range(30)) for _ in range(500)]
    for data in samples:
        text, encoded = decode_encoded(data)
        assert text == decode(data)
        if encoded is not None:
            assert encoded == text.encode("utf-8", "surrogatepass") == data
