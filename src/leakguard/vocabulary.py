"""What a policy tells the scanner about its organisation: codenames, customers, internal names.

Kept apart from ``policy.py`` (which parses files) and ``rules/policy_rules.py`` (which turns
these values into rules) so both can depend on it without depending on each other.

Hashed dictionary entries
-------------------------
A name may be listed as ``{sha256: <hex>}`` instead of in clear, so the policy file itself
leaks nothing. The digest is::

    sha256((salt + normalise(name)).encode("utf-8")).hexdigest()

where ``salt`` is the policy's ``salt:`` string and ``normalise`` lower-cases the name and
collapses runs of whitespace to one space (``"Blue  Heron"`` -> ``"blue heron"``).
``leakguard policy hash NAME`` prints ready-made entries.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from leakguard.model import Level

#: Names shorter than this match too much text to be useful (and hash too easily).
MIN_NAME_LENGTH = 3
MAX_NAME_LENGTH = 100
#: Hashed multi-word names are matched as runs of up to this many words.
MAX_HASHED_WORDS = 6
DEFAULT_DICTIONARY_LEVEL = Level.CONFIDENTIAL


def normalise_name(name: str) -> str:
    """Lower-case, single-spaced: the form both matching and hashing use."""
    return " ".join(name.lower().split())


def name_digest(salt: str, name: str) -> str:
    """The hex SHA-256 of salt + normalised name (the ``sha256:`` value of a hashed entry)."""
    return hashlib.sha256((salt + normalise_name(name)).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class DictionaryEntry:
    """One codename or customer: a name in clear or a salted digest of one, and its level.

    ``words`` is how many words a hashed name has (a digest cannot say); plain names know it.
    """

    level: Level
    name: str | None = None
    sha256: str | None = None
    words: int = 1
    line: int | None = None

    @property
    def hashed(self) -> bool:
        return self.sha256 is not None


@dataclass(frozen=True)
class Vocabulary:
    """The organisation-specific terms a policy declares, with where it declared them."""

    codenames: tuple[DictionaryEntry, ...] = ()
    customers: tuple[DictionaryEntry, ...] = ()
    salt: str | None = None
    internal_domains: tuple[str, ...] = ()
    internal_networks: tuple[str, ...] = ()
    source: str | None = None
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)

    @property
    def empty(self) -> bool:
        return not (self.codenames or self.customers or self.internal_domains
                    or self.internal_networks)
