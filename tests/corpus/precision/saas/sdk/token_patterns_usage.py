"""Usage checks for token_patterns (run by the SDK's own CI); fake values are built from obvious parts."""

from token_patterns import PATTERNS, provider_of, redact


def fake(prefix: str, length: int, fill: str = "0") -> str:
    return prefix + fill * length


def test_github_prefix_is_recognised():
    assert provider_of(fake("ghp_", 36)) == "github"


def test_stripe_live_key_is_redacted():
    assert redact(fake("sk_live_", 24, "x")) == "sk_live_********"


def test_slack_pattern_needs_a_real_shape():
    assert not PATTERNS["slack"].search("xoxb-your-bot-token-here")


def test_unknown_prefix():
    assert provider_of("not-a-token") is None
