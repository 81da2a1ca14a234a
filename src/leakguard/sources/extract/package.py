"""The zip package under Office Open XML and OpenDocument: bounded part reads, relationships,
document properties.

Parts are read through the same bounded reader as archive members (an Office file is a zip and
can be a zip bomb too); relationship targets are resolved as names inside the package only.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass

from leakguard.model import SkipReason
from leakguard.sources.extract.base import ExtractError, Walk
from leakguard.sources.extract.limits import check_declared, read_bounded
from leakguard.sources.extract.xmltext import local, parse_xml

OFFICE_DOCUMENT = "/officeDocument"


@dataclass(frozen=True)
class Relationship:
    id: str
    type: str
    target: str

    def is_a(self, kind: str) -> bool:
        """Whether the relationship type ends with ``/kind`` (schemas differ by version)."""
        return self.type.rsplit("/", 1)[-1] == kind


class Package:
    """Reads parts of one Office/ODF zip within the input's budget."""

    def __init__(self, archive: zipfile.ZipFile, walk: Walk) -> None:
        self.zip = archive
        self.walk = walk
        self.names = {info.filename: info for info in archive.infolist()}

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str) -> bytes | None:
        """The bytes of a part, or None when the package has no such part."""
        info = self.names.get(name)
        if info is None:
            return None
        if info.flag_bits & 0x1:
            raise ExtractError(SkipReason.ENCRYPTED, f"{name}: encrypted part")
        limit = self.walk.options.max_part_size
        check_declared(self.walk, info.file_size, limit)
        try:
            with self.zip.open(info) as stream:
                return read_bounded(stream, self.walk, limit=limit,
                                    compressed_size=info.compress_size)
        except ExtractError:
            raise
        except NotImplementedError as exc:
            raise ExtractError(SkipReason.UNSUPPORTED, f"{name}: {exc}") from None
        except Exception as exc:  # zlib.error, BadZipFile (bad CRC), EOFError on truncation
            raise ExtractError(SkipReason.MALFORMED, f"{name}: {type(exc).__name__}: {exc}") \
                from None

    def xml(self, name: str):  # -> Element | None
        data = self.read(name)
        return None if data is None else parse_xml(data, name)

    def relationships(self, part: str) -> list[Relationship]:
        """The internal relationships of ``part`` ('' for the package), targets as part names."""
        folder, base = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", f"{base}.rels"))
        if root is None:
            return []
        found = []
        for element in root:
            if local(element.tag) != "Relationship" or element.get("TargetMode") == "External":
                continue
            target = element.get("Target", "")
            if target.startswith("/"):
                resolved = posixpath.normpath(target).lstrip("/")
            else:
                resolved = posixpath.normpath(posixpath.join(folder, target))
            if resolved.startswith("../"):
                continue
            found.append(Relationship(element.get("Id", ""), element.get("Type", ""), resolved))
        return found

    def main_part(self) -> str | None:
        for rel in self.relationships(""):
            if rel.is_a("officeDocument"):
                return rel.target
        return None


def core_properties(package: Package) -> list[str]:
    """``name: value`` lines from docProps/core.xml (title, subject, creator, keywords, …)."""
    root = package.xml("docProps/core.xml")
    if root is None:
        return []
    return [f"{local(el.tag)}: {el.text.strip()}" for el in root
            if el.text and el.text.strip()]


def custom_properties(package: Package) -> list[tuple[str, str]]:
    """(name, value) pairs from docProps/custom.xml, labels included (the caller splits them)."""
    root = package.xml("docProps/custom.xml")
    if root is None:
        return []
    pairs = []
    for prop in root:
        if local(prop.tag) != "property":
            continue
        value = "".join(child.text or "" for child in prop)
        pairs.append((prop.get("name", ""), value.strip()))
    return pairs
