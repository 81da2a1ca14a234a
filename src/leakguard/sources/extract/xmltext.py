"""Safe XML parsing and the paragraph walk shared by the Office and OpenDocument extractors.

Office parts never need a DTD, so any DTD, entity declaration or external reference is refused
(defusedxml with ``forbid_dtd``): no XXE, no billion laughs. A refused or malformed part is a
``corrupt`` skip, never an exception that escapes.
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from leakguard.model import SkipReason
from leakguard.sources.extract.base import ExtractError


def parse_xml(data: bytes, what: str) -> Element:
    """Parse one XML part with DTDs and entities forbidden; errors become ``ExtractError``."""
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except defusedxml.DefusedXmlException as exc:
        raise ExtractError(SkipReason.MALFORMED, f"{what}: refused XML ({type(exc).__name__})") \
            from None
    except (ParseError, ValueError) as exc:
        raise ExtractError(SkipReason.MALFORMED, f"{what}: malformed XML ({exc})") from None


def local(tag: object) -> str:
    """An element's name without its namespace (``{ns}t`` -> ``t``)."""
    name = tag if isinstance(tag, str) else ""
    return name.rsplit("}", 1)[-1]


def attr(element: Element, name: str, default: str = "") -> str:
    """An attribute by local name, whatever its namespace."""
    for key, value in element.attrib.items():
        if local(key) == name:
            return value
    return default


def rel_id(element: Element) -> str:
    """The ``r:id`` attribute (relationships namespace, transitional or strict), not a plain ``id``."""
    for key, value in element.attrib.items():
        if key.startswith("{") and "relationships" in key and local(key) == "id":
            return value
    return ""


def ooxml_lines(root: Element, *, paragraphs: Iterable[str] = ("p",),
                texts: Iterable[str] = ("t", "delText"), skip: Iterable[str] = ("Fallback",)
                ) -> list[str]:
    """One line per paragraph of a WordprocessingML/DrawingML part, in document order.

    Text lives only in ``t`` elements (and ``delText``: tracked deletions still ship in the
    file, so they are scanned); ``tab`` and ``br`` keep their layout. ``mc:Fallback`` copies of
    the same content (VML text boxes) are skipped so nothing is counted twice. A paragraph nested
    in another (a text box inside a paragraph) becomes its own line.
    """
    para, text, skipped = set(paragraphs), set(texts), set(skip)
    lines: list[str] = []

    def visit(element: Element, buffer: list[str]) -> None:
        name = local(element.tag)
        if name in skipped:
            return
        if name in para:
            own: list[str] = []
            if name in text and element.text:
                own.append(element.text)
            for child in element:
                visit(child, own)
            lines.append("".join(own))
            return
        if name in text:
            buffer.append(element.text or "")
        elif name == "tab":
            buffer.append("\t")
        elif name in ("br", "cr"):
            buffer.append("\n")
        for child in element:
            visit(child, buffer)

    outside: list[str] = []
    visit(root, outside)
    return lines


#: Elements inside a paragraph that the caller turns into lines of their own (or drops).
_ODF_OWN_LINES = frozenset({"annotation", "note", "note-citation", "frame", "p", "h"})


def odf_text(element: Element) -> str:
    """The text of an OpenDocument element: text and tails, with ``s``/``tab``/``line-break``."""
    parts: list[str] = []

    def visit(node: Element) -> None:
        name = local(node.tag)
        if name == "s":
            parts.append(" " * min(int(attr(node, "c", "1") or 1), 1000))
        elif name == "tab":
            parts.append("\t")
        elif name == "line-break":
            parts.append("\n")
        elif name not in _ODF_OWN_LINES:
            if node.text:
                parts.append(node.text)
            for child in node:
                visit(child)
        if node.tail:
            parts.append(node.tail)

    if element.text:
        parts.append(element.text)
    for child in element:
        visit(child)
    return "".join(parts)


def join_lines(lines: Iterable[str]) -> str:
    return "\n".join(lines)
