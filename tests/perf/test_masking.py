"""Masking other secrets in a snippet through the prefix index gives exactly what comparing the
snippet with every secret of its file gave, including overlapping secrets and masks that could
complete another secret."""

from __future__ import annotations

import random

from leakguard.findings import _mask_others, _SecretIndex
from leakguard.redact import redact


def _compare_all(snippet: str, own: str, secrets: set[str]) -> str:
    """The former implementation: every secret of the file against every snippet."""
    for other in secrets:
        if other != own and other in snippet:
            snippet = snippet.replace(other, redact(other))
    return snippet


def test_the_index_masks_exactly_like_comparing_every_secret() -> None:
    rng = random.Random(11)
    alphabet = "ab*c=_ "
    compared = 0
    for _ in range(3000):
        secrets = {"".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 16)))
                   for _ in range(rng.randrange(1, 12))}
        pool = sorted(secrets)
        snippet = "".join(rng.choice([*pool, "x", "=", " ", "abcdefghijklmnop"])
                          for _ in range(rng.randrange(1, 10)))
        own = rng.choice(pool)
        index = _SecretIndex(secrets)
        assert _mask_others(snippet, own, index) == _compare_all(snippet, own, secrets), \
            (snippet, own, secrets)
        compared += snippet != _compare_all(snippet, own, secrets)
    assert compared > 500


def test_thousands_of_secrets_in_one_file_are_masked_quickly() -> None:
    secrets = {f"person{n}@fakecorp.io" for n in range(5000)}
    index = _SecretIndex(secrets)
    snippet = "to: person17@fakecorp.io, person4242@fakecorp.io; cc: nobody"
    masked = _mask_others(snippet, "person17@fakecorp.io", index)
    assert masked == "to: person17@fakecorp.io, pers*****; cc: nobody"
