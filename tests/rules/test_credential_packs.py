"""The cloud, database, key and credential-file packs meet the quality bar every rule promises."""

from __future__ import annotations

import base64
import binascii
import re

import pytest

from leakguard.model import Category, Level
from leakguard.rules.loader import load_ruleset
from leakguard.rules.selftest import match_example

PACKS = {
    "aws", "gcp", "azure", "cloudflare", "digitalocean", "alibaba", "tencent", "ibm", "oracle",
    "heroku", "fly", "vercel", "netlify", "supabase", "databricks", "snowflake", "linode",
    "akamai", "scaleway", "hetzner", "vultr", "render", "planetscale", "neon", "mongodb",
    "backblaze", "database", "urls", "keys", "files", "cli",
}
RULES = [rule for rule in load_ruleset()
         if rule.spec.source.rsplit("/", 1)[-1].removesuffix(".yaml") in PACKS]
_RUN = re.compile(r"[A-Za-z0-9+/_-]{16,}")


def _plainly_fake(text: str) -> bool:
    """A visible fake marker, in clear or inside any base64 the example carries."""
    if re.search(r"(?i)fake|fa4e", text):
        return True
    for run in _RUN.findall(text):
        for start in range(4):
            chunk = run[start:].replace("-", "+").replace("_", "/")
            chunk = chunk[: len(chunk) // 4 * 4]
            try:
                decoded = base64.b64decode(chunk)
            except (binascii.Error, ValueError):
                continue
            if b"fake" in decoded.lower() or b"fa4e" in decoded:
                return True
    return False


def test_the_packs_are_loaded() -> None:
    assert {rule.spec.source.rsplit("/", 1)[-1].removesuffix(".yaml") for rule in RULES} == PACKS
    assert len(RULES) >= 150


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rule_metadata(rule) -> None:
    spec = rule.spec
    assert re.fullmatch(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+", spec.id)
    assert spec.name and spec.description and spec.remediation
    assert spec.references and all(ref.startswith("https://") for ref in spec.references)
    assert spec.category in (Category.CREDENTIAL, Category.PRIVATE_KEY)
    assert spec.level in (Level.PROHIBITED, Level.RESTRICTED)
    assert spec.keywords or spec.paths_include, "a rule with no keywords must be path-scoped"
    assert spec.examples and spec.negative_examples


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_examples_are_plainly_fake_and_capture_part_of_the_text(rule) -> None:
    for example in rule.spec.examples:
        assert _plainly_fake(example.text), f"example without a fake marker: {example.text[:60]!r}"
        for match in match_example(rule, example.text, example.path):
            assert match.secret and match.secret in example.text
            assert len(match.secret) < len(example.text) or rule.spec.secret_group == 0 \
                or rule.id == "rails.master-key"
