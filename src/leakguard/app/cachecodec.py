"""How one work item's result is stored in the scan cache, and read back.

Events (chunks and skips: sizes, locations, reasons; nothing secret) are stored in clear,
matches as a payload the cache seals. Both use ``marshal``: many times faster than JSON for the
hundred thousand rows and millions of matches a history can hold, and it only ever reads data
this code wrote, because every row's tag is verified before anything in it is decoded. Its
format may change between Python versions, so the Python version is part of every scan key.

Matches are rebuilt without the dataclass ``__init__`` (field by field, as ``pickle`` does): a
warm rescan of a repository's history rebuilds them by the million.
"""

from __future__ import annotations

import marshal
import sys
from dataclasses import fields

from leakguard.app.work import ChunkDone, ItemResult, WorkItem
from leakguard.model import Confidence, InlineAllow, Match, Origin, OriginKind, Skipped, SkipReason

FORMAT = f"2/py{sys.version_info[0]}.{sys.version_info[1]}"
_FIELDS = tuple(field.name for field in fields(Match))
_CONFIDENCE = {member.value: member for member in Confidence}
_CONFIDENCE_NAME = {member: member.value for member in Confidence}


def _origin_fields(origin: Origin, base: Origin) -> tuple[str | None, str | None]:
    if origin.path != base.path or origin.blob_id != base.blob_id:
        raise ValueError("a chunk reported under another path cannot be cached")
    return (None if origin.kind == base.kind else str(origin.kind)), origin.location


def _origin(kind: str | None, location: str | None, base: Origin) -> Origin:
    if kind is None and location is None:
        return base
    return Origin(base.path, OriginKind(kind) if kind else base.kind, base.blob_id, location)


def encode_result(result: ItemResult, base: Origin) -> tuple[bytes, bytes | None]:
    """(events, matches payload or None); ValueError when the result is not cacheable."""
    events = []
    for event in result.events:
        if isinstance(event, Skipped):
            events.append(("s", *_origin_fields(event.origin, base), str(event.reason), event.detail))
        else:
            events.append(("c", *_origin_fields(event.origin, base), event.size))
    fields_of: dict[int, tuple[str | None, str | None]] = {}
    matches = []
    for m in result.matches:
        origin_fields = fields_of.get(id(m.origin))
        if origin_fields is None:
            origin_fields = fields_of[id(m.origin)] = _origin_fields(m.origin, base)
        matches.append((
            m.rule_id, *origin_fields, m.start, m.end, m.secret_start, m.secret_end, m.secret,
            m.line, m.column, m.end_line, m.end_column, _CONFIDENCE_NAME[m.confidence], m.snippet,
            None if m.allow is None else (m.allow.rule, m.allow.reason), m.extra,
        ))
    payload = marshal.dumps(matches) if matches else None
    return marshal.dumps(tuple(events)), payload


def _match(values: tuple) -> Match:
    match = object.__new__(Match)
    match.__dict__.update(zip(_FIELDS, values, strict=True))
    return match


def decode_result(item: WorkItem, content: str, stored_events: bytes, payload: bytes | None
                  ) -> ItemResult:
    """The cached result for ``item``: origins rebuilt from the item's, ``cached`` set."""
    base = item.origin
    events: list[ChunkDone | Skipped] = []
    for event in marshal.loads(stored_events):
        if event[0] == "s":
            events.append(Skipped(_origin(event[1], event[2], base), SkipReason(event[3]), event[4]))
        else:
            events.append(ChunkDone(_origin(event[1], event[2], base), event[3]))
    matches = []
    origins: dict[tuple[str | None, str | None], Origin] = {}
    stored = marshal.loads(payload) if payload else ()
    for (rule_id, kind, location, start, end, secret_start, secret_end, secret, line, column,
         end_line, end_column, confidence, snippet, allow, extra) in stored:
        origin = origins.get((kind, location))
        if origin is None:
            origin = origins[(kind, location)] = _origin(kind, location, base)
        matches.append(_match((
            rule_id, origin, start, end, secret_start, secret_end, secret, line, column, end_line,
            end_column, _CONFIDENCE[confidence], snippet,
            None if allow is None else InlineAllow(allow[0], allow[1]), extra,
        )))
    return ItemResult(item.index, tuple(events), tuple(matches), content, cached=True)
