"""Word and PowerPoint (Office Open XML): one chunk per part, named by where it is.

Word: ``body``, ``header1``, ``footer2``, ``footnotes``, ``endnotes``, ``comments``; one line per
paragraph. PowerPoint: ``slide 3``, ``slide 3 notes``, ``slide 3 comments``, ``slide master 1``.
Both: ``properties`` (core and custom document properties), ``sensitivity label``, and embedded
objects (``word/embeddings/…``) scanned as members. Macro-enabled variants are the same format.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator

from leakguard.model import Chunk, Origin, Skipped
from leakguard.sources.extract.base import ExtractError, Walk, member_origin, part_origin, skip, text_chunk
from leakguard.sources.extract.labels import (
    is_label_key,
    label_chunk,
    labels_from_labelinfo,
    labels_from_pairs,
    merge,
)
from leakguard.sources.extract.package import Package, core_properties, custom_properties
from leakguard.sources.extract.xmltext import join_lines, local, ooxml_lines, rel_id

Items = Iterator[Chunk | Skipped]
WORD_PARTS = ("header", "footer", "footnotes", "endnotes", "comments")
LABEL_INFO = "docMetadata/LabelInfo.xml"


def part_chunk(origin: Origin, package: Package, part: str, location: str,
               lines: Callable = ooxml_lines) -> Items:
    """The text of one XML part as a chunk at ``location``; a bad part is a skip, not the end."""
    where = part_origin(origin, location)
    try:
        root = package.xml(part)
    except ExtractError as error:
        yield skip(where, error)
        return
    if root is None:
        return
    text = join_lines(lines(root))
    if text.strip():
        yield text_chunk(where, text)


def office_metadata(origin: Origin, package: Package) -> Items:
    """Document properties and sensitivity labels, common to every OOXML document."""
    custom = custom_properties(package)
    lines = core_properties(package)
    lines += [f"{name}: {value}" for name, value in custom if value and not is_label_key(name)]
    if lines:
        yield text_chunk(part_origin(origin, "properties"), "\n".join(lines))
    info = package.xml(LABEL_INFO) if package.has(LABEL_INFO) else None
    labels = merge(labels_from_pairs(custom), labels_from_labelinfo(info) if info is not None else {})
    chunk = label_chunk(origin, labels)
    if chunk is not None:
        yield chunk


def embedded_objects(origin: Origin, package: Package, walk: Walk) -> Items:
    """Objects embedded in the document (a workbook in a deck) go through the dispatcher."""
    for name in sorted(package.names):
        if "/embeddings/" not in name or name.endswith("/"):
            continue
        child = member_origin(origin, name)
        try:
            data = package.read(name)
        except ExtractError as error:
            yield skip(child, error)
            continue
        if data is not None:
            yield from walk.member(child, data)


def extract_docx(origin: Origin, package: Package, walk: Walk) -> Items:
    main = package.main_part() or "word/document.xml"
    yield from part_chunk(origin, package, main, "body")
    for rel in package.relationships(main):
        kind = rel.type.rsplit("/", 1)[-1]
        if kind in WORD_PARTS:
            stem = posixpath.splitext(posixpath.basename(rel.target))[0]
            yield from part_chunk(origin, package, rel.target, stem)
    yield from office_metadata(origin, package)
    yield from embedded_objects(origin, package, walk)


def _comment_lines(root) -> list[str]:
    """Legacy (``p:cm/p:text``) and modern (``a:t``) PowerPoint comments, one per line."""
    return ooxml_lines(root, paragraphs=("p", "text"), texts=("t", "text"))


def extract_pptx(origin: Origin, package: Package, walk: Walk) -> Items:
    main = package.main_part() or "ppt/presentation.xml"
    rels = {rel.id: rel for rel in package.relationships(main)}
    root = package.xml(main)
    order = [rel_id(el) for el in root.iter() if local(el.tag) == "sldId"] \
        if root is not None else []
    slides = [rels[rid].target for rid in order if rid in rels]
    for number, slide in enumerate(slides, 1):
        yield from part_chunk(origin, package, slide, f"slide {number}")
        for rel in package.relationships(slide):
            if rel.is_a("notesSlide"):
                yield from part_chunk(origin, package, rel.target, f"slide {number} notes")
            elif rel.is_a("comments"):
                yield from part_chunk(origin, package, rel.target, f"slide {number} comments",
                                      _comment_lines)
    masters = [rel.target for rel in rels.values() if rel.is_a("slideMaster")]
    for number, master in enumerate(sorted(masters), 1):
        yield from part_chunk(origin, package, master, f"slide master {number}")
    yield from office_metadata(origin, package)
    yield from embedded_objects(origin, package, walk)
