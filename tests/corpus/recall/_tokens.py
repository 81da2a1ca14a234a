"""Builders for provider tokens that carry a checksum or an encoded envelope.

They produce values that pass ``leakguard.validators.tokens`` exactly as a real token would, so
the recall corpus and the validator tests exercise the checksum path and not only the regex.
Everything is deterministic for a seed and plainly synthetic.
"""

from __future__ import annotations

import base64
import json
import zlib

from leakguard.validators.tokens import to_base36
from tests.corpus.recall.gen import ALNUM, B64URL, b64, b64url, crc32_base62, rand


def crc_token(prefix: str, seed: object, marker: str = "") -> str:
    """``prefix`` + 30 random base62 (starting with ``marker``) + CRC32 suffix (GitHub classic
    tokens, npm tokens)."""
    body = marker + rand(ALNUM, 30 - len(marker), seed)
    return f"{prefix}{body}{crc32_base62(body)}"


def gitlab_routable(prefix: str, seed: object, *, versioned: bool = True,
                    routing: str = "o:1k\nu:2z") -> str:
    """A GitLab routable token: base64url(random 16 bytes + routing payload + its size). The
    random bytes are chosen so that the base64 text starts with a visible FAKE marker."""
    random_bytes = base64.urlsafe_b64decode("FAKE" + rand(B64URL, 20, seed))[:16]
    raw = random_bytes + routing.encode() + bytes([len(routing)])
    payload = b64url(raw)
    head = f"{prefix}{payload}." + ("01." if versioned else "") + to_base36(len(payload), 2)
    return head + to_base36(zlib.crc32(head.encode()), 7)


def atlassian(prefix: str, seed: object, length: int = 180) -> str:
    """An Atlassian cloud token: prefix, random body, ``=``, CRC32 in 8 upper-case hex."""
    head = f"{prefix}FAKE{rand(B64URL, length - 4, seed)}="
    return f"{head}{zlib.crc32(head.encode()):08X}"


def atlassian_dc(seed: object, *, bitbucket: bool = False) -> str:
    """A Data Center access token: base64 of ``<id>:<20 random bytes>``."""
    token = b64(f"{700000000000 + len(str(seed))}:".encode() + rand(ALNUM, 20, seed).encode())
    return f"BBDC-{token}" if bitbucket else token


def grafana_service_account(seed: object) -> str:
    head = f"glsa_{rand(ALNUM, 32, seed)}"
    return f"{head}_{zlib.crc32(head.encode()).to_bytes(4, 'little').hex()}"


def grafana_cloud(seed: object) -> str:
    document = {"o": str(900000 + len(str(seed))), "n": "leakguard-fake",
                "k": rand(ALNUM, 24, seed), "m": {"r": "prod-eu-west-0"}}
    return "glc_" + b64(json.dumps(document, separators=(",", ":")))


def grafana_legacy(seed: object) -> str:
    document = {"k": rand(ALNUM, 32, seed), "n": "leakguard-fake", "id": 1}
    return b64(json.dumps(document, separators=(",", ":")))


def sentry_org(seed: object) -> str:
    document = {"iat": 1700000000.0, "url": "https://sentry.io", "region_url":
                "https://us.sentry.io", "org": "leakguard-fake"}
    payload = b64(json.dumps(document, separators=(",", ":"))).rstrip("=")
    return f"sntrys_{payload}_{rand(ALNUM + '+/', 43, seed)}"


def _field(kind: int, data: bytes) -> bytes:
    assert len(data) < 128
    return bytes([kind, len(data)]) + data


def pypi_token(seed: object, location: str = "pypi.org") -> str:
    """A PyPI API token: ``pypi-`` + base64url of a v2 macaroon with one caveat."""
    identifier = json.dumps({"nonce": rand(ALNUM, 16, seed), "version": 1}).encode()
    caveat = json.dumps({"version": 1, "permissions": "user"}).encode()
    signature = rand(ALNUM, 32, (seed, "sig")).encode()
    data = (b"\x02" + _field(1, location.encode()) + _field(2, identifier) + b"\x00"
            + _field(2, caveat) + b"\x00" + b"\x00" + _field(6, signature))
    return "pypi-" + b64url(data)


def discord_bot(seed: object) -> str:
    user_id = str(100000000000000000 + int(rand("0123456789", 17, seed)))
    return f"{b64url(user_id)}.{rand(B64URL, 6, (seed, 1))}.{rand(B64URL, 38, (seed, 2))}"


def jfrog_reference(seed: object) -> str:
    return b64(f"reftkn:01:1893456000:FAKE{rand(ALNUM, 23, seed)}").rstrip("=")


def github_stateless(seed: object, app_id: int = 123456) -> str:
    header = b64url(json.dumps({"alg": "RS256", "typ": "JWT"}))
    payload = b64url(json.dumps({"iss": str(app_id), "inst": 987654, "exp": 1900000000}))
    return f"ghs_{app_id}_{header}.{payload}.{rand(B64URL, 342, seed)}"


def atbb(seed: object) -> str:
    """A Bitbucket app password: ATBB + 24 characters + CRC32 of the first 28 in hex."""
    head = f"ATBBFAKE{rand(ALNUM, 20, seed)}"
    return f"{head}{zlib.crc32(head.encode()):08X}"


def jwt_token(header: dict, payload: dict, seed: object, signature: int = 86) -> str:
    """A compact JWT with the given header and payload and a random signature segment."""
    def part(document: dict) -> str:
        return b64url(json.dumps(document, separators=(",", ":")))
    return f"{part(header)}.{part(payload)}.{rand(B64URL, signature, seed)}"


def jfrog_access(seed: object) -> str:
    header = {"ver": "2", "typ": "JWT", "alg": "RS256", "kid": rand(ALNUM, 12, seed)}
    payload = {"sub": "jfac@leakguard-fake/users/ci", "scp": "applied-permissions/user",
               "aud": "*@*", "iss": "jfac@leakguard-fake", "exp": 1900000000}
    return jwt_token(header, payload, seed, 342)


def synapse(prefix: str, seed: object, user: str = "leakguard-fake") -> str:
    """A Matrix Synapse token: syt_/syr_ + base64(localpart) + 20 letters + base62 CRC32."""
    import string
    base = f"{prefix}{b64(user).rstrip('=')}_{rand(string.ascii_letters, 20, seed)}"
    return f"{base}_{crc32_base62(base)}"


def intercom(seed: object) -> str:
    """An Intercom access token: base64 of tok:<uuid>:<uuid>:0 (uuids random, first FAKE-ish)."""
    def uuid(part: object) -> str:
        h = rand("0123456789abcdef", 32, (seed, part))
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
    return b64(f"tok:{uuid(1)}:{uuid(2)}:0")


def mapbox_secret(seed: object) -> str:
    body = b64url(json.dumps({"u": "leakguard-fake", "a": rand(ALNUM, 25, seed)}))
    return f"sk.{body}.{rand(B64URL, 22, (seed, 1))}"
