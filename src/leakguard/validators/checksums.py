"""Checksums published by issuers: card numbers (Luhn) and tokens with an embedded CRC."""

from __future__ import annotations

import zlib

from leakguard.validators.registry import validator

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def luhn_ok(digits: str) -> bool:
    """The mod-10 check every payment card number carries."""
    if not digits.isdigit() or len(digits) < 2:
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


@validator("luhn")
def luhn(value: str) -> bool:
    return luhn_ok("".join(ch for ch in value if ch.isdigit()))


def base62(number: int, width: int) -> str:
    chars = []
    for _ in range(width):
        number, remainder = divmod(number, 62)
        chars.append(_BASE62[remainder])
    return "".join(reversed(chars))


@validator("github_crc32")
def github_crc32(value: str) -> bool:
    """GitHub's ``ghp_``-style tokens end in 6 base62 characters of CRC32 over the random part.

    Format described in GitHub's 2021 token-format post: prefix, 30 random base62 characters,
    then the CRC32 of those 30 characters, base62-encoded and left-padded to 6.
    """
    _, sep, body = value.partition("_")
    if not sep or len(body) != 36:
        return False
    random_part, checksum = body[:30], body[30:]
    return base62(zlib.crc32(random_part.encode()), 6) == checksum
