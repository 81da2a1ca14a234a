"""Roll a scan's findings up into a classification inventory: files, folders, the repository.

The high-watermark rule decides: a file is at the highest level among its findings, a folder at
the highest level among its files, the repository at the highest of all. A marking ("TRADE
SECRET", "TLP:AMBER") sets a floor for its file: the file is at least what it says it is, and
a file whose content is above its own marking is flagged ``under_marked``. Files with no finding
are public as far as the rules can tell and are only counted.

Pure code: a Report in, an Inventory out, and a plain dict for JSON. No secret ever enters the
inventory; markings are labels and are the only matched text it keeps.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from leakguard.model import Category, Finding, Level, Report

INVENTORY_VERSION = 1


@dataclass(frozen=True)
class FileClass:
    """One file's classification and the evidence for it (rules, categories, markings)."""

    path: str
    level: Level
    content_level: Level | None
    marking_level: Level | None
    markings: tuple[str, ...]
    categories: tuple[str, ...]
    rules: tuple[str, ...]
    findings: int
    by_level: tuple[tuple[Level, int], ...]
    allowed_level: Level | None
    violations: int

    @property
    def under_marked(self) -> bool:
        """Content above the file's own marking: the marking understates what is inside."""
        return (self.marking_level is not None and self.content_level is not None
                and self.content_level > self.marking_level)


@dataclass(frozen=True)
class FolderClass:
    """A folder's (or, with path ``.``, the repository's) roll-up of the files under it."""

    path: str
    level: Level
    files: int
    by_level: tuple[tuple[Level, int], ...]
    categories: tuple[str, ...]
    violations: int


@dataclass(frozen=True)
class Inventory:
    """What level the repository is, and where its sensitive material lives."""

    root: str
    repository: FolderClass
    folders: tuple[FolderClass, ...]
    files: tuple[FileClass, ...]
    files_scanned: int
    files_skipped: int
    policy: str | None = None
    max_level: str | None = None

    @property
    def level(self) -> Level:
        return self.repository.level

    def file(self, path: str) -> FileClass | None:
        return next((f for f in self.files if f.path == path), None)

    def folder(self, path: str) -> FolderClass | None:
        if path in (".", ""):
            return self.repository
        return next((f for f in self.folders if f.path == path), None)


def _max(levels: list[Level]) -> Level | None:
    return max(levels) if levels else None


def _ranked_categories(findings: list[Finding]) -> tuple[str, ...]:
    """Categories, most severe first (by the highest level each reached), then by name."""
    worst: dict[Category, Level] = {}
    for finding in findings:
        if finding.category not in worst or finding.level > worst[finding.category]:
            worst[finding.category] = finding.level
    return tuple(str(c) for c in sorted(worst, key=lambda c: (-worst[c].rank, str(c))))


def _level_counts(levels: list[Level]) -> tuple[tuple[Level, int], ...]:
    counts = Counter(levels)
    return tuple((level, counts[level]) for level in reversed(Level) if counts[level])


def classify_file(path: str, findings: list[Finding]) -> FileClass:
    markings = [f for f in findings if f.category is Category.MARKING]
    content = [f for f in findings if f.category is not Category.MARKING]
    marking_level = _max([f.level for f in markings])
    content_level = _max([f.level for f in content])
    level = max(lv for lv in (marking_level, content_level) if lv is not None)
    allowed = [f.allowed_level for f in findings if f.allowed_level is not None]
    return FileClass(
        path=path,
        level=level,
        content_level=content_level,
        marking_level=marking_level,
        markings=tuple(dict.fromkeys(f.redacted for f in sorted(markings, key=lambda f: f.line))),
        categories=_ranked_categories(findings),
        rules=tuple(sorted({f.rule_id for f in findings})),
        findings=len(findings),
        by_level=_level_counts([f.level for f in findings]),
        allowed_level=min(allowed) if allowed else None,
        violations=sum(1 for f in findings if f.violation),
    )


def _folders_of(path: str) -> list[str]:
    parts = path.split("/")[:-1]
    return ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]


def _roll_up(path: str, files: list[FileClass]) -> FolderClass:
    categories: dict[str, Level] = {}
    for file in files:
        for category in file.categories:
            categories[category] = max(categories.get(category, Level.PUBLIC), file.level)
    return FolderClass(
        path=path,
        level=_max([f.level for f in files]) or Level.PUBLIC,
        files=len(files),
        by_level=_level_counts([f.level for f in files]),
        categories=tuple(sorted(categories, key=lambda c: (-categories[c].rank, c))),
        violations=sum(f.violations for f in files),
    )


def classify(report: Report, *, include_suppressed: bool = False) -> Inventory:
    """The inventory of ``report``: every file with a finding, every folder above one."""
    findings = list(report.findings) + (list(report.suppressed) if include_suppressed else [])
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    files = [classify_file(path, items) for path, items in sorted(by_path.items())]
    under: dict[str, list[FileClass]] = {}
    for file in files:
        for folder in _folders_of(file.path):
            under.setdefault(folder, []).append(file)
    return Inventory(
        root=report.root,
        repository=_roll_up(".", files),
        folders=tuple(_roll_up(path, items) for path, items in sorted(under.items())),
        files=tuple(files),
        files_scanned=report.stats.files_scanned,
        files_skipped=report.stats.skipped_total,
        policy=report.meta.get("policy"),
        max_level=report.meta.get("max_level"),
    )


def _counts_dict(counts: tuple[tuple[Level, int], ...]) -> dict[str, int]:
    given = dict(counts)
    return {str(level): given.get(level, 0) for level in reversed(Level)}


def folder_dict(folder: FolderClass) -> dict[str, Any]:
    return {
        "path": folder.path, "level": str(folder.level), "files": folder.files,
        "files_by_level": _counts_dict(folder.by_level), "categories": list(folder.categories),
        "violations": folder.violations,
    }


def file_dict(file: FileClass) -> dict[str, Any]:
    return {
        "path": file.path, "level": str(file.level),
        "content_level": str(file.content_level) if file.content_level else None,
        "marking_level": str(file.marking_level) if file.marking_level else None,
        "markings": list(file.markings), "under_marked": file.under_marked,
        "categories": list(file.categories), "rules": list(file.rules),
        "findings": file.findings, "findings_by_level": _counts_dict(file.by_level),
        "allowed_level": str(file.allowed_level) if file.allowed_level else None,
        "violations": file.violations,
    }


def inventory_dict(inventory: Inventory, tool_version: str) -> dict[str, Any]:
    """The JSON document of ``leakguard classify --format json`` (versioned like scan's)."""
    repository = folder_dict(inventory.repository)
    repository.update(files_scanned=inventory.files_scanned,
                      files_without_findings=max(inventory.files_scanned - len(inventory.files), 0),
                      files_skipped=inventory.files_skipped)
    return {
        "version": INVENTORY_VERSION,
        "tool": {"name": "leakguard", "version": tool_version},
        "root": inventory.root,
        "policy": inventory.policy,
        "max_level": inventory.max_level,
        "repository": repository,
        "folders": [folder_dict(f) for f in inventory.folders],
        "files": [file_dict(f) for f in inventory.files],
    }
