"""Questions a security team asks of the sweep database, answered as plain values.

"What is each repository's worst level?", "what is new since last week?" (``new``: first seen in
the run), "what was fixed?" (``fixed``: present at the repository's previous successful scan,
gone now). Rows convert to model Findings so every reporter can render them.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from leakguard.errors import UsageError
from leakguard.model import Category, CommitInfo, Confidence, Finding, History, Level
from leakguard.sweep.store import Run, Store

OK_STATUSES = ("ok", "unchanged")


@dataclass(frozen=True)
class ResultsQuery:
    run: int | None = None
    new: bool = False
    fixed: bool = False
    level: Level | None = None
    category: str | None = None
    rule: str | None = None
    repo: str | None = None


@dataclass(frozen=True)
class RepoSummary:
    source: str
    status: str
    error: str
    worst_level: Level | None
    findings: int
    violations: int
    by_category: dict[str, int]
    duration: float
    bytes: int
    refs: dict[str, str]


def resolve_run(store: Store, run_id: int | None) -> Run:
    run = store.run(run_id) if run_id is not None else store.latest_run()
    if run is None:
        raise UsageError(f"--run {run_id}: no such run" if run_id is not None else
                         "the database holds no sweep yet")
    return run


def _filters(query: ResultsQuery) -> tuple[str, list[Any]]:
    clauses, params = [], []
    if query.level is not None:
        levels = [lv.value for lv in Level if lv >= query.level]
        clauses.append(f"f.level IN ({','.join('?' * len(levels))})")
        params += levels
    if query.category:
        clauses.append("f.category = ?")
        params.append(query.category)
    if query.rule:
        clauses.append("f.rule_id = ?")
        params.append(query.rule)
    if query.repo:
        clauses.append("r.source LIKE ?")
        params.append(f"%{query.repo}%")
    return "".join(f" AND {c}" for c in clauses), params


def finding_rows(store: Store, run: Run, query: ResultsQuery) -> list[dict[str, Any]]:
    where, params = _filters(query)
    select = "SELECT r.source, f.* FROM findings f JOIN repositories r ON r.id = f.repo_id"
    if query.fixed:
        sql = (f"{select} JOIN repo_scans s ON s.repo_id = f.repo_id AND s.run_id = ? "
               "AND s.status IN ('ok', 'unchanged') WHERE f.last_seen_run = ("
               "SELECT MAX(p.run_id) FROM repo_scans p WHERE p.repo_id = f.repo_id "
               "AND p.run_id < ? AND p.status IN ('ok', 'unchanged'))")
        base = [run.id, run.id]
    elif query.new:
        sql = f"{select} WHERE f.first_seen_run = ?"
        base = [run.id]
    else:
        sql = f"{select} WHERE f.first_seen_run <= ? AND f.last_seen_run >= ?"
        base = [run.id, run.id]
    rows = store.query(f"{sql}{where} ORDER BY r.source, f.path, f.line, f.rule_id",
                       [*base, *params])
    return [dict(row) for row in rows]


def summaries(store: Store, run: Run, query: ResultsQuery) -> list[RepoSummary]:
    """One line per repository scanned in the run: status, worst level, counts by category."""
    current = finding_rows(store, run, ResultsQuery(run=run.id, repo=query.repo))
    by_repo: dict[str, list[dict[str, Any]]] = {}
    for row in current:
        by_repo.setdefault(row["source"], []).append(row)
    result = []
    for scan in store.scans(run.id):
        if query.repo and query.repo not in scan["source"]:
            continue
        rows = by_repo.get(scan["source"], [])
        levels = [Level(row["level"]) for row in rows]
        result.append(RepoSummary(
            source=scan["source"], status=scan["status"], error=scan["error"],
            worst_level=max(levels) if levels else None, findings=len(rows),
            violations=sum(row["violation"] for row in rows),
            by_category=dict(sorted(Counter(row["category"] for row in rows).items())),
            duration=scan["duration"], bytes=scan["bytes"], refs=json.loads(scan["refs"]),
        ))
    return result


def to_finding(row: dict[str, Any]) -> Finding:
    """A stored row as a model Finding (no secret: the store never had one)."""
    introduced = None
    if row["introduced_commit"]:
        introduced = CommitInfo(row["introduced_commit"], row["introduced_author"] or "",
                                row["introduced_email"] or "", row["introduced_date"] or "", "")
    removed = CommitInfo(row["removed_commit"], "", "", "", "") if row["removed_commit"] else None
    history = None
    if row["present_at_head"] is not None or introduced is not None:
        history = History(introduced=introduced, removed=removed,
                          present_at_head=bool(row["present_at_head"]),
                          refs=tuple(json.loads(row["refs"] or "[]")))
    return Finding(
        rule_id=row["rule_id"], level=Level(row["level"]), category=Category(row["category"]),
        confidence=Confidence(row["confidence"]), path=row["path"], line=row["line"], column=1,
        end_line=row["line"], end_column=1, fingerprint=row["fingerprint"],
        secret_id=row["secret_id"], redacted=row["redacted"], location=row["location"],
        allowed_level=Level(row["allowed_level"]) if row["allowed_level"] else None,
        violation=bool(row["violation"]), history=history,
    )
