"""How a secret is shown when it must not be shown: enough to recognise it, not to use it."""

from __future__ import annotations

MASK = "*****"


def redact(secret: str) -> str:
    """A short prefix (none for short secrets) and a fixed mask that does not reveal the length.

    Long random tokens keep their first 4 characters, which usually are the provider prefix
    (``AKIA``, ``ghp_``) and say what to rotate; secrets under 12 characters keep nothing, since
    a human-chosen password loses too much to any prefix.
    """
    secret = secret.strip()
    if len(secret) >= 20:
        keep = 4
    elif len(secret) >= 12:
        keep = 2
    else:
        keep = 0
    first_line = secret[:keep].split("\n", 1)[0]
    return f"{first_line}{MASK}"
