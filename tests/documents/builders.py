"""Real documents built at test time: Office Open XML, OpenDocument and PDF, by hand.

Each builder writes the parts a real editor writes (content types, relationships, the main part,
properties) with zipfile and plain XML strings, so the tests need no document library and the
files open in Word/Excel/PowerPoint/LibreOffice. PDFs are written object by object with a correct
cross-reference table.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape, quoteattr

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CUSTOM_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
FAKE_TENANT = "00000000-fa4e-4e00-8000-000000000000"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def zip_bytes(files: Mapping[str, str | bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in files.items():
            archive.writestr(name, content.encode("utf-8") if isinstance(content, str) else content)
    return buffer.getvalue()


def _rels(entries: Sequence[tuple[str, str, str]]) -> str:
    body = "".join(f'<Relationship Id="{rid}" Type="{REL}/{kind}" Target="{target}"/>'
                   for rid, kind, target in entries)
    return f'{XML_DECL}<Relationships xmlns="{PKG_RELS}">{body}</Relationships>'


def _content_types(overrides: Mapping[str, str]) -> str:
    body = "".join(f'<Override PartName="/{name}" ContentType="{kind}"/>'
                   for name, kind in overrides.items())
    return (f'{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f"{body}</Types>")


def msip_label(name: str, guid: str, method: str = "Privileged") -> dict[str, str]:
    """The custom properties Office writes when a user applies a sensitivity label."""
    prefix = f"MSIP_Label_{guid}_"
    return {f"{prefix}Enabled": "true", f"{prefix}SetDate": "2026-01-05T10:00:00Z",
            f"{prefix}Method": method, f"{prefix}Name": name, f"{prefix}SiteId": FAKE_TENANT,
            f"{prefix}ActionId": "11111111-fa4e-4e00-8000-000000000000",
            f"{prefix}ContentBits": "0"}


def _custom_xml(properties: Mapping[str, str]) -> str:
    body = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{index}" '
        f'name={quoteattr(name)}><vt:lpwstr>{escape(value)}</vt:lpwstr></property>'
        for index, (name, value) in enumerate(properties.items(), 2))
    return f'{XML_DECL}<Properties xmlns="{CUSTOM_PROPS}" xmlns:vt="{VT}">{body}</Properties>'


def _core_xml(title: str) -> str:
    return (f'{XML_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/'
            '2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title>{escape(title)}</dc:title><dc:creator>Test Author</dc:creator>"
            "</cp:coreProperties>")


def _package(main: str, main_type: str, parts: dict[str, str], *, title: str,
             custom: Mapping[str, str] | None, extra_types: Mapping[str, str]) -> bytes:
    root_rels = [("rId1", "officeDocument", main), ("rId2", "metadata/core-properties",
                                                    "docProps/core.xml")]
    types = {main: main_type, **extra_types}
    if custom:
        parts["docProps/custom.xml"] = _custom_xml(custom)
        root_rels.append(("rId3", "custom-properties", "docProps/custom.xml"))
    files = {"[Content_Types].xml": _content_types(types), "_rels/.rels": _rels(root_rels),
             "docProps/core.xml": _core_xml(title), **parts}
    return zip_bytes(files)


def _w_paragraphs(paragraphs: Sequence[str]) -> str:
    return "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'
                   for text in paragraphs)


def docx(paragraphs: Sequence[str], *, header: Sequence[str] = (), footer: Sequence[str] = (),
         comments: Sequence[str] = (), custom: Mapping[str, str] | None = None,
         title: str = "Document", macro: bool = False) -> bytes:
    """A Word document: body paragraphs, optional header, footer, comments and properties."""
    ns = f'xmlns:w="{W}" xmlns:r="{R}"'
    parts = {"word/document.xml": f"{XML_DECL}<w:document {ns}><w:body>"
                                  f"{_w_paragraphs(paragraphs)}<w:sectPr/></w:body></w:document>"}
    rels, types = [], {}
    for kind, lines, tag in (("header", header, "hdr"), ("footer", footer, "ftr")):
        if lines:
            parts[f"word/{kind}1.xml"] = f"{XML_DECL}<w:{tag} {ns}>{_w_paragraphs(lines)}</w:{tag}>"
            rels.append((f"rId{len(rels) + 10}", kind, f"{kind}1.xml"))
    if comments:
        body = "".join(f'<w:comment w:id="{i}" w:author="Reviewer">{_w_paragraphs([text])}'
                       "</w:comment>" for i, text in enumerate(comments))
        parts["word/comments.xml"] = f"{XML_DECL}<w:comments {ns}>{body}</w:comments>"
        rels.append(("rId30", "comments", "comments.xml"))
    parts["word/_rels/document.xml.rels"] = _rels(rels)
    kind = "macroEnabled.main+xml" if macro else "wordprocessingml.document.main+xml"
    main_type = f"application/vnd.{'ms-word.document.' if macro else 'openxmlformats-officedocument.'}{kind}"
    return _package("word/document.xml", main_type, parts, title=title, custom=custom,
                    extra_types=types)


def _column(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def xlsx(sheets: Mapping[str, Sequence[Sequence[str]]], *, footer: str | None = None,
         custom: Mapping[str, str] | None = None) -> bytes:
    """A workbook; strings go through the shared string table, as Excel writes them."""
    strings: list[str] = []
    parts: dict[str, str] = {}
    sheet_entries, workbook_rels = [], []
    for number, (name, rows) in enumerate(sheets.items(), 1):
        row_xml = []
        for r, row in enumerate(rows, 1):
            cells = []
            for c, value in enumerate(row, 1):
                strings.append(value)
                cells.append(f'<c r="{_column(c)}{r}" t="s"><v>{len(strings) - 1}</v></c>')
            row_xml.append(f'<row r="{r}">{"".join(cells)}</row>')
        footer_xml = f"<headerFooter><oddFooter>&amp;C{escape(footer)}</oddFooter></headerFooter>" \
            if footer else ""
        parts[f"xl/worksheets/sheet{number}.xml"] = (
            f'{XML_DECL}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<sheetData>{"".join(row_xml)}</sheetData>{footer_xml}</worksheet>')
        sheet_entries.append(f'<sheet name={quoteattr(name)} sheetId="{number}" r:id="rId{number}"/>')
        workbook_rels.append((f"rId{number}", "worksheet", f"worksheets/sheet{number}.xml"))
    items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    parts["xl/sharedStrings.xml"] = (
        f'{XML_DECL}<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}">{items}</sst>')
    workbook_rels.append(("rId100", "sharedStrings", "sharedStrings.xml"))
    parts["xl/workbook.xml"] = (
        f'{XML_DECL}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'xmlns:r="{R}"><sheets>{"".join(sheet_entries)}</sheets></workbook>')
    parts["xl/_rels/workbook.xml.rels"] = _rels(workbook_rels)
    return _package("xl/workbook.xml", "application/vnd.openxmlformats-officedocument."
                    "spreadsheetml.sheet.main+xml", parts, title="Workbook", custom=custom,
                    extra_types={})


def _a_paragraphs(lines: Sequence[str]) -> str:
    return "".join(f"<a:p><a:r><a:t>{escape(line)}</a:t></a:r></a:p>" for line in lines)


def _shape_tree(lines: Sequence[str]) -> str:
    return (f'<p:cSld><p:spTree><p:sp><p:txBody><a:bodyPr/>{_a_paragraphs(lines)}</p:txBody>'
            "</p:sp></p:spTree></p:cSld>")


def pptx(slides: Sequence[tuple[Sequence[str], Sequence[str]]]) -> bytes:
    """A deck: each slide is (slide lines, speaker-notes lines)."""
    ns = f'xmlns:a="{A}" xmlns:p="{P}" xmlns:r="{R}"'
    parts: dict[str, str] = {}
    ids, pres_rels = [], []
    for number, (lines, notes) in enumerate(slides, 1):
        parts[f"ppt/slides/slide{number}.xml"] = f"{XML_DECL}<p:sld {ns}>{_shape_tree(lines)}</p:sld>"
        slide_rels = []
        if notes:
            parts[f"ppt/notesSlides/notesSlide{number}.xml"] = (
                f"{XML_DECL}<p:notes {ns}>{_shape_tree(notes)}</p:notes>")
            slide_rels.append(("rId2", "notesSlide", f"../notesSlides/notesSlide{number}.xml"))
        parts[f"ppt/slides/_rels/slide{number}.xml.rels"] = _rels(slide_rels)
        ids.append(f'<p:sldId id="{255 + number}" r:id="rId{number}"/>')
        pres_rels.append((f"rId{number}", "slide", f"slides/slide{number}.xml"))
    parts["ppt/presentation.xml"] = (f"{XML_DECL}<p:presentation {ns}><p:sldIdLst>{''.join(ids)}"
                                     "</p:sldIdLst></p:presentation>")
    parts["ppt/_rels/presentation.xml.rels"] = _rels(pres_rels)
    return _package("ppt/presentation.xml", "application/vnd.openxmlformats-officedocument."
                    "presentationml.presentation.main+xml", parts, title="Deck", custom=None,
                    extra_types={})


ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
          'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"')


def _odf(kind: str, body: str) -> bytes:
    content = (f'{XML_DECL}<office:document-content {ODF_NS} office:version="1.3"><office:body>'
               f"{body}</office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type='
                f'"application/vnd.oasis.opendocument.{kind}"/><manifest:file-entry '
                'manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", f"application/vnd.oasis.opendocument.{kind}",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def odt(paragraphs: Sequence[str]) -> bytes:
    body = "".join(f"<text:p>{escape(p)}</text:p>" for p in paragraphs)
    return _odf("text", f"<office:text>{body}</office:text>")


def ods(name: str, rows: Sequence[Sequence[str]]) -> bytes:
    row_xml = "".join(
        "<table:table-row>" + "".join(f'<table:table-cell office:value-type="string"><text:p>'
                                      f"{escape(v)}</text:p></table:table-cell>" for v in row)
        + "</table:table-row>" for row in rows)
    return _odf("spreadsheet", f'<office:spreadsheet><table:table table:name={quoteattr(name)}>'
                               f"{row_xml}</table:table></office:spreadsheet>")


def odp(slides: Sequence[tuple[Sequence[str], Sequence[str]]]) -> bytes:
    pages = "".join(
        f'<draw:page draw:name="page{n}"><draw:frame><draw:text-box>'
        + "".join(f"<text:p>{escape(line)}</text:p>" for line in lines)
        + "</draw:text-box></draw:frame><presentation:notes><draw:frame><draw:text-box>"
        + "".join(f"<text:p>{escape(line)}</text:p>" for line in notes)
        + "</draw:text-box></draw:frame></presentation:notes></draw:page>"
        for n, (lines, notes) in enumerate(slides, 1))
    return _odf("presentation", f"<office:presentation>{pages}</office:presentation>")


def _pdf_string(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def pdf(pages: Sequence[Sequence[str]], info: Mapping[str, str] | None = None) -> bytes:
    """A PDF 1.4 with a real text layer: one Helvetica line per string, top to bottom."""
    objects: list[str] = []
    kids = []
    font_id = 3 + 2 * len(pages)
    for index, lines in enumerate(pages):
        page_id, content_id = 3 + 2 * index, 4 + 2 * index
        kids.append(f"{page_id} 0 R")
        ops = ["BT", "/F1 11 Tf", "14 TL", "72 760 Td"]
        for line in lines:
            ops.append(f"{_pdf_string(line)} Tj T*")
        ops.append("ET")
        stream = "\n".join(ops)
        objects.append(f"{page_id} 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                       f"/Contents {content_id} 0 R /Resources << /Font << /F1 {font_id} 0 R >> >> >>"
                       "\nendobj\n")
        objects.append(f"{content_id} 0 obj\n<< /Length {len(stream.encode('latin-1'))} >>\nstream\n"
                       f"{stream}\nendstream\nendobj\n")
    objects.insert(0, f"2 0 obj\n<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>"
                      "\nendobj\n")
    objects.insert(0, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
    objects.append(f"{font_id} 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
                   "\nendobj\n")
    trailer_info = ""
    if info:
        info_id = font_id + 1
        entries = " ".join(f"/{key} {_pdf_string(value)}" for key, value in info.items())
        objects.append(f"{info_id} 0 obj\n<< {entries} >>\nendobj\n")
        trailer_info = f" /Info {info_id} 0 R"
    out = "%PDF-1.4\n"
    offsets = []
    for obj in objects:
        offsets.append(len(out.encode("latin-1")))
        out += obj
    xref_at = len(out.encode("latin-1"))
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n"
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{trailer_info} >>\nstartxref\n"
            f"{xref_at}\n%%EOF\n")
    return out.encode("latin-1")
