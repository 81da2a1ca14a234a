"""Render a classification Inventory as a rich tree or a table (the JSON form is classify.py's).

Every path and marking comes from the scanned repository, so each is put in a ``Text`` (never
parsed as markup) with control characters replaced.
"""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from leakguard.classify import FileClass, FolderClass, Inventory
from leakguard.model import Level
from leakguard.report.table import LEVEL_STYLE, level_text


def _clean(value: str) -> str:
    return "".join(ch if ch.isprintable() or ch == " " else "?" for ch in value)


def _counts(counts: tuple[tuple[Level, int], ...]) -> Text:
    text = Text()
    for index, (level, count) in enumerate(counts):
        if index:
            text.append(", ")
        text.append(f"{count} {level}", style=LEVEL_STYLE[level])
    return text


def _policy(violations: int, allowed: Level | None = None) -> Text:
    if not violations:
        return Text("")
    text = Text(f"{violations} violation{'s' if violations != 1 else ''}", style="bold red")
    if allowed is not None:
        text.append(f" (max {allowed})", style="red")
    return text


def _folder_label(folder: FolderClass, name: str) -> Text:
    label = Text(_clean(name) + "/", style="bold")
    label.append("  ")
    label.append_text(level_text(folder.level))
    label.append(f"  {folder.files} file{'s' if folder.files != 1 else ''}: ", style="dim")
    label.append_text(_counts(folder.by_level))
    if folder.categories:
        label.append(f"  [{', '.join(folder.categories)}]", style="dim")
    if folder.violations:
        label.append("  ")
        label.append_text(_policy(folder.violations))
    return label


def _file_label(file: FileClass) -> Text:
    label = Text(_clean(file.path.rsplit("/", 1)[-1]))
    label.append("  ")
    label.append_text(level_text(file.level))
    label.append(f"  {', '.join(file.categories)}", style="dim")
    if file.markings:
        label.append("  marked ", style="dim")
        label.append(_clean(" · ".join(file.markings)), style="italic")
    if file.under_marked:
        label.append(f"  under-marked (content {file.content_level})", style="yellow")
    if file.violations:
        label.append("  ")
        label.append_text(_policy(file.violations, file.allowed_level))
    return label


def headline(inventory: Inventory) -> Text:
    """One line answering "what level is this repository?"."""
    repo = inventory.repository
    text = Text("Repository ", style="bold")
    text.append(_clean(inventory.root), style="bold")
    text.append(": ")
    text.append(str(repo.level).upper(), style=LEVEL_STYLE[repo.level])
    unclassified = max(inventory.files_scanned - len(inventory.files), 0)
    text.append(f"  ({inventory.files_scanned} files scanned, {len(inventory.files)} with "
                f"findings: ", style="dim")
    text.append_text(_counts(repo.by_level) if repo.files else Text("none"))
    text.append(f"; {unclassified} without findings)", style="dim")
    if repo.violations:
        text.append("  ")
        text.append_text(_policy(repo.violations))
    return text


def render_tree(inventory: Inventory, console: Console, *, depth: int | None = None) -> None:
    """Folders and files with findings as a tree; below ``depth`` folders are not expanded."""
    tree = Tree(headline(inventory), guide_style="dim")
    nodes: dict[str, Tree] = {"": tree}
    folders = {f.path: f for f in inventory.folders}
    for path in sorted(folders, key=lambda p: p.split("/")):
        parent, _, name = path.rpartition("/")
        if parent not in nodes or (depth is not None and path.count("/") >= depth):
            continue
        nodes[path] = nodes[parent].add(_folder_label(folders[path], name))
    for file in sorted(inventory.files, key=lambda f: (f.path.count("/"), f.path)):
        parent = file.path.rpartition("/")[0]
        if parent in nodes:
            nodes[parent].add(_file_label(file))
    console.print(tree)


def render_table(inventory: Inventory, console: Console) -> None:
    """One row for the repository, then each folder followed by the files directly in it."""
    table = Table(box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("Level", no_wrap=True)
    table.add_column("Path", overflow="fold", ratio=3, min_width=24)
    table.add_column("Files", justify="right")
    table.add_column("Categories", overflow="fold", ratio=2)
    table.add_column("Markings", overflow="fold", ratio=2)
    table.add_column("Policy", overflow="fold", ratio=1)
    repo = inventory.repository
    table.add_row(level_text(repo.level), Text("(repository)", style="bold"), str(repo.files),
                  Text(", ".join(repo.categories)), Text(""), _policy(repo.violations))
    rows: list[tuple[str, FolderClass | FileClass]] = [(f.path + "/", f) for f in inventory.folders]
    rows += [(f.path, f) for f in inventory.files]
    for path, item in sorted(rows, key=lambda row: row[0].lower().split("/")):
        if isinstance(item, FolderClass):
            table.add_row(level_text(item.level), Text(_clean(path), style="bold"),
                          str(item.files), Text(", ".join(item.categories)), Text(""),
                          _policy(item.violations))
        else:
            markings = Text(_clean(" · ".join(item.markings)))
            if item.under_marked:
                markings.append(" (under-marked)", style="yellow")
            table.add_row(level_text(item.level), Text(_clean(path)), "",
                          Text(", ".join(item.categories)), markings,
                          _policy(item.violations, item.allowed_level))
    console.print(headline(inventory))
    console.print(table)
