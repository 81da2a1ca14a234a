"""RTF to plain text: enough of the syntax to get every visible word and field result.

Groups that hold no visible text (font and colour tables, stylesheets, pictures, ``{\\*…}``
destinations) are skipped; ``\\par`` and ``\\line`` end lines; ``\\'hh`` and ``\\uN`` escapes are
decoded (code page 1252 by default). The document ``\\info`` group (title, author, …) is kept:
metadata leaks too.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}\r\n]+)|[\r\n]",
    re.DOTALL)
_SKIP_DESTINATIONS = frozenset({
    b"fonttbl", b"colortbl", b"stylesheet", b"listtable", b"listoverridetable", b"pict",
    b"object", b"themedata", b"colorschememapping", b"datastore", b"latentstyles",
    b"rsidtbl", b"generator", b"xmlnstbl", b"bkmkstart", b"bkmkend",
})
#: ``{\*\dest …}`` groups are skipped unless they are one of these (field code text: hyperlinks).
_KEEP_STARRED = frozenset({b"fldinst"})
_NEWLINES = frozenset({b"par", b"line", b"row", b"sect", b"page"})
MAX_DEPTH = 256


def rtf_to_text(data: bytes, codepage: str = "cp1252") -> str:
    out: list[str] = []
    stack: list[tuple[bool, int]] = []
    skipping = False
    starred = False
    uc = 1
    pending_skip = 0
    raw = bytearray()

    def flush() -> None:
        if raw:
            out.append(raw.decode(codepage, "replace"))
            raw.clear()

    for match in _TOKEN.finditer(data):
        word, number, hexbyte, symbol, brace, text = match.groups()
        if brace == b"{":
            if len(stack) >= MAX_DEPTH:
                break
            stack.append((skipping, uc))
            continue
        if brace == b"}":
            if stack:
                skipping, uc = stack.pop()
            continue
        if skipping:
            continue
        if pending_skip and (text or hexbyte):
            if text and len(text) > pending_skip:
                text = text[pending_skip:]
                pending_skip = 0
            else:
                pending_skip -= len(text) if text else 1
                continue
        if starred:
            starred = False
            if word not in _KEEP_STARRED:
                skipping = True
                continue
        if word is not None:
            if word in _SKIP_DESTINATIONS:
                skipping = True
            elif word in _NEWLINES:
                flush()
                out.append("\n")
            elif word == b"tab":
                flush()
                out.append("\t")
            elif word == b"uc" and number is not None:
                uc = max(0, int(number))
            elif word == b"u" and number is not None:
                flush()
                code = int(number) % 65536
                out.append(chr(code) if code < 0xD800 or code > 0xDFFF else "?")
                pending_skip = uc
        elif symbol is not None:
            if symbol == b"*":
                starred = True
            elif symbol in (b"\\", b"{", b"}"):
                raw.extend(symbol)
            elif symbol == b"~":
                raw.extend(b" ")
            elif symbol in (b"\n", b"\r"):
                flush()
                out.append("\n")
        elif hexbyte is not None:
            raw.append(int(hexbyte, 16))
        elif text:
            raw.extend(text)
    flush()
    return "".join(out)
