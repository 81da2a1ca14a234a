"""Post-finding filters: each returns (kept, suppressed) with a reason on every suppressed finding.

Keeping the suppressed findings (instead of dropping them) is what gives ``--show-suppressed``,
the summary's counts by reason and SARIF ``suppressions`` their data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from leakguard.model import Finding


class FindingFilter(Protocol):
    """Splits findings into those still reported and those suppressed (with a Suppression set)."""

    def __call__(self, findings: Sequence[Finding]) -> tuple[list[Finding], list[Finding]]: ...


def apply_filters(findings: Iterable[Finding], filters: Iterable[FindingFilter]
                  ) -> tuple[list[Finding], list[Finding]]:
    """Run filters in order; a finding suppressed by one is not shown to the next."""
    kept = list(findings)
    suppressed: list[Finding] = []
    for finding_filter in filters:
        kept, newly = finding_filter(kept)
        suppressed.extend(newly)
    return kept, suppressed
