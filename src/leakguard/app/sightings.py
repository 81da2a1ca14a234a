"""What history mode keeps while it scans: which blobs hold each secret, not every match.

A file such as AUTHORS holds hundreds of e-mail addresses in each of its hundreds of versions;
keeping every match of every version would hold hundreds of thousands of matches. History mode
keeps, per (rule, secret), the set of blob ids and one sample match, which is all attribution
needs. Once each finding's representative version is known (the one at HEAD, else the one that
introduced it) that single blob is scanned again at the finding's path, so line numbers and
occurrences describe a real file.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from leakguard.engine.matcher import Matcher
from leakguard.findings import fingerprint, hash_key
from leakguard.history import CommitGraph, SecretKey
from leakguard.model import Chunk, Match, Origin, OriginKind
from leakguard.rules.rule import RuleSet
from leakguard.sources.content import content_items
from leakguard.sources.extract import ExtractOptions
from leakguard.sources.extract.base import container_path
from leakguard.sources.gitcmd import GitRunner
from leakguard.sources.gitobjects import BlobReader

#: (rule id, secret, member): ``member`` is the part of a match's path inside its blob, such as
#: ``!/docs/plan.docx`` for a document inside ``bundle.zip``, and empty for the blob itself.
SecretRef = tuple[str, str, str]


@dataclass
class Sightings:
    """Blobs holding each (rule, secret), one sample match of each, each blob's scanned path."""

    blobs: dict[SecretRef, set[str]] = field(default_factory=lambda: defaultdict(set))
    samples: dict[SecretRef, Match] = field(default_factory=dict)
    scanned_path: dict[str, str] = field(default_factory=dict)

    def add(self, matches: Iterable[Match]) -> None:
        for match in matches:
            blob = match.origin.blob_id or ""
            container = container_path(match.origin.path)
            ref = (match.rule_id, match.secret, match.origin.path[len(container):])
            self.blobs[ref].add(blob)
            self.samples.setdefault(ref, match)
            self.scanned_path.setdefault(blob, container)

    def matched_blobs(self) -> set[str]:
        return {blob for blobs in self.blobs.values() for blob in blobs}


@dataclass(frozen=True)
class Located:
    """A finding in git terms: its rule, path and secret, and the blobs holding it there.

    ``key.path`` is the path git knows (what attribution follows through commits); ``member``
    the place inside that blob when the secret sits in an archive member or embedded document.
    """

    rule_id: str
    secret: str
    key: SecretKey
    member: str = ""

    @property
    def path(self) -> str:
        return self.key.path + self.member


def locate(sightings: Sightings, graph: CommitGraph, ruleset: RuleSet,
           excluded: Callable[[str], bool]) -> dict[str, Located]:
    """Every (rule, path, secret) by fingerprint: each blob's secrets at every path the blob
    lived at (a copy or a move is a finding of its own), where the rule applies there."""
    hkey = hash_key()
    found: dict[str, tuple[str, str, str, str, set[str]]] = {}
    for (rule_id, secret, member), blobs in sightings.blobs.items():
        rule = ruleset[rule_id]
        for blob in blobs:
            scanned = sightings.scanned_path.get(blob, "")
            for path in graph.paths_of(blob) or {scanned}:
                if path != scanned and (excluded(path) or not rule.applies_to(path + member)):
                    continue
                fp = fingerprint(hkey, rule_id, path + member, secret)
                found.setdefault(fp, (rule_id, path, member, secret, set()))[4].add(blob)
    return {fp: Located(rule_id, secret, SecretKey(path, frozenset(blobs)), member)
            for fp, (rule_id, path, member, secret, blobs) in found.items()}


def representative_matches(runner: GitRunner, matcher: Matcher, located: Mapping[str, Located],
                           chosen: Mapping[str, str], sightings: Sightings,
                           max_size: int, options: ExtractOptions | None = None) -> list[Match]:
    """Matches of each finding in its chosen blob, scanned again at the finding's path; the
    sample match (moved to that path) when the blob cannot be scanned again."""
    hkey = hash_key()
    wanted: dict[tuple[str, str], set[str]] = defaultdict(set)
    for fp, blob in chosen.items():
        wanted[(blob, located[fp].key.path)].add(fp)
    matches: list[Match] = []
    covered: set[str] = set()
    order = sorted(wanted)
    with BlobReader(runner) as reader:
        for (blob, path), (_, data, _) in zip(order, reader.read([b for b, _ in order]),
                                              strict=True):
            if data is None or len(data) > max_size:
                continue
            # ``path`` is the blob's path; a finding inside an archive member or an embedded
            # document comes back at its full path (``bundle.zip!/plan.docx``), as fingerprinted.
            origin = Origin(path, OriginKind.BLOB, blob)
            for item in content_items(origin, data, options):
                if not isinstance(item, Chunk):
                    continue
                for match in matcher.scan(item).matches:
                    fp = fingerprint(hkey, match.rule_id, match.origin.path, match.secret)
                    if fp in wanted[(blob, path)]:
                        matches.append(match)
                        covered.add(fp)
    for fp, where in located.items():
        if fp not in covered:
            sample = sightings.samples[(where.rule_id, where.secret, where.member)]
            origin = replace(sample.origin, path=where.path,
                             blob_id=chosen.get(fp, sample.origin.blob_id))
            matches.append(replace(sample, origin=origin))
    return matches
