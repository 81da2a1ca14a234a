"""Structure checks for cloud credentials, key files and credential-file formats.

Each validator answers "could this value be the real thing?" from what the issuer publishes:
a Bech32 checksum (age keys), DER or OpenSSH structure inside PEM armour, the JSON a
Cloudflare tunnel token or a JWT carries, the ``user:password`` inside a Docker ``auth``
value. They never contact anyone and take only the extracted secret, so rules can run them
on every candidate.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib

from leakguard.validators.checksums import bech32_ok
from leakguard.validators.registry import validator

_PEM_LINE = re.compile(r"-----(?:BEGIN|END) [A-Z0-9 ]+-----")
_OPENSSH_MAGIC = b"openssh-key-v1\x00"
#: The signature part of jwt.io's documentation token, shown on countless tutorial pages.
_JWT_IO_SAMPLE_PAYLOAD = {"sub": "1234567890", "name": "John Doe", "iat": 1516239022}


def _b64decode(text: str, *, urlsafe: bool = False) -> bytes | None:
    """Strict base64 (or base64url) decode that tolerates missing padding; None if malformed."""
    compact = "".join(text.split())
    if urlsafe:
        compact = compact.replace("-", "+").replace("_", "/")
    compact = compact.rstrip("=")
    if len(compact) % 4 == 1:
        return None
    try:
        return base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None


def _printable(data: bytes) -> str | None:
    """The text if ``data`` is UTF-8 without control characters (tabs and newlines allowed)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text) or "\x7f" in text:
        return None
    return text


# -- checksums ---------------------------------------------------------------------------------


@validator("bech32")
def bech32(value: str) -> bool:
    """age secret keys (AGE-SECRET-KEY-1…) are Bech32 strings with a 6-symbol checksum."""
    return bech32_ok(value)


@validator("cloudflare_crc32")
def cloudflare_crc32(value: str) -> bool:
    """Scannable Cloudflare credentials (cfut_, cfat_, cfk_) end in a checksum of the body.

    Cloudflare documents the layout as prefix, 40 characters, checksum; the checksum is the
    CRC32 of the 40 characters as 8 lowercase hex digits.
    """
    _, sep, body = value.partition("_")
    if not sep or len(body) != 48:
        return False
    return format(zlib.crc32(body[:40].encode()), "08x") == body[40:]


# -- key armour --------------------------------------------------------------------------------


def _pem_body(value: str) -> tuple[str, str]:
    """(label, base64 body) of a PEM block, with header lines such as Proc-Type removed."""
    text = value.replace("\\r", "").replace("\\n", "\n")
    begin = re.search(r"-----BEGIN ([A-Z0-9 ]+)-----", text)
    label = begin.group(1) if begin else ""
    body_lines = [line.strip() for line in _PEM_LINE.sub("\n", text).splitlines()]
    body = "".join(line for line in body_lines if line and ":" not in line)
    return label, body


@validator("pem_private_key")
def pem_private_key(value: str) -> bool:
    """The armoured body decodes to what the label promises.

    PKCS#1, SEC 1 and PKCS#8 bodies are DER, so they start with a SEQUENCE tag (0x30); an
    OpenSSH body starts with the ``openssh-key-v1`` magic; a legacy encrypted body (Proc-Type
    header) is cipher text whose length is a whole number of cipher blocks.
    """
    label, body = _pem_body(value)
    data = _b64decode(body)
    if data is None or len(data) < 48:
        return False
    if "OPENSSH" in label:
        return data.startswith(_OPENSSH_MAGIC)
    if "Proc-Type" in value and "ENCRYPTED" in value:
        return len(data) % 8 == 0
    return data[0] == 0x30


@validator("pem_base64_private_key")
def pem_base64_private_key(value: str) -> bool:
    """A base64 string (kubeconfig ``client-key-data``, a Secret value) wrapping a PEM key."""
    data = _b64decode(value)
    text = _printable(data) if data is not None else None
    return text is not None and "PRIVATE KEY-----" in text and "-----END" in text


# -- tokens with a JSON inside -----------------------------------------------------------------


def _jwt_parts(value: str) -> tuple[dict, dict] | None:
    parts = value.split(".")
    if len(parts) != 3:
        return None
    decoded = [_b64decode(part, urlsafe=True) for part in parts[:2]]
    if any(part is None for part in decoded):
        return None
    try:
        header, payload = (json.loads(part) for part in decoded)  # type: ignore[arg-type]
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(header, dict) or not isinstance(payload, dict):
        return None
    return header, payload


@validator("jwt_not_public")
def jwt_not_public(value: str) -> bool:
    """A signed JWT that is not meant to be public.

    Rejected: ``alg: none`` (unsigned, so it proves nothing), ``anon`` keys (shipped to
    browsers by design), Supabase-issued keys (service_role keys are reported by their own
    rule, the CLI's demo keys are public) and jwt.io's documentation token.
    """
    parts = _jwt_parts(value)
    if parts is None:
        return False
    header, payload = parts
    if str(header.get("alg", "")).lower() in ("", "none"):
        return False
    if payload.get("role") == "anon" or str(payload.get("iss", "")).startswith("supabase"):
        return False
    return payload != _JWT_IO_SAMPLE_PAYLOAD


@validator("supabase_service_role")
def supabase_service_role(value: str) -> bool:
    """A Supabase legacy API key whose role bypasses row-level security."""
    parts = _jwt_parts(value)
    if parts is None:
        return False
    header, payload = parts
    return payload.get("role") == "service_role" and payload.get("iss") == "supabase" \
        and str(header.get("alg", "")).lower() not in ("", "none")


@validator("cloudflare_tunnel_token")
def cloudflare_tunnel_token(value: str) -> bool:
    """A tunnel token is base64 JSON holding the account tag (a), tunnel id (t) and secret (s)."""
    data = _b64decode(value)
    if data is None:
        return False
    try:
        body = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(body, dict) and all(isinstance(body.get(k), str) and body[k]
                                          for k in ("a", "t", "s"))


# -- credential files --------------------------------------------------------------------------


@validator("base64_user_password")
def base64_user_password(value: str) -> bool:
    """Docker's ``auth`` and HTTP Basic values: base64 of ``user:password``, both non-empty."""
    data = _b64decode(value)
    text = _printable(data) if data is not None else None
    if text is None or "\n" in text:
        return False
    user, sep, password = text.partition(":")
    return bool(sep and user.strip() and password.strip())


_NOT_SECRET_MARKERS = ("-----BEGIN CERTIFICATE", "-----BEGIN PUBLIC KEY",
                       "-----BEGIN RSA PUBLIC KEY", "-----BEGIN X509 CRL", "ssh-rsa ",
                       "ssh-ed25519 ", "ecdsa-sha2-")


#: Decoded Secret values that are defaults or placeholders (postgres, changeme, password1).
_TRIVIAL_VALUE = re.compile(
    r"(?i)(?:[a-z]{0,8}[_-]?)?(?:password|passwd|pass|pwd|secret|changeme|changeit|admin|root|"
    r"test|example|postgres|mysql|redis|mongo|guest|user|username|default|demo)\d{0,4}")


@validator("k8s_secret_value")
def k8s_secret_value(value: str) -> bool:
    """A Kubernetes Secret ``data`` value: canonical base64 of something worth hiding.

    Certificates and public keys (``tls.crt``, ``ca.crt``) are not secrets; text values must
    decode to printable UTF-8 (so a label such as ``mysecret``, which happens to be valid
    base64, decodes to junk and is rejected); binary values must be long enough to be keys;
    defaults such as ``postgres`` or ``changeme`` are placeholders, not secrets.
    """
    compact = value.strip()
    if len(compact) % 4 or len(compact) < 4:
        return False
    data = _b64decode(compact)
    if not data or not data.strip():
        return False
    text = _printable(data)
    if text is None:
        return len(data) >= 16
    if _TRIVIAL_VALUE.fullmatch(text.strip()):
        return False
    return not any(marker in text for marker in _NOT_SECRET_MARKERS)
