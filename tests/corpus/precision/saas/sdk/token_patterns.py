"""Recognise which provider issued a credential, so the client can refuse to log it.

Prefixes are taken from each provider's documentation; nothing here is a credential.
"""

from __future__ import annotations

import re

PREFIXES = {
    "github": ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
    "gitlab": ("glpat-", "gldt-", "glrt-", "glcbt-", "glptt-", "glft-", "glimt-", "glsoat-"),
    "slack": ("xoxb-", "xoxp-", "xoxa-", "xoxe.", "xapp-"),
    "stripe": ("sk_live_", "rk_live_", "sk_test_", "whsec_"),
    "openai": ("sk-proj-", "sk-svcacct-", "sk-admin-"),
    "anthropic": ("sk-ant-api03-", "sk-ant-admin01-"),
    "huggingface": ("hf_", "api_org_"),
    "npm": ("npm_",),
    "pypi": ("pypi-AgEIcHlwaS5vcmc",),
    "docker": ("dckr_pat_", "dckr_oat_"),
    "vault": ("hvs.", "hvb.", "hvr."),
    "sendgrid": ("SG.",),
    "shopify": ("shpat_", "shpca_", "shppa_", "shpss_"),
}

PATTERNS = {
    "github": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36}\b"),
    "gitlab": re.compile(r"\bglpat-[0-9A-Za-z_-]{20}\b"),
    "slack": re.compile(r"\bxox[abpe]-[0-9A-Za-z-]{10,200}"),
    "stripe": re.compile(r"\b[rs]k_(?:live|test)_[0-9A-Za-z]{24,247}\b"),
    "anthropic": re.compile(r"\bsk-ant-api03-[A-Za-z0-9_-]{93}AA\b"),
    "openai": re.compile(r"\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]+T3BlbkFJ[A-Za-z0-9_-]+"),
    "sendgrid": re.compile(r"\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b"),
}


def provider_of(token: str) -> str | None:
    """The provider whose prefix ``token`` carries, or None."""
    for provider, prefixes in PREFIXES.items():
        if token.startswith(prefixes):
            return provider
    return None


def redact(token: str) -> str:
    """Keep the prefix (it tells the reader what to rotate) and hide the rest."""
    provider = provider_of(token)
    keep = next((p for p in PREFIXES.get(provider or "", ()) if token.startswith(p)), "")
    return keep + "*" * 8
