"""Checksums published by issuers: card numbers (Luhn) and tokens with an embedded CRC.

The algorithms are generic (CRC32-in-base62, bech32); provider modules build their validators on
these helpers with their own prefixes and lengths.
"""

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


def crc32_base62_suffix_ok(value: str, *, random_length: int = 30, width: int = 6) -> bool:
    """``<prefix>_<random><crc32>``: the part after the first ``_`` ends in the base62 CRC32 of
    the characters before it. GitHub's tokens use it, and npm's ``npm_`` tokens the same scheme;
    provider validators call this with their own lengths."""
    _, sep, body = value.partition("_")
    if not sep or len(body) != random_length + width:
        return False
    random_part, checksum = body[:random_length], body[random_length:]
    return base62(zlib.crc32(random_part.encode()), width) == checksum


@validator("github_crc32")
def github_crc32(value: str) -> bool:
    """GitHub's ``ghp_``-style tokens end in 6 base62 characters of CRC32 over the random part.

    Format described in GitHub's 2021 token-format post: prefix, 30 random base62 characters,
    then the CRC32 of those 30 characters, base62-encoded and left-padded to 6.
    """
    return crc32_base62_suffix_ok(value)


_BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


def bech32_ok(value: str) -> bool:
    """The BIP-173 checksum of a bech32 string (age keys ``age1…``/``AGE-SECRET-KEY-1…`` use it).

    Mixed case is invalid by the spec; the separator is the last ``1``.
    """
    if value.lower() != value and value.upper() != value:
        return False
    lowered = value.lower()
    hrp, sep, data = lowered.rpartition("1")
    if not sep or not hrp or len(data) < 6 or any(ch not in _BECH32_CHARSET for ch in data):
        return False
    checksum = 1
    values = [ord(ch) >> 5 for ch in hrp] + [0] + [ord(ch) & 31 for ch in hrp]
    values += [_BECH32_CHARSET.index(ch) for ch in data]
    for item in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ item
        for index, generator in enumerate(_BECH32_GENERATOR):
            if (top >> index) & 1:
                checksum ^= generator
    return checksum == 1
