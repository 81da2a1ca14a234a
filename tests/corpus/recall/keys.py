"""Recall cases for private keys and signed tokens, in key files, configuration, JSON strings,
kubeconfigs, Kubernetes Secrets and environment files."""

from __future__ import annotations

import json

from tests.corpus.recall import RecallCase
from tests.corpus.recall._leak_places import (
    age_secret_key,
    der_body,
    dotenv,
    k8s_secret,
    notebook,
    pem,
)
from tests.corpus.recall.gen import B64, B64URL, b64, b64url, rand

CASES: list[RecallCase] = []


def case(id: str, rule: str, path: str, content: str, secret: str, family: str = "keys") -> None:
    CASES.append(RecallCase(id, family, rule, path, content, secret))


_rsa = pem("RSA PRIVATE KEY", der_body("rsa", 1190))
case("pem-rsa-id-rsa", "private-key.pem", "deploy/id_rsa", _rsa + "\n", _rsa)
_ec = pem("EC PRIVATE KEY", der_body("ec", 115))
case("pem-ec-in-yaml-block", "private-key.pem", "config/signing.yaml",
     "signing:\n  algorithm: ES256\n  key: |\n" + "".join(f"    {line}\n" for line in _ec.splitlines()),
     "\n".join(f"    {line}" for line in _ec.splitlines()).strip())
_pkcs8 = pem("PRIVATE KEY", der_body("pkcs8", 1210))
case("pem-pkcs8-in-k8s-secret-data", "private-key.pem", "k8s/tls.yaml",
     k8s_secret("api-tls", {"tls.key": _pkcs8 + "\n"}), _pkcs8)
_dsa = pem("DSA PRIVATE KEY", der_body("dsa", 440))
case("pem-dsa-terraform-heredoc", "private-key.pem", "infra/bastion.tf",
     'resource "tls_private_key" "legacy" {}\nlocals {\n  legacy_key = <<EOT\n' + _dsa + "\nEOT\n}\n",
     _dsa)
_enc8 = pem("ENCRYPTED PRIVATE KEY", der_body("enc8", 1250))
case("pem-pkcs8-encrypted", "private-key.pkcs8-encrypted", "certs/server.key", _enc8 + "\n", _enc8)
_legacy = pem("RSA PRIVATE KEY", bytes(range(256)) * 4 + bytes(range(192)),
              headers="Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,"
              + rand("0123456789ABCDEF", 32, "dek") + "\n\n")
case("pem-legacy-encrypted", "private-key.pem-legacy-encrypted", "certs/legacy.key",
     _legacy + "\n", _legacy)
_openssh = pem("OPENSSH PRIVATE KEY", b"openssh-key-v1\x00" + der_body("openssh", 380), width=70)
case("openssh-key-file", "private-key.openssh", ".ssh/id_ed25519", _openssh + "\n", _openssh)
case("openssh-key-in-ansible-vars", "private-key.openssh", "group_vars/deploy.yml",
     "deploy_user: ci\ndeploy_ssh_key: |\n" + "".join(f"  {line}\n" for line in _openssh.splitlines()),
     "\n".join(f"  {line}" for line in _openssh.splitlines()).strip())
_pub_lines = [rand(B64, 64, ("ppk-pub", i)) for i in range(2)] + [rand(B64, 20, "ppk-pub-end")]
_priv_lines = [rand(B64, 64, ("ppk-priv", i)) for i in range(3)] + [rand(B64, 16, "ppk-priv-end")]
_ppk = ("PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: rsa-key-20240101\n"
        f"Public-Lines: {len(_pub_lines)}\n" + "\n".join(_pub_lines) + "\n"
        f"Private-Lines: {len(_priv_lines)}\n" + "\n".join(_priv_lines) + "\n"
        f"Private-MAC: {rand('0123456789abcdef', 40, 'ppk-mac')}")
case("putty-ppk", "private-key.putty", "keys/deploy.ppk", _ppk + "\n", _ppk)
_pgp_lines = [rand(B64, 64, ("pgp", i)) for i in range(12)]
_pgp = ("-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n" + "\n".join(_pgp_lines)
        + "\n=" + rand(B64, 4, "pgp-crc") + "\n-----END PGP PRIVATE KEY BLOCK-----")
case("pgp-private-block", "private-key.pgp", "release/signing-key.asc", _pgp + "\n", _pgp)
_ssh2_lines = [rand(B64, 70, ("ssh2", i)) for i in range(6)]
_ssh2 = ("---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nComment: \"2048-bit rsa, deploy@build\"\n"
         + "\n".join(_ssh2_lines) + "\n---- END SSH2 ENCRYPTED PRIVATE KEY ----")
case("ssh2-key", "private-key.ssh2", "keys/build_rsa", _ssh2 + "\n", _ssh2)
_escaped = _rsa.replace("\n", "\\n") + "\\n"
case("pem-escaped-env", "private-key.pem-escaped", ".env",
     dotenv(JWT_PRIVATE_KEY=f'"{_escaped}"', JWT_ISSUER="https://auth.fake.test"), _escaped)
_escaped_ec = _ec.replace("\n", "\\n")
case("pem-escaped-json-config", "private-key.pem-escaped", "config/apple-signin.json",
     json.dumps({"teamId": "FAKE123456", "keyId": "FAKEKEY123", "privateKey": _ec}, indent=2),
     _escaped_ec)
_client_key_data = b64(_rsa + "\n")
case("pem-base64-kubeconfig", "private-key.pem-base64", "home/.kube/config",
     "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://10.0.0.1:6443\n"
     "  name: prod\nusers:\n- name: admin\n  user:\n"
     f"    client-certificate-data: {b64('-----BEGIN CERTIFICATE-----' + chr(10) + 'MIIC' + chr(10))}\n"
     f"    client-key-data: {_client_key_data}\n", _client_key_data)
_jwk_d = rand(B64URL, 43, "jwk-d")
case("jwk-private-jwks", "private-key.jwk", "auth/jwks.private.json",
     json.dumps({"keys": [{"kty": "EC", "crv": "P-256", "kid": "2024-01", "use": "sig",
                           "x": rand(B64URL, 43, "jwk-x"), "y": rand(B64URL, 43, "jwk-y"),
                           "d": _jwk_d}]}, indent=2), _jwk_d)
_jwk_k = rand(B64URL, 43, "jwk-k")
case("jwk-oct-secret", "private-key.jwk", "auth/hmac-key.json",
     json.dumps({"kty": "oct", "kid": "hs256-2024", "alg": "HS256", "k": _jwk_k}), _jwk_k)
_xml_d = rand(B64, 342, "xml-d") + "=="
case("xml-rsa-key", "private-key.xml-rsa", "src/Licensing/private.xml",
     f"<RSAKeyValue><Modulus>{rand(B64, 342, 'xml-n')}==</Modulus><Exponent>AQAB</Exponent>"
     f"<P>{rand(B64, 170, 'xml-p')}==</P><Q>{rand(B64, 170, 'xml-q')}==</Q><D>{_xml_d}</D>"
     "</RSAKeyValue>\n", _xml_d)


def _jwt(payload: dict, seed: str) -> str:
    return (b64url(json.dumps({"alg": "RS256", "typ": "JWT", "kid": "fake"})) + "."
            + b64url(json.dumps(payload)) + "." + rand(B64URL, 342, seed))


_jwt1 = _jwt({"sub": "svc-billing", "aud": "api.fake.test", "scope": "invoices:write",
              "iat": 1700000000, "exp": 1900000000}, "jwt1")
case("jwt-in-http-file", "jwt.signed-token", "api/requests.http",
     "### Create invoice\nPOST https://api.fake.test/invoices\n"
     f"Authorization: Bearer {_jwt1}\nContent-Type: application/json\n\n{{\"amount\": 100}}\n",
     _jwt1, family="jwt")
_jwt2 = _jwt({"iss": "https://auth.fake.test", "sub": "admin@fake.test", "roles": ["admin"]}, "jwt2")
case("jwt-in-notebook", "jwt.signed-token", "notebooks/api-smoke.ipynb",
     notebook("import requests", f'TOKEN = "{_jwt2}"',
              'requests.get("https://api.fake.test/me", headers={"Authorization": f"Bearer {TOKEN}"})'),
     _jwt2, family="jwt")
_age = age_secret_key("age1")
case("age-keys-txt", "private-key.age", "secrets/keys.txt",
     "# created: 2024-05-01T10:00:00Z\n# public key: age1"
     + rand("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58, "agepub")
     + f"\n{_age}\n", _age)
_age2 = age_secret_key("age2")
case("age-sops-env", "private-key.age", ".envrc", f"export SOPS_AGE_KEY={_age2}\n", _age2)
_wg = rand(B64, 42, "wg") + "Q="
case("wireguard-conf", "private-key.wireguard", "vpn/wg0.conf",
     f"[Interface]\nAddress = 10.8.0.2/24\nPrivateKey = {_wg}\nDNS = 10.8.0.1\n\n"
     f"[Peer]\nPublicKey = {rand(B64, 42, 'wg-pub')}E=\nEndpoint = vpn.fake.test:51820\n"
     "AllowedIPs = 0.0.0.0/0\n", _wg)
_minisign = "RWRTY0Iy" + rand(B64, 204, "minisign")
case("minisign-secret-key", "private-key.minisign", "release/minisign.key",
     f"untrusted comment: minisign encrypted secret key\n{_minisign}\n", _minisign)
_ec2 = pem("EC PRIVATE KEY", der_body("ec-oneline", 115))
_ec2_spaces = _ec2.replace("\n", " ")
case("pem-ec-single-line-env", "private-key.pem", "deploy/.env",
     dotenv(APNS_KEY=f'"{_ec2_spaces}"'), _ec2_spaces)
