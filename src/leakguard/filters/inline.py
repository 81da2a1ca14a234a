"""``leakguard:allow`` comments: a finding whose every occurrence carries one is suppressed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from leakguard.model import Finding, Suppression, SuppressionKind


def inline_allows(findings: Sequence[Finding]) -> tuple[list[Finding], list[Finding]]:
    """Suppress findings the engine found an inline allow for, keeping the comment's reason."""
    kept, suppressed = [], []
    for finding in findings:
        if finding.allow is None:
            kept.append(finding)
            continue
        reason = finding.allow.reason or "leakguard:allow comment"
        suppressed.append(replace(finding, suppression=Suppression(
            SuppressionKind.IN_SOURCE, "inline-allow", reason)))
    return kept, suppressed
