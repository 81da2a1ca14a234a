"""Each format's extractor through ``content_items``: which chunks, at which locations, with what text."""

from __future__ import annotations

import base64
import bz2
import gzip
import io
import json
import lzma
import tarfile

import pytest

from leakguard.model import Chunk, Origin, OriginKind, Skipped
from leakguard.sources.content import content_items
from tests import fakes
from tests.documents import builders as b


def parts(name: str, data: bytes) -> dict[tuple[str, str | None], str]:
    """(path, location) -> text of every chunk; fails on any skip."""
    found = {}
    for item in content_items(Origin(name), data):
        assert not isinstance(item, Skipped), item
        found[(item.origin.path, item.origin.location)] = item.text
    return found


def test_docx_parts_have_their_own_locations() -> None:
    data = b.docx(["Intro", "TRADE SECRET"], header=["Acme Corp"], footer=["CONFIDENTIAL"],
                  comments=["Remove before sending"], macro=True)
    found = parts("plan.docm", data)
    assert found[("plan.docm", "body")] == "Intro\nTRADE SECRET"
    assert found[("plan.docm", "header1")] == "Acme Corp"
    assert found[("plan.docm", "footer1")] == "CONFIDENTIAL"
    assert found[("plan.docm", "comments")] == "Remove before sending"
    assert "title: Document" in found[("plan.docm", "properties")]


def test_xlsx_columns_keep_rows_as_lines_and_read_footers() -> None:
    data = b.xlsx({"Q1": [["a", "b"], ["c", ""], ["e", "line one\nline two"]]},
                  footer="CONFIDENTIAL")
    found = parts("book.xlsx", data)
    assert found[("book.xlsx", "sheet Q1, column A")] == "a\nc\ne"
    assert found[("book.xlsx", "sheet Q1, column B")] == "b\n\nline one line two"
    assert found[("book.xlsx", "sheet Q1, header/footer")] == "CONFIDENTIAL"


def test_pptx_slides_and_speaker_notes() -> None:
    key = fakes.aws_key_id(4)
    found = parts("deck.pptx", b.pptx([(["Title"], []), (["Second"], [f"key {key}"])]))
    assert found[("deck.pptx", "slide 1")] == "Title"
    assert found[("deck.pptx", "slide 2")] == "Second"
    assert found[("deck.pptx", "slide 2 notes")] == f"key {key}"


@pytest.mark.parametrize(("name", "data", "expected"), [
    pytest.param("a.odt", b.odt(["CONFIDENTIAL", "body text"]),
                 {"body": "CONFIDENTIAL\nbody text"}, id="odt"),
    pytest.param("a.ods", b.ods("People", [["Name", "Email"], ["Jo", "jo@fakecorp.io"]]),
                 {"sheet People, column A": "Name\nJo",
                  "sheet People, column B": "Email\njo@fakecorp.io"}, id="ods"),
    pytest.param("a.odp", b.odp([(["Slide text"], ["Speaker note"])]),
                 {"slide 1": "Slide text", "slide 1 notes": "Speaker note"}, id="odp"),
])
def test_opendocument(name: str, data: bytes, expected: dict[str, str]) -> None:
    found = parts(name, data)
    assert {loc: found[(name, loc)] for loc in expected} == expected


def test_pdf_pages_and_properties() -> None:
    data = b.pdf([["Page one text"], ["Second page", "CONFIDENTIAL"]], info={"Title": "Plan"})
    found = parts("r.pdf", data)
    assert found[("r.pdf", "page 1")].strip() == "Page one text"
    assert found[("r.pdf", "page 2")].splitlines() == ["Second page", "CONFIDENTIAL"]
    assert found[("r.pdf", "properties")] == "Title: Plan"


def test_rtf_text() -> None:
    data = (rb"{\rtf1\ansi{\fonttbl\f0\fswiss Helvetica;}{\colortbl;\red0\green0\blue0;}"
            rb"\f0\pard CONFIDENTIAL\par Caf\'e9 \u8364? price\par{\*\generator Fake 1.0;}"
            rb"{\field{\*\fldinst HYPERLINK https://fake.test/?token=abc}{\fldrslt link}}}")
    text = parts("memo.rtf", data)[("memo.rtf", "text")]
    assert text.splitlines()[:2] == ["CONFIDENTIAL", "Café € price"]
    assert "Helvetica" not in text and "Fake 1.0" not in text
    assert "token=abc" in text and "link" in text


def test_eml_headers_bodies_and_attachments_recursively() -> None:
    attachment = base64.encodebytes(b.docx(["attached TRADE SECRET"])).decode()
    message = (
        "From: Sender Fake <sender@fakecorp.io>\r\nTo: team@fakecorp.io\r\nSubject: Q3 plan\r\n"
        'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="XX"\r\n\r\n'
        "--XX\r\nContent-Type: text/plain\r\n\r\nplain body\r\n"
        "--XX\r\nContent-Type: text/html\r\n\r\n<p>STRICTLY CONFIDENTIAL</p>\r\n"
        "--XX\r\nContent-Type: application/octet-stream\r\n"
        'Content-Disposition: attachment; filename="../plan.docx"\r\n'
        f"Content-Transfer-Encoding: base64\r\n\r\n{attachment}\r\n--XX--\r\n").encode()
    found = parts("mail.eml", message)
    assert "Subject: Q3 plan" in found[("mail.eml", "headers")]
    assert found[("mail.eml", "body")].strip() == "plain body"
    assert found[("mail.eml", "body (html)")] == "STRICTLY CONFIDENTIAL"
    assert found[("mail.eml!/plan.docx", "body")] == "attached TRADE SECRET"


def test_notebook_cells_and_outputs() -> None:
    notebook = {"cells": [
        {"cell_type": "markdown", "source": ["# Notes\n", "CONFIDENTIAL"]},
        {"cell_type": "code", "source": ["token = load()\n", "print(token)"],
         "outputs": [{"output_type": "stream", "name": "stdout", "text": ["ghp_fake\n"]},
                     {"output_type": "display_data",
                      "data": {"text/html": ["<b>bold</b>"], "image/png": "iVBORw0KGgo="}}]},
    ], "metadata": {"kernelspec": {"name": "python3"}}, "nbformat": 4}
    found = parts("nb.ipynb", json.dumps(notebook).encode())
    assert found[("nb.ipynb", "cell 1")] == "# Notes\nCONFIDENTIAL"
    assert found[("nb.ipynb", "cell 2")] == "token = load()\nprint(token)"
    assert found[("nb.ipynb", "cell 2 output")] == "ghp_fake\n\nbold"
    assert "iVBOR" not in "".join(found.values())


def test_a_broken_notebook_is_scanned_as_text() -> None:
    assert parts("nb.ipynb", b'{"cells": [oops') == {("nb.ipynb", None): '{"cells": [oops'}


@pytest.mark.parametrize("name", ["page.html", "logo.svg"])
def test_markup_keeps_the_raw_text_and_adds_visible_text(name: str) -> None:
    raw = b"<html><body><h1>CONFIDENTIAL</h1><script>var x = 1;</script><p>a &amp; b</p></body>"
    found = parts(name, raw)
    assert found[(name, None)] == raw.decode()
    assert found[(name, "text")] == "CONFIDENTIAL\na & b"


def test_plain_text_is_unchanged() -> None:
    text = "print('%PDF-1.4 is a header')\n{\\rtf1 not at the start}\n"
    assert parts("tool.py", text.encode()) == {("tool.py", None): text}


def _tar(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
        link = tarfile.TarInfo("link-to-passwd")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        archive.addfile(link)
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "data", "member"), [
    pytest.param("b.zip", b.zip_bytes({"docs/a.txt": "hello"}), "b.zip!/docs/a.txt", id="zip"),
    pytest.param("b.jar", b.zip_bytes({"docs/a.txt": "hello"}), "b.jar!/docs/a.txt", id="jar"),
    pytest.param("b.tar", _tar({"docs/a.txt": b"hello"}), "b.tar!/docs/a.txt", id="tar"),
    pytest.param("b.tar.gz", gzip.compress(_tar({"docs/a.txt": b"hello"})), "b.tar.gz!/docs/a.txt",
                 id="tar.gz"),
    pytest.param("b.tgz", gzip.compress(_tar({"docs/a.txt": b"hello"})), "b.tgz!/docs/a.txt",
                 id="tgz"),
    pytest.param("a.txt.gz", gzip.compress(b"hello"), "a.txt.gz!/a.txt", id="gz"),
    pytest.param("a.txt.bz2", bz2.compress(b"hello"), "a.txt.bz2!/a.txt", id="bz2"),
    pytest.param("a.txt.xz", lzma.compress(b"hello"), "a.txt.xz!/a.txt", id="xz"),
])
def test_archives_name_their_members(name: str, data: bytes, member: str) -> None:
    assert parts(name, data) == {(member, None): "hello"}


def test_a_docx_is_a_document_whatever_its_name_and_a_zip_is_an_archive() -> None:
    docx = b.docx(["inside"])
    assert ("renamed.zip", "body") in parts("renamed.zip", docx)
    archive = b.zip_bytes({"[Content_Types].xml": "<Types/>", "notes.txt": "x"})
    assert ("fake.docx!/notes.txt", None) in parts("fake.docx", archive)


def test_member_names_never_climb_out() -> None:
    data = b.zip_bytes({"../../etc/passwd": "a", "/abs/path.txt": "b", "C:\\win\\x.txt": "c",
                        "ok/\x1b[31mred.txt": "d"})
    assert {path for path, _ in parts("evil.zip", data)} == {
        "evil.zip!/etc/passwd", "evil.zip!/abs/path.txt", "evil.zip!/win/x.txt",
        "evil.zip!/ok/?[31mred.txt"}


def test_chunks_of_a_git_blob_keep_its_kind_and_id() -> None:
    origin = Origin("docs/bundle.zip", kind=OriginKind.BLOB, blob_id="b" * 40)
    items = list(content_items(origin, b.zip_bytes({"a.txt": "x", "d.docx": b.docx(["y"])})))
    assert items and all(isinstance(i, Chunk) for i in items)
    assert {(i.origin.kind, i.origin.blob_id) for i in items} == {(OriginKind.BLOB, "b" * 40)}


def test_helpers_for_git_sources() -> None:
    from leakguard.sources.extract import container_path, is_extracted

    found = list(content_items(Origin("a.zip"), b.zip_bytes({"d.docx": b.docx(["x"]), "t.txt": "y"})))
    assert {container_path(i.origin.path) for i in found} == {"a.zip"}
    assert all(is_extracted(i.origin) for i in found)
    raw, text = content_items(Origin("p.html"), b"<p>x</p>")
    assert not is_extracted(raw.origin) and is_extracted(text.origin)
