"""Render a Report in the chosen format to stdout or a file, plus the stderr summary."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from leakguard.cli.output import emit, stderr_console, stdout_console
from leakguard.errors import ExitCode
from leakguard.model import Report, SkipReason
from leakguard.report import Format
from leakguard.report.json_report import write_json
from leakguard.report.sarif import write_sarif
from leakguard.report.table import write_summary, write_table

#: Skip reasons that mean "asked to scan it and could not", as opposed to "not text".
INCOMPLETE_REASONS = {
    SkipReason.UNREADABLE, SkipReason.TOO_LARGE, SkipReason.REGEX_TIMEOUT, SkipReason.CORRUPT,
    SkipReason.MALFORMED,
    SkipReason.LIMIT, SkipReason.ENCRYPTED,
}


def _table_to(handle: TextIO, report: Report, show_suppressed: bool) -> None:
    console = Console(file=handle, width=160, color_system=None, highlight=False)
    write_table(report, console, show_suppressed=show_suppressed)
    write_stale(report, console)


def write_stale(report: Report, console: Console) -> None:
    """Stale baseline and ignore entries, so the user knows which lines to prune."""
    if not report.stale:
        return
    table = Table(title="Stale entries (no longer found)", title_justify="left",
                  box=box.SIMPLE_HEAD)
    for column in ("Source", "Path", "Rule", "Fingerprint"):
        table.add_column(column, overflow="fold")
    for entry in report.stale:
        table.add_row(Text(entry.source), Text(entry.path or "-"), Text(entry.rule_id or "-"),
                      Text(entry.fingerprint))
    console.print(table)


def render(report: Report, fmt: Format, output: Path | None, *, quiet: bool,
           show_suppressed: bool) -> None:
    if fmt is Format.TABLE:
        if output is None:
            write_table(report, stdout_console(), show_suppressed=show_suppressed)
            write_stale(report, stdout_console())
        else:
            emit(output, lambda handle: _table_to(handle, report, show_suppressed))
    elif fmt is Format.JSON:
        emit(output, lambda handle: write_json(report, handle))
    elif fmt is Format.SARIF:
        emit(output, lambda handle: write_sarif(report, handle))
    else:
        from leakguard.report.flat import write_csv, write_markdown

        writer = write_csv if fmt is Format.CSV else write_markdown
        emit(output, lambda handle: writer(report, handle))
    if not quiet:
        write_summary(report, stderr_console())


def exit_code(report: Report, *, strict: bool) -> ExitCode:
    """3 when the scan hit errors (or, with --strict, skipped anything it was asked to scan),
    else 1 when there are policy violations, else 0."""
    corrupt = any(skip.reason is SkipReason.CORRUPT for skip in report.skips)
    incomplete = any(skip.reason in INCOMPLETE_REASONS for skip in report.skips)
    if corrupt or (strict and incomplete):
        return ExitCode.SCAN_ERROR
    return ExitCode.VIOLATIONS if report.violations else ExitCode.OK
