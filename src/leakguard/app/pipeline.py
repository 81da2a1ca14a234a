"""The stages every scan mode shares: prepare (paths, policy, rules), scan chunks, finish.

Each mode (tree, history, ...) builds its own stream of chunks and calls ``scan_chunks`` and
``finish``; nothing here prints or exits, and progress goes through a callback.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from leakguard import __version__
from leakguard.app.suppressions import SuppressionFiles, coverage_of, load_suppression_files
from leakguard.app.work import ChunkDone
from leakguard.engine.matcher import DEFAULT_REGEX_TIMEOUT, Matcher
from leakguard.engine.selection import EngineChoice
from leakguard.errors import ConfigError, InputError, UsageError
from leakguard.filters import FindingFilter, apply_filters
from leakguard.filters.inline import inline_allows
from leakguard.filters.policy_allow import PolicyAllow
from leakguard.findings import build_findings, hash_key
from leakguard.model import (
    Chunk,
    Confidence,
    Finding,
    Level,
    Match,
    Report,
    Skipped,
    SkipReason,
    Stats,
)
from leakguard.policy import Policy, gate, load_policy
from leakguard.rules.labels import with_label_levels
from leakguard.rules.loader import load_ruleset
from leakguard.rules.policy_rules import with_policy_rules
from leakguard.rules.rule import RuleSet
from leakguard.sources.extract import ExtractOptions, container_path
from leakguard.sources.extract.base import DEFAULT_MAX_ARCHIVE_DEPTH
from leakguard.sources.files import DEFAULT_MAX_FILE_SIZE, find_root
from leakguard.userdirs import user_cache_dir

STDIN_TARGET = "-"


@dataclass(frozen=True)
class ProgressEvent:
    """One step of progress: ``done`` of ``total`` units (files, blobs) in ``phase``."""

    phase: str
    done: int
    total: int | None = None
    detail: str = ""


ProgressCallback = Callable[[ProgressEvent], None]


def no_progress(_event: ProgressEvent) -> None:
    return None


@dataclass(frozen=True)
class ScanRequest:
    """Everything a scan needs, as given on the command line (paths unresolved)."""

    targets: tuple[str, ...] = (".",)
    rule_paths: tuple[Path, ...] = ()
    use_default_rules: bool = True
    config: Path | None = None
    excludes: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    fail_on: Level | None = None
    min_confidence: Confidence = Confidence.LOW
    show_secrets: bool = False
    regex_timeout: float = DEFAULT_REGEX_TIMEOUT
    extra_filters: tuple[FindingFilter, ...] = field(default=(), compare=False)
    extract: bool = True
    max_archive_depth: int = DEFAULT_MAX_ARCHIVE_DEPTH
    baseline: Path | None = None
    use_ignore_file: bool = True
    false_positives_everywhere: bool = False
    jobs: int = 0
    cache: Path | None = None
    use_cache: bool = True
    engine: EngineChoice = EngineChoice.AUTO

    def extract_options(self) -> ExtractOptions:
        """Document and archive extraction as asked (``--no-extract``, ``--max-archive-depth``);
        an archive member may be as large as a file (``--max-file-size``)."""
        return ExtractOptions(enabled=self.extract, max_archive_depth=self.max_archive_depth,
                              max_member_size=self.max_file_size)


@dataclass(frozen=True)
class ScanContext:
    """What a run resolved before scanning: where, under which policy, with which rules."""

    root: Path
    targets: tuple[Path, ...]
    read_stdin: bool
    policy: Policy
    ruleset: RuleSet
    suppressions: SuppressionFiles = field(default_factory=SuppressionFiles)


def resolve_targets(targets: Sequence[str]) -> tuple[Path, tuple[Path, ...], bool]:
    """Check every PATH argument and find the one root they share."""
    paths: list[Path] = []
    use_stdin = False
    for target in targets or (".",):
        if target == STDIN_TARGET:
            use_stdin = True
            continue
        path = Path(target)
        if not path.exists() and not path.is_symlink():
            raise InputError(f"PATH {target!r} does not exist")
        paths.append(path.absolute())
    if not paths:
        return Path.cwd().absolute(), (), use_stdin
    root = find_root(paths[0])
    for path in paths[1:]:
        if not path.is_relative_to(root):
            raise UsageError(f"PATH {str(path)!r} is outside {str(root)!r}; scan one folder or "
                             "repository per run")
    return root, tuple(paths), use_stdin


def load_rules_for(policy: Policy, rule_paths: Sequence[Path], use_default: bool) -> RuleSet:
    """The shipped packs plus policy and CLI rule files, minus the policy's ``disable`` list."""
    ruleset = load_ruleset([*policy.rules, *rule_paths], use_default=use_default)
    ruleset = with_policy_rules(ruleset, policy.vocabulary)  # codenames, customers, domains
    unknown = sorted(set(policy.disable) - {rule.id for rule in ruleset})
    if unknown:
        raise ConfigError(f"'disable' names unknown rule id(s): {', '.join(unknown)}",
                          file=policy.source, line=policy.line_of("disable"))
    ruleset = ruleset.without(policy.disable) if policy.disable else ruleset
    return with_label_levels(ruleset, policy.labels)


def prepare(request: ScanRequest) -> ScanContext:
    """Resolve paths, policy and rules; any fault raises before a single byte is scanned."""
    root, targets, use_stdin = resolve_targets(request.targets)
    policy = load_policy(root, request.config)
    ruleset = load_rules_for(policy, request.rule_paths, request.use_default_rules)
    suppressions = load_suppression_files(
        root, request.baseline, use_ignore_file=request.use_ignore_file,
        by_secret=request.false_positives_everywhere)
    return ScanContext(root, targets, use_stdin, policy, ruleset, suppressions)


def make_matcher(ruleset: RuleSet, request: ScanRequest) -> tuple[Matcher, list[str]]:
    """The engine the request asks for; Hyperscan databases are cached in the user cache folder."""
    from leakguard.engine.selection import build_matcher

    matcher, warnings = build_matcher(ruleset, timeout=request.regex_timeout,
                                      engine=request.engine, cache_dir=user_cache_dir() / "engines")
    return matcher, list(warnings)


@dataclass
class Tally:
    """Mutable counters local to one run; frozen into Stats at the end."""

    files: int = 0
    bytes: int = 0
    timeouts: int = 0
    skipped: Counter = field(default_factory=Counter)
    skips: list[Skipped] = field(default_factory=list)
    partial: set[str] = field(default_factory=set)


def scan_chunks(items: Iterable[Chunk | Skipped], matcher: Matcher, tally: Tally,
                progress: ProgressCallback, total: int | None = None,
                phase: str = "scanning files") -> list[Match]:
    """Run the matcher over chunks, counting what was scanned and what was skipped."""
    matches: list[Match] = []
    last_file: tuple | None = None
    for done, item in enumerate(items, 1):
        if isinstance(item, Skipped):
            tally.skipped[str(item.reason)] += 1
            tally.skips.append(item)
        else:
            # One file (or blob) may yield many chunks: a document's parts, an archive's members.
            origin = item.origin
            file_key = (container_path(origin.path), origin.blob_id, origin.kind)
            if file_key != last_file:
                tally.files += 1
                last_file = file_key
            tally.bytes += item.size
            if item.lines is not None:  # only some lines reported: absence proves nothing
                tally.partial.add(item.origin.path)
            result = matcher.scan(item)
            matches.extend(result.matches)
            for rule_id in result.timeouts:
                tally.timeouts += 1
                tally.skipped[str(SkipReason.REGEX_TIMEOUT)] += 1
                tally.skips.append(Skipped(item.origin, SkipReason.REGEX_TIMEOUT, rule_id))
        progress(ProgressEvent(phase, done, total))
    return matches


def absorb(tally: Tally, events: Iterable[ChunkDone | Skipped], *, partial: bool = False) -> None:
    """Count a work item's events the way ``scan_chunks`` counts chunks and skips.

    A work item is one file or blob even when it yields many chunks (a document's parts, an
    archive's members); ``partial`` says only some of its lines were reported (a diff).
    """
    seen: set[tuple] = set()
    for event in events:
        if isinstance(event, Skipped):
            tally.skipped[str(event.reason)] += 1
            tally.skips.append(event)
            continue
        origin = event.origin
        file_key = (container_path(origin.path), origin.blob_id, origin.kind)
        if file_key not in seen:
            seen.add(file_key)
            tally.files += 1
        tally.bytes += event.size
        if partial:
            tally.partial.add(origin.path)
        for rule_id in event.timeouts:
            tally.timeouts += 1
            tally.skipped[str(SkipReason.REGEX_TIMEOUT)] += 1
            tally.skips.append(Skipped(event.origin, SkipReason.REGEX_TIMEOUT, rule_id))


def finish(
    *, context: ScanContext, request: ScanRequest, matches: Iterable[Match], tally: Tally,
    started: float, mode: str, decorate: Callable[[list[Finding]], list[Finding]] | None = None,
    warnings: Sequence[str] = (), extra_stats: dict[str, int] | None = None,
) -> Report:
    """Findings, filters and the gate; shared by every scan mode."""
    findings = build_findings(matches, context.ruleset, hash_key())
    if decorate is not None:
        findings = decorate(findings)
    findings = [f for f in findings if f.path not in context.suppressions.own_paths]
    coverage = coverage_of(context.root, context.targets, tally.skips, request.excludes,
                           tally.partial)
    suppression_filters, stale, notes = context.suppressions.stage(findings, coverage)
    warnings = [*warnings, *notes]
    findings = [f for f in findings if f.confidence >= request.min_confidence]
    filters: list[FindingFilter] = [inline_allows, PolicyAllow(context.policy),
                                    *suppression_filters, *request.extra_filters]
    kept, suppressed = apply_filters(findings, filters)
    kept = gate(kept, context.policy, request.fail_on)
    suppressed = gate(suppressed, context.policy, request.fail_on)
    if not request.show_secrets:
        kept = [replace(f, secret="") for f in kept]
        suppressed = [replace(f, secret="") for f in suppressed]
    used = {f.rule_id for f in kept} | {f.rule_id for f in suppressed}
    infos = context.ruleset.infos
    stats = Stats(
        files_scanned=tally.files,
        bytes_scanned=tally.bytes,
        skipped=tuple(sorted(tally.skipped.items())),
        rule_timeouts=tally.timeouts,
        rules_loaded=len(context.ruleset),
        duration_seconds=round(time.monotonic() - started, 3),
        **(extra_stats or {}),
    )
    return Report(
        tool_version=__version__,
        root=str(context.root),
        mode=mode,
        findings=tuple(kept),
        suppressed=tuple(suppressed),
        stale=tuple(stale),
        stats=stats,
        rules={rule_id: infos[rule_id] for rule_id in sorted(used)},
        warnings=tuple(warnings),
        skips=tuple(tally.skips),
        fail_on=request.fail_on,
        secrets_shown=request.show_secrets,
        meta={"policy": context.policy.source, "max_level": str(context.policy.max_level),
              "ruleset": context.ruleset.fingerprint},
    )


