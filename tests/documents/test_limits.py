"""Hostile and broken input: each limit and each fault is one counted skip, never a crash or hang."""

from __future__ import annotations

import gzip
import io
import time
import zipfile

import pytest

from leakguard.model import Chunk, Origin, Skipped
from leakguard.sources.content import content_items
from leakguard.sources.extract import ExtractOptions
from tests.documents import builders as b
from tests.documents.corpus import corrupt_pdf, encrypted_docx, truncated_zip, zip_bomb


def items(name: str, data: bytes, options: ExtractOptions | None = None):
    return list(content_items(Origin(name), data, options))


def skips(found) -> list[tuple[str, str, str]]:
    return [(s.origin.path, str(s.reason), s.detail) for s in found if isinstance(s, Skipped)]


def _nested(levels: int) -> bytes:
    data = b.zip_bytes({"deep.txt": "bottom"})
    for level in range(levels - 1):
        data = b.zip_bytes({f"level{level}.zip": data})
    return data


@pytest.mark.parametrize(("depth", "reached"), [(0, False), (2, False), (3, True), (4, True)])
def test_archive_depth_limit(depth: int, reached: bool) -> None:
    found = items("top.zip", _nested(3), ExtractOptions(max_archive_depth=depth))
    chunks = [i.origin.path for i in found if isinstance(i, Chunk)]
    assert chunks == (["top.zip!/level1.zip!/level0.zip!/deep.txt"] if reached else [])
    if not reached:
        assert [(reason, "archive depth" in detail) for _, reason, detail in skips(found)] == \
            [("limit", True)]


def test_zip_bomb_stops_at_the_ratio_limit_quickly() -> None:
    started = time.monotonic()
    found = items("bomb.zip", zip_bomb())
    assert time.monotonic() - started < 2
    assert skips(found) == [("bomb.zip!/zeros.bin", "limit",
                             "compression ratio above 250:1 (a zip bomb?)")]


def test_gzip_bomb_is_stopped_too() -> None:
    found = items("logs.gz", gzip.compress(b"\0" * (4 * 1024 * 1024)))
    assert [(p, r) for p, r, _ in skips(found)] == [("logs.gz", "limit")]


def test_member_count_and_total_size_limits_end_the_archive_with_one_skip() -> None:
    many = b.zip_bytes({f"f{i}.txt": "x" * 400 for i in range(10)})
    by_count = items("many.zip", many, ExtractOptions(max_members=3))
    assert len([i for i in by_count if isinstance(i, Chunk)]) == 3
    assert skips(by_count) == [("many.zip", "limit", "member count limit reached")]
    by_size = items("many.zip", many, ExtractOptions(max_total_bytes=1000))
    assert len([i for i in by_size if isinstance(i, Chunk)]) == 2
    assert [(p, r) for p, r, _ in skips(by_size)] == [("many.zip", "limit")]


def test_a_member_over_the_size_limit_is_too_large() -> None:
    found = items("a.zip", b.zip_bytes({"big.txt": "y" * 5000, "small.txt": "ok"}),
                  ExtractOptions(max_member_size=1000))
    assert [i.origin.path for i in found if isinstance(i, Chunk)] == ["a.zip!/small.txt"]
    assert [(p, r) for p, r, _ in skips(found)] == [("a.zip!/big.txt", "too-large")]


def test_truncated_zip_and_corrupt_pdf_are_corrupt() -> None:
    assert [(r, "truncated" in d) for _, r, d in skips(items("t.zip", truncated_zip()))] == \
        [("malformed", True)]
    assert [(r, "malformed PDF" in d) for _, r, d in skips(items("c.pdf", corrupt_pdf()))] == \
        [("malformed", True)]


def test_a_corrupt_member_does_not_stop_its_archive() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bad.txt", "hello world " * 50)
        archive.writestr("good.txt", "fine")
    data = bytearray(buffer.getvalue())
    start = data.index(b"bad.txt") + len("bad.txt")
    data[start + 5:start + 15] = b"\xff" * 10  # damage the deflate stream of the first member
    found = items("damaged.zip", bytes(data))
    assert [i.origin.path for i in found if isinstance(i, Chunk)] == ["damaged.zip!/good.txt"]
    assert [(p, r) for p, r, _ in skips(found)] == [("damaged.zip!/bad.txt", "malformed")]


def test_encrypted_zip_member_is_an_encrypted_skip() -> None:
    data = bytearray(b.zip_bytes({"secret.txt": "x"}, compression=zipfile.ZIP_STORED))
    for header in (b"PK\x03\x04", b"PK\x01\x02"):  # set the "encrypted" flag bit
        at = data.index(header) + (6 if header == b"PK\x03\x04" else 8)
        data[at] |= 0x1
    assert [(p, r) for p, r, _ in skips(items("e.zip", bytes(data)))] == \
        [("e.zip!/secret.txt", "encrypted")]


def test_password_protected_office_document() -> None:
    found = items("protected.docx", encrypted_docx())
    assert [(i.origin.location, i.text.split(": ", 1)[1]) for i in found
            if isinstance(i, Chunk)] == [("encryption", "password-protected Office document")]
    assert [(p, r) for p, r, _ in skips(found)] == [("protected.docx", "encrypted")]


def test_encrypted_pdf_and_owner_only_encryption() -> None:
    from pypdf import PdfReader, PdfWriter

    def encrypt(user: str) -> bytes:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(b.pdf([["CONFIDENTIAL"]]))))
        writer.encrypt(user, owner_password="fake-owner", algorithm="RC4-128")
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    locked = items("locked.pdf", encrypt("fake-user"))
    assert [(p, r) for p, r, _ in skips(locked)] == [("locked.pdf", "encrypted")]
    assert [i.origin.location for i in locked if isinstance(i, Chunk)] == ["encryption"]
    readable = items("owner.pdf", encrypt(""))  # no user password: anyone can read the text
    assert [(i.origin.location, i.text.strip()) for i in readable] == [("page 1", "CONFIDENTIAL")]


def test_pdf_parsing_has_a_deadline() -> None:
    long = b.pdf([[f"line {n} of page {p}" for n in range(30)] for p in range(200)])
    started = time.monotonic()
    found = items("long.pdf", long, ExtractOptions(pdf_timeout=0.05))
    assert time.monotonic() - started < 2
    assert [(r, "exceeded" in d) for _, r, d in skips(found)] == [("limit", True)]


def test_pdf_page_cap() -> None:
    found = items("pages.pdf", b.pdf([["one"], ["two"], ["three"]]), ExtractOptions(pdf_max_pages=2))
    assert [i.origin.location for i in found if isinstance(i, Chunk)] == ["page 1", "page 2"]
    assert [(r, d) for _, r, d in skips(found)] == [("limit", "only the first 2 of 3 pages were read")]


@pytest.mark.parametrize("payload", [
    pytest.param('<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                 '<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body>'
                 "</w:document>", id="billion-laughs"),
    pytest.param('<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document xmlns:w="w">'
                 "<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>", id="xxe"),
])
def test_xml_with_a_dtd_is_refused(payload: str) -> None:
    docx = b.docx(["placeholder"])
    with zipfile.ZipFile(io.BytesIO(docx)) as source:
        files = {name: source.read(name) for name in source.namelist()}
    files["word/document.xml"] = payload.encode()
    found = items("evil.docx", b.zip_bytes(files))
    assert [(loc, r) for loc, r in ((s.origin.location, str(s.reason)) for s in found
                                    if isinstance(s, Skipped))] == [("body", "malformed")]
    assert "root:" not in "".join(i.text for i in found if isinstance(i, Chunk))


def test_legacy_ole_is_unsupported_not_binary() -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024
    assert [(r, "legacy Office" in d) for _, r, d in skips(items("old.doc", data))] == \
        [("unsupported", True)]


def test_no_extract_restores_plain_behaviour() -> None:
    off = ExtractOptions(enabled=False)
    assert [(p, r) for p, r, _ in skips(items("a.docx", b.docx(["x"]), off))] == [("a.docx", "binary")]
    assert [i.origin.location for i in items("p.html", b"<p>x</p>", off)] == [None]


@pytest.mark.parametrize("garbage", [b"PK\x03\x04" + bytes(range(256)) * 8, b"%PDF-", b"\x1f\x8b\x08",
                                     b"BZh91AY&SY" + b"\xff" * 64, b"\xfd7zXZ\x00garbage"])
def test_garbage_behind_magic_bytes_is_a_skip_not_a_crash(garbage: bytes) -> None:
    found = items("blob.bin", garbage)
    assert found and all(isinstance(i, (Chunk, Skipped)) for i in found)
    assert any(isinstance(i, Skipped) for i in found)


def test_pdf_deadline_leaves_a_callers_timer_alone() -> None:
    import signal

    long = b.pdf([[f"line {n} of page {p}" for n in range(30)] for p in range(200)])
    previous = signal.signal(signal.SIGALRM, lambda *_: None)
    signal.setitimer(signal.ITIMER_REAL, 60)
    try:
        found = items("long.pdf", long, ExtractOptions(pdf_timeout=0.05))
        remaining = signal.getitimer(signal.ITIMER_REAL)[0]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert 50 < remaining <= 60
    assert [(r, "exceeded" in d) for _, r, d in skips(found)] == [("limit", True)]
