"""Match -> Finding: the only place a finding's identity is computed.

``fingerprint = H(rule id, path, secret)`` survives lines moving and is the same in a tree scan
and a history scan; ``secret_id = H(rule id, secret)`` groups one secret across files and
commits. Both are keyed hashes (HMAC-SHA256), so a baseline holding them does not let anyone
confirm a guessed password without the key. Set ``LEAKGUARD_HASH_KEY`` to an organisation-wide
secret to make them unguessable; the built-in key keeps them stable across machines.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections import defaultdict
from collections.abc import Iterable

from leakguard.engine.matcher import SECRET_MARKER
from leakguard.model import Category, Finding, Match
from leakguard.redact import redact
from leakguard.rules.rule import RuleSet

#: Categories whose matched text is a label, not a secret: markings and proprietary headers are
#: shown as found, since hiding "CONFIDENTIAL" would only make the report harder to act on.
SHOWN_CATEGORIES = frozenset({Category.MARKING, Category.PROVENANCE})

DEFAULT_HASH_KEY = b"leakguard/v1 finding identity"
HASH_KEY_ENV = "LEAKGUARD_HASH_KEY"


def hash_key() -> bytes:
    """The identity key: the organisation's ``LEAKGUARD_HASH_KEY`` or the built-in default."""
    configured = os.environ.get(HASH_KEY_ENV)
    return configured.encode() if configured else DEFAULT_HASH_KEY


def keyed_hash(key: bytes, *parts: str) -> str:
    """128-bit HMAC-SHA256 over NUL-separated parts, hex encoded."""
    digest = hmac.new(key, digestmod=hashlib.sha256)
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def fingerprint(key: bytes, rule_id: str, path: str, secret: str) -> str:
    return keyed_hash(key, "fingerprint", rule_id, path, secret)


def secret_id(key: bytes, rule_id: str, secret: str) -> str:
    return keyed_hash(key, "secret", rule_id, secret)


class _SecretIndex:
    """The secrets found in one origin, indexed by their first characters, so that a snippet
    finds the ones it holds without being compared with every one (a file with thousands of
    e-mail addresses has thousands of findings, each with a snippet)."""

    PREFIX = 3

    def __init__(self, secrets: set[str]) -> None:
        # The set's own iteration order: masking replaces in that order, as it always has.
        self.order = {secret: rank for rank, secret in enumerate(secrets)}
        self.by_prefix: dict[str, list[str]] = defaultdict(list)
        # Short secrets, and any holding "*" (a mask put into the snippet could complete one),
        # are checked against every snippet.
        self.always: list[str] = []
        for secret in secrets:
            if len(secret) < self.PREFIX or "*" in secret:
                self.always.append(secret)
            else:
                self.by_prefix[secret[:self.PREFIX]].append(secret)

    def within(self, snippet: str) -> list[str]:
        """The secrets that occur in ``snippet`` (or may once others are masked), in order."""
        found = set(self.always)
        size, by_prefix = self.PREFIX, self.by_prefix
        for start in range(len(snippet) - size + 1):
            group = by_prefix.get(snippet[start:start + size])
            if group:
                found.update(secret for secret in group if snippet.startswith(secret, start))
        return sorted(found, key=self.order.__getitem__)


def _mask_others(snippet: str, own: str, secrets: _SecretIndex) -> str:
    """Mask every other secret found in the same chunk that appears in this snippet."""
    for other in secrets.within(snippet):
        if other != own and other in snippet:
            snippet = snippet.replace(other, redact(other))
    return snippet


def _escalated_levels(matches: list[Match], ruleset: RuleSet) -> dict[tuple[str, object], int]:
    """Distinct secrets per (rule, origin): the volume that escalation thresholds compare with."""
    distinct: dict[tuple[str, object], set[str]] = defaultdict(set)
    for match in matches:
        if ruleset[match.rule_id].spec.escalate:
            distinct[(match.rule_id, match.origin)].add(match.secret)
    return {key: len(values) for key, values in distinct.items()}


def build_findings(matches: Iterable[Match], ruleset: RuleSet, key: bytes) -> list[Finding]:
    """Group matches into findings, one per (rule, path, secret), in path and line order."""
    ordered = sorted(matches, key=lambda m: (m.origin.path, m.line, m.column, m.rule_id))
    volumes = _escalated_levels(ordered, ruleset)
    secrets_by_origin: dict[object, set[str]] = defaultdict(set)
    for match in ordered:
        secrets_by_origin[match.origin].add(match.secret)
    indexes: dict[object, _SecretIndex] = {}

    groups: dict[str, list[Match]] = {}
    for match in ordered:
        fp = fingerprint(key, match.rule_id, match.origin.path, match.secret)
        groups.setdefault(fp, []).append(match)

    findings = []
    for fp, members in groups.items():
        allowed = [m for m in members if m.allow is not None and m.allow.covers(m.rule_id)]
        not_allowed = [m for m in members if m.allow is None or not m.allow.covers(m.rule_id)]
        first = not_allowed[0] if not_allowed else members[0]
        rule = ruleset[first.rule_id]
        level = rule.level_for(first.secret)
        volume = max((volumes.get((m.rule_id, m.origin), 0) for m in members), default=0)
        for step in rule.spec.escalate:
            if volume >= step.count and step.level > level:
                level = step.level
        redacted = redact(first.secret) if rule.spec.category not in SHOWN_CATEGORIES \
            else first.secret
        snippet = first.snippet.replace(SECRET_MARKER, redacted)
        index = indexes.get(first.origin)
        if index is None:
            index = indexes[first.origin] = _SecretIndex(secrets_by_origin[first.origin])
        snippet = _mask_others(snippet, first.secret, index)
        findings.append(Finding(
            rule_id=first.rule_id,
            level=level,
            category=rule.spec.category,
            confidence=max(m.confidence for m in members),
            path=first.origin.path,
            line=first.line,
            column=first.column,
            end_line=first.end_line,
            end_column=first.end_column,
            fingerprint=fp,
            secret_id=secret_id(key, first.rule_id, first.secret),
            redacted=redacted,
            snippet=snippet,
            secret=first.secret,
            blob_id=first.origin.blob_id,
            location=first.origin.location,
            occurrences=len(members),
            lines=tuple(sorted({m.line for m in members})),
            allow=allowed[0].allow if allowed and not not_allowed else None,
            extra=first.extra,
        ))
    return findings
