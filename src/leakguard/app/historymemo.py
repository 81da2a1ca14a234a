"""A history scan remembered per repository, so that rescanning one whose refs have not moved
costs only the attribution: the nightly audit of an unchanged repository, a re-run of a CI job.

The blob cache already spares rescanning contents, but a warm history scan still lists every
object (``rev-list --objects``), looks every blob up and walks every commit's changes (on sympy:
121,781 blobs and 63,174 commits, about 7 s). None of that can change while the refs, the rules
and the options stay the same, so the state a scan reaches before attribution is kept in the
scan cache: the blobs that had matches, the commits with their kept changes, and the counters.
A rescan with the same *slot* (repository, ruleset, options) and the same *ref state* (every
ref and HEAD) rebuilds its sightings from the cache's rows for those blobs only, and goes on to
attribution exactly as a full scan would: the report is the same.

The body holds blob ids, paths, commit ids and counters, never a secret (matches stay in the
sealed result rows); it carries the cache key's tag like every row, so it cannot be edited to
hide a finding. Nothing is remembered for a scan in which a rule timed out, git reported a
problem, or unreachable objects were asked for (they change without any ref moving).
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from leakguard.app.cacheuse import CacheUse, open_cache
from leakguard.app.pipeline import ScanRequest, Tally
from leakguard.model import Origin, OriginKind, Skipped, SkipReason
from leakguard.rules.rule import RuleSet
from leakguard.sources.gitcmd import GitRunner
from leakguard.sources.gitlog import Change, CommitRecord
from leakguard.sources.gitobjects import BlobRef

#: Bumped whenever what a history scan keeps before attribution changes.
MEMO_VERSION = "1"


@dataclass
class HistoryState:
    """What a history scan knows just before attribution."""

    matched: list[BlobRef] = field(default_factory=list)
    records: list[CommitRecord] = field(default_factory=list)
    commits: int = 0
    blobs: int = 0
    tally: Tally = field(default_factory=Tally)


def ref_state(runner: GitRunner) -> str:
    """Every ref and HEAD with what they point at: when this is unchanged, so is the history."""
    listing = runner.run(["show-ref", "--head"], check=False)
    return hashlib.sha256(listing).hexdigest()


def slot_for(base: str, common_dir: Path, revs: list[str], request: ScanRequest) -> str:
    """One remembered scan per repository, ruleset, sealing key and scan options."""
    parts = [MEMO_VERSION, base, str(common_dir.resolve()), json.dumps(revs),
             json.dumps(list(request.excludes)), str(request.max_file_size)]
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


class HistoryMemo:
    """The remembered scan of one repository under one slot, through the run's scan cache."""

    def __init__(self, use: CacheUse, slot: str, state: str) -> None:
        self.use = use
        self.slot = slot
        self.state = state

    @classmethod
    def open(cls, request: ScanRequest, ruleset: RuleSet, runner: GitRunner, common_dir: Path,
             revs: list[str], engine: str) -> tuple[HistoryMemo | None, list[str]]:
        use, warnings = open_cache(request.cache, ruleset, request.extract_options(), engine)
        if use is None:
            return None, warnings
        return cls(use, slot_for(use.keys.base, common_dir, revs, request), ref_state(runner)), \
            warnings

    def load(self) -> HistoryState | None:
        """The remembered state when the refs have not moved since it was kept, else None."""
        found = self.use.history(self.slot)
        if found is None or found[0] != self.state:
            return None
        try:
            return decode(found[1])
        except (ValueError, TypeError, KeyError, IndexError, zlib.error):
            return None

    def save(self, state: HistoryState) -> None:
        self.use.remember_history(self.slot, self.state, encode(state))

    @property
    def warnings(self) -> list[str]:
        return self.use.warnings

    def close(self) -> None:
        self.use.close()


def encode(state: HistoryState) -> bytes:
    tally = state.tally
    document = {
        "matched": [[b.oid, b.size, b.path] for b in state.matched],
        "records": [[r.sha, list(r.parents), r.time, [[c.path, c.old, c.new] for c in r.changes]]
                    for r in state.records],
        "commits": state.commits,
        "blobs": state.blobs,
        "tally": {
            "files": tally.files, "bytes": tally.bytes, "timeouts": tally.timeouts,
            "skipped": dict(tally.skipped), "partial": sorted(tally.partial),
            "skips": [[s.origin.path, s.origin.kind.value, s.origin.blob_id, s.origin.location,
                       s.reason.value, s.detail] for s in tally.skips],
        },
    }
    return zlib.compress(json.dumps(document, separators=(",", ":")).encode(), 6)


def decode(body: bytes) -> HistoryState:
    document = json.loads(zlib.decompress(body))
    saved = document["tally"]
    tally = Tally(files=int(saved["files"]), bytes=int(saved["bytes"]),
                  timeouts=int(saved["timeouts"]), skipped=Counter(saved["skipped"]),
                  skips=[Skipped(Origin(path, OriginKind(kind), blob_id, location),
                                 SkipReason(reason), detail)
                         for path, kind, blob_id, location, reason, detail in saved["skips"]],
                  partial=set(saved["partial"]))
    return HistoryState(
        matched=[BlobRef(oid, int(size), path) for oid, size, path in document["matched"]],
        records=[CommitRecord(sha, tuple(parents), int(time),
                              tuple(Change(path, old, new) for path, old, new in changes))
                 for sha, parents, time, changes in document["records"]],
        commits=int(document["commits"]), blobs=int(document["blobs"]), tally=tally)
