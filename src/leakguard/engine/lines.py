"""Offsets -> line and column, line text for snippets, and inline allow directives.

Built lazily per chunk: most chunks have no match, and they never pay for a line index.

Allow directives are found as plain text on the line, so they work in every comment syntax
(``#``, ``//``, ``/* */``, ``--``, ``<!-- -->``, ``;``, ``%``, ``{{!-- --}}``…) without knowing the
file's language. A directive ends at whitespace, the end of the line, or a comment closer, so
``<!--leakguard:allow rule=x.y-->`` reads rule ``x.y`` rather than ``x.y--``.
"""

from __future__ import annotations

import bisect
import itertools

import regex

from leakguard.model import InlineAllow

#: Comment closers that may follow a directive's last token without a space.
_CLOSER = r"(?:-->|--\}\}|\*/|%>|#>|\}\}|\*\))"
_END = rf"(?=\s|$|{_CLOSER}|[,;])"
_DIRECTIVE = regex.compile(rf"leakguard:allow(?P<next>-next-line)?(?=\s|$|{_CLOSER}|[,;:.)])")
_ARGUMENT = regex.compile(
    r"\s+(?P<key>rule|reason)="
    r"(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|"
    rf"(?P<bare>[^\s\"']+?){_END})"
)
SNIPPET_MAX = 200


class LineIndex:
    """Maps character offsets of one text to 1-based lines and columns.

    The line starts are computed on first use: most candidates of a large file fail a gate
    (a checksum, a filter) before anything asks where they are.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.has_directives = "leakguard:allow" in text
        self._starts: list[int] | None = None

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            # Line starts from the lengths of the lines split on "\n" only (not splitlines(),
            # which also splits on \r, \f, U+2028...), summed in C: big files have many lines.
            self._starts = [0, *itertools.accumulate(len(line) + 1
                                                     for line in self.text.split("\n")[:-1])]
        return self._starts

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
        same = parse_directive(self.line_text(line), next_line=False)
        if same is not None:
            return same
        return parse_directive(self.line_text(line - 1), next_line=True) if line > 1 else None


def parse_directive(text: str, *, next_line: bool) -> InlineAllow | None:
    """The first ``leakguard:allow`` (or ``-next-line``) directive in one line of text.

    Arguments follow in any order: ``rule=ID`` narrows it to one rule, ``reason=`` (quoted with
    ``"`` or ``'``, or one bare word) is kept as the suppression's justification. Anything after
    the arguments is free text and ignored.
    """
    if "leakguard:allow" not in text:
        return None
    for found in _DIRECTIVE.finditer(text):
        if bool(found.group("next")) != next_line:
            continue
        values: dict[str, str] = {}
        position = found.end()
        while (argument := _ARGUMENT.match(text, position)) is not None:
            value = argument.group("dq")
            if value is None:
                value = argument.group("sq")
            if value is None:
                value = argument.group("bare")
            values.setdefault(argument.group("key"), value)
            position = argument.end()
        return InlineAllow(rule=values.get("rule") or None, reason=values.get("reason") or None)
    return None
