"""Deterministic fake-value builders for the recall corpus (and anything else that needs them)."""

from __future__ import annotations

import base64
import random
import string
import zlib

from leakguard.validators.checksums import base62

ALNUM = string.ascii_letters + string.digits
LOWER_ALNUM = string.ascii_lowercase + string.digits
UPPER_ALNUM = string.ascii_uppercase + string.digits
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
B32 = string.ascii_uppercase + "234567"


def rand(alphabet: str, length: int, seed: object) -> str:
    """``length`` characters of ``alphabet``, the same for the same seed on every machine."""
    rng = random.Random(f"leakguard-recall:{seed}")
    return "".join(rng.choice(alphabet) for _ in range(length))


def crc32_base62(body: str, width: int = 6) -> str:
    """The CRC32 checksum suffix GitHub-style tokens carry."""
    return base62(zlib.crc32(body.encode()), width)


def b64(text: str | bytes) -> str:
    data = text.encode() if isinstance(text, str) else text
    return base64.b64encode(data).decode()


def b64url(text: str | bytes) -> str:
    data = text.encode() if isinstance(text, str) else text
    return base64.urlsafe_b64encode(data).decode().rstrip("=")
