"""The shapes of files secrets leak in, filled with generated values.

Each builder returns the text of one realistic file (a Jupyter notebook, a Kubernetes Secret,
an Actions workflow, …) so the recall modules state only what is special about a case.
"""

from __future__ import annotations

import json
import random
import zlib

from tests.corpus.recall.gen import b64, rand

BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
HEX = "0123456789abcdef"


def notebook(*code: str, markdown: str = "# Exploration") -> str:
    """A Jupyter notebook whose code cell holds ``code`` (JSON-escaped as Jupyter writes it)."""
    source = "\n".join(code).splitlines(keepends=True)
    document = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": [markdown]},
            {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
             "source": source},
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                    "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5,
    }
    return json.dumps(document, indent=1) + "\n"


def k8s_secret(name: str, data: dict[str, str], namespace: str = "prod") -> str:
    """A Secret manifest with ``data`` base64-encoded, as kubectl writes it."""
    lines = "".join(f"  {key}: {b64(value)}\n" for key, value in data.items())
    return (f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\n  namespace: {namespace}\n"
            f"type: Opaque\ndata:\n{lines}")


def workflow(env: dict[str, str], run: str = "make deploy") -> str:
    """A GitHub Actions workflow with a literal env block (the mistake being tested)."""
    env_lines = "".join(f"      {key}: {value}\n" for key, value in env.items())
    return ("name: deploy\non:\n  push:\n    branches: [main]\njobs:\n  deploy:\n"
            "    runs-on: ubuntu-latest\n    env:\n" + env_lines
            + "    steps:\n      - uses: actions/checkout@v4\n"
            + f"      - run: {run}\n")


def dotenv(**values: str) -> str:
    return "".join(f"{key}={value}\n" for key, value in values.items())


def uuid4(seed: object) -> str:
    h = rand(HEX, 32, ("uuid", seed))
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-8{h[17:20]}-{h[20:]}"


def cloudflare_token(prefix: str, seed: object) -> str:
    body = rand("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 40, seed)
    return f"{prefix}{body}{zlib.crc32(body.encode()):08x}"


def age_secret_key(seed: object) -> str:
    """A Bech32-valid age identity (the checksum computed as BIP-173 specifies)."""
    generators = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)

    def polymod(values: list[int]) -> int:
        chk = 1
        for value in values:
            top = chk >> 25
            chk = (chk & 0x1FFFFFF) << 5 ^ value
            for i, gen in enumerate(generators):
                chk ^= gen if (top >> i) & 1 else 0
        return chk

    hrp = "age-secret-key-"
    data = [BECH32.index(c) for c in rand(BECH32, 52, ("age", seed))]
    expand = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    mod = polymod(expand + data + [0] * 6) ^ 1
    data += [(mod >> 5 * (5 - i)) & 31 for i in range(6)]
    return (hrp + "1" + "".join(BECH32[d] for d in data)).upper()


def der_body(seed: object, size: int = 600) -> bytes:
    """Bytes shaped like a DER structure (SEQUENCE tag and long-form length), random inside."""
    rng = random.Random(f"leakguard-recall:der:{seed}")
    inner = bytes(rng.randrange(256) for _ in range(size))
    return b"\x30\x82" + len(inner).to_bytes(2, "big") + inner


def pem(label: str, data: bytes, headers: str = "", width: int = 64) -> str:
    body = b64(data)
    lines = "\n".join(body[i:i + width] for i in range(0, len(body), width))
    return f"-----BEGIN {label}-----\n{headers}{lines}\n-----END {label}-----"
