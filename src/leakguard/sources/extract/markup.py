"""HTML and SVG: the visible text, one block per line, entities decoded.

The markup itself is still scanned as plain text (its lines and columns are the file's own);
this adds a ``text`` chunk where a banner such as ``<h1>CONFIDENTIAL</h1>`` stands alone on its
line and ``&#65;KIA…`` is decoded, which a scan of the raw markup cannot see. A secret visible in
both is one finding (same fingerprint) with two occurrences.
"""

from __future__ import annotations

from html.parser import HTMLParser

_BLOCKS = frozenset({
    "p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "title",
    "section", "article", "header", "footer", "pre", "blockquote", "table", "ul", "ol", "dt",
    "dd", "text", "tspan", "desc", "hr", "form", "option", "caption", "figcaption", "nav",
    "address", "main", "aside",
})
_INVISIBLE = frozenset({"script", "style", "noscript", "template"})


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _INVISIBLE:
            self.hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")
        for name, value in attrs:
            if name in ("alt", "title", "aria-label", "placeholder") and value:
                self.parts.append(f"\n{value}\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _INVISIBLE:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(markup: str) -> str:
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)
