"""Scan one repository: mirror or fetch it, read its refs, run a history scan in a child process.

``run_task`` takes and returns plain, picklable values and touches no database, so it runs the
same in a local pool and on a Dask worker. The child is ``leakguard scan --history -f json``:
secrets never cross the process boundary (the JSON is redacted), a timeout kills it, and a
crash in one repository cannot take the sweep down.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leakguard.sweep.gitcmd import GitError, run_git
from leakguard.sweep.targets import Target, is_repository, mirror_path

POLICY_FILE = ".leakguard.yaml"


@dataclass(frozen=True)
class ScanOptions:
    """Options every repository's scan shares (a sweep-wide policy, rules, limits)."""

    config: str | None = None
    rules: tuple[str, ...] = ()
    no_default_rules: bool = False
    repo_timeout: float | None = None
    cache_dir: str | None = None
    extra_args: tuple[str, ...] = ()


@dataclass(frozen=True)
class RepoTask:
    target: Target
    options: ScanOptions
    last_refs_hash: str | None = None
    rescan: bool = False


@dataclass(frozen=True)
class RepoResult:
    """What a task hands back: status ``ok``, ``unchanged`` or ``failed`` plus its evidence."""

    source: str
    status: str
    path: str | None = None
    error: str = ""
    duration: float = 0.0
    bytes: int = 0
    refs: dict[str, str] = field(default_factory=dict)
    refs_hash: str = ""
    report: dict[str, Any] | None = None
    policy: str = ""


def refs_of(git_dir: Path) -> dict[str, str]:
    """Every ref and the object it points at: what "unchanged since last scan" compares."""
    output = run_git(["for-each-ref", "--format=%(refname) %(objectname)"], git_dir=git_dir,
                     timeout=120)
    refs = {}
    for line in output.splitlines():
        name, _, oid = line.partition(" ")
        if name and oid:
            refs[name] = oid
    return refs


def refs_digest(refs: dict[str, str]) -> str:
    text = "\n".join(f"{name} {oid}" for name, oid in sorted(refs.items()))
    return hashlib.sha256(text.encode()).hexdigest()


def git_dir_of(path: Path) -> Path:
    return path / ".git" if (path / ".git").exists() else path


def prepare_local(target: Target, options: ScanOptions) -> Path:
    """Mirror (first time) or fetch (later) a URL; check a local path is a repository."""
    if target.url is None:
        path = Path(target.path or target.source)
        if not path.exists():
            raise GitError(f"{path} does not exist")
        if not is_repository(path):
            raise GitError(f"{path} is not a git repository")
        return path
    if not options.cache_dir:
        raise GitError("URL targets need --cache-dir")
    mirror = mirror_path(Path(options.cache_dir), target.url)
    timeout = options.repo_timeout
    if (mirror / "HEAD").is_file():
        run_git(["fetch", "--prune", "--quiet", "origin", "+refs/*:refs/*"], git_dir=mirror,
                timeout=timeout)
    else:
        mirror.parent.mkdir(parents=True, exist_ok=True)
        partial = mirror.with_name(mirror.name + ".partial")
        if partial.exists():
            _remove_tree(partial)
        run_git(["clone", "--mirror", "--quiet", "--", target.url, str(partial)], timeout=timeout)
        partial.rename(mirror)
    return mirror


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def repo_policy(git_dir: Path) -> str | None:
    """The repository's own ``.leakguard.yaml`` at HEAD, if it has one (read from git, so it
    works for bare mirrors too)."""
    try:
        return run_git(["show", f"HEAD:{POLICY_FILE}"], git_dir=git_dir, timeout=60)
    except GitError:
        return None


def _scan_command(path: Path, options: ScanOptions, config: str | None) -> list[str]:
    command = [sys.executable, "-m", "leakguard", "scan", str(path), "--history", "--format",
               "json", "--quiet", "--exit-zero"]
    if config:
        command += ["--config", config]
    for rule in options.rules:
        command += ["--rules", rule]
    if options.no_default_rules:
        command.append("--no-default-rules")
    return command + list(options.extra_args)


def _run_scan(path: Path, options: ScanOptions, policy_text: str | None,
              timeout: float | None) -> tuple[dict[str, Any], str]:
    """The child's JSON report and, for an incomplete scan (exit 3), the error it printed."""
    with tempfile.TemporaryDirectory(prefix="leakguard-sweep-") as temp:
        config = options.config
        if policy_text is not None:
            config = os.path.join(temp, POLICY_FILE)
            Path(config).write_text(policy_text, encoding="utf-8")
        env = {**os.environ, "NO_COLOR": "1"}
        try:
            proc = subprocess.run(_scan_command(path, options, config), capture_output=True,
                                  timeout=timeout, env=env, check=False)
        except subprocess.TimeoutExpired:
            raise GitError(f"timed out after {timeout:g}s (--repo-timeout)") from None
    stderr = proc.stderr.decode("utf-8", "replace").strip()
    last = stderr.splitlines()[-1].removeprefix("leakguard: error: ") if stderr else ""
    if proc.returncode not in (0, 1, 3):
        raise GitError(last or f"scan exited {proc.returncode}")
    try:
        report = json.loads(proc.stdout)
    except ValueError:
        raise GitError(last or "the scan produced no readable report") from None
    error = ""
    if proc.returncode == 3:
        skipped = report.get("stats", {}).get("skipped", {})
        error = last or "scan incomplete: " + ", ".join(f"{k} {v}" for k, v in skipped.items())
    return report, error


def run_task(task: RepoTask) -> RepoResult:
    """Everything one repository needs; never raises for a repository's own faults."""
    started = time.monotonic()
    source = task.target.source
    try:
        path = prepare_local(task.target, task.options)
        refs = refs_of(git_dir_of(path))
        digest = refs_digest(refs)
        if not task.rescan and task.last_refs_hash == digest:
            return RepoResult(source, "unchanged", str(path), refs=refs, refs_hash=digest,
                              duration=time.monotonic() - started)
        policy_text = repo_policy(git_dir_of(path))
        remaining = None
        if task.options.repo_timeout is not None:
            remaining = task.options.repo_timeout - (time.monotonic() - started)
            if remaining <= 0:
                raise GitError(f"timed out after {task.options.repo_timeout:g}s (--repo-timeout)")
        report, error = _run_scan(path, task.options, policy_text, remaining)
    except GitError as exc:
        return RepoResult(source, "failed", task.target.path, error=str(exc),
                          duration=time.monotonic() - started)
    return RepoResult(
        source, "failed" if error else "ok", str(path), error=error,
        duration=time.monotonic() - started,
        bytes=int(report.get("stats", {}).get("bytes_scanned", 0)), refs=refs, refs_hash=digest,
        report=report, policy="repository" if policy_text is not None else "sweep",
    )
