"""Standard input as one chunk, for ``leakguard scan -`` in pipelines."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import BinaryIO

from leakguard.model import Chunk, Origin, OriginKind, Skipped
from leakguard.sources.content import content_items
from leakguard.sources.extract import ExtractOptions

STDIN_PATH = "<stdin>"


def read_stdin(stream: BinaryIO | None = None, options: ExtractOptions | None = None
               ) -> Iterator[Chunk | Skipped]:
    data = (stream or sys.stdin.buffer).read()
    yield from content_items(Origin(STDIN_PATH, OriginKind.STDIN), data, options)
