"""Reporters: one module per format, each taking a Report and a text stream.

Only ``table.py`` imports rich; every reporter imports nothing of leakguard but ``model`` and
``redact``, so a reporter cannot reach back into the pipeline.
"""

from __future__ import annotations

from enum import Enum


class Format(str, Enum):
    """Output formats for ``--format``."""

    TABLE = "table"
    JSON = "json"
    SARIF = "sarif"
    CSV = "csv"
    MARKDOWN = "markdown"

    def __str__(self) -> str:
        return self.value
