"""Derived chunks: text a chunk holds in an encoding that every rule should see through.

Kubernetes Secret manifests keep their values base64-encoded under ``data:``, so a database
URL or an API token in a Secret is invisible to the rules until it is decoded. This module
finds those values (YAML or JSON manifests, several documents per file) and returns one
chunk per decoded value, at the manifest's path with ``location="data.<key> (base64-decoded)"``.

It is pure: a chunk in, chunks out. It parses just enough YAML by indentation to find the
``data:`` block of a ``kind: Secret`` document (PyYAML stays in yamlfile.py, and a scanner
must not choke on a template or a half-valid manifest), and it never decodes anything else.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from leakguard.model import Chunk

#: Values above this size are not decoded (a Secret value is capped at 1 MiB by Kubernetes).
MAX_ENCODED = 1_400_000

_DOC_SEPARATOR = re.compile(r"^(?:---|\.\.\.)(?:\s.*)?$")
_KIND_SECRET = re.compile(r"""^kind:\s*["']?Secret["']?\s*(?:#.*)?$""")
_DATA_HEADER = re.compile(r"^data:\s*(?:#.*)?$")
_ENTRY = re.compile(
    r"""^(?P<indent>[ \t]+)(?P<key>["']?[A-Za-z0-9._-]{1,253}["']?):(?:\s+(?P<value>.*?))?\s*$""")
_BLOCK_SCALAR = re.compile(r"^[|>][+-]?\d?$")
#: Every chunk of every scan is checked for this word: ``re``'s literal search is about 1.5x as
#: fast as ``in`` on code (whose many t's slow the substring search down).
_SECRET_WORD = re.compile("Secret")


@dataclass(frozen=True)
class EncodedValue:
    """A ``data:`` entry: its key, its base64 text and the 1-based line the entry starts on."""

    key: str
    encoded: str
    line: int


def derived_chunks(chunk: Chunk, holds: Callable[[str], bool | None] | None = None
                   ) -> Iterator[Chunk]:
    """Chunks for the decoded values of Kubernetes Secrets found in ``chunk``.

    A value whose entry is outside the chunk's reportable ``lines`` (a diff's added lines) is
    skipped: its secret was not added by that change. ``holds(word)`` may already know whether
    the chunk holds a word (the multi-pattern engine's scan reports ``Secret``); None: unknown.
    """
    text = chunk.text
    known = holds("Secret") if holds is not None else None
    if known is False or (known is None and _SECRET_WORD.search(text) is None) \
            or "data" not in text:
        return
    for value in secret_data_values(text):
        if chunk.lines is not None and value.line not in chunk.lines:
            continue
        decoded = decode_value(value.encoded)
        if decoded is None:
            continue
        where = f"data.{value.key} (base64-decoded)"
        if chunk.origin.location:
            where = f"{chunk.origin.location} > {where}"
        yield Chunk(replace(chunk.origin, location=where), decoded,
                    size=len(decoded.encode("utf-8")))


def decode_value(encoded: str) -> str | None:
    """Strict base64 -> text, or None for anything that is not base64 of non-empty text."""
    compact = "".join(encoded.split())
    if not compact or len(compact) > MAX_ENCODED:
        return None
    try:
        data = base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None
    if not data.strip() or b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def secret_data_values(text: str) -> list[EncodedValue]:
    """Every ``data:`` entry of every Secret in a YAML or JSON manifest."""
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        values = _json_values(text)
        if values is not None:
            return values
    values: list[EncodedValue] = []
    for start, lines in _yaml_documents(text.splitlines()):
        if any(_KIND_SECRET.match(line) for line in lines):
            values.extend(_yaml_data_block(lines, start))
    return values


def _yaml_documents(lines: list[str]) -> Iterator[tuple[int, list[str]]]:
    """(0-based index of its first line, lines) for each ``---``-separated document."""
    start = 0
    for index, line in enumerate(lines):
        if _DOC_SEPARATOR.match(line):
            yield start, lines[start:index]
            start = index + 1
    yield start, lines[start:]


def _yaml_data_block(lines: list[str], offset: int) -> Iterator[EncodedValue]:
    """The entries of the top-level ``data:`` mapping, with block scalars joined."""
    index = next((i for i, line in enumerate(lines) if _DATA_HEADER.match(line)), None)
    if index is None:
        return
    child_indent: str | None = None
    index += 1
    while index < len(lines):
        line = lines[index]
        if not line.strip() or line.lstrip().startswith("#"):
            index += 1
            continue
        if not line[0].isspace():
            return
        entry = _ENTRY.match(line)
        if entry is None:
            index += 1
            continue
        if child_indent is None:
            child_indent = entry["indent"]
        if entry["indent"] != child_indent:
            index += 1
            continue
        key = entry["key"].strip("\"'")
        value = (entry["value"] or "").split(" #", 1)[0].strip()
        line_number = offset + index + 1
        if _BLOCK_SCALAR.match(value):
            parts = []
            index += 1
            while index < len(lines) and (not lines[index].strip()
                                          or len(lines[index]) - len(lines[index].lstrip())
                                          > len(child_indent)):
                parts.append(lines[index].strip())
                index += 1
            yield EncodedValue(key, "".join(parts), line_number)
            continue
        value = value.strip("\"'")
        if value:
            yield EncodedValue(key, value, line_number)
        index += 1


def _json_values(text: str) -> list[EncodedValue] | None:
    """Entries of Secrets in a JSON manifest (a Secret, a List of them); None if not JSON."""
    try:
        document = json.loads(text)
    except ValueError:
        return None
    values: list[EncodedValue] = []
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            if node.get("kind") == "Secret" and isinstance(node.get("data"), dict):
                for key, encoded in node["data"].items():
                    if isinstance(encoded, str):
                        values.append(EncodedValue(str(key), encoded, _json_line(text, key)))
            elif isinstance(node.get("items"), list):
                stack.extend(reversed(node["items"]))
    return values


def _json_line(text: str, key: str) -> int:
    """The line of the first ``"key":`` in the text (JSON keeps no positions)."""
    position = text.find(json.dumps(key) + ":")
    if position < 0:
        position = text.find(json.dumps(key))
    return text.count("\n", 0, max(position, 0)) + 1
