"""What to sweep: local repositories, folders holding repositories, and clone URLs.

URLs are mirrored into a cache folder (``git clone --mirror``) and fetched incrementally on
later sweeps; local paths are scanned where they are, bare or not.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from leakguard.errors import InputError

URL_PATTERN = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|[\w.-]+@[\w.-]+:)", re.IGNORECASE)
SKIP_DIRS = frozenset({"node_modules", ".venv", "venv", "__pycache__", ".tox"})


@dataclass(frozen=True)
class Target:
    """One repository to sweep. ``source`` is how the user named it (and its key in the store)."""

    source: str
    url: str | None = None
    path: str | None = None

    @property
    def is_url(self) -> bool:
        return self.url is not None


def is_repository(path: Path) -> bool:
    """A work tree (has .git) or a bare repository (HEAD + objects + refs)."""
    if (path / ".git").exists():
        return True
    return (path / "HEAD").is_file() and (path / "objects").is_dir() and (path / "refs").is_dir()


def find_repositories(folder: Path) -> Iterator[Path]:
    """Repositories under ``folder``, not descending into a repository once found."""
    if is_repository(folder):
        yield folder
        return
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name in SKIP_DIRS or entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from find_repositories(Path(entry.path))


def read_target_file(path: Path) -> list[str]:
    """``--from FILE``: one path or URL per line; blank lines and ``#`` comments ignored."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"--from {str(path)!r}: {exc.strerror}") from None
    entries = []
    for line in text.splitlines():
        entry = line.split(" #", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if entry:
            entries.append(entry)
    return entries


def resolve_targets(arguments: Sequence[str], from_files: Iterable[Path] = ()) -> list[Target]:
    """Expand arguments and ``--from`` entries into unique targets, in a stable order.

    A local path that is not a repository is searched for repositories below it; a path that
    does not exist is still a target (it will be recorded as failed), so a typo in a list of
    1,000 repositories is reported rather than silently dropped.
    """
    raw: list[str] = list(arguments)
    for file in from_files:
        raw.extend(read_target_file(file))
    if not raw:
        raise InputError("no TARGET given (pass repository paths, folders, URLs or --from FILE)")
    targets: dict[str, Target] = {}
    for entry in raw:
        if URL_PATTERN.match(entry):
            targets.setdefault(entry, Target(source=entry, url=entry))
            continue
        path = Path(entry).expanduser().absolute()
        if path.is_dir() and not is_repository(path):
            found = list(find_repositories(path))
            for repo in found:
                targets.setdefault(str(repo), Target(source=str(repo), path=str(repo)))
            if found:
                continue
        targets.setdefault(str(path), Target(source=str(path), path=str(path)))
    return list(targets.values())


def mirror_path(cache_dir: Path, url: str) -> Path:
    """A stable, collision-free folder name for a URL's mirror."""
    digest = hashlib.sha256(url.encode()).hexdigest()[:16]
    tail = re.sub(r"[^A-Za-z0-9._-]+", "_", url.rstrip("/").rsplit("/", 1)[-1])[:40] or "repo"
    return cache_dir / f"{tail}-{digest}.git"


def targets_digest(targets: Sequence[Target]) -> str:
    """Identifies a target list, so an interrupted sweep of the same list can be resumed."""
    return hashlib.sha256("\n".join(sorted(t.source for t in targets)).encode()).hexdigest()
