"""Sweeps end to end: real repositories, a real SQLite store, interruption and resumption."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import fakes
from tests.conftest import run_leakguard
from tests.sweep.repos import commit_files, corrupt_repo, make_fleet


def findings_in(db: Path) -> set[tuple[str, str, str]]:
    """(repository name, rule, path) of every finding current in the latest run."""
    with sqlite3.connect(db) as connection:
        run = connection.execute("SELECT MAX(id) FROM runs").fetchone()[0]
        rows = connection.execute(
            "SELECT r.source, f.rule_id, f.path FROM findings f JOIN repositories r "
            "ON r.id = f.repo_id WHERE f.last_seen_run = ?", (run,)).fetchall()
    return {(Path(source).name, rule, path) for source, rule, path in rows}


def statuses(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as connection:
        run = connection.execute("SELECT MAX(id) FROM runs").fetchone()[0]
        rows = connection.execute(
            "SELECT r.source, s.status FROM repo_scans s JOIN repositories r ON r.id = s.repo_id "
            "WHERE s.run_id = ?", (run,)).fetchall()
    return {Path(source).name: status for source, status in rows}


@pytest.fixture
def fleet(tmp_path: Path) -> Path:
    root = tmp_path / "fleet"
    make_fleet(root, 6)
    corrupt_repo(root / "repo99-corrupt")
    return root


def test_sweep_records_findings_failures_and_history(fleet: Path, tmp_path: Path) -> None:
    db = tmp_path / "org.db"
    result = run_leakguard("sweep", str(fleet), "--db", str(db), "--workers", "2")
    assert result.code == 3, result.output
    assert statuses(db)["repo99-corrupt"] == "failed"
    assert "repo99-corrupt" in result.stderr and "failed" in result.stderr
    found = findings_in(db)
    assert ("repo01", "github.pat-classic", "config.env") in found
    assert ("repo02", "aws.access-key-id", "deploy.sh") in found
    with sqlite3.connect(db) as connection:
        present, commit = connection.execute(
            "SELECT present_at_head, introduced_commit FROM findings WHERE path='deploy.sh' "
            "AND repo_id=(SELECT id FROM repositories WHERE source LIKE '%repo02')").fetchone()
        stored = " ".join(str(v) for row in connection.execute("SELECT * FROM findings")
                          for v in row)
    assert present == 0 and len(commit) == 40
    assert fakes.github_pat(1) not in stored and fakes.aws_key_id(2) not in stored


def test_kill_9_then_resume_gives_the_uninterrupted_result(fleet: Path, tmp_path: Path) -> None:
    reference = tmp_path / "reference.db"
    run_leakguard("sweep", str(fleet), "--db", str(reference), "--workers", "2", "-q")
    db = tmp_path / "interrupted.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "leakguard", "sweep", str(fleet), "--db", str(db), "--workers", "1",
         "-q"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    done = 0
    while time.monotonic() < deadline and process.poll() is None:
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as connection:
                    done = connection.execute("SELECT COUNT(*) FROM repo_scans").fetchone()[0]
            except sqlite3.OperationalError:
                done = 0
            if done >= 2:
                break
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert 2 <= done < 7, "the sweep finished before it could be interrupted"
    result = run_leakguard("sweep", str(fleet), "--db", str(db), "--workers", "2")
    assert "Resumed run 1" in result.stderr
    assert findings_in(db) == findings_in(reference)
    assert statuses(db) == statuses(reference)


def test_second_sweep_rescans_only_what_changed(fleet: Path, tmp_path: Path) -> None:
    db = tmp_path / "org.db"
    run_leakguard("sweep", str(fleet), "--db", str(db), "-q")
    commit_files(fleet / "repo03", {"new.env": f"TOKEN={fakes.github_pat(303)}\n"}, "oops")
    result = run_leakguard("sweep", str(fleet), "--db", str(db))
    assert result.code == 3
    assert statuses(db) == {**{f"repo0{i}": "unchanged" for i in range(6) if i != 3},
                            "repo03": "ok", "repo99-corrupt": "failed"}
    new = json.loads(run_leakguard("results", "--db", str(db), "--new", "-f", "json").stdout)
    assert [(Path(f["repository"]).name, f["path"]) for f in new["findings"]] == \
        [("repo03", "new.env")]
    assert findings_in(db) >= {("repo03", "github.pat-classic", "new.env"),
                               ("repo01", "github.pat-classic", "config.env")}


def test_fixed_lists_findings_gone_since_the_previous_scan(tmp_path: Path) -> None:
    root = tmp_path / "fleet"
    repos = make_fleet(root, 2)
    db = tmp_path / "org.db"
    run_leakguard("sweep", str(root), "--db", str(db), "-q")
    commit_files(repos["repo01"], {"config.env": None}, "remove config")
    run_leakguard("sweep", str(root), "--db", str(db), "-q")
    fixed = json.loads(run_leakguard("results", "--db", str(db), "--fixed", "-f",
                                     "json").stdout)["findings"]
    # The token is still in history, so a history scan still finds it: nothing is "fixed".
    assert fixed == []
    summary = run_leakguard("results", "--db", str(db), "-f", "json")
    repos_json = json.loads(summary.stdout)["repositories"]
    assert {Path(r["repository"]).name: r["worst_level"] for r in repos_json} == \
        {"repo00": None, "repo01": "prohibited"}


def test_urls_are_mirrored_and_fetched_incrementally(tmp_path: Path) -> None:
    root = tmp_path / "upstream"
    repos = make_fleet(root, 2)
    listing = tmp_path / "repos.txt"
    listing.write_text("# our repositories\n" + "".join(f"{p.as_uri()}\n" for p in repos.values())
                       + "file:///nonexistent/repo.git\n")
    db, cache = tmp_path / "org.db", tmp_path / "mirrors"
    result = run_leakguard("sweep", "--from", str(listing), "--db", str(db), "--cache-dir",
                           str(cache), "-q")
    assert result.code == 3
    assert len(list(cache.glob("*.git"))) == 2
    commit_files(repos["repo00"], {"key.env": f"KEY={fakes.github_pat(900)}\n"}, "add key")
    run_leakguard("sweep", "--from", str(listing), "--db", str(db), "--cache-dir", str(cache), "-q")
    new = json.loads(run_leakguard("results", "--db", str(db), "--new", "-f", "json").stdout)
    assert [f["path"] for f in new["findings"]] == ["key.env"]


def test_repo_timeout_is_recorded_as_failure(tmp_path: Path) -> None:
    from leakguard.sweep.targets import Target
    from leakguard.sweep.task import RepoTask, ScanOptions, run_task

    repos = make_fleet(tmp_path / "fleet", 1)
    result = run_task(RepoTask(Target(source=str(repos["repo00"]), path=str(repos["repo00"])),
                               ScanOptions(repo_timeout=0.001)))
    assert result.status == "failed" and "timed out" in result.error


def test_results_formats(fleet: Path, tmp_path: Path) -> None:
    from tests.report.test_sarif import validate_sarif

    db = tmp_path / "org.db"
    run_leakguard("sweep", str(fleet), "--db", str(db), "-q")
    sarif = json.loads(run_leakguard("results", "--db", str(db), "--findings", "-f",
                                     "sarif").stdout)
    validate_sarif(sarif)
    assert len(sarif["runs"]) == 4  # one per repository with findings
    csv_out = run_leakguard("results", "--db", str(db), "--level", "prohibited", "-f", "csv")
    assert csv_out.stdout.splitlines()[0].startswith("repository,level,")
    table = run_leakguard("results", "--db", str(db))
    assert table.code == 0 and "failed" in table.stdout and "prohibited" in table.stdout
    summary = json.loads(run_leakguard("results", "--db", str(db), "-f", "json").stdout)
    status = {Path(r["repository"]).name: (r["status"], r["error"]) for r in summary["repositories"]}
    assert status["repo99-corrupt"][0] == "failed" and "missing object" in status["repo99-corrupt"][1]
    missing = run_leakguard("results", "--db", str(tmp_path / "none.db"))
    assert missing.code == 2 and "does not exist" in missing.stderr


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_text("this is not sqlite")
    result = run_leakguard("results", "--db", str(bogus))
    assert result.code == 2 and "not a leakguard database" in result.stderr
