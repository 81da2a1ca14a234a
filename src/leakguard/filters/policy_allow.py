"""The policy's ``allow:`` block: paths and secret regexes the repository accepts outright."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import pathspec
import regex

from leakguard.globs import gitignore_spec
from leakguard.model import Finding, Suppression, SuppressionKind
from leakguard.policy import Policy


@dataclass(frozen=True)
class PolicyAllow:
    """Suppresses findings under ``allow.paths`` or whose secret matches ``allow.regexes``."""

    policy: Policy
    paths: pathspec.PathSpec | None = field(default=None, init=False, repr=False)
    regexes: tuple[regex.Pattern, ...] = field(default=(), init=False, repr=False)

    def __post_init__(self) -> None:
        if self.policy.allow_paths:
            object.__setattr__(self, "paths",
                               gitignore_spec(self.policy.allow_paths))
        object.__setattr__(self, "regexes",
                           tuple(regex.compile(p) for p in self.policy.allow_regexes))

    def __call__(self, findings: Sequence[Finding]) -> tuple[list[Finding], list[Finding]]:
        kept, suppressed = [], []
        source = self.policy.source or "policy"
        for finding in findings:
            if self.paths is not None and self.paths.match_file(finding.path):
                reason = f"path allowed by {source}"
            elif self.regexes and any(r.search(finding.secret) for r in self.regexes):
                reason = f"value allowed by {source}"
            else:
                kept.append(finding)
                continue
            suppressed.append(replace(finding, suppression=Suppression(
                SuppressionKind.EXTERNAL, "policy-allow", reason)))
        return kept, suppressed
