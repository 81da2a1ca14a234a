"""Values that look like secrets but are not: placeholders, templates, references and code.

Every filter answers one question about the extracted value alone ("is this a placeholder?",
"is this a reference to a secret kept elsewhere?"), so rules combine them by name. They err on the
side of recall: each looks for a positive sign of a non-secret (a marker word, a template
delimiter, a call), never merely for the absence of randomness, which is the entropy gate's job.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from functools import cache
from importlib import resources

import regex

from leakguard.lazyregex import lazy_compile
from leakguard.validators import shapes  # noqa: F401  (registers the shape filters)
from leakguard.validators.registry import false_positive_filter
from leakguard.validators.shapes import word_set

_QUOTES = "'\"`"

# -- template: references to a value kept elsewhere --------------------------------------------

_TEMPLATE_WHOLE = lazy_compile(
    r"""^(?:
        \$\{[^}]*\}                      # ${VAR} (fallbacks are handled before)
      | \$\([^)]*\)                      # $(command)
      | \$[A-Za-z_][A-Za-z0-9_]*         # $VAR
      | %\([^)]*\)[sdr]                  # %(name)s
      | %[A-Za-z_][A-Za-z0-9_]*%         # %VAR% (Windows)
      | @[A-Za-z_][\w.-]*@               # @token@ (Maven and Ant filtering)
      | __[A-Za-z0-9_]+__                # __TOKEN__ (release pipelines)
      | \{[A-Za-z_][\w.\[\]-]*\}         # {name} (format strings)
      | \{\d+\}                          # {0}
      | \{[A-Za-z0-9+/]{8,}={0,2}\}       # {base64=}: Maven's encrypted settings.xml password
      | :[A-Za-z_]\w*                    # :name (SQL binds, route params)
      | %[sdv]                           # printf
      | `[^`]*`                          # `command`
    )$""",
    regex.VERBOSE,
)
#: Delimiters that make any value a template, wherever they occur in it.
_TEMPLATE_ANYWHERE = ("${", "{{", "}}", "<%", "%>", "{%", "%}", "#{", "$(", "[[", "]]")
#: Environment, secret-store and configuration look-ups in any language.
_LOOKUP = lazy_compile(
    r"""(?ix)
      \bos\.environ\b | \bgetenv\b | \bprocess\.env\b | \bimport\.meta\.env\b | \bDeno\.env\b
    | \bENV\s*[\[.] | \$env: | \bSystem\.getenv\b | \bGetEnvironmentVariable\b | \benv\(
    | \bsecrets\.[A-Za-z_] | \bvault\( | \blookup\( | ^!(?:Ref|Sub|GetAtt|ImportValue|vault)\b
    | \bresolve:(?:secretsmanager|ssm) | ^arn:aws[\w-]*:(?:secretsmanager|ssm|kms): | ^ref\+
    | ^(?:vault|secret|secrets|akv|gsm|keyvault|op|azurekeyvault|sops)://
    | ^projects/[^/]+/secrets/ | ^keyvaultref: | @Microsoft\.KeyVault\(
    """,
)


#: ``${NAME:-default}`` (shell, compose) and ``${name:default}`` (Spring): the default is a literal.
_DEFAULTED = lazy_compile(r"^\$\{[A-Za-z_][\w.-]*(?::-|:=|-|=|:(?![?+]))(?P<default>.*)\}$")
#: ``${env:NAME}``, ``${ssm:/path}``, ``${self:custom.x}``: resolvers (Serverless, VS Code), not defaults.
_RESOLVER = lazy_compile(r"^\$\{(?:env|ssm|self|opt|sls|aws|cf|s3|file|secrets?|vault|param|sm|git"
                          r"|config|input|workspaceFolder):")
_ENV_NAME = lazy_compile(r"^[A-Z_][A-Z0-9_]*$")


@false_positive_filter("template")
def template(value: str) -> bool:
    """A template expression, variable reference or secret-store reference, not a literal.

    A reference with a literal fallback (``${DB_PASSWORD:-s3cr3t}``) is not dropped: the
    fallback is committed, and the other filters judge it.
    """
    if len(value) > 2 and value[0] == value[-1] == "`":
        return True  # `command`
    stripped = value.strip(_QUOTES + " ")
    defaulted = _DEFAULTED.match(stripped)
    if defaulted and not _RESOLVER.match(stripped):
        fallback = defaulted.group("default").strip(_QUOTES)
        return not fallback or template(fallback) or bool(_ENV_NAME.match(fallback))
    if regex.match(r"^\$[A-Za-z_{(]", stripped):
        return True  # $VAR/suffix, ${A}${B}, $(command)
    if _TEMPLATE_WHOLE.match(stripped):
        return True
    if any(mark in stripped for mark in _TEMPLATE_ANYWHERE):
        return True
    return bool(_LOOKUP.search(stripped))


# -- placeholder: documentation stand-ins, masks, trivial strings -------------------------------

#: Whole values (compared lowercase) that stand for "nothing here".
_NULLISH = word_set("""
    null none nil undefined true false yes no on off empty blank unset unknown n/a na tbd todo
    fixme default disabled enabled required optional hidden masked value string text secret
    password passwd pass token key apikey api_key changeme changeit - -- ? xxx
""")
#: Substrings that mark a stand-in wherever they occur (long enough not to occur by chance).
_MARKERS = (
    "changeme", "change_me", "change-me", "changethis", "change_this", "change-this",
    "replaceme", "replace_me", "replace-me", "replace_with", "replace-with", "placeholder",
    "example", "sample", "dummy", "redacted", "notasecret", "not_a_secret", "not-a-secret",
    "not_real", "not-real", "notarealkey", "not real", "not a real", "not my real", "not-a-real",
    "not_a_real", "insertyour", "enteryour", "lorem", "ipsum",
    "yourapikey", "yourtoken", "yoursecret", "yourpassword", "yourkey",
)
#: Words that mark a stand-in when they are a whole part of the value (``your-api-key-here``).
_MARKER_PARTS = word_set("""
    your yours here todo tbd fixme xxx xxxx placeholder redacted replace insert paste goes
    dummy sample example
""")
_MASK = lazy_compile(r"\*{3,}|[xX]{4,}|•{2,}|#{4,}|\.{3}|…|_{4,}|-{4,}")
_WRAPPED = lazy_compile(r"^(?:<[^<>]+>|\[[A-Za-z _-]+\]|\([A-Za-z _-]+\))$")
_PARTS = lazy_compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiop", "asdfghjkl", "zxcvbnm",
    "1qaz2wsx3edc4rfv5tgb", "0123456789abcdef",
)


def _parts(value: str) -> list[str]:
    """Split on separators and camelCase humps: ``yourApiKey_here`` -> your, api, key, here."""
    return [part.lower() for part in _PARTS.findall(value)]


def _sequential_cover(lowered: str) -> int:
    """How many characters sit in runs of 3+ that follow the alphabet, digits or a keyboard row."""
    covered = [False] * len(lowered)
    forward = _SEQUENCES + tuple(s[::-1] for s in _SEQUENCES)
    for sequence in forward:
        start = 0
        while start < len(lowered) - 2:
            end = start + 1
            while end < len(lowered):
                pos = sequence.find(lowered[end - 1])
                if pos < 0 or pos + 1 >= len(sequence) or sequence[pos + 1] != lowered[end]:
                    break
                end += 1
            if end - start >= 3:
                covered[start:end] = [True] * (end - start)
            start = max(end, start + 1) if end - start >= 3 else start + 1
    return sum(covered)


_HOME_ROW = frozenset("asdfghjkl")


def keyboard_mash(value: str) -> bool:
    """Letters typed along the home row (``askfjh234as9sd8``): hand-made sample values in docs.

    Hex is left alone: a, d and f are hex digits, so random hex is half home row.
    """
    letters = [ch for ch in value.lower() if ch.isalpha()]
    if len(letters) < 8 or all(ch in "0123456789abcdef" for ch in value.lower()):
        return False
    return sum(ch in _HOME_ROW for ch in letters) >= 0.8 * len(letters)


def repeated_or_sequential(value: str) -> bool:
    """``aaaa``, ``abab``, ``abcabc``, ``12345678``, ``qwerty123``, ``0000-0000``."""
    core = "".join(ch for ch in value.lower() if ch.isalnum())
    if not core:
        return True
    distinct = len(set(core))
    if distinct <= 2 or (len(core) >= 16 and distinct <= 3):
        return True
    for unit in range(1, len(core) // 2 + 1):
        if len(core) % unit == 0 and core[:unit] * (len(core) // unit) == core:
            return True
    return _sequential_cover(core) >= max(6, int(len(core) * 0.7))


@cache
def _example_digests() -> frozenset[str]:
    """SHA-256 digests of documented example values (kept hashed so this file scans clean)."""
    text = (resources.files("leakguard.validators") / "example_values.txt").read_text("utf-8")
    digests = set()
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            digests.add(line.split()[0].lower())
    return frozenset(digests)


@false_positive_filter("example_value")
def example_value(value: str) -> bool:
    """A value a vendor publishes in its documentation (AWS's ...EXAMPLE keys, jwt.io's token)."""
    digest = hashlib.sha256(value.strip(_QUOTES).encode("utf-8", "surrogatepass")).hexdigest()
    return digest in _example_digests()


@false_positive_filter("placeholder")
def placeholder(value: str) -> bool:
    """A stand-in: ``changeme``, ``<your-key>``, ``xxxx``, ``****``, ``...``, ``null``, ``abc123``,
    ``asdfjkl123`` (home-row mash), or a value vendors publish as an example."""
    stripped = value.strip(_QUOTES + " ")
    lowered = stripped.lower()
    if not stripped or lowered in _NULLISH:
        return True
    if any(marker in lowered for marker in _MARKERS) or _MASK.search(stripped):
        return True
    if _WRAPPED.match(stripped) or any(part in _MARKER_PARTS for part in _parts(stripped)):
        return True
    return repeated_or_sequential(stripped) or keyboard_mash(stripped) or example_value(stripped)


# -- dummy: values made of stock words (test fixtures, default credentials) --------------------

_DUMMY_WORDS = word_set("""
    password passwd passw pass pwd secret secrets token key apikey api admin administrator root user
    username guest test tests testing tester demo example sample dummy default changeme changeit
    letmein welcome qwerty asdf foo bar baz qux quux hello world abc xyz my your our dev devel
    development local localhost app application db database mysql postgres postgresql pg redis
    mongo mongodb rabbit rabbitmq minio elastic kibana oracle sa super top very private insecure
    unsafe fake mock stub fixture temp tmp none null new old one two master pw auth login access
    client server service system sys web site mail smtp ftp jenkins docker keycloak grafana
    sonar nexus harbor airflow superset vault consul secure strong simple easy ci prod
    geheim passwort kennwort parole secreto contrasena clave motdepasse senha segreto sekret
    haslo wachtwoord salasana
""")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a",
                       "$": "s"})
_DECORATION = lazy_compile(r"^[\W\d_]+|[\W\d_]+$")


def _segments_into_words(letters: str) -> bool:
    """True when ``letters`` is a concatenation of stock words (word-break dynamic programme)."""
    if len(letters) < 3:
        return False
    reachable = [True] + [False] * len(letters)
    for end in range(1, len(letters) + 1):
        for start in range(max(0, end - 13), end):
            if reachable[start] and letters[start:end] in _DUMMY_WORDS:
                reachable[end] = True
                break
    return reachable[-1]


def _decoded_text(value: str) -> str | None:
    """The text a short base64 value decodes to (Kubernetes Secret data), if it is printable."""
    if len(value) < 8 or len(value) % 4 or len(value) > 96:
        return None
    try:
        decoded = base64.b64decode(value, validate=True).decode("ascii")
    except (binascii.Error, ValueError):
        return None
    return decoded if decoded.isprintable() else None


def _is_dummy(value: str) -> bool:
    letters = "".join(ch for ch in value.lower() if ch.isalpha())
    residue = len(value) - len(letters)
    if residue > 6 and not repeated_or_sequential("".join(c for c in value if not c.isalpha())):
        return False
    interior = _DECORATION.sub("", value.lower())  # P@ssw0rd! -> p@ssw0rd, 2024admin1 -> admin
    leet = "".join(ch for ch in interior.translate(_LEET) if ch.isalpha())
    return _segments_into_words(letters) or _segments_into_words(leet)


@false_positive_filter("dummy")
def dummy(value: str) -> bool:
    """Only stock words plus a few digits: ``password``, ``admin123``, ``P@ssw0rd!``, ``test_secret``.

    A value that is base64 of such a string (Kubernetes Secret data) counts too.
    """
    stripped = value.strip(_QUOTES + " ")
    if _is_dummy(stripped):
        return True
    decoded = _decoded_text(stripped)
    return decoded is not None and (_is_dummy(decoded) or placeholder(decoded))
