"""Staged mode (``--staged``, the pre-commit hook): scan what the next commit would record.

Only index content is read (never the work tree, which may differ from what is committed), and
only lines the index adds relative to HEAD are reported. Files named on the command line (as
pre-commit passes them) limit the scan to those files; a named file with no staged change is
scanned whole from the index (``pre-commit run --files x`` or ``--all-files`` asks about those
files, and answering "nothing staged" would be a false all-clear), and a named file git does
not track is read from disk. When nothing at all could be scanned the report says so.
"""

from __future__ import annotations

import time
from pathlib import Path

from leakguard.app.blobwork import BlobScan
from leakguard.app.gitoptions import GitOptions
from leakguard.app.gitscan import open_git_context, path_filter, repo_warnings
from leakguard.app.pipeline import (
    ProgressCallback,
    ScanRequest,
    Tally,
    finish,
    make_matcher,
    no_progress,
    scan_chunks,
)
from leakguard.errors import UsageError
from leakguard.model import Chunk, OriginKind, Report, Skipped
from leakguard.sources.files import read_file
from leakguard.sources.git import GitRepo, close_repo
from leakguard.sources.gitdiff import staged_changes
from leakguard.sources.gitobjects import BlobRef, object_info


def run_staged_scan(request: ScanRequest, options: GitOptions,
                    progress: ProgressCallback | None = None) -> Report:
    """Scan the staged content (added lines) of the whole index or of the named files."""
    del options
    started = time.monotonic()
    progress = progress or no_progress
    repo, context = open_git_context(request, files_allowed=True)
    try:
        if repo.work_tree is None:
            raise UsageError("--staged needs a repository with a work tree (this one is bare)")
        named = _named_paths(repo, request.targets)
        excluded = path_filter(request)
        changes = [c for c in staged_changes(repo.runner, [p for p, _ in named])
                   if not excluded(c.path)]
        changed = {change.path for change in changes}
        whole = [path for path, is_file in named if is_file and path not in changed
                 and not excluded(path)]
        infos = object_info(repo.runner, [f":{path}" for path in whole])
        untracked = [path for path, info in zip(whole, infos, strict=True)
                     if info is None and (repo.work_tree / path).is_file()]
        blobs = [BlobRef(c.blob, size[2] if size else -1, c.path, c.lines) for c, size in
                 zip(changes, object_info(repo.runner, [c.blob for c in changes]), strict=True)]
        blobs += [BlobRef(info[0], info[2], path) for path, info in zip(whole, infos, strict=True)
                  if info is not None and info[1] == "blob"]
        tally = Tally()
        matcher, engine_warnings = make_matcher(context.ruleset, request)
        scan = BlobScan(repo.runner, matcher, context.ruleset, request, tally)
        matches = scan.matches(blobs, OriginKind.STAGED, progress, "scanning staged")
        files: list[Chunk | Skipped] = []
        for path in untracked:
            files.extend(read_file(repo.work_tree / path, path, request.max_file_size,
                                   options=request.extract_options()))
        matches += scan_chunks(files, matcher, tally, progress, len(files), phase="scanning staged")
        warnings = [*repo_warnings(repo, len(context.ruleset), []), *engine_warnings,
                    *scan.warnings]
        if not tally.files:
            given = f" in the {len(named)} path(s) given" if named else ""
            warnings.append(f"nothing was scanned: no staged text content{given}")
        return finish(context=context, request=request, matches=matches, tally=tally,
                      started=started, mode="staged", warnings=warnings,
                      extra_stats={"blobs": len(blobs) + len(untracked)})
    finally:
        close_repo(repo)


def _named_paths(repo: GitRepo, targets: tuple[str, ...]) -> list[tuple[str, bool]]:
    """Targets as work-tree-relative ``/`` paths, each with whether it names a file."""
    assert repo.work_tree is not None
    if tuple(targets) in ((), (".",)):
        return []
    top = repo.work_tree.resolve()
    named = []
    for target in targets:
        path = Path(target).absolute()
        try:
            rel = path.parent.resolve().joinpath(path.name).relative_to(top).as_posix()
        except ValueError:
            raise UsageError(f"PATH {target!r} is outside the repository {str(top)!r}") from None
        if rel == ".":
            return []
        named.append((rel, not path.is_dir()))
    return named
