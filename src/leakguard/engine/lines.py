"""Offsets -> line and column, line text for snippets, and inline allow directives.

Built lazily per chunk: most chunks have no match, and they never pay for a line index.
"""

from __future__ import annotations

import bisect
import itertools

import regex

from leakguard.model import InlineAllow

_ALLOW = regex.compile(
    r"leakguard:allow(?P<next>-next-line)?"
    r"(?:\s+rule=(?P<rule>[A-Za-z0-9._-]+))?"
    r"(?:\s+reason=(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>\S+)))?"
)
SNIPPET_MAX = 200


class LineIndex:
    """Maps character offsets of one text to 1-based lines and columns."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.has_directives = "leakguard:allow" in text
        # Line starts from the lengths of the lines split on "\n" only (not splitlines(), which
        # also splits on \r, \f, U+2028...), summed in C: big files have many lines.
        self.starts = [0, *itertools.accumulate(len(line) + 1 for line in text.split("\n")[:-1])]

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def position(self, offset: int) -> tuple[int, int]:
        line = self.line_of(offset)
        return line, offset - self.starts[line - 1] + 1

    def line_span(self, line: int) -> tuple[int, int]:
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else len(self.text)
        return start, end

    def line_text(self, line: int) -> str:
        if line < 1 or line > len(self.starts):
            return ""
        start, end = self.line_span(line)
        return self.text[start:end].rstrip("\r")

    def allow_for(self, line: int) -> InlineAllow | None:
        """The allow directive on ``line`` or an ``allow-next-line`` on the line above it."""
        if not self.has_directives:
            return None
        same = _directive(self.line_text(line), next_line=False)
        if same is not None:
            return same
        return _directive(self.line_text(line - 1), next_line=True) if line > 1 else None


def _directive(text: str, *, next_line: bool) -> InlineAllow | None:
    if "leakguard:allow" not in text:
        return None
    for found in _ALLOW.finditer(text):
        if bool(found.group("next")) != next_line:
            continue
        reason = found.group("dq") or found.group("sq") or found.group("bare")
        return InlineAllow(rule=found.group("rule"), reason=reason)
    return None
