"""E-mail messages (.eml): headers, text and HTML bodies, and attachments.

``headers`` holds From/To/Subject and the rest; ``body`` the text parts; ``body (html)`` the
visible text of HTML parts. Each attachment is a member, ``mail.eml!/report.pdf``, and goes back
through the dispatcher, so an attached workbook or zip is read like a file on disk. The
``email`` package (about 15 ms to import) is imported when a message is met, not by every scan.
"""

from __future__ import annotations

from collections.abc import Iterator

from leakguard.model import Chunk, Origin, Skipped
from leakguard.sources.extract.base import Walk, member_origin, part_origin, text_chunk
from leakguard.sources.extract.markup import visible_text

Items = Iterator[Chunk | Skipped]
MAX_PARTS = 1_000


def looks_like_email(data: bytes) -> bool:
    head = data[:4096].lower()
    return any(head.startswith(key) or b"\n" + key in head
               for key in (b"from:", b"received:", b"message-id:", b"return-path:"))


def extract_eml(origin: Origin, data: bytes, walk: Walk) -> Items:
    import email
    import email.policy

    message = email.message_from_bytes(data, policy=email.policy.compat32)
    headers = "\n".join(f"{name}: {_header(value)}" for name, value in message.items())
    if headers:
        yield text_chunk(part_origin(origin, "headers"), headers)
    bodies: list[str] = []
    html: list[str] = []
    for index, part in enumerate(message.walk()):
        if index >= MAX_PARTS:
            break
        if part.is_multipart():
            continue
        filename = part.get_filename()
        payload = part.get_payload(decode=True) or b""
        content_type = part.get_content_type()
        if filename or part.get_content_disposition() == "attachment":
            name = filename or f"attachment-{index}"
            walk.budget.take_member()
            yield from walk.embedded(member_origin(origin, str(name)), payload)
        elif content_type == "text/plain":
            bodies.append(_decode(payload, part.get_content_charset()))
        elif content_type == "text/html":
            html.append(visible_text(_decode(payload, part.get_content_charset())))
    if any(body.strip() for body in bodies):
        yield text_chunk(part_origin(origin, "body"), "\n".join(bodies))
    if any(body.strip() for body in html):
        yield text_chunk(part_origin(origin, "body (html)"), "\n".join(html))


def _header(value: object) -> str:
    import email.header

    text = str(email.header.make_header(email.header.decode_header(str(value)))) \
        if "=?" in str(value) else str(value)
    return " ".join(text.split())


def _decode(payload: bytes, charset: str | None) -> str:
    try:
        return payload.decode(charset or "utf-8", "replace")
    except LookupError:
        return payload.decode("utf-8", "replace")
