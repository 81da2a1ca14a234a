"""``leakguard classify``: the classification inventory of a repository, as a tree, table or JSON."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import TextIO

import typer
from rich.console import Console

from leakguard import __version__
from leakguard.app import ScanRequest, run_scan
from leakguard.classify import Inventory, classify, inventory_dict
from leakguard.cli.boundary import guarded
from leakguard.cli.classify_view import render_table, render_tree
from leakguard.cli.options import parse_size
from leakguard.cli.output import emit, stderr_console, stdout_console
from leakguard.cli.progress import progress_bar, progress_enabled
from leakguard.errors import ExitCode, UsageError
from leakguard.model import Confidence, Level, Report, SkipReason

CLASSIFY_HELP = """Classify a repository: each file's level (the highest among its findings; a
marking sets a floor) and categories, rolled up per folder and for the repository.

It scans like `scan` (same rules, policy and options) but reports an inventory instead of
findings, and never shows a secret. Exit 0 (it is an inventory) unless --fail-above is given
and the repository is above that level (exit 1); 2 on usage or configuration errors.

Examples:

  leakguard classify

  leakguard classify . --format table --depth 2

  leakguard classify --format json --output inventory.json

  leakguard classify --fail-above confidential
"""


class InventoryFormat(str, Enum):
    TREE = "tree"
    TABLE = "table"
    JSON = "json"


def register(app: typer.Typer) -> None:
    app.command("classify", help=CLASSIFY_HELP, no_args_is_help=False)(guarded(classify_command))


def _shown_root(root: str) -> str:
    """The root as the user would type it: relative to the current folder when inside it."""
    try:
        return Path(root).relative_to(Path.cwd()).as_posix() or "."
    except ValueError:
        return root


def _write(inventory: Inventory, fmt: InventoryFormat, handle: TextIO | None,
           depth: int | None) -> None:
    if fmt is InventoryFormat.JSON:
        out = handle or sys.stdout
        json.dump(inventory_dict(inventory, __version__), out, indent=2)
        out.write("\n")
        return
    inventory = replace(inventory, root=_shown_root(inventory.root))
    console = stdout_console() if handle is None else \
        Console(file=handle, width=160, color_system=None, highlight=False)
    if fmt is InventoryFormat.TABLE:
        render_table(inventory, console)
    else:
        render_tree(inventory, console, depth=depth)


def _summary(report: Report, inventory: Inventory) -> str:
    stats = report.stats
    skipped = f", {stats.skipped_total} skipped" if stats.skipped_total else ""
    return (f"Scanned {stats.files_scanned} files{skipped} with {stats.rules_loaded} rules in "
            f"{stats.duration_seconds:.2f}s; repository level: {inventory.level}.")


def classify_command(
    path: str = typer.Argument(".", metavar="PATH", help="Folder to classify (default '.')."),
    output_format: InventoryFormat = typer.Option(
        InventoryFormat.TREE, "--format", "-f", case_sensitive=False,
        help="tree (default), table, or json."),
    output: Path | None = typer.Option(
        None, "--output", "-o", dir_okay=False,
        help="Write the inventory to FILE (atomically) instead of stdout."),
    rules: list[Path] = typer.Option(
        None, "--rules", "-r", help="Extra rule file or folder (repeatable)."),
    no_default_rules: bool = typer.Option(
        False, "--no-default-rules", help="Leave the shipped rule packs out."),
    config: Path | None = typer.Option(
        None, "--config", "-c", dir_okay=False,
        help="Policy file (default: .leakguard.yaml at the classified root)."),
    exclude: list[str] = typer.Option(
        None, "--exclude", "-x", help="Skip paths matching this gitignore-style GLOB (repeatable)."),
    max_file_size: str = typer.Option(
        "10MB", "--max-file-size", help="Skip files larger than this (e.g. 512K, 10MB)."),
    min_confidence: Confidence = typer.Option(
        Confidence.LOW, "--min-confidence", case_sensitive=False,
        help="Leave findings below this confidence out of the inventory."),
    include_suppressed: bool = typer.Option(
        False, "--include-suppressed",
        help="Count findings the policy's allow list or inline allows suppress."),
    depth: int | None = typer.Option(
        None, "--depth", min=1, help="Tree: expand folders only this many levels deep."),
    fail_above: Level | None = typer.Option(
        None, "--fail-above", case_sensitive=False,
        help="Exit 1 when the repository's level is above LEVEL (for CI)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress and no summary."),
) -> None:
    if path == "-":
        raise UsageError("classify needs a folder or file, not standard input")
    request = ScanRequest(
        targets=(path,), rule_paths=tuple(rules or ()), use_default_rules=not no_default_rules,
        config=config, excludes=tuple(exclude or ()),
        max_file_size=parse_size(max_file_size, "--max-file-size"), min_confidence=min_confidence,
    )
    with progress_bar(progress_enabled(quiet)) as progress:
        report = run_scan(request, progress)
    inventory = classify(report, include_suppressed=include_suppressed)
    if output is None:
        _write(inventory, output_format, None, depth)
    else:
        emit(output, lambda handle: _write(inventory, output_format, handle, depth))
    if not quiet:
        stderr_console().print(_summary(report, inventory), highlight=False)
    if any(skip.reason is SkipReason.CORRUPT for skip in report.skips):
        raise typer.Exit(int(ExitCode.SCAN_ERROR))
    if fail_above is not None and inventory.level > fail_above:
        raise typer.Exit(int(ExitCode.VIOLATIONS))
    raise typer.Exit(int(ExitCode.OK))
