"""Checksums and envelopes that providers build into their tokens.

Each validator answers one question about a captured token: does its embedded checksum match,
or does its encoded body have the structure the issuer writes? A random string that merely
looks like a token fails, so rules can report it at low confidence (``on_fail: lower``) or drop
it. Every format below is taken from the issuer's own description or generator; the source is
named in each docstring.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import re
import zlib

from leakguard.validators.checksums import base62
from leakguard.validators.registry import false_positive_filter, validator
from leakguard.validators.structure import jwt

_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def to_base36(number: int, width: int) -> str:
    """Lower-case base 36, left-padded with zeros to ``width`` (Ruby's ``to_s(36).rjust``)."""
    digits = []
    while number:
        number, remainder = divmod(number, 36)
        digits.append(_BASE36[remainder])
    return "".join(reversed(digits)).rjust(width, "0")


def _b64decode(text: str) -> bytes:
    """Standard or URL-safe base64 with or without padding; raises ValueError when it is not."""
    text = text.strip()
    padded = text + "=" * (-len(text) % 4)
    alphabet = "-_" if ("-" in text or "_" in text) else "+/"
    try:
        return base64.b64decode(padded, altchars=alphabet.encode(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(str(exc)) from None


def _json_object(data: bytes) -> dict | None:
    try:
        value = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None


@validator("crc32_base62")
def crc32_base62(value: str) -> bool:
    """The scheme GitHub published in 2021 and npm adopted: ``prefix_`` + 30 random base62
    characters + the CRC32 of those 30, base62-encoded and left-padded to 6 characters."""
    _, sep, body = value.rpartition("_")
    if not sep or len(body) != 36 or not body.isalnum():
        return False
    return base62(zlib.crc32(body[:30].encode()), 6) == body[30:]


@validator("gitlab_token")
def gitlab_token(value: str) -> bool:
    """GitLab routable tokens (``lib/authn/token_field/generator/routable_token.rb``):
    ``prefix + base64url(payload) + "." + version + "." + length`` followed by the CRC32 of all
    of that in base 36, padded to 7. ``length`` is the base64 part's length in base 36 (2 chars);
    the unversioned variant omits ``version``. Legacy tokens (a fixed-length random string with
    no ``.``) carry no checksum and pass."""
    if "." not in value:
        return True
    head, checksum = value[:-7], value[-7:]
    if to_base36(zlib.crc32(head.encode()), 7) != checksum:
        return False
    parts = head.split(".")
    if len(parts) not in (2, 3) or len(parts[-1]) != 2 or any(len(p) != 2 for p in parts[1:]):
        return False
    try:
        length = int(parts[-1], 36)
    except ValueError:
        return False
    # The payload is the last ``length`` characters before the first dot; what precedes it is
    # the type prefix (glpat-, glrt-t1_, an instance prefix…), which ends in - or _.
    prefix = parts[0][:-length] if length else ""
    return 0 < length < len(parts[0]) and prefix[-1:] in ("-", "_")


@validator("atlassian_crc32")
def atlassian_crc32(value: str) -> bool:
    """Atlassian cloud tokens (ATATT, ATCTT, ATBB…) end in 8 hex digits: the CRC32 of
    everything before them. ``=`` before the checksum may arrive URL-escaped."""
    value = value.replace("%3D", "=").replace("%3d", "=").replace("\\=", "=")
    head, checksum = value[:-8], value[-8:]
    try:
        expected = int(checksum, 16)
    except ValueError:
        return False
    return len(checksum) == 8 and zlib.crc32(head.encode()) == expected


@validator("atlassian_dc_token")
def atlassian_dc_token(value: str) -> bool:
    """Jira, Confluence and Bitbucket Data Center personal/HTTP access tokens: base64 of
    ``<numeric id>:<random bytes>`` (a ``BBDC-`` prefix on Bitbucket's is stripped)."""
    body = value[5:] if value.startswith("BBDC-") else value
    try:
        decoded = _b64decode(body)
    except ValueError:
        return False
    head, sep, tail = decoded.partition(b":")
    return bool(sep) and 0 < len(head) <= 20 and head.isdigit() and len(tail) >= 16


@validator("grafana_service_account")
def grafana_service_account(value: str) -> bool:
    """Grafana service-account tokens: ``glsa_`` + 32 random characters + ``_`` + 8 hex digits,
    the little-endian bytes of the CRC32 of the first 37 characters."""
    if len(value) != 46 or value[37:38] != "_":
        return False
    try:
        raw = bytes.fromhex(value[38:])
    except ValueError:
        return False
    return int.from_bytes(raw, "little") == zlib.crc32(value[:37].encode())


@validator("grafana_cloud_token")
def grafana_cloud_token(value: str) -> bool:
    """Grafana Cloud access-policy tokens (``glc_``) and legacy Grafana API keys (``eyJrIjoi``)
    are base64 JSON objects: ``{"o","n","k",...}`` and ``{"k","n","id"}`` respectively."""
    body = value[4:] if value.startswith("glc_") else value
    try:
        document = _json_object(_b64decode(body))
    except ValueError:
        return False
    if document is None or not isinstance(document.get("k"), str) or not document["k"]:
        return False
    return "o" in document or "id" in document


@validator("sentry_org_token")
def sentry_org_token(value: str) -> bool:
    """Sentry organization auth tokens: ``sntrys_`` + base64 JSON (``iat``, ``url``, ``org`` …)
    + ``_`` + a 43-character random secret."""
    body = value.removeprefix("sntrys_")
    payload, sep, secret = body.rpartition("_")
    if not sep or len(secret) != 43:
        return False
    try:
        document = _json_object(_b64decode(payload))
    except ValueError:
        return False
    return document is not None and "iat" in document and "org" in document


@validator("discord_bot_token")
def discord_bot_token(value: str) -> bool:
    """Discord bot tokens: the first dot-separated part is the bot's numeric snowflake id in
    base64, then a timestamp part and an HMAC part."""
    head = value.split(".", 1)[0]
    try:
        decoded = _b64decode(head)
    except ValueError:
        return False
    return decoded.isdigit() and 15 <= len(decoded) <= 20


@validator("jfrog_reference_token")
def jfrog_reference_token(value: str) -> bool:
    """JFrog reference tokens are base64 of ``reftkn:<version>:<expiry>:<random>``."""
    try:
        decoded = _b64decode(value).decode("ascii")
    except (ValueError, UnicodeDecodeError):
        return False
    parts = decoded.split(":")
    return (len(parts) == 4 and parts[0] == "reftkn" and parts[1].isdigit()
            and parts[2].isdigit() and len(parts[3]) >= 16)


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        if pos >= len(data) or shift > 35:
            raise ValueError("truncated varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def _macaroon_sections(data: bytes) -> tuple[list[list[tuple[int, bytes]]], bytes]:
    """Split a libmacaroons v2 binary macaroon into its sections and the final signature."""
    if data[:1] != b"\x02":
        raise ValueError("not a v2 macaroon")
    pos = 1
    sections: list[list[tuple[int, bytes]]] = []
    fields: list[tuple[int, bytes]] = []
    while pos < len(data):
        field_type, pos = _varint(data, pos)
        if field_type == 0:  # end of section
            if not fields:  # an empty section ends the caveat list
                break
            sections.append(fields)
            fields = []
            continue
        length, pos = _varint(data, pos)
        if pos + length > len(data):
            raise ValueError("field overruns the macaroon")
        fields.append((field_type, data[pos:pos + length]))
        pos += length
    signature_type, pos = _varint(data, pos)
    length, pos = _varint(data, pos)
    signature = data[pos:pos + length]
    if signature_type != 6 or len(signature) != 32 or pos + length != len(data):
        raise ValueError("bad signature field")
    return sections, signature


@validator("pypi_macaroon")
def pypi_macaroon(value: str) -> bool:
    """PyPI API tokens: ``pypi-`` + base64url of a v2 macaroon whose location is
    ``pypi.org`` (or ``test.pypi.org``) and which ends in a 32-byte signature."""
    body = value.split("-", 1)[-1]
    try:
        sections, _ = _macaroon_sections(_b64decode(body))
    except ValueError:
        return False
    if not sections:
        return False
    header = dict(sections[0])
    return header.get(1) in (b"pypi.org", b"test.pypi.org") and bool(header.get(2))


@validator("github_stateless_token")
def github_stateless_token(value: str) -> bool:
    """GitHub's stateless installation tokens (2026): ``ghs_`` + numeric app id + ``_`` + a
    signed JWT."""
    _, _, rest = value.partition("_")
    app_id, sep, token = rest.partition("_")
    return bool(sep) and app_id.isdigit() and jwt(token)


@validator("synapse_token")
def synapse_token(value: str) -> bool:
    """Matrix Synapse access and refresh tokens (``synapse/handlers/auth.py``):
    ``syt_<base64 localpart>_<20 letters>``, then ``_`` and the CRC32 of all of that in base62,
    padded to 6."""
    base, sep, checksum = value.rpartition("_")
    return bool(sep) and len(checksum) == 6 and base62(zlib.crc32(base.encode()), 6) == checksum


@validator("intercom_token")
def intercom_token(value: str) -> bool:
    """Intercom access tokens are base64 of ``tok:<uuid>:<uuid>...`` (hence ``dG9rO``)."""
    try:
        decoded = _b64decode(value)
    except ValueError:
        return False
    return decoded.startswith(b"tok:") and decoded.count(b":") >= 2


# -- a false-positive filter for provider tokens ------------------------------------------------

_SEPARATORS = re.compile(r"[^A-Za-z0-9]+")
_PLACEHOLDER_HINTS = ("your", "secret", "here", "insert", "replace", "token", "apikey", "goes",
                      "dummy", "test")


def _longest_run(value: str, step: int) -> int:
    """Longest run of characters each ``step`` code points after the previous one, within one
    class (digits, lower case, upper case); ``step=0`` counts repeated characters."""
    best = run = 1
    for previous, current in itertools.pairwise(value):
        same_class = (previous.isdigit() and current.isdigit()) or (
            previous.isalpha() and current.isalpha() and previous.islower() == current.islower())
        if same_class and ord(current) - ord(previous) == step:
            run += 1
            best = max(best, run)
        else:
            run = 1
    return best if value else 0


def _periodic(body: str) -> bool:
    """True for a short unit repeated over a whole segment (``abc123abc123abc123``)."""
    size = len(body)
    return size >= 12 and any(body == (body[:p] * (size // p + 1))[:size]
                              for p in range(1, size // 3 + 1))


@false_positive_filter("token_placeholder")
def token_placeholder(value: str) -> bool:
    """A token-shaped value a person typed rather than a provider generated: a run of six equal
    characters, seven sequential ones (``1234567``, ``abcdefg``), a repeated short unit, or two
    hint words together (``YourSecretKeyHere``). Random tokens do these with negligible odds,
    documentation placeholders do them all the time."""
    body = "".join(ch for ch in value if ch.isalnum())
    if _longest_run(body, 0) >= 6 or _longest_run(body, 1) >= 7 or _longest_run(body, -1) >= 7:
        return True
    if any(_periodic(part) for part in _SEPARATORS.split(value)):
        return True
    lowered = body.lower()
    return sum(hint in lowered for hint in _PLACEHOLDER_HINTS) >= 2
