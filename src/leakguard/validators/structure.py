"""Structural validators: encodings and envelopes a real secret must have (base64, JWT, PEM).

A validator returns True when the value is well-formed. They check shape only, never contact a
service, and a rule decides with ``on_fail`` whether a malformed value is dropped or lowered.
"""

from __future__ import annotations

import base64
import binascii
import json

from leakguard.lazyregex import lazy_compile
from leakguard.validators.placeholders import dummy, placeholder, template
from leakguard.validators.registry import validator

_B64 = lazy_compile(r"^[A-Za-z0-9+/]+={0,2}$")
_B64URL = lazy_compile(r"^[A-Za-z0-9_-]+={0,2}$")


def b64decode(value: str, *, urlsafe: bool = False) -> bytes | None:
    """Strict base64 (or base64url) decoding that tolerates missing padding; None if invalid."""
    compact = "".join(value.split())
    if not compact or not (_B64URL if urlsafe else _B64).match(compact):
        return None
    body = compact.rstrip("=")
    if len(body) % 4 == 1:
        return None
    padded = body + "=" * (-len(body) % 4)
    try:
        if urlsafe:
            return base64.urlsafe_b64decode(padded.encode("ascii"))
        return base64.b64decode(padded.encode("ascii"), validate=True)
    except (binascii.Error, ValueError):
        return None


@validator("base64")
def base64_value(value: str) -> bool:
    """Standard base64 of at least 8 bytes (whitespace and missing padding allowed)."""
    decoded = b64decode(value)
    return decoded is not None and len(decoded) >= 8


@validator("base64url")
def base64url_value(value: str) -> bool:
    """URL-safe base64 of at least 8 bytes."""
    decoded = b64decode(value, urlsafe=True)
    return decoded is not None and len(decoded) >= 8


def _b64url_decode(segment: str) -> bytes:
    padded = segment + "=" * (-len(segment) % 4)
    return base64.urlsafe_b64decode(padded.encode("ascii"))


@validator("jwt")
def jwt(value: str) -> bool:
    """Three base64url segments; the first two decode to JSON objects and the header has 'alg'.

    An unsigned token (``alg: none``) or one with a stub signature grants nothing by itself, so
    it fails: the signature segment must be at least 16 characters.
    """
    parts = value.split(".")
    if len(parts) != 3 or not all(parts[:2]) or len(parts[2]) < 16:
        return False
    try:
        header = json.loads(_b64url_decode(parts[0]))
        payload = json.loads(_b64url_decode(parts[1]))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    if not isinstance(header, dict) or not isinstance(payload, dict):
        return False
    algorithm = header.get("alg")
    return isinstance(algorithm, str) and algorithm.lower() != "none"


_PEM = lazy_compile(
    r"-----BEGIN (?P<label>[A-Z0-9 ]+)-----\s*(?P<headers>(?:[A-Za-z-]+:[^\n]*\n\s*)*)"
    r"(?P<body>[A-Za-z0-9+/=\s]*?)\s*-----END (?P<end>[A-Z0-9 ]+)-----")


@validator("pem")
def pem(value: str) -> bool:
    """RFC 7468 armour: matching BEGIN/END labels around base64 of at least 32 bytes.

    The JSON-escaped form (``\\n`` for newlines, as in service-account files) is accepted too.
    """
    text = value.replace("\\n", "\n").replace("\\r", "")
    found = _PEM.search(text)
    if found is None or found.group("label") != found.group("end"):
        return False
    decoded = b64decode(found.group("body"))
    return decoded is not None and len(decoded) >= 32


@validator("basic_auth")
def basic_auth(value: str) -> bool:
    """Base64 of ``user:password`` (RFC 7617) where the password is a literal, not a stand-in.

    ``Authorization: Basic dXNlcjpwYXNzd29yZA==`` (user:password) fails; so does base64 of
    anything that is not printable ``user:pass`` text.
    """
    decoded = b64decode(value.strip())
    if decoded is None:
        return False
    try:
        text = decoded.decode("utf-8")
    except UnicodeDecodeError:
        return False
    user, sep, password = text.partition(":")
    if not sep or not user or not password or not text.isprintable():
        return False
    if any(ch.isspace() for ch in user) or len(password) < 4:
        return False
    return not (placeholder(password) or template(password) or dummy(password))
