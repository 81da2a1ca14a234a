"""Fake secrets built at test time, so no test file holds a literal credential.

Each builder is deterministic for a given ``seed`` and produces a value that satisfies the
format (and checksum) of the real thing while being plainly synthetic.
"""

from __future__ import annotations

import random
import string
import zlib

from leakguard.validators.checksums import base62

_B32 = string.ascii_uppercase + "234567"
_ALNUM = string.ascii_letters + string.digits


def _rand(alphabet: str, length: int, seed: object) -> str:
    rng = random.Random(f"leakguard-fake:{seed}")
    return "".join(rng.choice(alphabet) for _ in range(length))


def aws_key_id(seed: object = 1) -> str:
    return "AKIA" + _rand(_B32, 16, ("aws-id", seed))


def aws_secret(seed: object = 1) -> str:
    return _rand(_ALNUM + "/+", 40, ("aws-secret", seed))


def github_pat(seed: object = 1, *, valid_checksum: bool = True) -> str:
    body = _rand(_ALNUM, 30, ("ghp", seed))
    checksum = base62(zlib.crc32(body.encode()), 6)
    if not valid_checksum:
        checksum = checksum[::-1] if checksum[::-1] != checksum else "000000"
    return f"ghp_{body}{checksum}"


def password(seed: object = 1) -> str:
    return _rand(_ALNUM + "!#%&", 18, ("password", seed))


def pem_private_key(seed: object = 1) -> str:
    body = _rand(_ALNUM + "+/", 64 * 6, ("pem", seed))
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return "\n".join(["-----BEGIN RSA PRIVATE KEY-----", *lines, "-----END RSA PRIVATE KEY-----"])
