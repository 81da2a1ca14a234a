"""Recall cases for the starter rules (AWS, GitHub, private keys, generic passwords)."""

from __future__ import annotations

from tests.corpus.recall import RecallCase
from tests.corpus.recall.gen import ALNUM, B32, B64, crc32_base62, rand

_aws_id = "AKIA" + rand(B32, 16, "starter-aws-id")
_aws_secret = rand(ALNUM + "/+", 40, "starter-aws-secret")
_gh_body = rand(ALNUM, 30, "starter-gh")
_ghp = f"ghp_{_gh_body}{crc32_base62(_gh_body)}"
_pw = rand(ALNUM + "!%&", 20, "starter-pw")
_pem_body = "\n".join(rand(B64, 64, ("starter-pem", i)) for i in range(8))
_pem = f"-----BEGIN RSA PRIVATE KEY-----\n{_pem_body}\n-----END RSA PRIVATE KEY-----"

CASES = [
    RecallCase("aws-id-in-env", "aws", "aws.access-key-id", ".env",
               f"AWS_ACCESS_KEY_ID={_aws_id}\n", _aws_id),
    RecallCase("aws-secret-in-credentials", "aws", "aws.secret-access-key", ".aws/credentials",
               f"[default]\naws_access_key_id = {_aws_id}\naws_secret_access_key = {_aws_secret}\n",
               _aws_secret),
    RecallCase("github-pat-in-shell", "github", "github.pat-classic", "scripts/release.sh",
               f'curl -H "Authorization: token {_ghp}" https://api.github.com/user\n', _ghp),
    RecallCase("pem-in-repo", "keys", "private-key.pem", "deploy/id_rsa", _pem + "\n", _pem),
    RecallCase("password-in-yaml", "generic", "generic.password-assignment", "config/app.yaml",
               f'database:\n  password: "{_pw}"\n', _pw),
]
