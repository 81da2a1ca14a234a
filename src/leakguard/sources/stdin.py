"""Standard input as one chunk, for ``leakguard scan -`` in pipelines."""

from __future__ import annotations

import sys
from typing import BinaryIO

from leakguard.model import Chunk, Origin, OriginKind, Skipped
from leakguard.sources.files import content_chunk

STDIN_PATH = "<stdin>"


def read_stdin(stream: BinaryIO | None = None) -> Chunk | Skipped:
    data = (stream or sys.stdin.buffer).read()
    return content_chunk(Origin(STDIN_PATH, OriginKind.STDIN), data)
