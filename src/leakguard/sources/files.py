"""Walk a file tree into chunks, honouring .gitignore files and --exclude globs.

Paths in chunks are relative to the scan root with ``/`` separators on every OS, so findings
(and their fingerprints) are the same on every machine and in history scans.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from leakguard.globs import GitignoreFile, gitignore_spec
from leakguard.model import Chunk, Origin, OriginKind, Skipped, SkipReason
from leakguard.sources.content import content_items
from leakguard.sources.extract import ExtractOptions

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024

@dataclass(frozen=True)
class TreeOptions:
    """What the tree walk honours; built by the app from CLI options and the policy."""

    excludes: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    use_gitignore: bool = True
    exclude_spec: pathspec.PathSpec | None = field(default=None, compare=False, repr=False)

    def excluded(self, rel: str, is_dir: bool = False) -> bool:
        spec = self.exclude_spec
        if spec is None and self.excludes:
            spec = gitignore_spec(self.excludes)
            object.__setattr__(self, "exclude_spec", spec)
        if spec is None:
            return False
        return spec.match_file(rel + "/" if is_dir else rel)


def find_root(path: Path) -> Path:
    """The scan root: a folder PATH itself; for a file, the git work tree (or cwd) holding it.

    Paths in findings are relative to the root and the policy is ``<root>/.leakguard.yaml``.
    Scanning a repository's top therefore reports the same paths (and fingerprints) as a
    history scan, and a pre-commit hook that passes ``src/app.py`` reports ``src/app.py``.
    """
    if path.is_dir():
        return path
    for candidate in path.parents:
        if (candidate / ".git").exists():
            return candidate
    cwd = Path.cwd().absolute()
    return cwd if path.is_relative_to(cwd) else path.parent


def read_bytes(path: str | Path, origin: Origin, max_size: int) -> bytes | Skipped:
    """A file's raw bytes, or a skip when it cannot or should not be read (too large, unreadable)."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_size:
                return Skipped(origin, SkipReason.TOO_LARGE, f"{size} bytes")
            data = handle.read(max_size + 1)
    except OSError as exc:
        return Skipped(origin, SkipReason.UNREADABLE, exc.strerror or str(exc))
    if len(data) > max_size:
        return Skipped(origin, SkipReason.TOO_LARGE, f"{len(data)} bytes")
    return data


def read_file(path: Path, rel: str, max_size: int, options: ExtractOptions | None = None
              ) -> Iterator[Chunk | Skipped]:
    """The chunks of one file (usually one), or a skip when it cannot or should not be read."""
    origin = Origin(rel, OriginKind.FILE)
    data = read_bytes(path, origin, max_size)
    if isinstance(data, Skipped):
        yield data
        return
    yield from content_items(origin, data, options)


class _IgnoreRules:
    """The .gitignore files met on the way down, deepest last; the last verdict wins, as in git."""

    def __init__(self, root: Path) -> None:
        self.specs: list[tuple[str, GitignoreFile]] = []
        exclude = root / ".git" / "info" / "exclude"
        if exclude.is_file():
            self._add("", exclude)

    def _add(self, prefix: str, file: Path) -> None:
        try:
            lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return
        self.specs.append((prefix, GitignoreFile(lines)))

    def enter(self, directory: Path, prefix: str) -> int:
        depth = len(self.specs)
        gitignore = directory / ".gitignore"
        if gitignore.is_file():
            self._add(prefix, gitignore)
        return depth

    def leave(self, depth: int) -> None:
        del self.specs[depth:]

    def ignored(self, rel: str, is_dir: bool) -> bool:
        verdict = False
        for prefix, spec in self.specs:
            if prefix and not rel.startswith(prefix):
                continue
            local = rel[len(prefix):] + ("/" if is_dir else "")
            result = spec.verdict(local)
            if result is not None:
                verdict = result
        return verdict


def walk(root: Path, start: Path, options: TreeOptions) -> Iterator[tuple[Path, str] | Skipped]:
    """Yield (absolute path, relative path) for every file to read under ``start``, in order."""
    ignores = _IgnoreRules(root) if options.use_gitignore else None
    # Load .gitignore files between the root and a start folder below it.
    prefix_parts = start.relative_to(root).parts if start != root else ()
    if ignores is not None:
        current, prefix = root, ""
        ignores.enter(current, prefix)
        for part in prefix_parts:
            current, prefix = current / part, f"{prefix}{part}/"
            ignores.enter(current, prefix)
    prefix = "".join(f"{p}/" for p in prefix_parts)
    yield from _walk_dir(start, prefix, root, ignores, options, top=True)


def _walk_dir(directory: Path, prefix: str, root: Path, ignores: _IgnoreRules | None,
              options: TreeOptions, top: bool = False) -> Iterator[tuple[Path, str] | Skipped]:
    depth = ignores.enter(directory, prefix) if ignores is not None and not top else None
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        yield Skipped(Origin(prefix.rstrip("/") or "."), SkipReason.UNREADABLE,
                      exc.strerror or str(exc))
        entries = []
    for entry in entries:
        rel = f"{prefix}{entry.name}"
        if entry.name == ".git":
            continue
        try:
            is_link = entry.is_symlink()
            is_dir = not is_link and entry.is_dir()
        except OSError:
            continue
        if options.excluded(rel, is_dir) or (ignores is not None and ignores.ignored(rel, is_dir)):
            continue
        if is_link:
            yield Skipped(Origin(rel), SkipReason.SYMLINK, "symlinks are not followed")
        elif is_dir:
            yield from _walk_dir(Path(entry.path), f"{rel}/", root, ignores, options)
        elif entry.is_file():
            yield Path(entry.path), rel
    if depth is not None and ignores is not None:
        ignores.leave(depth)


def target_items(root: Path, targets: Sequence[Path], options: TreeOptions
                 ) -> Iterator[tuple[Path, str] | Skipped]:
    """Files to read for every target (files or folders) under one root, in walk order.

    A file named explicitly is read even if ignored, as the user asked for it; a symlink named
    explicitly is read only when it points inside the root.
    """
    for target in targets:
        if target.is_dir() and not target.is_symlink():
            yield from walk(root, target, options)
            continue
        rel = _relative(target, root)
        if target.is_symlink() and not target.resolve().is_relative_to(root.resolve()):
            yield Skipped(Origin(rel), SkipReason.SYMLINK, "points outside the scanned root")
            continue
        yield target, rel


def _relative(path: Path, root: Path) -> str:
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return path.name
