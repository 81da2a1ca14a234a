"""Structure checks for cloud credentials, key armour and credential files."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import zlib

import pytest

from leakguard.validators import VALIDATORS
from leakguard.validators.checksums import bech32_ok
from tests.corpus.recall.gen import ALNUM, B64, b64url, rand

BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def bech32_encode(hrp: str, data: list[int]) -> str:
    """Reference Bech32 encoder (BIP-173), written out so the test does not trust the module."""
    def polymod(values: list[int]) -> int:
        gen = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
        chk = 1
        for v in values:
            top = chk >> 25
            chk = (chk & 0x1FFFFFF) << 5 ^ v
            for i in range(5):
                chk ^= gen[i] if (top >> i) & 1 else 0
        return chk

    expand = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    mod = polymod(expand + data + [0] * 6) ^ 1
    checksum = [(mod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(BECH32[d] for d in data + checksum)


def age_key(seed: object) -> str:
    data = [BECH32.index(c) for c in rand(BECH32, 52, ("age", seed))]
    return bech32_encode("age-secret-key-", data).upper()


def signed_jwt(payload: dict, alg: str = "HS256") -> str:
    header = b64url(json.dumps({"alg": alg, "typ": "JWT"}))
    body = b64url(json.dumps(payload))
    signature = b64url(hmac.new(b"FAKE", f"{header}.{body}".encode(), hashlib.sha256).digest())
    return f"{header}.{body}.{signature}"


def check(name: str, value: str) -> bool:
    return VALIDATORS[name](value)


def test_bech32_accepts_a_valid_age_key_and_rejects_a_typo() -> None:
    key = age_key(1)
    assert key.startswith("AGE-SECRET-KEY-1") and len(key) == 74
    assert check("bech32", key)
    flipped = key[:-1] + ("Q" if key[-1] != "Q" else "P")
    assert not check("bech32", flipped)
    assert not bech32_ok("AGE-SECRET-KEY-1")
    assert not bech32_ok("AGE-SECRET-KEY-1BIO")  # b, i, o are not in the Bech32 alphabet


def test_cloudflare_crc32_checks_the_last_eight_hex_digits() -> None:
    body = rand(ALNUM, 40, "cf")
    token = f"cfut_{body}{zlib.crc32(body.encode()):08x}"
    assert check("cloudflare_crc32", token)
    assert check("cloudflare_crc32", "cfk_" + token[5:])
    assert not check("cloudflare_crc32", token[:-1] + ("0" if token[-1] != "0" else "1"))
    assert not check("cloudflare_crc32", "cfut_short")


def _pem(label: str, der: bytes, headers: str = "") -> str:
    body = base64.b64encode(der).decode()
    lines = "\n".join(body[i:i + 64] for i in range(0, len(body), 64))
    return f"-----BEGIN {label}-----\n{headers}{lines}\n-----END {label}-----"


@pytest.mark.parametrize(("text", "valid"), [
    pytest.param(_pem("RSA PRIVATE KEY", b"\x30\x82\x04\xa4" + bytes(range(200))), True, id="der"),
    pytest.param(_pem("PRIVATE KEY", b"\x31" + bytes(200)), False, id="not-a-sequence"),
    pytest.param(_pem("OPENSSH PRIVATE KEY", b"openssh-key-v1\x00" + bytes(100)), True, id="openssh"),
    pytest.param(_pem("OPENSSH PRIVATE KEY", b"not-openssh" + bytes(100)), False, id="bad-magic"),
    pytest.param(_pem("RSA PRIVATE KEY", bytes(range(96)),
                      "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00FF\n\n"), True, id="legacy"),
    pytest.param(_pem("RSA PRIVATE KEY", bytes(range(97)),
                      "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00FF\n\n"), False,
                 id="legacy-not-blocks"),
    pytest.param(_pem("PRIVATE KEY", b"\x30" + bytes(200)).replace("\n", "\\n"), True,
                 id="json-escaped"),
    pytest.param("-----BEGIN PRIVATE KEY-----\nnot base64 at all!\n-----END PRIVATE KEY-----",
                 False, id="garbage"),
])
def test_pem_private_key_checks_the_body_structure(text: str, valid: bool) -> None:
    assert check("pem_private_key", text) is valid


def test_pem_base64_private_key_unwraps_kubeconfig_style_values() -> None:
    pem = _pem("EC PRIVATE KEY", b"\x30" + bytes(100))
    assert check("pem_base64_private_key", base64.b64encode(pem.encode()).decode())
    cert = _pem("CERTIFICATE", b"\x30" + bytes(100))
    assert not check("pem_base64_private_key", base64.b64encode(cert.encode()).decode())


@pytest.mark.parametrize(("payload", "alg", "public"), [
    pytest.param({"sub": "fake-user", "scope": "admin"}, "HS256", False, id="user-token"),
    pytest.param({"iss": "supabase", "role": "anon"}, "HS256", True, id="supabase-anon"),
    pytest.param({"iss": "supabase-demo", "role": "service_role"}, "HS256", True, id="demo"),
    pytest.param({"iss": "supabase", "role": "service_role"}, "HS256", True,
                 id="supabase-service-role-has-its-own-rule"),
    pytest.param({"sub": "1234567890", "name": "John Doe", "iat": 1516239022}, "HS256", True,
                 id="jwt-io-sample"),
    pytest.param({"sub": "fake-user"}, "none", True, id="alg-none"),
])
def test_jwt_not_public(payload: dict, alg: str, public: bool) -> None:
    assert check("jwt_not_public", signed_jwt(payload, alg)) is not public


def test_supabase_service_role_needs_that_role() -> None:
    assert check("supabase_service_role", signed_jwt({"iss": "supabase", "role": "service_role"}))
    assert not check("supabase_service_role", signed_jwt({"iss": "supabase", "role": "anon"}))
    assert not check("supabase_service_role",
                     signed_jwt({"iss": "supabase-demo", "role": "service_role"}))
    assert not check("supabase_service_role", "eyJ.not.a-jwt")


def test_cloudflare_tunnel_token_holds_account_tunnel_and_secret() -> None:
    good = base64.b64encode(json.dumps({"a": "acct", "t": "tunnel", "s": "c2VjcmV0"}).encode())
    assert check("cloudflare_tunnel_token", good.decode())
    missing = base64.b64encode(json.dumps({"a": "acct", "t": "tunnel"}).encode())
    assert not check("cloudflare_tunnel_token", missing.decode())
    assert not check("cloudflare_tunnel_token", "eyJhIjoi!!!")


@pytest.mark.parametrize(("value", "valid"), [
    pytest.param(base64.b64encode(b"ci-bot:FAKE-registry-pass").decode(), True, id="user-pass"),
    pytest.param(base64.b64encode(b"ci-bot:").decode(), False, id="empty-password"),
    pytest.param(base64.b64encode(b"no-colon-here").decode(), False, id="no-colon"),
    pytest.param(base64.b64encode(bytes(range(30))).decode(), False, id="binary"),
])
def test_base64_user_password(value: str, valid: bool) -> None:
    assert check("base64_user_password", value) is valid


@pytest.mark.parametrize(("value", "valid"), [
    pytest.param(base64.b64encode(b"FAKE-db-password-1").decode(), True, id="text"),
    pytest.param(base64.b64encode(bytes(range(64))).decode(), True, id="binary-key"),
    pytest.param("mysecret", False, id="label-that-is-valid-base64"),
    pytest.param("backend", False, id="not-a-multiple-of-four"),
    pytest.param(base64.b64encode(_pem("CERTIFICATE", b"\x30" + bytes(64)).encode()).decode(),
                 False, id="certificate"),
    pytest.param(base64.b64encode(b"   ").decode(), False, id="blank"),
    pytest.param(base64.b64encode(b"postgres\n").decode(), False, id="default-password"),
    pytest.param(rand(B64, 8, "short") + "!!", False, id="not-base64"),
])
def test_k8s_secret_value(value: str, valid: bool) -> None:
    assert check("k8s_secret_value", value) is valid
