"""Range mode (``--range A..B``, ``--since REV`` = ``REV..HEAD``): report only secrets that the
commits of the range added.

Each commit's added lines come from git's own ``-U0`` diffs (merges as dense combined diffs), and
each new blob is scanned whole with ``Chunk.lines`` set to those lines. A secret found there is
still dropped when it already existed before the range: first the base's own trees are searched
for it, then (only for secrets not found there) every blob reachable from the base. What is left
is attributed within the range with the same graph logic as history mode.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Iterator

from leakguard.app.blobwork import BlobScan
from leakguard.app.gitoptions import GitOptions
from leakguard.app.gitscan import (
    MAX_REFS,
    decorator,
    one_version,
    open_git_context,
    path_filter,
    present_at,
    repo_warnings,
    secret_keys,
    to_history,
)
from leakguard.app.pipeline import (
    ProgressCallback,
    ProgressEvent,
    ScanRequest,
    Tally,
    finish,
    make_matcher,
    no_progress,
)
from leakguard.errors import UsageError
from leakguard.findings import SHOWN_CATEGORIES, fingerprint, hash_key
from leakguard.history import CommitGraph, SecretKey
from leakguard.model import History, Match, OriginKind, Report
from leakguard.sources.git import GitRepo, close_repo, commit_infos, list_refs
from leakguard.sources.gitdiff import range_changes
from leakguard.sources.gitlog import iter_commits
from leakguard.sources.gitobjects import BlobReader, BlobRef, list_blobs, object_info


def run_range_scan(request: ScanRequest, options: GitOptions,
                   progress: ProgressCallback | None = None) -> Report:
    """Scan what the commits of a range added; report secrets new to the repository."""
    started = time.monotonic()
    progress = progress or no_progress
    repo, context = open_git_context(request)
    try:
        spec, option = (options.range, "--range") if options.range else \
            (f"{options.since}..HEAD", "--since")
        tip, bases = resolve_range(repo, spec or "", option)
        excluded = path_filter(request)
        progress(ProgressEvent("reading the range", 0))
        wanted: dict[tuple[str, str], frozenset[int] | None] = {}
        commits = 0
        for commit in range_changes(repo.runner, [spec or ""]):
            commits += 1
            for change in commit.files:
                if excluded(change.path):
                    continue
                key = (change.path, change.blob)
                wanted[key] = _union(wanted[key], change.lines) if key in wanted else change.lines
        sizes = object_info(repo.runner, [blob for _, blob in wanted])
        blobs = [BlobRef(blob, info[2] if info else -1, path, lines)
                 for ((path, blob), lines), info in zip(wanted.items(), sizes, strict=True)]
        tally = Tally()
        matcher, engine_warnings = make_matcher(context.ruleset, request)
        scan = BlobScan(repo.runner, matcher, context.ruleset, request, tally)
        matches = scan.matches(blobs, OriginKind.DIFF, progress, "scanning changes")
        # Labels (CONFIDENTIAL banners, proprietary headers) are not secrets: the same word
        # elsewhere in the base says nothing about this new document, so only values are
        # looked up in the base.
        values = [m for m in matches
                  if context.ruleset[m.rule_id].spec.category not in SHOWN_CATEGORIES]
        known = existing_secrets(repo, bases, {m.secret for m in values}, request.max_file_size,
                                 progress)
        old = {(m.rule_id, m.secret) for m in values if m.secret in known}
        kept = [m for m in matches if (m.rule_id, m.secret) not in old]
        warnings = [*repo_warnings(repo, len(context.ruleset), []), *engine_warnings,
                    *scan.warnings]
        dropped = len(old)
        if dropped:
            warnings.append(f"{dropped} secret(s) on changed lines already existed before the "
                            "range and are not reported again (a --history scan lists them)")
        if not commits:
            warnings.append(f"the range {spec} holds no commits: nothing was scanned")
        histories, kept = _attribute(repo, spec or "", kept, tip)
        return finish(context=context, request=request, matches=kept, tally=tally,
                      started=started, mode="range", decorate=decorator(histories),
                      warnings=warnings, extra_stats={"commits": commits, "blobs": len(blobs)})
    finally:
        close_repo(repo)


def resolve_range(repo: GitRepo, spec: str, option: str) -> tuple[str | None, list[str]]:
    """The range's (last) positive end and its negative ends (the base); errors name the
    option."""
    if ".." not in spec or spec.startswith("-"):
        raise UsageError(f"{option}: {spec!r} is not a commit range (example: main..feature)")
    output = repo.runner.run(["rev-parse", "--revs-only", "--end-of-options", spec], check=False)
    lines = output.decode("ascii", "replace").split()
    if not lines:
        hint = " (a shallow clone may lack it: fetch more history)" if repo.shallow else ""
        raise UsageError(f"{option}: {spec!r} names a commit this repository does not have{hint}")
    positives = [line for line in lines if not line.startswith("^")]
    bases = [line[1:] for line in lines if line.startswith("^")]
    return (positives[-1] if positives else None), bases


def existing_secrets(repo: GitRepo, bases: list[str], secrets: set[str], max_size: int,
                     progress: ProgressCallback) -> set[str]:
    """The secrets that occur anywhere reachable from the base: its trees first, then (for
    those still unseen) its whole history."""
    if not bases or not secrets:
        return set()
    found: set[str] = set()
    seen: set[str] = set()
    tree_blobs: list[BlobRef] = []
    for base in bases:
        output = repo.runner.run(["ls-tree", "-r", "-z", "-l", base], check=False)
        for entry in output.split(b"\0"):
            meta, _, _path = entry.partition(b"\t")
            parts = meta.split()
            if len(parts) == 4 and parts[1] == b"blob" and parts[3].isdigit():
                oid = parts[2].decode("ascii")
                if oid not in seen:
                    seen.add(oid)
                    tree_blobs.append(BlobRef(oid, int(parts[3]), ""))
    _search(repo, tree_blobs, secrets, found, max_size)
    if found >= secrets:
        return found
    progress(ProgressEvent("searching the base's history", 0))
    history, _ = list_blobs(repo.runner, bases)
    _search(repo, (b for b in history if b.oid not in seen), secrets, found, max_size)
    return found


def _search(repo: GitRepo, blobs: Iterable[BlobRef], secrets: set[str], found: set[str],
            max_size: int) -> None:
    needles = {secret: _encodings(secret) for secret in secrets}
    with BlobReader(repo.runner) as reader:
        for data in _contents(reader, blobs, max_size):
            for secret, encoded in needles.items():
                if secret not in found and any(n in data for n in encoded):
                    found.add(secret)
            if len(found) == len(secrets):
                return


def _contents(reader: BlobReader, blobs: Iterable[BlobRef], max_size: int) -> Iterator[bytes]:
    window: list[str] = []
    for blob in blobs:
        if 0 <= blob.size <= max_size:
            window.append(blob.oid)
        if len(window) >= 64:
            yield from (data for _, data, _ in reader.read(window) if data is not None)
            window = []
    yield from (data for _, data, _ in reader.read(window) if data is not None)


def _encodings(secret: str) -> tuple[bytes, ...]:
    forms = {secret.encode("utf-8", "replace")}
    with contextlib.suppress(UnicodeEncodeError):
        forms.add(secret.encode("latin-1"))
    return tuple(forms)


def _union(a: frozenset[int] | None, b: frozenset[int] | None) -> frozenset[int] | None:
    return None if a is None or b is None else a | b


def _attribute(repo: GitRepo, spec: str, matches: list[Match], tip: str | None
               ) -> tuple[dict[str, History], list[Match]]:
    """Histories within the range: which of its commits added each secret, which removed it,
    and whether the range's end still holds it.

    Matches only cover added lines, so a later commit that edits another line of the file
    would look like a removal; every blob the range left at a finding's path is therefore
    searched for the secret to know which commits hold it.
    """
    keys = secret_keys(matches)
    if not keys:
        return {}, matches
    key = hash_key()
    secrets = {fingerprint(key, m.rule_id, m.origin.path, m.secret): m.secret for m in matches}
    records = list(iter_commits(repo.runner, [spec]))
    paths = {k.path for k in keys.values()}
    at_paths = {(change.path, change.new) for record in records for change in record.changes
                if change.path in paths and change.new.strip("0")}
    holders: dict[str, set[str]] = {fp: set(k.blobs) for fp, k in keys.items()}
    by_path: dict[str, list[str]] = {}
    for fp, k in keys.items():
        by_path.setdefault(k.path, []).append(fp)
    with BlobReader(repo.runner) as reader:
        ordered = sorted(at_paths)
        answers = reader.read([blob for _, blob in ordered])
        for (path, blob), (_, data, _) in zip(ordered, answers, strict=True):
            for fp in by_path.get(path, ()):
                if data is not None and any(n in data for n in _encodings(secrets[fp])):
                    holders[fp].add(blob)
    keys = {fp: SecretKey(k.path, frozenset(holders[fp])) for fp, k in keys.items()}
    graph = CommitGraph({blob for blobs in holders.values() for blob in blobs})
    for record in records:
        graph.add(record)
    present = present_at(repo, tip, keys.values())
    tips = [(t.name, t.commit) for t in list_refs(repo)]
    traces = graph.trace(keys.values(), tips, present, max_refs=MAX_REFS)
    infos = commit_infos(repo, {sha for t in traces.values() for sha in (t.introduced, t.removed)
                                if sha})
    histories = {fp: to_history(traces[k], k in present, infos) for fp, k in keys.items()}
    return histories, one_version(matches, keys, present, traces)
