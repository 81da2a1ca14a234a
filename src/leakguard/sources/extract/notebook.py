"""Jupyter notebooks: each cell's source and text outputs as chunks of their own.

``cell 3`` is the source of the third cell (line N is the cell's line N); ``cell 3 output`` its
text outputs (streams, ``text/plain``, ``text/html`` as visible text, ``text/markdown``, error
tracebacks); ``metadata`` the notebook's own metadata. Images and other binary outputs are not
text and are left out. A file that is not a notebook's JSON is scanned as plain text instead.
"""

from __future__ import annotations

import json
import re
from typing import Any

from leakguard.model import Chunk, Origin
from leakguard.sources.extract.base import part_origin, text_chunk
from leakguard.sources.extract.markup import visible_text

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "".join(str(item) for item in value)
    return value if isinstance(value, str) else ""


def _outputs(cell: dict) -> list[str]:
    texts = []
    for output in cell.get("outputs") or ():
        if not isinstance(output, dict):
            continue
        if "text" in output:
            texts.append(_text(output["text"]))
        data = output.get("data") if isinstance(output.get("data"), dict) else {}
        for mime in ("text/plain", "text/markdown", "application/json"):
            if mime in data:
                value = data[mime]
                texts.append(_text(value) if not isinstance(value, dict) else json.dumps(value))
        if "text/html" in data:
            texts.append(visible_text(_text(data["text/html"])))
        if output.get("traceback"):
            texts.append(_ANSI.sub("", "\n".join(map(str, output["traceback"]))))
    return [text for text in texts if text.strip()]


def notebook_chunks(origin: Origin, text: str) -> list[Chunk] | None:
    """The chunks of a notebook, or None when ``text`` is not notebook JSON."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(document, dict) or not isinstance(document.get("cells"), list):
        return None
    chunks = []
    for number, cell in enumerate(document["cells"], 1):
        if not isinstance(cell, dict):
            continue
        source = _text(cell.get("source"))
        if source.strip():
            chunks.append(text_chunk(part_origin(origin, f"cell {number}"), source))
        outputs = _outputs(cell)
        if outputs:
            chunks.append(text_chunk(part_origin(origin, f"cell {number} output"),
                                     "\n".join(outputs)))
    metadata = document.get("metadata")
    if metadata:
        chunks.append(text_chunk(part_origin(origin, "metadata"),
                                 json.dumps(metadata, indent=1, ensure_ascii=False)))
    return chunks
