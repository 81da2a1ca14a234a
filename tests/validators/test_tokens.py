"""Provider token validators: a well-formed token passes, a damaged one fails."""

from __future__ import annotations

import zlib
from collections.abc import Callable

import pytest

from leakguard.validators import FILTERS, VALIDATORS
from leakguard.validators import tokens as V
from tests.corpus.recall import _tokens as T


def _flip(value: str, index: int) -> str:
    """``value`` with one character changed to another of the same kind."""
    char = value[index]
    if char.isdigit():
        new = "7" if char != "7" else "3"
    elif char.isupper():
        new = "Q" if char != "Q" else "R"
    else:
        new = "q" if char != "q" else "r"
    return value[:index] + new + value[index + 1:]


VALID: list[tuple[str, Callable[[str], bool], str]] = [
    ("crc32_base62", V.crc32_base62, T.crc_token("npm_", "t-npm")),
    ("gitlab_token-versioned", V.gitlab_token, T.gitlab_routable("glpat-", "t-gl1")),
    ("gitlab_token-unversioned", V.gitlab_token, T.gitlab_routable("glpat-", "t-gl2", versioned=False)),
    ("gitlab_token-runner", V.gitlab_token, T.gitlab_routable("glrt-t1_", "t-gl3")),
    ("gitlab_token-instance-prefix", V.gitlab_token, T.gitlab_routable("acme-glpat-", "t-gl4")),
    ("atlassian_crc32", V.atlassian_crc32, T.atlassian("ATATT3xFfGF0", "t-at")),
    ("atlassian_crc32-app-password", V.atlassian_crc32, T.atbb("t-atbb")),
    ("atlassian_dc_token", V.atlassian_dc_token, T.atlassian_dc("t-dc")),
    ("atlassian_dc_token-bitbucket", V.atlassian_dc_token, T.atlassian_dc("t-dc", bitbucket=True)),
    ("grafana_service_account", V.grafana_service_account, T.grafana_service_account("t-glsa")),
    ("grafana_cloud_token", V.grafana_cloud_token, T.grafana_cloud("t-glc")),
    ("grafana_cloud_token-legacy", V.grafana_cloud_token, T.grafana_legacy("t-gleg")),
    ("sentry_org_token", V.sentry_org_token, T.sentry_org("t-sentry")),
    ("discord_bot_token", V.discord_bot_token, T.discord_bot("t-discord")),
    ("jfrog_reference_token", V.jfrog_reference_token, T.jfrog_reference("t-jfrog")),
    ("pypi_macaroon", V.pypi_macaroon, T.pypi_token("t-pypi")),
    ("pypi_macaroon-test-index", V.pypi_macaroon, T.pypi_token("t-pypi", "test.pypi.org")),
    ("github_stateless_token", V.github_stateless_token, T.github_stateless("t-ghs")),
    ("synapse_token", V.synapse_token, T.synapse("syt_", "t-syt")),
    ("intercom_token", V.intercom_token, T.intercom("t-intercom")),
]


@pytest.mark.parametrize(("check", "value"), [(c, v) for _, c, v in VALID],
                         ids=[name for name, _, _ in VALID])
def test_well_formed_token_passes(check: Callable[[str], bool], value: str) -> None:
    assert check(value)


CHECKSUMMED = [
    ("crc32_base62", V.crc32_base62, T.crc_token("npm_", "t-npm"), 10),
    ("gitlab_token", V.gitlab_token, T.gitlab_routable("glpat-", "t-gl1"), 12),
    ("atlassian_crc32", V.atlassian_crc32, T.atlassian("ATATT3xFfGF0", "t-at"), 40),
    ("grafana_service_account", V.grafana_service_account, T.grafana_service_account("t-glsa"), 9),
    ("synapse_token", V.synapse_token, T.synapse("syt_", "t-syt"), 30),
]


@pytest.mark.parametrize(("check", "value", "index"), [(c, v, i) for _, c, v, i in CHECKSUMMED],
                         ids=[name for name, *_ in CHECKSUMMED])
def test_one_changed_character_breaks_the_checksum(check: Callable[[str], bool], value: str,
                                                   index: int) -> None:
    assert check(value)
    assert not check(_flip(value, index))
    assert not check(_flip(value, len(value) - 1))


MALFORMED = [
    ("pypi-not-base64", V.pypi_macaroon, "pypi-AgEIcHlwaS5vcmc!!!!"),
    ("pypi-other-location", V.pypi_macaroon, T.pypi_token("t", "evil.example")),
    ("pypi-truncated", V.pypi_macaroon, T.pypi_token("t")[:-12]),
    ("sentry-no-json", V.sentry_org_token, "sntrys_bm90IGpzb24_" + "a" * 43),
    ("sentry-short-secret", V.sentry_org_token, T.sentry_org("t")[:-3]),
    ("discord-letters-id", V.discord_bot_token, T.b64url("not-a-number") + ".abcdef." + "x" * 30),
    ("jfrog-wrong-tag", V.jfrog_reference_token, T.b64("reftok:01:1893456000:abcdefghijklmnopq")),
    ("atlassian-dc-no-colon", V.atlassian_dc_token, T.b64("12345" + "x" * 30)),
    ("grafana-cloud-no-key", V.grafana_cloud_token, "glc_" + T.b64('{"o":"1","n":"x"}')),
    ("github-stateless-bad-jwt", V.github_stateless_token, "ghs_123_eyJub3QiOiJhbGcifQ.e30.sig"),
    ("github-stateless-no-app-id", V.github_stateless_token, "ghs_" + T.github_stateless("t")[11:]),
    ("intercom-other-prefix", V.intercom_token, T.b64("tik:abc:def")),
    ("gitlab-length-mismatch", V.gitlab_token, "glpat-" + "A" * 30 + ".01.0z"
     + V.to_base36(zlib.crc32(("glpat-" + "A" * 30 + ".01.0z").encode()), 7)),
]


@pytest.mark.parametrize(("check", "value"), [(c, v) for _, c, v in MALFORMED],
                         ids=[name for name, _, _ in MALFORMED])
def test_malformed_token_fails(check: Callable[[str], bool], value: str) -> None:
    assert not check(value)


def test_legacy_gitlab_tokens_have_no_checksum_to_fail() -> None:
    assert V.gitlab_token("glpat-" + "aB3dE5gH7jK9mN1pQ2rS")


def test_base36_matches_rubys_to_s_36() -> None:
    assert V.to_base36(0, 2) == "00"
    assert V.to_base36(35, 2) == "0z"
    assert V.to_base36(36 * 36 - 1, 2) == "zz"
    assert V.to_base36(2**32 - 1, 7) == "1z141z3"


@pytest.mark.parametrize("value", [
    "xoxb-1234567890-1234567890-abcdefghijklmnopqrstuvwx",
    "sk_live_YourSecretKeyGoesHere12345",
    "ghp_000000000000000000000000000000000000",
    "hf_abcabcabcabcabcabcabcabcabcabcabcabc",
    "glpat-ABCDEFGHIJKLMNOPQRST",
])
def test_token_placeholder_flags_typed_in_shapes(value: str) -> None:
    assert V.token_placeholder(value)


@pytest.mark.parametrize("value", [
    T.crc_token("npm_", "p1"), T.atbb("p2"), T.gitlab_routable("glpat-", "p3"),
    "sk_test_" + "Fq8Zr2Lp0Vx7Yb3Nc6Md1Ke4", "xoxb-2637394512-5463877201-Zq8rLp0Vx7Yb3Nc6Md1Ke4Wt",
])
def test_token_placeholder_keeps_random_tokens(value: str) -> None:
    assert not V.token_placeholder(value)


def test_every_token_check_is_registered_by_name() -> None:
    names = {"crc32_base62", "gitlab_token", "atlassian_crc32", "atlassian_dc_token",
             "grafana_service_account", "grafana_cloud_token", "sentry_org_token",
             "discord_bot_token", "jfrog_reference_token", "pypi_macaroon",
             "github_stateless_token", "synapse_token", "intercom_token"}
    assert names <= set(VALIDATORS)
    assert FILTERS["token_placeholder"] is V.token_placeholder
