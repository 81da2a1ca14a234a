"""Seal scan-cache entries so that the cache file never holds a secret in clear.

A cached match must keep its secret: findings are identified by ``HMAC(rule, path, secret)``
with a key that may change between runs, the same content can appear at another path, and
``--show-secrets`` must show it. So each entry's matches are encrypted, and every entry (with
or without matches) is authenticated, under a key kept *outside* the cache: the
``LEAKGUARD_CACHE_KEY`` environment variable (for CI, where the cache folder travels between
runs and the key lives in the CI's secret store) or a random key in the user's state folder,
created once with owner-only permissions. The cache file alone reveals no secret and cannot be
edited to hide one: an entry whose tag does not verify is treated as corruption.

Construction (standard library only): keys derived from the master key with HMAC-SHA256;
SHAKE-256(key, nonce) as the keystream, XORed with the plaintext; a keyed BLAKE2b tag over the
entry's identity, its clear part, the nonce and the ciphertext (encrypt-then-MAC).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import struct
from dataclasses import dataclass, field
from pathlib import Path

from leakguard.userdirs import user_state_dir

CACHE_KEY_ENV = "LEAKGUARD_CACHE_KEY"
KEY_FILE = "cache-key"
NONCE_SIZE = 16
TAG_SIZE = 16


class SealError(ValueError):
    """A sealed entry failed authentication: the cache was damaged or edited."""


@dataclass(frozen=True)
class CacheKey:
    """Keys derived from one master secret; ``key_id`` tells entries of different keys apart."""

    master: bytes = field(repr=False)
    _mac_key: bytes = field(init=False, repr=False, compare=False)
    _encryption_key: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_mac_key", self._derive("leakguard scan cache: authentication"))
        object.__setattr__(self, "_encryption_key", self._derive("leakguard scan cache: encryption"))

    def _derive(self, label: str) -> bytes:
        return hmac.new(self.master, label.encode(), hashlib.sha256).digest()

    @property
    def key_id(self) -> str:
        return self._derive("leakguard scan cache: key id").hex()[:16]

    def tag(self, *parts: bytes) -> bytes:
        """A MAC over the parts, framed by their lengths so that no two part lists collide."""
        lengths = struct.pack(f">{len(parts)}Q", *map(len, parts))
        return hashlib.blake2b(lengths + b"".join(parts), key=self._mac_key,
                               digest_size=TAG_SIZE).digest()

    def _keystream(self, nonce: bytes, size: int) -> bytes:
        return hashlib.shake_256(self._encryption_key + nonce).digest(size)

    def seal(self, plaintext: bytes) -> bytes:
        """nonce + ciphertext (authenticate it with ``tag`` together with its context)."""
        nonce = secrets.token_bytes(NONCE_SIZE)
        return nonce + _xor(plaintext, self._keystream(nonce, len(plaintext)))

    def open(self, sealed: bytes) -> bytes:
        nonce, ciphertext = sealed[:NONCE_SIZE], sealed[NONCE_SIZE:]
        if len(nonce) != NONCE_SIZE:
            raise SealError("sealed entry too short")
        return _xor(ciphertext, self._keystream(nonce, len(ciphertext)))


def _xor(data: bytes, stream: bytes) -> bytes:
    return (int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")).to_bytes(len(data), "big")


def load_cache_key(state_dir: Path | None = None) -> CacheKey:
    """The key from ``LEAKGUARD_CACHE_KEY``, else the user's key file (created on first use).

    Two runs creating the key at once agree on one: the file is published with an atomic link
    that fails if it exists, and the loser reads the winner's key.
    """
    configured = os.environ.get(CACHE_KEY_ENV)
    if configured:
        return CacheKey(hashlib.sha256(configured.encode()).digest())
    folder = state_dir or user_state_dir()
    path = folder / KEY_FILE
    try:
        return CacheKey(bytes.fromhex(path.read_text(encoding="ascii").strip()))
    except FileNotFoundError:
        pass
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = folder / f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as out:
            out.write(secrets.token_hex(32) + "\n")
        with contextlib.suppress(FileExistsError):  # another run published its key first
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return CacheKey(bytes.fromhex(path.read_text(encoding="ascii").strip()))
