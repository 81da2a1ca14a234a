"""Structural validators (base64, JWT, PEM, Basic credentials) and checksum helpers."""

from __future__ import annotations

import json

import pytest

from leakguard.validators import VALIDATORS
from leakguard.validators.checksums import bech32_ok, crc32_base62_suffix_ok
from tests import fakes
from tests.corpus.recall.gen import B64, b64, b64url, rand


def _jwt(header: dict, payload: dict, signature: str) -> str:
    return f"{b64url(json.dumps(header))}.{b64url(json.dumps(payload))}.{signature}"


_SIG = rand(B64.replace("+", "-").replace("/", "_"), 43, "jwt-sig")
_PEM_BODY = "\n".join(rand(B64, 64, ("pem", i)) for i in range(4))

VALID = {
    "base64": [b64("FAKE binary blob 0123456789"), b64("FAKE12345678").rstrip("="),
               "QUJD\nREVG\nR0hJ\nSktM"],
    "base64url": [b64url(b"\xfb\xff\xfe FAKE bytes"), b64url("FAKE12345678")],
    "jwt": [_jwt({"alg": "HS256", "typ": "JWT"}, {"sub": "FAKE"}, _SIG),
            _jwt({"alg": "RS256"}, {"iss": "fake"}, _SIG)],
    "pem": [f"-----BEGIN RSA PRIVATE KEY-----\n{_PEM_BODY}\n-----END RSA PRIVATE KEY-----",
            "-----BEGIN PRIVATE KEY-----\\n" + _PEM_BODY.replace("\n", "\\n")
            + "\\n-----END PRIVATE KEY-----\\n",
            "-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00FF\n\n"
            f"{_PEM_BODY}\n-----END EC PRIVATE KEY-----"],
    "basic_auth": [b64("deploy:Qm7x-FAKE-2Lpz9"), b64("svc.account:" + rand(B64, 24, "basic"))],
    "github_crc32": [fakes.github_pat(3)],
    "luhn": ["4111 1111 1111 1111"],
}
INVALID = {
    "base64": ["not base64!", "QUJ", "", "QQ=="],
    "base64url": ["a+b/", "QUJ"],
    "jwt": [_jwt({"alg": "none"}, {"sub": "FAKE"}, _SIG), _jwt({"typ": "JWT"}, {"sub": "x"}, _SIG),
            _jwt({"alg": "HS256"}, {"sub": "x"}, "short"), "eyJ.abc.def", "a.b"],
    "pem": ["-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----",
            f"-----BEGIN RSA PRIVATE KEY-----\n{_PEM_BODY}\n-----END EC PRIVATE KEY-----",
            "-----BEGIN PRIVATE KEY----- (paste your key here) -----END PRIVATE KEY-----"],
    "basic_auth": [b64("user:password"), b64("admin:admin"), b64("Aladdin:${PASSWORD}"),
                   b64("no-colon-here"), b64("user:"), b64(":Qm7x-FAKE-2Lpz9"), b64("a b:Qm7x-FAKE-2Lpz9"),
                   b64(b"\x00\xff:binary"), "!!!", b64("user:abc")],
    "github_crc32": [fakes.github_pat(3, valid_checksum=False), "ghp_short"],
    "luhn": ["4111 1111 1111 1112"],
}


@pytest.mark.parametrize(("name", "value"), [pytest.param(n, v, id=f"{n}-{i}")
                                             for n, vs in VALID.items() for i, v in enumerate(vs)])
def test_validator_accepts(name: str, value: str) -> None:
    assert VALIDATORS[name](value) is True


@pytest.mark.parametrize(("name", "value"), [pytest.param(n, v, id=f"{n}-{i}")
                                             for n, vs in INVALID.items() for i, v in enumerate(vs)])
def test_validator_rejects(name: str, value: str) -> None:
    assert VALIDATORS[name](value) is False


def test_every_structure_and_checksum_validator_is_tested() -> None:
    """Validators of checksums.py and structure.py are covered here; identity, contact,
    network and token modules test theirs in their own test files."""
    own = {name for name, func in VALIDATORS.items()
           if func.__module__ in ("leakguard.validators.checksums",
                                  "leakguard.validators.structure")}
    assert own <= set(VALID) & set(INVALID)


@pytest.mark.parametrize(("value", "ok"), [
    ("a12uel5l", True),                                                   # BIP-173 test vectors
    ("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw", True),
    ("split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w", True),
    ("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxx", False),          # one character changed
    ("A12uEL5L", False),                                                  # mixed case
    ("pzry9x0s0muk", False),                                              # no separator
])
def test_bech32_checksum(value: str, ok: bool) -> None:
    assert bech32_ok(value) is ok


def test_crc32_suffix_helper_takes_other_lengths() -> None:
    pat = fakes.github_pat(5)
    assert crc32_base62_suffix_ok(pat)
    assert not crc32_base62_suffix_ok(pat, random_length=29, width=7)
