"""Excel workbooks (xlsx/xlsm): one chunk per sheet column, where line N is row N.

A finding at ``customers.xlsx:5 (sheet Customers, column B)`` is cell B5. Columns (not single
cells) are the unit so that volume rules still see a whole column of e-mail addresses at once and
a customer list escalates as it should; a cell's own line breaks become spaces so rows stay
aligned. Sheet headers/footers and cell comments are chunks of their own. Sheets are streamed
(iterparse) because they are the one part that gets large.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Iterator
from xml.etree.ElementTree import ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from leakguard.model import Chunk, Origin, Skipped, SkipReason
from leakguard.sources.extract.base import ExtractError, Walk, part_origin, skip, text_chunk
from leakguard.sources.extract.ooxml import embedded_objects, office_metadata
from leakguard.sources.extract.package import Package
from leakguard.sources.extract.xmltext import local, rel_id

Items = Iterator[Chunk | Skipped]
_REF = re.compile(r"^([A-Z]{1,3})(\d{1,7})$")
_HEADER_SECTION = re.compile(r"&[LCR]")
_HEADER_CODE = re.compile(r'&(?:"[^"]*"|\d+|[A-Za-z&+\-])')
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
HEADER_FOOTER = ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter")


def column_letters(index: int) -> str:
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    value = 0
    for ch in letters:
        value = value * 26 + ord(ch) - 64
    return value


def shared_strings(package: Package, target: str | None) -> list[str]:
    root = package.xml(target) if target else None
    if root is None:
        return []
    strings = []
    for item in root:
        if local(item.tag) != "si":
            continue
        strings.append("".join(t.text or "" for t in _runs_text(item)))
    return strings


def _runs_text(item):
    """``t`` elements of a rich string, leaving out phonetic guides (``rPh``)."""
    for child in item:
        name = local(child.tag)
        if name == "t":
            yield child
        elif name == "r":
            yield from (t for t in child if local(t.tag) == "t")


class _Sheet:
    """Cells by column, headers/footers, read in one streaming pass."""

    def __init__(self) -> None:
        self.columns: dict[int, dict[int, str]] = defaultdict(dict)
        self.header_footer: list[str] = []


def read_sheet(data: bytes, strings: list[str], name: str) -> _Sheet:
    sheet = _Sheet()
    row, column = 0, 0
    try:
        events = SafeET.iterparse(io.BytesIO(data), events=("start", "end"), forbid_dtd=True)
        for event, element in events:
            tag = local(element.tag)
            if event == "start":
                if tag == "row":
                    row = int(element.get("r") or row + 1)
                    column = 0
                continue
            if tag == "c":
                column = _cell(sheet, element, strings, row, column)
                element.clear()
            elif tag in HEADER_FOOTER and element.text:
                text = _HEADER_CODE.sub("", _HEADER_SECTION.sub("\n", element.text))
                sheet.header_footer.extend(line.strip() for line in text.splitlines() if line.strip())
            elif tag == "row":
                element.clear()
    except defusedxml.DefusedXmlException as exc:
        raise ExtractError(SkipReason.MALFORMED, f"{name}: refused XML ({type(exc).__name__})") \
            from None
    except (ParseError, ValueError) as exc:
        raise ExtractError(SkipReason.MALFORMED, f"{name}: malformed XML ({exc})") from None
    return sheet


def _cell(sheet: _Sheet, element, strings: list[str], row: int, column: int) -> int:
    found = _REF.match(element.get("r") or "")
    if found:
        column, row = _column_index(found.group(1)), int(found.group(2))
    else:
        column += 1
    kind = element.get("t", "n")
    text = ""
    for child in element:
        name = local(child.tag)
        if name == "v" and child.text is not None:
            text = child.text
            if kind == "s":
                index = int(text)
                text = strings[index] if 0 <= index < len(strings) else ""
        elif name == "is":
            text = "".join(t.text or "" for t in _runs_text(child))
    if text and 0 < row <= MAX_ROWS and 0 < column <= MAX_COLUMNS:
        sheet.columns[column][row] = " ".join(text.splitlines())
    return column


def _comments(package: Package, target: str) -> list[tuple[str, str]]:
    root = package.xml(target)
    if root is None:
        return []
    found = []
    for comment in root.iter():
        if local(comment.tag) == "comment":
            text = "".join(t.text or "" for t in comment.iter() if local(t.tag) == "t")
            found.append((comment.get("ref", "?"), text))
    return found


def extract_xlsx(origin: Origin, package: Package, walk: Walk) -> Items:
    main = package.main_part() or "xl/workbook.xml"
    rels = {rel.id: rel for rel in package.relationships(main)}
    strings_target = next((r.target for r in rels.values() if r.is_a("sharedStrings")), None)
    strings = shared_strings(package, strings_target)
    workbook = package.xml(main)
    sheets = [(el.get("name", "?"), rel_id(el)) for el in workbook.iter()
              if local(el.tag) == "sheet"] if workbook is not None else []
    for name, rid in sheets:
        rel = rels.get(rid)
        if rel is None:
            continue
        yield from _sheet_items(origin, package, rel.target, name, strings)
    yield from office_metadata(origin, package)
    yield from embedded_objects(origin, package, walk)


def _sheet_items(origin: Origin, package: Package, target: str, name: str,
                 strings: list[str]) -> Items:
    where = part_origin(origin, f"sheet {name}")
    try:
        data = package.read(target)
        if data is None:
            return
        sheet = read_sheet(data, strings, target)
    except ExtractError as error:
        yield skip(where, error)
        return
    for column in sorted(sheet.columns):
        cells = sheet.columns[column]
        lines = [cells.get(row, "") for row in range(1, max(cells) + 1)]
        yield text_chunk(part_origin(origin, f"sheet {name}, column {column_letters(column)}"),
                         "\n".join(lines))
    if sheet.header_footer:
        yield text_chunk(part_origin(origin, f"sheet {name}, header/footer"),
                         "\n".join(sheet.header_footer))
    for rel in package.relationships(target):
        if rel.is_a("comments"):
            for ref, text in _comments(package, rel.target):
                yield text_chunk(part_origin(origin, f"sheet {name}, comment {ref}"), text)
