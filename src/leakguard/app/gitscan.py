"""What the git modes (history, range, staged) share: the request, opening the repository,
findings' git identity (which blobs hold each finding) and the evidence attached to findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from leakguard.app.pipeline import STDIN_TARGET, ScanContext, ScanRequest, load_rules_for
from leakguard.app.suppressions import load_suppression_files
from leakguard.errors import UsageError
from leakguard.findings import fingerprint, hash_key
from leakguard.history import SecretKey, Trace
from leakguard.model import CommitInfo, Finding, History, Match, Origin, OriginKind, Skipped, SkipReason
from leakguard.policy import load_policy
from leakguard.sources.files import TreeOptions
from leakguard.sources.git import GitRepo, open_repo
from leakguard.sources.gitobjects import object_info

#: A finding lists at most this many refs (branches first, then tags, remotes, the rest).
MAX_REFS = 100


def open_git_context(request: ScanRequest, *, files_allowed: bool = False,
                     covers_root: bool = False) -> tuple[GitRepo, ScanContext]:
    """The repository PATH names, with its policy, rules and suppression files (baseline,
    ignore file); PATH must be in a repository.

    ``covers_root`` says the mode reads every path (history): only then can a baseline entry
    that matched nothing be called stale. Range and staged scans read what changed, so they
    judge no entry stale.
    """
    targets = tuple(request.targets) or (".",)
    if STDIN_TARGET in targets:
        raise UsageError("'-' (stdin) cannot be scanned in a git mode")
    if len(targets) > 1 and not files_allowed:
        raise UsageError("a git mode scans one repository: give one PATH")
    first = Path(targets[0])
    if files_allowed:
        repo = open_repo(first if first.is_dir() else first.absolute().parent)
    elif first.exists() and not first.is_dir():
        raise UsageError(f"PATH {targets[0]!r} is a file; this git mode needs the repository's "
                         "folder (or a bare repository)")
    else:
        repo = open_repo(first)
    policy = load_policy(repo.root, request.config)
    ruleset = load_rules_for(policy, request.rule_paths, request.use_default_rules)
    suppressions = load_suppression_files(
        repo.root, request.baseline, use_ignore_file=request.use_ignore_file,
        by_secret=request.false_positives_everywhere)
    targets = (repo.root,) if covers_root else ()
    return repo, ScanContext(repo.root, targets, False, policy, ruleset, suppressions)


def path_filter(request: ScanRequest) -> Callable[[str], bool]:
    """True for paths ``--exclude`` leaves out."""
    options = TreeOptions(excludes=request.excludes)
    return options.excluded


def secret_keys(matches: Iterable[Match]) -> dict[str, SecretKey]:
    """Each finding's fingerprint -> its path and the blobs it was found in."""
    key = hash_key()
    blobs: dict[str, tuple[str, set[str]]] = {}
    for match in matches:
        fp = fingerprint(key, match.rule_id, match.origin.path, match.secret)
        entry = blobs.setdefault(fp, (match.origin.path, set()))
        if match.origin.blob_id:
            entry[1].add(match.origin.blob_id)
    return {fp: SecretKey(path, frozenset(ids)) for fp, (path, ids) in blobs.items()}


def present_at(repo: GitRepo, commit: str | None, keys: Iterable[SecretKey]
               ) -> dict[SecretKey, str]:
    """The keys whose path holds one of their blobs in ``commit`` (HEAD, a range's end), with
    that blob."""
    keys = list(dict.fromkeys(keys))
    if commit is None or not keys:
        return {}
    answers = object_info(repo.runner, [f"{commit}:{key.path}" for key in keys])
    return {key: answer[0] for key, answer in zip(keys, answers, strict=True)
            if answer is not None and answer[0] in key.blobs}


def one_version(matches: Iterable[Match], keys: Mapping[str, SecretKey],
                present: Mapping[SecretKey, str], traces: Mapping[SecretKey, Trace]
                ) -> list[Match]:
    """Keep, for each finding, the matches of one version of its file: the one at HEAD when
    HEAD has it, else the one that introduced it. Lines and occurrences then describe a real
    file, not a sum over every version in history."""
    hkey = hash_key()
    groups: dict[str, list[Match]] = {}
    for match in matches:
        fp = fingerprint(hkey, match.rule_id, match.origin.path, match.secret)
        groups.setdefault(fp, []).append(match)
    kept: list[Match] = []
    for fp, members in groups.items():
        key = keys.get(fp)
        trace = traces.get(key) if key is not None else None
        preferred = (present.get(key) if key is not None else None,
                     trace.introduced_blob if trace is not None else None)
        found = {m.origin.blob_id for m in members}
        pick = next((blob for blob in preferred if blob in found), members[0].origin.blob_id)
        kept.extend(m for m in members if m.origin.blob_id == pick)
    return kept


def to_history(trace: Trace, present: bool, infos: Mapping[str, CommitInfo]) -> History:
    def info(sha: str | None) -> CommitInfo | None:
        return infos.get(sha) if sha else None

    return History(introduced=info(trace.introduced), removed=info(trace.removed),
                   present_at_head=present, refs=trace.refs[:MAX_REFS], commits=trace.commits)


def decorator(histories: Mapping[str, History]) -> Callable[[list[Finding]], list[Finding]]:
    """The ``decorate`` callback for ``finish``: attach each finding's history."""
    def decorate(findings: list[Finding]) -> list[Finding]:
        return [replace(f, history=histories.get(f.fingerprint, f.history)) for f in findings]
    return decorate


def submodule_skips(repo: GitRepo, commit: str | None) -> list[Skipped]:
    """Submodules (gitlinks) at ``commit``: not recursed into, and said so."""
    if commit is None:
        return []
    output = repo.runner.run(["ls-tree", "-r", "-z", commit], check=False)
    skips = []
    for entry in output.split(b"\0"):
        meta, _, path = entry.partition(b"\t")
        if meta.startswith(b"160000 "):
            skips.append(Skipped(Origin(path.decode("utf-8", "replace"), OriginKind.BLOB),
                                 SkipReason.SUBMODULE, "submodules are not scanned; scan each "
                                 "submodule's repository separately"))
    return skips


def repo_warnings(repo: GitRepo, rules_loaded: int, submodules: Sequence[Skipped]) -> list[str]:
    warnings = []
    if not rules_loaded:
        warnings.append("no rules are loaded: nothing can be found")
    if repo.shallow:
        warnings.append("this is a shallow clone: history before its oldest commits is missing, "
                        "and secrets may be attributed to the oldest commit present "
                        "(fetch with --unshallow for a complete scan)")
    if submodules:
        names = ", ".join(skip.origin.path for skip in submodules[:5])
        more = f" and {len(submodules) - 5} more" if len(submodules) > 5 else ""
        warnings.append(f"submodules are not scanned: {names}{more} (scan each separately)")
    return warnings
