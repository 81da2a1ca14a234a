"""Filters for values with a known non-secret shape: words, ids, digests, public keys, code, paths.

A generic rule ("a key named token holds a literal") captures whatever sits after the key; these
filters recognise the values that are public by construction. Each is strict about its shape so
that a random secret never passes for one. Imported (and so registered) by ``placeholders``.
"""

from __future__ import annotations

import base64
import binascii
import itertools

import regex

from leakguard.lazyregex import lazy_compile
from leakguard.validators.registry import false_positive_filter

_QUOTES = "'\"`"


def word_set(text: str) -> frozenset[str]:
    """A word table written as whitespace-separated words (readable in the source)."""
    return frozenset(text.split())


# -- word: natural-language words, labels and identifiers ---------------------------------------

#: The letter pairs that make up 99.5% of the pairs in the identifiers and prose of CPython's
#: standard library (computed once; 388 of 676). Random letters hit a pair outside this set
#: every few characters, words and identifiers (in English and most Latin-script languages)
#: rarely do.
_COMMON_PAIRS = word_set("""
    aa ab ac ad ae af ag ai ak al am an ap ar as at au av aw ax ay az ba bb bc bd be bf bi bj
    bl bn bo bp br bs bu by ca cc cd ce cf ch ci ck cl cm cn co cp cr cs ct cu cy da db dc dd
    de df dg di dl dm dn do dp dr ds dt du dx dy ea eb ec ed ee ef eg eh ei ek el em en eo ep
    eq er es et eu ev ew ex ey fa fc fd fe ff fi fl fn fo fr fs ft fu fy ga gc ge gg gh gi gl
    gm gn go gr gs gt gu gy ha he hi hl hm ho hr hs ht hu hy ia ib ic id ie if ig ik il im in
    io ip iq ir is it iv ix iz ja je jo js ju ka ke ki kl km kn ks ku kw la lb lc ld le lf lg
    li ll ln lo lp lr ls lt lu lv lw ly ma mb md me mi ml mm mn mo mp mr ms mt mu my na nb nc
    nd ne nf ng nh ni nk nl nm nn no np ns nt nu nv ny oa ob oc od oe of og oi oj ok ol om on
    oo op or os ot ou ov ow ox oy pa pc pd pe pf ph pi pl pm po pp pr ps pt pu py qr qu ra rb
    rc rd re rf rg rh ri rk rl rm rn ro rp rr rs rt ru rv rw ry sa sc sd se sf sg sh si sk sl
    sm sn so sp sq sr ss st su sv sw sy ta tc td te tf th ti tl tm tn to tp tr ts tt tu tw tx
    ty ua ub uc ud ue uf ug ui ul um un uo up ur us ut va ve vi vo vp wa we wh wi wl wn wo wr
    ws xa xc xe xi xm xp xt xy ya yc yd ye yg yi yl ym yn yo yp yr ys yt yw za ze zi zo
""")
_VOWELS = frozenset("aeiouy")
_SPLIT = lazy_compile(r"[\s_./:-]+")
_HUMPS = lazy_compile(r"\p{Lu}?\p{Ll}+|\p{Lu}+(?!\p{Ll})|\d+|\p{L}+")


def _rare_pairs(part: str) -> int:
    lowered = part.lower()
    return sum(1 for a, b in itertools.pairwise(lowered) if a + b not in _COMMON_PAIRS)


def looks_like_words(value: str) -> bool:
    """Made of dictionary-shaped words: ``Passwort``, ``userPasswordField``, ``MY_SECRET_NAME``.

    The value splits on separators and camelCase humps (an all-capitals value is read in lower
    case). Apart from one acronym (``API``) and one single letter (``X-API-Key``), the parts'
    letter pairs must be common ones and every part longer than three letters needs a vowel.
    Random letters fail on the pairs, or on splitting into many tiny humps.
    """
    stripped = value.strip(_QUOTES + " ")
    if stripped.isupper():
        stripped = stripped.lower()
    chunks = [_HUMPS.findall(chunk) for chunk in _SPLIT.split(stripped) if chunk]
    parts = [part for chunk in chunks for part in chunk]
    letters = "".join(_SPLIT.split(stripped))
    if not parts or "".join(parts) != letters:
        return False  # symbols other than separators: not words
    for chunk in chunks:
        for before, part, after in zip(["", *chunk[:-1]], chunk, [*chunk[1:], ""], strict=True):
            if part.isdigit() and (len(part) > 4 or (after and not (
                    after[:1].isupper() and before[-1:].islower() and len(before) >= 2))):
                return False  # password2, oauth2Token and s3Bucket are words; x7za and W5Rs are not
    rare = acronyms = singles = tiny = alpha_letters = 0
    for part in parts:
        if part.isdigit():
            continue
        alpha_letters += len(part)
        if not part.isascii():
            continue
        if len(part) == 1:
            singles += 1
        elif part.isupper():
            acronyms += 1
            if len(part) > 5:
                rare += _rare_pairs(part)
        else:
            tiny += len(part) == 2 and part[0].isupper()
            if len(part) > 3 and not _VOWELS & set(part.lower()):
                return False
            rare += _rare_pairs(part)
    if singles > 1 or acronyms > 1 or tiny > 2 or rare > max(1, alpha_letters // 8):
        return False
    if not any(part.isalpha() and len(part) >= 3 for part in parts):
        return False
    return len(letters) / len(parts) >= 2.2


@false_positive_filter("word")
def word(value: str) -> bool:
    """A word, label or identifier (i18n strings, enum names, field names), not random text."""
    return looks_like_words(value)


_UUID = lazy_compile(
    r"^[{(]?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}[)}]?$")


@false_positive_filter("uuid")
def uuid(value: str) -> bool:
    """An RFC 4122 UUID / GUID (``{...}`` braces allowed): an identifier, not a credential."""
    return bool(_UUID.match(value.strip(_QUOTES)))


_SRI = lazy_compile(r"^(?:sha1|sha256|sha384|sha512)-[A-Za-z0-9+/]{27,88}={0,2}$")
_PREFIXED_DIGEST = lazy_compile(
    r"^(?:sha1|sha224|sha256|sha384|sha512|sha3-256|md5|blake2b|blake3|xxh64|crc32c?|h1)"
    r"[:=][0-9a-fA-F+/=]{8,128}$", regex.IGNORECASE)
#: Password-hash formats: modular crypt ($2b$, $argon2id$, $6$), Django's and LDAP's.
_CRYPT = lazy_compile(
    r"^(?:\$(?:2[abxy]?|1|5|6|y|gy|7|argon2(?:id|i|d)|pbkdf2(?:-sha\d+)?|scrypt|sha1|md5|apr1)\$"
    r"|(?:pbkdf2_sha\d+|argon2|bcrypt(?:_sha256)?|scrypt)\$|\{(?:SSHA|SHA|SSHA256|SSHA512|CRYPT|MD5)\})")
_HEX_DIGEST = lazy_compile(r"^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{56}|[0-9a-f]{64}|[0-9a-f]{96}"
                            r"|[0-9a-f]{128})$|^(?:[0-9A-F]{32}|[0-9A-F]{40}|[0-9A-F]{64})$")


@false_positive_filter("hash")
def hash_value(value: str) -> bool:
    """A labelled digest or a password hash: lockfile integrity (``sha512-…``), ``sha256:…``,
    ``$2b$12$…``. A labelled digest says what it is, so this never drops a bare random token."""
    stripped = value.strip(_QUOTES)
    return bool(_SRI.match(stripped) or _PREFIXED_DIGEST.match(stripped) or _CRYPT.match(stripped))


@false_positive_filter("hex_digest")
def hex_digest(value: str) -> bool:
    """Bare hex of a digest's length (MD5, SHA-1/git, SHA-224/256/384/512) in one letter case.

    Many API tokens are hex too, so only rules whose key names a digest should use this one.
    """
    return bool(_HEX_DIGEST.match(value.strip(_QUOTES)))


_SSH_PUBLIC = lazy_compile(
    r"^(?:ssh-(?:rsa|dss|ed25519|ed448)|ecdsa-sha2-nistp\d+|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)"
    r"@openssh\.com)(?:-cert-v01@openssh\.com)?\s+AAAA[A-Za-z0-9+/]+={0,3}(?:\s.*)?$")
_PUBLIC_ARMOUR = lazy_compile(
    r"-----BEGIN (?:PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE|TRUSTED CERTIFICATE|X509 CRL"
    r"|CERTIFICATE REQUEST|NEW CERTIFICATE REQUEST|PGP PUBLIC KEY BLOCK|PGP SIGNATURE"
    r"|SSH2 PUBLIC KEY|DH PARAMETERS|EC PARAMETERS)-----")
_AGE_RECIPIENT = lazy_compile(r"^age1[02-9ac-hj-np-z]{58}$")
#: Base64 DER prefixes of SubjectPublicKeyInfo (RSA, EC P-256/384, Ed25519) and X.509 certificates.
_DER_PUBLIC_PREFIXES = ("MIIBIjANBgkqhkiG9w0BAQEFAAOC", "MIICIjANBgkqhkiG9w0BAQEFAAOC",
                        "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE", "MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAE",
                        "MCowBQYDK2VwAyEA", "MIGfMA0GCSqGSIb3DQEBAQUAA4GN")


def _ssh_blob(value: str) -> bool:
    """A bare base64 OpenSSH public-key blob: it decodes to a length-prefixed ``ssh-…`` name."""
    if not value.startswith("AAAA") or len(value) < 60:
        return False
    try:
        head = base64.b64decode(value[:24] + "=" * (-len(value[:24]) % 4))
    except (binascii.Error, ValueError):
        return False
    size = int.from_bytes(head[:4], "big")
    name = head[4:4 + size]
    return 7 <= size <= 40 and (name.startswith((b"ssh-", b"ecdsa-", b"sk-")))


@false_positive_filter("public_key")
def public_key(value: str) -> bool:
    """Public half of a key pair: SSH ``authorized_keys`` lines, PEM public keys and certificates,
    PGP public blocks, age recipients, base64 SubjectPublicKeyInfo."""
    stripped = value.strip(_QUOTES + " \n")
    if _SSH_PUBLIC.match(stripped) or _PUBLIC_ARMOUR.search(stripped):
        return True
    if _AGE_RECIPIENT.match(stripped) or _ssh_blob(stripped):
        return True
    return stripped.startswith(_DER_PUBLIC_PREFIXES)


# -- identifier: code, types, numbers and versions ---------------------------------------------

_TYPE_NAMES = word_set("""
    str string bool boolean int integer long number float double decimal bytes byte[] char[]
    []byte secretstr secretbytes securestring object any unknown text varchar char email url uri
    void nullable optional[str] str|none string|null string|undefined option<string> &str
    password input hidden required
""")
_CALL = lazy_compile(r"^(?:new\s+|await\s+)?[A-Za-z_$][\w$]*(?:(?:\.|::|->)[A-Za-z_$][\w$]*|\[[^\]]*\])*"
                      r"\s*\(.*\)[;,)]*$")
_OPEN_CALL = lazy_compile(r"^[A-Za-z_$][\w$.]*\($")  # a call cut at its parenthesis: SecretStr(
_SUBSCRIPT = lazy_compile(r"^[A-Za-z_$@][\w$.]*(?:\[[^\]]+\]|\.[A-Za-z_$][\w$]*)*\[[^\]]+\][;,)]*$")
_DOTTED = lazy_compile(r"^[@$]?[A-Za-z_][\w$]*(?:(?:\.|::|->|\?\.)[A-Za-z_$][\w$]*)+[;,)]*$")
_NUMBER = lazy_compile(r"^[+-]?(?:\d{1,12}(?:\.\d+)?|0x[0-9a-fA-F]{1,8})[;,]?$")
_VERSION = lazy_compile(r"^(?:[~^<>=!]=?|v|~>\s?)?\d+(?:\.(?:\d+|x|\*))+(?:[-+][\w.]+)?$")
_SYMBOL = lazy_compile(r"^:[A-Za-z_]\w*$")


@false_positive_filter("identifier")
def identifier(value: str) -> bool:
    """Code, not a literal: ``get_password()``, ``request.form['password']``, ``self.password``,
    ``str``, ``SecureString``, ``:password``, numbers and version ranges."""
    stripped = value.strip(_QUOTES + " ")
    compact = stripped.replace(" ", "").lower()
    if compact.rstrip(";,") in _TYPE_NAMES:
        return True
    if _NUMBER.match(stripped) or _VERSION.match(stripped) or _SYMBOL.match(stripped):
        return True
    if _CALL.match(stripped) or _OPEN_CALL.match(stripped) or _SUBSCRIPT.match(stripped):
        return True
    if _DOTTED.match(stripped):
        parts = regex.split(r"\.|::|->|\?\.", stripped.lstrip("@$").rstrip(";,)"))
        return all(looks_like_words(part) or (part.isalpha() and len(part) <= 3)
                   or part.lower() in ("self", "this", "env") for part in parts)
    return False


# -- path_or_url: where a secret is kept, not the secret ---------------------------------------

_URL = lazy_compile(r"^[A-Za-z][A-Za-z0-9+.-]*://([^/@\s]*@)?[^\s]*$")
_PATH_START = lazy_compile(r"^(?:/|\./|\.\./|~/|\$HOME/|%\w+%\\|[A-Za-z]:[\\/]|\\\\)")
_FILE_EXT = lazy_compile(
    r"\.(?:pem|key|crt|cer|der|p12|pfx|jks|keystore|pub|txt|json|ya?ml|env|ini|conf|cfg|toml|xml"
    r"|properties|gpg|asc|age|enc|secret|secrets|token|pass|pw|kdbx|sh|py|js)$", regex.IGNORECASE)


@false_positive_filter("path_or_url")
def path_or_url(value: str) -> bool:
    """A file path (``/run/secrets/db_password``, ``./certs/key.pem``) or a URL without
    credentials (``https://auth.example.test/oauth/token``)."""
    stripped = value.strip(_QUOTES + " ")
    url = _URL.match(stripped)
    if url:
        userinfo = url.group(1) or ""
        return ":" not in userinfo  # user:password@ is a credential, not an address
    segments = [s for s in regex.split(r"[\\/]", stripped) if s not in ("", ".", "..", "~")]
    if not segments or (not _PATH_START.match(stripped) and (len(segments) < 2 or not
                                                              _FILE_EXT.search(stripped))):
        return False
    if regex.match(r"^[A-Za-z]:$", segments[0]):
        segments = segments[1:]  # a drive letter
    named = [_FILE_EXT.sub("", s).lstrip(".$%") for s in segments]
    return all(not s or looks_like_words(s) or s.isdigit() for s in named)


_PUBLISHABLE = lazy_compile(
    r"^(?:pk_(?:live|test)_[A-Za-z0-9]{16,}"  # Stripe publishable keys
    r"|pk\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"  # Mapbox public tokens
    r"|phc_[A-Za-z0-9]{30,})$"  # PostHog project API keys
)


@false_positive_filter("publishable")
def publishable(value: str) -> bool:
    """Client-side keys that providers publish as public by design: assigning one to a variable
    named "key" or "token" is not a leak, and the provider packs leave them out on purpose."""
    return bool(_PUBLISHABLE.match(value))
