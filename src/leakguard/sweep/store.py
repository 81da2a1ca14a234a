"""The sweep database: runs, repositories, per-run scans and findings with first/last seen.

One writer (the coordinating process); each repository's results land in one transaction, with
WAL and ``synchronous=FULL``, so Ctrl-C, ``kill -9`` or a power cut loses no finished repository.
The schema is versioned and migrated forward in order; a database from a newer leakguard is
refused rather than damaged. No secret is ever stored: findings hold the redacted preview and
the keyed ``secret_id``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from leakguard.errors import InputError
from leakguard.sweep.task import RepoResult

MIGRATIONS: tuple[str, ...] = (
    # 1: the first schema.
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL,              -- running, finished, interrupted
        targets_hash TEXT NOT NULL,
        targets INTEGER NOT NULL,
        args TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE repositories (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL UNIQUE,
        path TEXT,
        current_run INTEGER,               -- last run whose scan of it succeeded or was unchanged
        refs_hash TEXT                     -- refs at that scan
    );
    CREATE TABLE repo_scans (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        repo_id INTEGER NOT NULL REFERENCES repositories(id),
        status TEXT NOT NULL,              -- ok, unchanged, failed
        error TEXT NOT NULL DEFAULT '',
        duration REAL NOT NULL DEFAULT 0,
        bytes INTEGER NOT NULL DEFAULT 0,
        refs TEXT NOT NULL DEFAULT '{}',   -- {ref: object id}: the head of each ref
        policy TEXT NOT NULL DEFAULT '',
        findings INTEGER NOT NULL DEFAULT 0,
        violations INTEGER NOT NULL DEFAULT 0,
        finished_at TEXT NOT NULL,
        PRIMARY KEY (run_id, repo_id)
    );
    CREATE TABLE findings (
        id INTEGER PRIMARY KEY,
        repo_id INTEGER NOT NULL REFERENCES repositories(id),
        fingerprint TEXT NOT NULL,
        secret_id TEXT NOT NULL,
        rule_id TEXT NOT NULL,
        rule_name TEXT NOT NULL DEFAULT '',
        level TEXT NOT NULL,
        category TEXT NOT NULL,
        confidence TEXT NOT NULL,
        path TEXT NOT NULL,
        line INTEGER NOT NULL,
        location TEXT,
        redacted TEXT NOT NULL,
        violation INTEGER NOT NULL,
        allowed_level TEXT,
        introduced_commit TEXT,
        introduced_author TEXT,
        introduced_email TEXT,
        introduced_date TEXT,
        removed_commit TEXT,
        present_at_head INTEGER,
        refs TEXT NOT NULL DEFAULT '[]',
        first_seen_run INTEGER NOT NULL REFERENCES runs(id),
        last_seen_run INTEGER NOT NULL REFERENCES runs(id),
        UNIQUE (repo_id, fingerprint)
    );
    CREATE INDEX findings_seen ON findings(repo_id, last_seen_run);
    CREATE INDEX findings_first ON findings(first_seen_run);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Run:
    id: int
    started_at: str
    finished_at: str | None
    status: str
    targets_hash: str
    targets: int


class Store:
    """A thin, typed wrapper over the sweep database."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.db = connection
        self.path = path

    # -- opening and migrating ----------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, create: bool = True) -> Store:
        if not create and not path.is_file():
            raise InputError(f"--db {str(path)!r} does not exist (run `leakguard sweep` first)")
        if path.exists() and path.is_dir():
            raise InputError(f"--db {str(path)!r} is a folder")
        try:
            connection = sqlite3.connect(str(path), timeout=30, isolation_level=None)
            connection.row_factory = sqlite3.Row
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            connection.execute("PRAGMA foreign_keys=ON")
            store = cls(connection, path)
            store._migrate()
        except sqlite3.DatabaseError as exc:
            raise InputError(f"--db {str(path)!r} is not a leakguard database ({exc})") from None
        return store

    def _migrate(self) -> None:
        self.db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        version = int(row["value"]) if row else 0
        if version > SCHEMA_VERSION:
            raise InputError(f"--db {str(self.path)!r} has schema version {version}; this "
                             f"leakguard reads up to {SCHEMA_VERSION} (upgrade leakguard)")
        for number in range(version + 1, SCHEMA_VERSION + 1):
            with self.transaction():
                for statement in _statements(MIGRATIONS[number - 1]):
                    self.db.execute(statement)
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                                (str(number),))

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()

    # -- runs -----------------------------------------------------------------------------------

    def _run(self, row: sqlite3.Row | None) -> Run | None:
        if row is None:
            return None
        return Run(row["id"], row["started_at"], row["finished_at"], row["status"],
                   row["targets_hash"], row["targets"])

    def resumable_run(self, targets_hash: str) -> Run | None:
        """The latest run, if it did not finish and swept the same targets."""
        run = self.latest_run()
        if run and run.status != "finished" and run.targets_hash == targets_hash:
            return run
        return None

    def start_run(self, targets_hash: str, targets: int, args: dict[str, Any]) -> Run:
        with self.transaction():
            cursor = self.db.execute(
                "INSERT INTO runs (started_at, status, targets_hash, targets, args) "
                "VALUES (?, 'running', ?, ?, ?)", (_now(), targets_hash, targets, json.dumps(args)))
        run = self.run(int(cursor.lastrowid or 0))
        assert run is not None
        return run

    def reopen_run(self, run: Run) -> None:
        with self.transaction():
            self.db.execute("UPDATE runs SET status='running', finished_at=NULL WHERE id=?",
                            (run.id,))

    def finish_run(self, run_id: int, status: str) -> None:
        with self.transaction():
            self.db.execute("UPDATE runs SET status=?, finished_at=? WHERE id=?",
                            (status, _now(), run_id))

    def run(self, run_id: int) -> Run | None:
        return self._run(self.db.execute("SELECT * FROM runs WHERE id=?", (run_id,)).fetchone())

    def latest_run(self) -> Run | None:
        return self._run(self.db.execute("SELECT * FROM runs ORDER BY id DESC LIMIT 1").fetchone())

    def runs(self) -> list[Run]:
        return [r for r in (self._run(row) for row in
                            self.db.execute("SELECT * FROM runs ORDER BY id")) if r]

    def previous_run(self, run_id: int) -> Run | None:
        row = self.db.execute("SELECT * FROM runs WHERE id<? ORDER BY id DESC LIMIT 1",
                              (run_id,)).fetchone()
        return self._run(row)

    # -- repositories ---------------------------------------------------------------------------

    def last_refs_hash(self, source: str) -> str | None:
        row = self.db.execute("SELECT refs_hash FROM repositories WHERE source=?",
                              (source,)).fetchone()
        return row["refs_hash"] if row else None

    def scanned_in_run(self, run_id: int) -> set[str]:
        rows = self.db.execute(
            "SELECT r.source FROM repo_scans s JOIN repositories r ON r.id=s.repo_id "
            "WHERE s.run_id=?", (run_id,))
        return {row["source"] for row in rows}

    def _repo_id(self, source: str, path: str | None) -> int:
        self.db.execute("INSERT INTO repositories (source, path) VALUES (?, ?) "
                        "ON CONFLICT(source) DO UPDATE SET path=COALESCE(excluded.path, path)",
                        (source, path))
        return int(self.db.execute("SELECT id FROM repositories WHERE source=?",
                                   (source,)).fetchone()["id"])

    def record(self, run_id: int, result: RepoResult) -> None:
        """Write one repository's outcome in one transaction."""
        with self.transaction():
            repo_id = self._repo_id(result.source, result.path)
            previous = self.db.execute("SELECT current_run FROM repositories WHERE id=?",
                                       (repo_id,)).fetchone()["current_run"]
            findings = (result.report or {}).get("findings", [])
            violations = sum(1 for f in findings if f.get("violation"))
            if result.status == "unchanged" and previous is not None:
                self.db.execute("UPDATE findings SET last_seen_run=? WHERE repo_id=? AND "
                                "last_seen_run=?", (run_id, repo_id, previous))
                counts = self.db.execute(
                    "SELECT COUNT(*) AS n, COALESCE(SUM(violation), 0) AS v FROM findings "
                    "WHERE repo_id=? AND last_seen_run=?", (repo_id, run_id)).fetchone()
                total, violations = counts["n"], counts["v"]
            else:
                total = len(findings)
                for finding in findings:
                    self._upsert_finding(repo_id, run_id, finding)
            if result.status in ("ok", "unchanged"):
                self.db.execute("UPDATE repositories SET current_run=?, refs_hash=? WHERE id=?",
                                (run_id, result.refs_hash, repo_id))
            self.db.execute(
                "INSERT OR REPLACE INTO repo_scans (run_id, repo_id, status, error, duration, "
                "bytes, refs, policy, findings, violations, finished_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (run_id, repo_id, result.status, result.error, round(result.duration, 3),
                 result.bytes, json.dumps(result.refs, sort_keys=True), result.policy, total,
                 violations, _now()))

    def _upsert_finding(self, repo_id: int, run_id: int, finding: dict[str, Any]) -> None:
        history = finding.get("history") or {}
        introduced = history.get("introduced") or {}
        removed = history.get("removed") or {}
        values = {
            "repo_id": repo_id, "fingerprint": finding["fingerprint"],
            "secret_id": finding["secret_id"], "rule_id": finding["rule_id"],
            "rule_name": finding.get("rule_name", ""), "level": finding["level"],
            "category": finding["category"], "confidence": finding["confidence"],
            "path": finding["path"], "line": finding["line"], "location": finding.get("location"),
            "redacted": finding["redacted"], "violation": int(bool(finding.get("violation"))),
            "allowed_level": finding.get("allowed_level"),
            "introduced_commit": introduced.get("sha"),
            "introduced_author": introduced.get("author"),
            "introduced_email": introduced.get("email"),
            "introduced_date": introduced.get("date"),
            "removed_commit": removed.get("sha"),
            "present_at_head": None if not history else int(bool(history.get("present_at_head"))),
            "refs": json.dumps(history.get("refs", [])), "run": run_id,
        }
        self.db.execute(
            """INSERT INTO findings (repo_id, fingerprint, secret_id, rule_id, rule_name, level,
                   category, confidence, path, line, location, redacted, violation, allowed_level,
                   introduced_commit, introduced_author, introduced_email, introduced_date,
                   removed_commit, present_at_head, refs, first_seen_run, last_seen_run)
               VALUES (:repo_id, :fingerprint, :secret_id, :rule_id, :rule_name, :level,
                   :category, :confidence, :path, :line, :location, :redacted, :violation,
                   :allowed_level, :introduced_commit, :introduced_author, :introduced_email,
                   :introduced_date, :removed_commit, :present_at_head, :refs, :run, :run)
               ON CONFLICT(repo_id, fingerprint) DO UPDATE SET
                   rule_name=excluded.rule_name, level=excluded.level,
                   confidence=excluded.confidence, line=excluded.line,
                   location=excluded.location, redacted=excluded.redacted,
                   violation=excluded.violation, allowed_level=excluded.allowed_level,
                   introduced_commit=excluded.introduced_commit,
                   introduced_author=excluded.introduced_author,
                   introduced_email=excluded.introduced_email,
                   introduced_date=excluded.introduced_date,
                   removed_commit=excluded.removed_commit,
                   present_at_head=excluded.present_at_head, refs=excluded.refs,
                   last_seen_run=excluded.last_seen_run""", values)

    # -- queries for `leakguard results` ----------------------------------------------------------

    def scans(self, run_id: int) -> list[sqlite3.Row]:
        return list(self.db.execute(
            "SELECT r.source, s.* FROM repo_scans s JOIN repositories r ON r.id=s.repo_id "
            "WHERE s.run_id=? ORDER BY r.source", (run_id,)))

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        return list(self.db.execute(sql, params))


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (no semicolons inside our DDL strings)."""
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
