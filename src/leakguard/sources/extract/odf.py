"""OpenDocument text, spreadsheets and presentations (odt/ods/odp and their templates).

odt: ``body`` (one line per paragraph or heading; annotations and notes on lines of their own)
and ``header/footer`` from styles.xml. ods: ``sheet NAME, column B`` with line N = row N, as for
xlsx. odp: ``slide N`` and ``slide N notes``. ``properties`` from meta.xml. A package whose
manifest declares encryption is reported as encrypted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from xml.etree.ElementTree import Element

from leakguard.model import Chunk, Origin, Skipped, SkipReason
from leakguard.sources.extract.base import Walk, part_origin, text_chunk
from leakguard.sources.extract.labels import encrypted_chunk
from leakguard.sources.extract.package import Package
from leakguard.sources.extract.xlsx import MAX_COLUMNS, MAX_ROWS, column_letters
from leakguard.sources.extract.xmltext import attr, local, odf_text

Items = Iterator[Chunk | Skipped]
MIMETYPE_PREFIX = "application/vnd.oasis.opendocument."
KINDS = ("text", "spreadsheet", "presentation")


def odf_kind(package: Package) -> str | None:
    """``text``, ``spreadsheet`` or ``presentation`` from the ``mimetype`` member, else None."""
    data = package.read("mimetype") if package.has("mimetype") else None
    if not data:
        return None
    mimetype = data.decode("ascii", "replace").strip()
    if not mimetype.startswith(MIMETYPE_PREFIX):
        return None
    kind = mimetype[len(MIMETYPE_PREFIX):].removesuffix("-template")
    return kind if kind in KINDS else None


def _paragraphs(element: Element) -> list[str]:
    return [odf_text(el) for el in element.iter() if local(el.tag) in ("p", "h")]


def _encrypted(package: Package) -> bool:
    manifest = package.xml("META-INF/manifest.xml")
    return manifest is not None and any(local(el.tag) == "encryption-data"
                                        for el in manifest.iter())


def extract_odf(origin: Origin, package: Package, kind: str, walk: Walk) -> Items:
    if _encrypted(package):
        yield encrypted_chunk(origin, "password-protected OpenDocument")
        yield Skipped(origin, SkipReason.ENCRYPTED, "OpenDocument content is encrypted")
        return
    content = package.xml("content.xml")
    if content is not None:
        body = next((el for el in content.iter() if local(el.tag) == "body"), content)
        if kind == "spreadsheet":
            yield from _sheets(origin, body)
        elif kind == "presentation":
            yield from _slides(origin, body)
        else:
            text = "\n".join(_paragraphs(body))
            if text.strip():
                yield text_chunk(part_origin(origin, "body"), text)
    styles = package.xml("styles.xml")
    if styles is not None:
        lines = [line for el in styles.iter()
                 if local(el.tag) in ("header", "footer", "header-left", "footer-left")
                 for line in _paragraphs(el)]
        if any(line.strip() for line in lines):
            yield text_chunk(part_origin(origin, "header/footer"), "\n".join(lines))
    meta = package.xml("meta.xml")
    if meta is not None:
        lines = [f"{local(el.tag)}: {el.text.strip()}" for el in meta.iter()
                 if len(el) == 0 and el.text and el.text.strip()]
        if lines:
            yield text_chunk(part_origin(origin, "properties"), "\n".join(lines))


def _slides(origin: Origin, body: Element) -> Items:
    pages = [el for el in body.iter() if local(el.tag) == "page"]
    for number, page in enumerate(pages, 1):
        notes = [el for el in page if local(el.tag) == "notes"]
        slide_lines = [line for child in page if local(child.tag) != "notes"
                       for line in _paragraphs(child)]
        if any(line.strip() for line in slide_lines):
            yield text_chunk(part_origin(origin, f"slide {number}"), "\n".join(slide_lines))
        note_lines = [line for note in notes for line in _paragraphs(note)]
        if any(line.strip() for line in note_lines):
            yield text_chunk(part_origin(origin, f"slide {number} notes"), "\n".join(note_lines))


def _repeat(element: Element, name: str) -> int:
    try:
        return max(1, int(attr(element, name, "1")))
    except ValueError:
        return 1


def _sheets(origin: Origin, body: Element) -> Items:
    """Cells by column; repeated rows/columns (often a million empty ones) cost nothing."""
    for table in (el for el in body.iter() if local(el.tag) == "table"):
        name = attr(table, "name", "?")
        columns: dict[int, dict[int, str]] = defaultdict(dict)
        row = 0
        for row_el in (el for el in table.iter() if local(el.tag) == "table-row"):
            rows = _repeat(row_el, "number-rows-repeated")
            column = 0
            for cell in row_el:
                if local(cell.tag) not in ("table-cell", "covered-table-cell"):
                    continue
                span = _repeat(cell, "number-columns-repeated")
                text = " ".join(" ".join(p.splitlines()) for p in _paragraphs(cell)).strip()
                if text:
                    for offset in range(min(span, 64)):
                        for extra in range(min(rows, 64)):
                            if row + 1 + extra <= MAX_ROWS and column + 1 + offset <= MAX_COLUMNS:
                                columns[column + 1 + offset][row + 1 + extra] = text
                column += span
            row += rows
        for column in sorted(columns):
            cells = columns[column]
            lines = [cells.get(n, "") for n in range(1, max(cells) + 1)]
            yield text_chunk(part_origin(origin, f"sheet {name}, column {column_letters(column)}"),
                             "\n".join(lines))
