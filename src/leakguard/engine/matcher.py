"""Run a RuleSet over one chunk: prefilter, regex with timeout, then the per-match gates.

The matcher is pure: a chunk in, matches and the ids of rules that timed out out. Sources,
caching and parallelism live elsewhere and call ``Matcher.scan`` per chunk.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import regex

from leakguard.engine.entropy import shannon_entropy
from leakguard.engine.lines import SNIPPET_MAX, LineIndex
from leakguard.model import Category, Chunk, Confidence, Match
from leakguard.rules.rule import Rule, RuleSet

DEFAULT_REGEX_TIMEOUT = 2.0
SHADOWING_CATEGORIES = frozenset({Category.CREDENTIAL, Category.PRIVATE_KEY})


@dataclass(frozen=True)
class ChunkResult:
    """What one chunk yielded: matches in text order, and rules skipped for timing out."""

    matches: tuple[Match, ...]
    timeouts: tuple[str, ...] = ()


class Candidate(NamedTuple):
    """A regex hit that has not yet passed the rule's gates (a tuple: a history makes millions)."""

    rule: Rule
    start: int
    end: int
    secret_start: int
    secret_end: int


class Matcher:
    """Holds what is worth computing once per ruleset: the keyword table and rule order."""

    def __init__(self, ruleset: RuleSet, *, timeout: float = DEFAULT_REGEX_TIMEOUT) -> None:
        self.ruleset = ruleset
        self.timeout = timeout
        self.keywords = tuple(sorted({k for rule in ruleset for k in rule.keywords}))

    @property
    def engine_identity(self) -> str:
        """Which engine (and version) decides candidates. The engines must agree, but a defect
        in one (a library that misses matches) must not leak into results cached by another,
        so the scan cache keys its entries by this."""
        return "regex"

    # -- candidate generation (the part a multi-pattern engine replaces) -----------------------

    def candidate_rules(self, chunk: Chunk) -> list[Rule]:
        """Rules whose path scope admits the chunk and whose keywords occur in it."""
        lowered = chunk.text.lower() if self.keywords else ""
        present = {k for k in self.keywords if k in lowered}
        return [
            rule for rule in self.ruleset
            if (not rule.keywords or any(k in present for k in rule.keywords))
            and rule.applies_to(chunk.origin.path)
        ]

    def may_hold(self, chunk: Chunk, word: str) -> bool | None:
        """Whether the chunk just scanned holds ``word`` (one of ``plan.MARKERS``), when the
        scan already told; None when it did not (the caller looks itself)."""
        return None

    def find(self, rule: Rule, chunk: Chunk) -> list[regex.Match]:
        """Every match of ``rule`` in the chunk, as ``finditer`` gives them (may time out)."""
        return list(rule.regex.finditer(chunk.text, timeout=self.timeout))

    def candidates(self, chunk: Chunk) -> tuple[list[Candidate], list[str]]:
        found: list[Candidate] = []
        timeouts: list[str] = []
        for rule in self.candidate_rules(chunk):
            try:
                hits = self.find(rule, chunk)
            except TimeoutError:
                timeouts.append(rule.id)
                continue
            for hit in hits:
                start, end = hit.span(rule.secret_group)
                if start < 0 or start == end:
                    continue
                found.append(Candidate(rule, hit.start(), hit.end(), start, end))
        return found, timeouts

    # -- gates and locations -------------------------------------------------------------------

    def scan(self, chunk: Chunk) -> ChunkResult:
        candidates, timeouts = self.candidates(chunk)
        if not candidates:
            return ChunkResult((), tuple(timeouts))
        index = LineIndex(chunk.text)
        accepted: list[Match] = []
        for candidate in candidates:
            match = confirm(candidate, chunk, index)
            if match is not None:
                accepted.append(match)
        matches = drop_shadowed_generic(accepted, self.ruleset)
        matches.sort(key=lambda m: (m.start, m.rule_id))
        return ChunkResult(tuple(matches), tuple(timeouts))


def _allowed(rule: Rule, text: str, candidate: Candidate, index: LineIndex) -> bool:
    """True when the rule's own allow list discards this hit."""
    spec = rule.spec
    if not spec.allow_regexes and not spec.allow_stopwords:
        return False
    if spec.allow_target == "secret":
        target = text[candidate.secret_start:candidate.secret_end]
    elif spec.allow_target == "match":
        target = text[candidate.start:candidate.end]
    else:
        target = index.line_text(index.line_of(candidate.secret_start))
    if spec.allow_stopwords:
        lowered = target.lower()
        for word in spec.allow_stopwords:
            if word in lowered:
                return True
    for pattern in rule.allow_regexes:  # noqa: SIM110 - a loop, not any(): runs per candidate
        if pattern.search(target):
            return True
    return False


def _context_confidence(rule: Rule, text: str, candidate: Candidate) -> Confidence | None:
    """Apply hotwords: None drops the hit, otherwise the (possibly raised) confidence."""
    confidence = rule.spec.confidence
    required = [c for c in rule.context if c.spec.effect == "require"]
    required_met = not required
    raised = lowered = False
    for context in rule.context:
        window = text[max(0, candidate.start - context.spec.before):candidate.end + context.spec.after]
        if not context.regex.search(window):
            continue
        effect = context.spec.effect
        if effect == "exclude":
            return None
        if effect == "require":
            required_met = True
        elif effect == "raise":
            raised = True
        elif effect == "lower":
            lowered = True
    if not required_met:
        return None
    if raised and not lowered:
        confidence = confidence.raised()
    elif lowered and not raised:
        confidence = confidence.lowered()
    return confidence


def confirm(candidate: Candidate, chunk: Chunk, index: LineIndex) -> Match | None:
    """Run a candidate through its rule's gates and build the Match, or None to drop it."""
    rule = candidate.rule
    spec = rule.spec
    text = chunk.text
    secret = text[candidate.secret_start:candidate.secret_end]
    if spec.min_entropy and shannon_entropy(secret) < spec.min_entropy:
        return None
    if (spec.allow_regexes or spec.allow_stopwords) and _allowed(rule, text, candidate, index):
        return None
    for check in rule.filters:
        if check.func(secret):
            return None
    confidence = _context_confidence(rule, text, candidate) if rule.context else rule.spec.confidence
    if confidence is None:
        return None
    for check in rule.validators:
        if not check.func(secret):
            if check.on_fail == "drop":
                return None
            confidence = Confidence.LOW
    line, column = index.position(candidate.secret_start)
    end_line, end_column = index.position(candidate.secret_end)
    if chunk.lines is not None and not any(n in chunk.lines for n in range(line, end_line + 1)):
        return None
    return Match(
        rule_id=rule.id,
        origin=chunk.origin,
        start=candidate.start,
        end=candidate.end,
        secret_start=candidate.secret_start,
        secret_end=candidate.secret_end,
        secret=secret,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        confidence=confidence,
        snippet=_snippet(index, line, candidate),
        allow=index.allow_for(line),
    )


def _snippet(index: LineIndex, line: int, candidate: Candidate) -> str:
    """The secret's line with the secret replaced by a marker the reporters redact.

    Only the part of the secret on its first line is in the line text; the marker stands for
    all of it, so a multi-line key becomes ``key = «SECRET»``.
    """
    start, end = index.line_span(line)
    before = index.text[start:candidate.secret_start]
    after = index.text[candidate.secret_end:end] if candidate.secret_end <= end else ""
    budget = max(SNIPPET_MAX // 2, 20)
    if len(before) > budget:
        before = "…" + before[-budget:]
    if len(after) > budget:
        after = after[:budget] + "…"
    return f"{before}{SECRET_MARKER}{after}".replace("\r", "").replace("\t", " ")


#: Stands for the secret inside a snippet; reporters substitute the redacted or clear value.
SECRET_MARKER = "\x00SECRET\x00"


def drop_shadowed_generic(matches: Iterable[Match], ruleset: RuleSet) -> list[Match]:
    """Drop generic-rule hits that add nothing: one whose secret overlaps a specific credential
    rule's hit, and all but one of several generic hits on exactly the same secret.

    Only credential and private-key rules shadow: an email address or a hostname that overlaps
    a password in ``https://user:password@host`` says nothing about whether it is a password.
    Of generic hits on one span, the most confident (then the first rule id) is kept, so two
    generic rules that both understand ``curl -u user:password`` give one finding.
    """
    matches = list(matches)
    specific = [(m.secret_start, m.secret_end) for m in matches
                if not ruleset[m.rule_id].spec.generic
                and ruleset[m.rule_id].spec.category in SHADOWING_CATEGORIES]
    best: dict[tuple[int, int], Match] = {}
    kept = []
    for match in matches:
        if not ruleset[match.rule_id].spec.generic:
            kept.append(match)
            continue
        if any(start < match.secret_end and match.secret_start < end for start, end in specific):
            continue
        span = (match.secret_start, match.secret_end)
        current = best.get(span)
        if current is None or (-match.confidence.rank, match.rule_id) < \
                (-current.confidence.rank, current.rule_id):
            best[span] = match
    kept.extend(best.values())
    return kept
