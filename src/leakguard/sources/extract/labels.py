"""Microsoft Information Protection (Purview) sensitivity labels, read from document metadata.

Labelled Office files carry ``MSIP_Label_<guid>_<field>`` custom properties (``_Name``,
``_Enabled``, ``_Method``, ``_SiteId``, …) in docProps/custom.xml, and newer ones a
docMetadata/LabelInfo.xml with the label's id but no name; PDFs exported from Office carry the same
keys in their info dictionary and XMP packet. The extractor turns each active label into one
line of a small metadata chunk; the shipped rule ``document.sensitivity-label`` matches that line
and maps the label name to a level (the policy's ``labels:`` may override), so a labelled document
is a finding even when its text matches nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from leakguard.model import Chunk, Origin
from leakguard.sources.extract.base import part_origin, text_chunk
from leakguard.sources.extract.xmltext import attr, local

#: A private-use character starts every metadata line, so no ordinary text file can trigger the
#: label and encryption rules: only the extractor writes these lines.
SENTINEL = "\ue000"
LABEL_PREFIX = f"{SENTINEL}sensitivity-label: "
ENCRYPTED_PREFIX = f"{SENTINEL}encrypted-document: "
LABEL_LOCATION = "sensitivity label"
ENCRYPTED_LOCATION = "encryption"

_MSIP_KEY = re.compile(r"^/?MSIP_Label_\{?([0-9A-Fa-f-]{36})\}?_([A-Za-z]+)$")


@dataclass(frozen=True)
class Label:
    """One label as stored in the file; ``name`` is empty when only the id is known."""

    id: str
    name: str = ""
    method: str = ""
    enabled: bool = True

    def line(self) -> str:
        clean = " ".join((self.name or self.id).split())
        return f"{LABEL_PREFIX}{clean}\tid={self.id}\tmethod={self.method or 'unknown'}"


def _norm_id(value: str) -> str:
    return value.strip().strip("{}").lower()


def is_label_key(name: str) -> bool:
    return _MSIP_KEY.match(name) is not None


def labels_from_pairs(pairs: Iterable[tuple[str, str]]) -> dict[str, Label]:
    """Labels from ``MSIP_Label_<guid>_<field> = value`` pairs (custom properties, PDF info)."""
    fields: dict[str, dict[str, str]] = {}
    for key, value in pairs:
        found = _MSIP_KEY.match(key)
        if found:
            fields.setdefault(_norm_id(found.group(1)), {})[found.group(2).lower()] = value.strip()
    return {
        guid: Label(guid, values.get("name", ""), values.get("method", ""),
                    values.get("enabled", "true").lower() not in ("false", "0"))
        for guid, values in fields.items()
    }


def labels_from_labelinfo(root: Element) -> dict[str, Label]:
    """Labels from docMetadata/LabelInfo.xml (``<clbl:label id= enabled= method= removed=>``)."""
    found = {}
    for element in root.iter():
        if local(element.tag) != "label":
            continue
        guid = _norm_id(attr(element, "id"))
        if not guid:
            continue
        active = attr(element, "enabled", "1") not in ("0", "false") and \
            attr(element, "removed", "0") not in ("1", "true")
        found[guid] = Label(guid, "", attr(element, "method"), active)
    return found


def labels_from_xmp(root: Element) -> dict[str, Label]:
    """Labels from an XMP packet: MSIP keys as elements or as rdf:Description attributes."""
    pairs = []
    for element in root.iter():
        if is_label_key(local(element.tag)):
            pairs.append((local(element.tag), element.text or ""))
        pairs.extend((local(key), value) for key, value in element.attrib.items()
                     if is_label_key(local(key)))
    return labels_from_pairs(pairs)


def merge(*sources: dict[str, Label]) -> list[Label]:
    """One label per id; a name or method from any source fills what another lacks."""
    merged: dict[str, Label] = {}
    for source in sources:
        for guid, label in source.items():
            known = merged.get(guid)
            if known is None:
                merged[guid] = label
            else:
                merged[guid] = Label(guid, known.name or label.name, known.method or label.method,
                                     known.enabled and label.enabled)
    return [label for label in merged.values() if label.enabled]


def label_chunk(origin: Origin, labels: Iterable[Label]) -> Chunk | None:
    lines = [label.line() for label in labels]
    return text_chunk(part_origin(origin, LABEL_LOCATION), "\n".join(lines)) if lines else None


def encrypted_chunk(origin: Origin, how: str) -> Chunk:
    """The metadata line that the ``document.encrypted`` rule reports."""
    return text_chunk(part_origin(origin, ENCRYPTED_LOCATION), f"{ENCRYPTED_PREFIX}{how}")
