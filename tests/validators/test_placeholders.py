"""Every shared false-positive filter, on values it must drop and real-looking values it must keep.

The "keep" side matters as much as the "drop" side: a filter that is too eager silently kills
recall, so each one is also run over generated random secrets of several alphabets.
"""

from __future__ import annotations

import pytest

from leakguard.validators import FILTERS
from tests.corpus.recall.gen import ALNUM, B64, HEX, rand

#: Values shaped like real secrets (fake, but random where a secret is random).
REALISTIC = [
    "Tr0ub4dor&3-fake", "q8Zr2fakeLp0Vx7Y", "k3Jx9-fq2Lz", "Xk9#mPq2vL7zR4", "Qm7x-FAKE-2Lpz9",
    "Q3fake/FAKE+secret0Key0For0Leakguard0T3s", "django-insecure-8f#k2m!x9q", "test_4f9a8b7c6d5e",
    "base64:eDVtNTVyOVA5NVlzekM2WFNRN2RtTWhQRlNZNWJHYno=", "hvs-FAKE-q8Zr2Lp0Vx7YtN3w",
]


def _random_values() -> list[str]:
    values = []
    for index in range(60):
        values.append(rand(ALNUM, 20 + index % 20, ("filters-alnum", index)))
        values.append(rand(ALNUM + "-_", 16 + index % 8, ("filters-pw", index)))
        values.append(rand(B64, 40, ("filters-b64", index)))
    return values


# Values each filter must recognise, and near misses it must leave alone.
CASES = {
    "template": (
        ["${DB_PASSWORD}", "${DB_PASSWORD:-}", "${DB_PASSWORD:-$FALLBACK}", "${DB_PASSWORD:?required}",
         "${env:STOREFRONT_TOKEN}", "${ssm:/shop/db-password}", "${jwt.secret:JWT_SECRET}", "$DB_PASSWORD",
         "$(cat /run/secrets/pw)",
         "{{ vault_password }}", "{{ .Values.db.password }}", "${{ secrets.TOKEN }}", "%(password)s",
         "<%= ENV['DB_PASSWORD'] %>", "#{api_key}", "%APPDATA%", "@db.password@", "__API_TOKEN__",
         "{password}", "{COQLCE6DU6GtcS5P=}",
         "os.environ['X']", 'os.getenv("X")', "process.env.API_KEY", "ENV['TOKEN']",
         "ENV.fetch('TOKEN')", "System.getenv(\"PW\")", "$env:API_KEY", "env('DB_PASSWORD')",
         "prefix-${SUFFIX}", "`cat token.txt`", "!Ref DbPassword",
         "{{resolve:secretsmanager:prod/db:SecretString:password}}",
         "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db", "vault://secret/data/app#token",
         "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/x/)", ":password"],
        ["Pa$$w0rd-FAKE-x9", "k3Jx9-fq2Lz", "q8Zr2fakeLp0Vx7Y", "a{b}c-FAKE-9x",
         "${DB_PASSWORD:-Xk9-FAKE-q2Lm}", "${jwt.secret:Zq8x-FAKE-Vm3K}"],
    ),
    "placeholder": (
        ["changeme", "<your-key>", "your_api_key_here", "YOUR_API_KEY", "xxxxxxxxxxxx",
         "sk_live_xxxxxxxxxxxx", "****", "sk-...", "…", "REPLACE_ME", "TODO", "tbd", "null", "None",
         "true", "false", "",
         "aaaaaaaa", "abababab", "12345678", "abcdef123456", "qwerty123", "0123456789abcdef",
         "00000000-0000-0000-0000-000000000000", "AKIAIOSFODNN7EXAMPLE", "<paste-token-here>",
         "insert-your-token", "api-key-goes-here", "[REDACTED]", "my_sample_value",
         "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "not-a-secret", "askfjh234as9sd8", "kjfch2345sdf",
         "not my real password"],
        REALISTIC,
    ),
    "example_value": (
        ["AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
         "sk_test_4eC39HqLyjWDarjtT1zdp7dc", "QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
         "3fa85f64-5717-4562-b3fc-2c963f66afa6", "2YotnFZFEjr1zCsicMWpAA", "nnch734d00sl2jdk",
         "czZCaGRSa3F0MzpnWDFmQmF0M2JW",
         "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0"
         "IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"],
        ["AKIAIOSFODNN7EXAMPLF", "sk_test_4eC39HqLyjWDarjtT1zdp7dd", *REALISTIC],
    ),
    "dummy": (
        ["password", "Password1", "password123", "admin123", "P@ssw0rd!", "S3cr3tP4ss", "rootpassword",
         "minioadmin", "test-token-123", "my-secret-key", "changeit", "letmein", "foobar",
         "supersecret", "test_api_key", "cGFzc3dvcmQ=", "bm90IG15IHJlYWwgcGFzc3dvcmQ=", "Y2hhbmdlbWU=",
         "dev_db_pass", "guest", "geheim$parole"],
        ["prod_83749182734918273", "Summer-Breeze-82x", "admin8f3k2j9x7q", *REALISTIC],
    ),
    "word": (
        ["Passwort", "Geheimnis", "Contraseña", "Пароль", "userPasswordField", "X-API-Key",
         "MY_SECRET_NAME", "access_token", "db-credentials", "correct-horse-battery-staple",
         "PasswordHasher", "oauth2Token", "kubernetes", "Bearer", "IDENTIFIER"],
        ["xKqPzRwTmB", "kQeWuRiT", "NahjsePbjyorgOXSAY", "APYADavLpw5Xa7zaBa", "Xa7za", *REALISTIC],
    ),
    "identifier": (
        ["get_password()", "getpass.getpass()", "secrets.token_hex(32)", "request.form['password']",
         "params[:password]", "self.password", "this.token", "user.password,", "config.db.password",
         "str", "string", "Optional[str]", "SecureString", "char[]", ":password", "42", "3600",
         "1.2.3", "^4.0.0", "~> 2.0", "new Map()", "hash(password)", "SecretStr("],
        ["eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ", "abc.d9Qx7.zz",
         "1234567890123456789", *REALISTIC],
    ),
    "path_or_url": (
        ["/run/secrets/db_password", "./certs/server.key", "../keys/deploy.pem", "~/.ssh/id_rsa",
         "C:\\secrets\\token.txt", "secrets/db_password.txt", "config/credentials.json",
         "https://auth.example.com/oauth/token", "file:/run/secrets/app.json", "s3://bucket/keys/a.pem"],
        ["https://user:Qm7x-FAKE@db.example.com/app", "/K7MDENG/bPxRfiCY8xQz", "Q3fake/FAKE+secret0Key0",
         *REALISTIC],
    ),
    "uuid": (
        ["3fa85f64-5717-4562-b3fc-2c963f66afa6", "{0B9C2D4E-6F10-4A8B-9C3D-5E7F9A1B2C3D}"],
        ["3fa85f64571745629b3fc2c963f66afa6", "3fa85f64-5717-4562-b3fc-2c963f66afa6-extra", *REALISTIC],
    ),
    "hash": (
        ["sha512-" + "A" * 86 + "==", "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
         "sha256:" + "ab" * 32, "md5:" + "0f" * 16,
         "$2b$12$KIXQJ1rP0yB8w1sL6Zb9e.Wq4m2VdQy7pXc5r8TzH3nFjU0aLkS6u",
         "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$4fXv", "pbkdf2_sha256$600000$salt$hash=",
         "{SSHA}x9FAKEbase64"],
        ["e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "sha512", *REALISTIC],
    ),
    "hex_digest": (
        ["e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
         "da39a3ee5e6b4b0d3255bfef95601890afd80709", "D41D8CD98F00B204E9800998ECF8427E"],
        ["e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85",
         "Da39a3ee5e6b4b0d3255bfef95601890afd80709", *REALISTIC],
    ),
    "public_key": (
        ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFAKEkeyFAKEkeyFAKEkeyFAKEkeyFAKEkey0000 ci@runner",
         "AAAAC3NzaC1lZDI1NTE5AAAAIFAKEkeyFAKEkeyFAKEkeyFAKEkeyFAKEkey0000",
         "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----",
         "-----BEGIN CERTIFICATE-----", "-----BEGIN PGP PUBLIC KEY BLOCK-----",
         "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA0FAKE",
         "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"],
        ["-----BEGIN RSA PRIVATE KEY-----", "AAAAB3NzaC1yc2", "AGE-SECRET-KEY-1QQQQ", *REALISTIC],
    ),
}


def _params(positive: bool):
    for name, (drops, keeps) in CASES.items():
        for value in drops if positive else keeps:
            yield pytest.param(name, value, id=f"{name}:{value[:40]}")


@pytest.mark.parametrize(("name", "value"), list(_params(True)))
def test_filter_drops(name: str, value: str) -> None:
    assert FILTERS[name](value) is True


@pytest.mark.parametrize(("name", "value"), list(_params(False)))
def test_filter_keeps(name: str, value: str) -> None:
    assert FILTERS[name](value) is False


def test_every_shared_filter_is_tested() -> None:
    """The shared filters (placeholders.py, shapes.py) are all covered here; provider and
    identity modules test their own filters beside their validators."""
    shared = {name for name, func in FILTERS.items()
              if func.__module__ in ("leakguard.validators.placeholders",
                                     "leakguard.validators.shapes")}
    assert shared - {"publishable"} == set(CASES)


@pytest.mark.parametrize("name", ["template", "placeholder", "dummy", "identifier", "path_or_url",
                                  "uuid", "hash", "public_key", "example_value"])
def test_filters_keep_random_secrets(name: str) -> None:
    dropped = [v for v in _random_values() if FILTERS[name](v)]
    assert dropped == []


def test_word_filter_rarely_takes_random_letters() -> None:
    # Letters-only random strings sometimes look like words; the rate must stay small.
    import string
    samples = [rand(string.ascii_letters, 16, ("word-rate", i)) for i in range(2000)]
    assert sum(FILTERS["word"](v) for v in samples) / len(samples) < 0.05
    digits_mixed = [rand(ALNUM, 20, ("word-alnum", i)) for i in range(500)] + \
        [rand(HEX, 32, ("word-hex", i)) for i in range(500)]
    assert not [v for v in digits_mixed if FILTERS["word"](v)]


def test_example_values_are_stored_hashed() -> None:
    from importlib import resources
    text = (resources.files("leakguard.validators") / "example_values.txt").read_text("utf-8")
    assert "EXAMPLEKEY" not in text and "AKIAIOSFODNN7EXAMPLE" not in text
    entries = [line.split() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    assert len(entries) >= 30
    assert all(len(e[0]) == 64 and set(e[0]) <= set("0123456789abcdef") for e in entries)
