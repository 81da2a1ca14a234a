"""``leakguard baseline``: create, update, label, list and merge baseline files."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path

import typer
from rich.table import Table
from rich.text import Text

from leakguard.app import ScanRequest, run_scan
from leakguard.app.suppressions import coverage_of, read_baseline, read_text
from leakguard.baseline_file import (
    DEFAULT_BASELINE_NAME,
    Baseline,
    Label,
    entry_dict,
    key_check,
    parse_baseline,
    serialise_baseline,
)
from leakguard.baseline_merge import merge_baselines
from leakguard.cli.boundary import guarded
from leakguard.cli.options import parse_size
from leakguard.cli.output import stderr_console, stdout_console
from leakguard.cli.progress import progress_bar, progress_enabled
from leakguard.cli.render import exit_code
from leakguard.cli.suppress_io import git_author, write_if_changed
from leakguard.engine.matcher import DEFAULT_REGEX_TIMEOUT
from leakguard.errors import ConfigError, ExitCode, InputError, ScanError, UsageError
from leakguard.filters.baseline import create_baseline, update_baseline
from leakguard.findings import hash_key
from leakguard.model import Report

baseline_app = typer.Typer(
    help="Record today's findings so that scans report only new ones; review them with labels."
         "\n\nExample: leakguard baseline create . && leakguard scan . --baseline "
         ".leakguard-baseline.json",
    no_args_is_help=True,
)


def _help(text: str) -> str:
    """Paragraphs reflowed, so the terminal's width decides where lines break."""
    return "\n\n".join(" ".join(part.split()) for part in text.strip().split("\n\n"))


def register(app: typer.Typer) -> None:
    app.add_typer(baseline_app, name="baseline")


def _say(message: str, quiet: bool = False) -> None:
    if not quiet:
        stderr_console().print(Text(message))


def _folder(path: str) -> Path:
    folder = Path(path)
    if not folder.is_dir():
        raise UsageError(f"PATH {path!r} must be a folder: a baseline covers a whole tree")
    return folder


def _scan(path: str, baseline: Path | None, *, rules: list[Path] | None, no_default_rules: bool,
          config: Path | None, exclude: list[str] | None, max_file_size: str,
          regex_timeout: float, quiet: bool) -> Report:
    request = ScanRequest(
        targets=(path,), rule_paths=tuple(rules or ()), use_default_rules=not no_default_rules,
        config=config, excludes=tuple(exclude or ()),
        max_file_size=parse_size(max_file_size, "--max-file-size"),
        regex_timeout=regex_timeout, baseline=baseline)
    with progress_bar(progress_enabled(quiet)) as progress:
        report = run_scan(request, progress)
    if exit_code(report, strict=False) is ExitCode.SCAN_ERROR:
        raise ScanError("the scan hit corrupt input, so the baseline would be incomplete; "
                        "nothing was written")
    for warning in report.warnings:
        _say(f"Warning: {warning}", quiet)
    return report


_RULES = typer.Option(None, "--rules", "-r", help="Extra rule file or folder (repeatable).")
_NO_DEFAULT = typer.Option(False, "--no-default-rules", help="Leave the shipped rule packs out.")
_CONFIG = typer.Option(None, "--config", "-c", dir_okay=False,
                       help="Policy file (default: .leakguard.yaml at PATH).")
_EXCLUDE = typer.Option(None, "--exclude", "-x",
                        help="Skip paths matching this gitignore-style GLOB (repeatable).")
_MAX_SIZE = typer.Option("10MB", "--max-file-size", help="Skip files larger than this.")
_TIMEOUT = typer.Option(DEFAULT_REGEX_TIMEOUT, "--regex-timeout", min=0.01,
                        help="Seconds one rule may spend on one file.")
_QUIET = typer.Option(False, "--quiet", "-q", help="No progress and no summary line.")


@baseline_app.command("create", help=_help("""Scan PATH and write every current finding to a baseline.

The file (default .leakguard-baseline.json in PATH) holds fingerprints, rule ids, paths and keyed
hashes of secrets, never a secret, and no line numbers or dates: commit it. Findings already
suppressed (inline allows, .leakguardignore, the policy's allow block) are not baselined.

Example: leakguard baseline create . && git add .leakguard-baseline.json"""))
@guarded
def create(
    path: str = typer.Argument(".", metavar="PATH", help="Folder to scan (default '.')."),
    output: Path | None = typer.Option(
        None, "--output", "-o", dir_okay=False,
        help=f"Baseline file to write (default: PATH/{DEFAULT_BASELINE_NAME})."),
    force: bool = typer.Option(False, "--force", help="Replace an existing baseline (its labels "
                                                      "are lost; 'update' keeps them)."),
    rules: list[Path] = _RULES, no_default_rules: bool = _NO_DEFAULT,
    config: Path | None = _CONFIG, exclude: list[str] = _EXCLUDE, max_file_size: str = _MAX_SIZE,
    regex_timeout: float = _TIMEOUT, quiet: bool = _QUIET,
) -> None:
    target = output or _folder(path) / DEFAULT_BASELINE_NAME
    _folder(path)  # also when --output is given
    if target.exists() and not force:
        raise UsageError(f"{str(target)!r} exists: run 'leakguard baseline update' to keep its "
                         "labels, or pass --force to replace it")
    report = _scan(path, None, rules=rules, no_default_rules=no_default_rules, config=config,
                   exclude=exclude, max_file_size=max_file_size, regex_timeout=regex_timeout,
                   quiet=quiet)
    baseline = create_baseline(key_check(hash_key()), report.findings)
    write_if_changed(target, serialise_baseline(baseline))
    _say(f"Wrote {len(baseline.entries)} entries to {target} "
         f"({len(report.suppressed)} suppressed findings not baselined).", quiet)


@baseline_app.command("update", help=_help("""Rescan PATH: add new findings, prune fixed ones, keep labels.

An entry is pruned only when the scan covered its path and its secret is gone; an entry whose
secret moved to another path (a renamed file) follows it with its label. Entries for paths the
scan skipped or excluded are kept. The file is not touched when nothing changed.

Example: leakguard baseline update . --baseline .leakguard-baseline.json"""))
@guarded
def update(
    path: str = typer.Argument(".", metavar="PATH", help="Folder to scan (default '.')."),
    baseline: Path | None = typer.Option(
        None, "--baseline", "-b", dir_okay=False,
        help=f"Baseline file to update (default: PATH/{DEFAULT_BASELINE_NAME})."),
    rules: list[Path] = _RULES, no_default_rules: bool = _NO_DEFAULT,
    config: Path | None = _CONFIG, exclude: list[str] = _EXCLUDE, max_file_size: str = _MAX_SIZE,
    regex_timeout: float = _TIMEOUT, quiet: bool = _QUIET,
) -> None:
    target = baseline or _folder(path) / DEFAULT_BASELINE_NAME
    _folder(path)
    if not target.exists():
        raise InputError(f"baseline {str(target)!r} does not exist: run 'leakguard baseline "
                         "create' first")
    old = read_baseline(target)
    report = _scan(path, target, rules=rules, no_default_rules=no_default_rules, config=config,
                   exclude=exclude, max_file_size=max_file_size, regex_timeout=regex_timeout,
                   quiet=quiet)
    root = Path(report.root)
    coverage = coverage_of(root, [root], report.skips, exclude or ())
    result = update_baseline(old, (*report.findings, *report.suppressed), report.findings,
                             coverage)
    changed = write_if_changed(target, serialise_baseline(result.baseline))
    if not changed:
        _say(f"{target} is up to date ({len(result.baseline.entries)} entries).", quiet)
        return
    _say(f"Updated {target}: {result.added} added, {result.pruned} pruned, {result.moved} moved, "
         f"{result.kept} kept.", quiet)


def _find_entry(baseline: Baseline, fingerprint: str, source: Path) -> int:
    value = fingerprint.strip().lower()
    if len(value) < 8 or not set(value) <= set("0123456789abcdef"):
        raise UsageError(f"FINGERPRINT {fingerprint!r}: give the finding's fingerprint "
                         "(32 hex digits, or a unique prefix of at least 8)")
    hits = [i for i, e in enumerate(baseline.entries) if e.fingerprint.startswith(value)]
    if not hits:
        raise InputError(f"no entry with fingerprint {value} in {str(source)!r}")
    if len(hits) > 1:
        raise UsageError(f"fingerprint prefix {value} matches {len(hits)} entries in "
                         f"{str(source)!r}; give more digits")
    return hits[0]


@baseline_app.command("label", help=_help("""Record a review decision on a baseline entry.

Labels: true-positive (a real secret: rotate it), false-positive (not a secret), accepted-risk
(real, tolerated for a stated reason). The reason and the author (default: git config user.name
and user.email) are stored with the entry and survive 'baseline update'; git history of the file
records when.

Example: leakguard baseline label 3f2a9c1e --label false-positive --reason "test fixture\" """))
@guarded
def label(
    fingerprint: str = typer.Argument(..., help="The finding's fingerprint or a unique prefix "
                                                "(8+ hex digits)."),
    verdict: Label | None = typer.Option(None, "--label", "-l", case_sensitive=False,
                                         help="The decision."),
    reason: str = typer.Option("", "--reason", "-m", help="Why (required with --label)."),
    author: str | None = typer.Option(None, "--author", help="Who decided (default: git "
                                                             "config user.name <user.email>)."),
    clear: bool = typer.Option(False, "--clear", help="Remove the entry's label."),
    baseline: Path = typer.Option(Path(DEFAULT_BASELINE_NAME), "--baseline", "-b",
                                  dir_okay=False, help="Baseline file."),
) -> None:
    if clear == (verdict is not None):
        raise UsageError("give exactly one of --label LABEL or --clear")
    reason = " ".join(reason.split())
    if verdict is not None and not reason:
        raise UsageError("--reason is required with --label: the reason is the audit trail")
    old = read_baseline(baseline, same_key=False)
    index = _find_entry(old, fingerprint, baseline)
    if verdict is not None and author is None:
        author = git_author(baseline.absolute().parent)
        if not author:
            raise UsageError("no author: pass --author or set git config user.name")
    entries = list(old.entries)
    entries[index] = entries[index].relabelled(verdict, reason, " ".join((author or "").split()))
    write_if_changed(baseline, serialise_baseline(old.with_entries(entries)))
    entry = entries[index]
    done = f"labelled {entry.review()}" if verdict else "label cleared"
    _say(f"{entry.fingerprint} ({entry.path}, {entry.rule_id}): {done}.")


class ListFormat(str, Enum):
    TABLE = "table"
    JSON = "json"


@baseline_app.command("list", help=_help("""List baseline entries with their review labels.

Example: leakguard baseline list --label unreviewed"""))
@guarded
def list_entries(
    baseline: Path = typer.Option(Path(DEFAULT_BASELINE_NAME), "--baseline", "-b",
                                  dir_okay=False, help="Baseline file."),
    only: str | None = typer.Option(
        None, "--label", "-l", help="Only entries with this label, or 'unreviewed'."),
    output_format: ListFormat = typer.Option(ListFormat.TABLE, "--format", "-f"),
) -> None:
    choices = [str(x) for x in Label] + ["unreviewed"]
    if only is not None and only not in choices:
        raise UsageError(f"--label must be one of {', '.join(choices)}")
    entries = [e for e in read_baseline(baseline, same_key=False).entries
               if only is None or str(e.label or "unreviewed") == only]
    if output_format is ListFormat.JSON:
        json.dump([entry_dict(e) for e in entries], sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    table = Table(title=f"{len(entries)} entries in {baseline}", title_justify="left")
    for column in ("Path", "Rule", "Fingerprint", "Label", "Reason", "Author"):
        table.add_column(column, overflow="fold")
    for e in entries:
        table.add_row(Text(e.path), Text(e.rule_id), Text(e.fingerprint),
                      Text(str(e.label or "unreviewed")), Text(e.reason), Text(e.author))
    stdout_console().print(table)


def _parse_side(path: Path, source: str) -> Baseline | None:
    text = read_text(path, "merge input") if path.exists() else ""
    return parse_baseline(text, source) if text.strip() else None


@baseline_app.command("merge", help=_help("""Three-way merge of baseline files (a git merge driver).

Entries added on either side are kept, entries pruned on either side are dropped, and labels
changed on one side win; only an entry labelled differently on both sides is a conflict (exit 1,
'ours' kept). Set it up once per clone:

  git config merge.leakguard-baseline.driver "leakguard baseline merge %O %A %B"

and in .gitattributes: .leakguard-baseline.json merge=leakguard-baseline

Example: leakguard baseline merge base.json ours.json theirs.json"""))
@guarded
def merge(
    base: Path = typer.Argument(..., dir_okay=False, help="The common ancestor (git's %O)."),
    ours: Path = typer.Argument(..., dir_okay=False, help="Our version, overwritten with the "
                                                          "result (git's %A)."),
    theirs: Path = typer.Argument(..., dir_okay=False, help="Their version (git's %B)."),
) -> None:
    parsed_ours = _parse_side(ours, f"{ours} (ours)")
    parsed_theirs = _parse_side(theirs, f"{theirs} (theirs)")
    if parsed_ours is None or parsed_theirs is None:
        raise InputError("both sides of a baseline merge must be baseline files")
    if parsed_ours.key_check != parsed_theirs.key_check:
        raise ConfigError("the two sides were made with different hash keys; recreate one",
                          file=str(theirs))
    result = merge_baselines(_parse_side(base, f"{base} (base)"), parsed_ours, parsed_theirs)
    write_if_changed(ours, serialise_baseline(result.baseline))
    for conflict in result.conflicts:
        sys.stderr.write(f"leakguard: conflict: {conflict}\n")
    if result.conflicts:
        raise typer.Exit(int(ExitCode.VIOLATIONS))
