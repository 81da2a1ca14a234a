"""Structural validators: encodings and envelopes a real secret must have (base64, JWT, PEM)."""

from __future__ import annotations

import base64
import binascii
import json

from leakguard.validators.registry import validator


def _b64url_decode(segment: str) -> bytes:
    padded = segment + "=" * (-len(segment) % 4)
    return base64.urlsafe_b64decode(padded.encode("ascii"))


@validator("jwt")
def jwt(value: str) -> bool:
    """Three base64url segments; the first two decode to JSON objects and the header has 'alg'."""
    parts = value.split(".")
    if len(parts) != 3 or not all(parts[:2]) or len(parts[2]) < 16:
        return False
    try:
        header = json.loads(_b64url_decode(parts[0]))
        payload = json.loads(_b64url_decode(parts[1]))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    return isinstance(header, dict) and "alg" in header and isinstance(payload, dict)
