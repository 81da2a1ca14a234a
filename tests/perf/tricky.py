"""Rules and texts that exercise every construct the Hyperscan translation handles or refuses.

The values are plainly fake (FAKE markers, repeated digits) and built here, not found anywhere.
"""

from __future__ import annotations

import random

TRICKY_RULES = r"""
rules:
  - id: t.lookaround
    pattern: '(?<![A-Za-z0-9])tok_(?=[a-z])(?P<secret>[a-z0-9]{12})(?!\w)'
  - id: t.backref
    pattern: '(?P<q>["''])(?P<secret>FAKE[A-Za-z0-9]{6,16})(?P=q)'
  - id: t.caseless-mid
    pattern: 'key(?i)ID=(?P<secret>[a-f0-9]{16})'
  - id: t.scoped-flags
    pattern: '(?i:api)_(?-i:KEY)=(?P<secret>\w{8,})'
  - id: t.unicode-caseless
    pattern: '(?i)clé\s*[:=]\s*(?P<secret>\S{6,})'
  - id: t.possessive
    pattern: 'pk_[a-z]++_(?P<secret>[0-9]{6})'
  - id: t.atomic
    pattern: '(?>sk|tk)-(?P<secret>[A-Z]{10})'
  - id: t.fuzzy
    pattern: '(?:secretword){e<=1}=(?P<secret>\d{6})'
    keywords: [secret]
  - id: t.search-anchor
    pattern: '\Gzz(?P<secret>\d{4})'
  - id: t.verbose
    pattern: "(?x) ver \\s* = \\s* (?P<secret> [0-9a-f]{10} )  # hex value"
  - id: t.properties
    pattern: 'prop:(?P<secret>\p{Lu}{3}[[:digit:]]{3})'
  - id: t.dotall
    pattern: '(?s)BEGIN(?P<secret>.{5,40}?)END'
  - id: t.escapes
    pattern: '\x41\101\u0042:(?P<secret>\d{5})'
  - id: t.anchors
    pattern: '^export\s+(?P<secret>TOKEN_[A-Z0-9]{8})$'
  - id: t.optional-edges
    pattern: '(?:^|[\s,])id=(?P<secret>[0-9]{9})(?:$|[\s,])'
  - id: t.lazy-prefix
    pattern: '(?i)[\w.-]{0,30}?(?:passphrase)\s*[:=]\s*(?P<secret>[A-Za-z0-9+/]{12,})'
    keywords: [passphrase]
  - id: t.path-scoped
    pattern: 'conf_(?P<secret>[a-z]{8})'
    paths: {include: ['*.conf']}
  - id: t.kelvin
    pattern: '(?i)kEY(?P<secret>\d{4})'
  - id: t.keyword-elsewhere
    pattern: 'Z(?P<secret>[0-9]{8})'
    keywords: [zeta]
  - id: t.negated-caseless
    pattern: '(?i)name=(?P<secret>[^k\s]{5,12})'
  - id: t.braces
    pattern: 'x{,3}y\{z\}a{2}(?P<secret>[0-9]{4})'
  - id: t.non-ascii-class
    pattern: 'm[éè]t(?P<secret>[α-ω]{3,6})'
"""

#: Fragments that match (or nearly match) the rules above, including characters that fold to
#: ASCII letters case-insensitively (KELVIN SIGN, LONG S, DOTTED CAPITAL I).
FRAGMENTS = [
    "x tok_abcdef012345 y", "tok_abcdef012345x", "Atok_abcdef012345", "tok_Abcdef012345",
    "pw='FAKEabcdef12'", 'pw="FAKEabcdef12\'', "keyID=0123456789abcdef", "keyid=0123456789abcdef",
    "KEYID=0123456789abcdef", "API_KEY=abcdefgh12", "api_key=abcdefgh12", "Api_KEY=ab",
    "CLÉ = s3cr3t!x", "clé:valeur1", "cle=valeur1", "pk_abc_123456", "pk__123456",
    "sk-ABCDEFGHIJ", "tk-ABCDEFGHIJ", "xk-ABCDEFGHIJ", "secretword=123456", "secrtword=123456",
    "secretwxrd=123456", "zz1234zz5678", "a zz1234", "ver = 0123456789", "ver=abcdefabcd",
    "prop:ABC123", "prop:ÀÉÎ123", "prop:abc123", "BEGIN\nhello\nEND", "BEGINxEND", "AAB:12345",
    "export TOKEN_ABCD1234", "  export TOKEN_ABCD1234\n", "export TOKEN_ABCD12345",
    "id=123456789,", " id=123456789", "xid=123456789 ", "my.passphrase = ABCDEFGHIJKL12",
    "PASSPHRASE:abcdefghijklmnop", "conf_abcdefgh", "KEY1234", "\u212aEY1234", "key1234",
    "Z12345678 zeta", "Z12345678", "name=abcde", "NAME=Jonas", "name=\u212aabcde",
    "xxxyz{z}aa1234", "y{z}aa1234", "mét\u03b1\u03b2\u03b3", "mèt\u03b1\u03b2", "met\u03b1\u03b2\u03b3",
    "\u017fecret \u0130d", "ſecretword=123456", "plain text without anything",
]


def texts(seed: int = 7) -> list[str]:
    """Single fragments, fragments in context, and long mixes (ASCII and not) past the size at
    which the engine searches near its hits only."""
    rng = random.Random(seed)
    found = list(FRAGMENTS)
    found += [f"line one\n{f}\nline three" for f in FRAGMENTS]
    ascii_only = [f for f in FRAGMENTS if f.isascii()]
    filler = "the quick brown fox jumps over the lazy dog; key = value # note\n"
    for mix in range(3):
        pieces = []
        for _ in range(400):
            pieces.append(filler if rng.random() < 0.8 else rng.choice(ascii_only) + "\n")
        found.append("".join(pieces))
        pieces.insert(rng.randrange(len(pieces)), rng.choice(FRAGMENTS) + "\n")
        found.append("".join(pieces) + f"é{mix}")
    return found
