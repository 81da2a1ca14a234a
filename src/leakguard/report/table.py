"""The human view: a rich table of findings on stdout and a summary on stderr.

Scanned content is hostile: every value taken from it is wrapped in ``Text`` so that rich never
interprets ``[bold]``-style markup or control sequences planted in a repository.
"""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from leakguard.model import Finding, Level, Report

LEVEL_STYLE = {
    Level.PROHIBITED: "bold white on red",
    Level.RESTRICTED: "bold red",
    Level.CONFIDENTIAL: "yellow",
    Level.INTERNAL: "cyan",
    Level.PUBLIC: "dim",
}


def _clean(value: str) -> str:
    """Drop control characters (ANSI escapes, carriage returns) before anything is shown."""
    return "".join(ch if ch.isprintable() or ch == " " else "?" for ch in value)


def level_text(level: Level) -> Text:
    return Text(str(level), style=LEVEL_STYLE[level])


def _location(finding: Finding) -> Text:
    text = Text(_clean(f"{finding.path}:{finding.line}"))
    if finding.location:
        text.append(_clean(f" ({finding.location})"), style="dim")
    if finding.occurrences > 1:
        text.append(f" ×{finding.occurrences}", style="dim")
    return text


def _policy(finding: Finding) -> Text:
    if finding.suppression is not None:
        return Text(f"suppressed ({finding.suppression.reason})", style="dim")
    if finding.violation:
        text = Text("VIOLATION", style="bold red")
        text.append(f" max {finding.allowed_level or 'none'}", style="red")
        return text
    return Text("allowed", style="green")


def findings_table(findings: tuple[Finding, ...], report: Report, *, title: str) -> Table:
    """Worst first: violations, then by level, then by path and line."""
    ordered = sorted(findings, key=lambda f: (not f.violation, -f.level.rank, f.path, f.line))
    history = any(f.history is not None for f in ordered)
    table = Table(title=title, title_justify="left", expand=False, box=box.SIMPLE_HEAD)
    table.add_column("Level", no_wrap=True)
    table.add_column("Location", overflow="fold", ratio=3, min_width=12)
    table.add_column("Rule", overflow="fold", ratio=2, min_width=10)
    table.add_column("Secret" if report.secrets_shown else "Redacted", overflow="fold", ratio=1)
    if history:
        table.add_column("Commit", no_wrap=True)
        table.add_column("Author", overflow="fold", ratio=1)
    table.add_column("Policy", overflow="fold", ratio=1, min_width=9)
    for finding in ordered:
        value = finding.secret if report.secrets_shown and finding.secret else finding.redacted
        row: list[Text] = [
            level_text(finding.level),
            _location(finding),
            Text(finding.rule_id),
            Text(_clean(value)),
        ]
        if history:
            introduced = finding.history.introduced if finding.history else None
            row.append(Text(introduced.sha[:10] if introduced else "", style="magenta"))
            row.append(Text(_clean(introduced.author_name) if introduced else ""))
        row.append(_policy(finding))
        table.add_row(*row)
    return table


def write_table(report: Report, console: Console, *, show_suppressed: bool = False) -> None:
    if report.findings:
        console.print(findings_table(report.findings, report, title="Findings"))
    if show_suppressed and report.suppressed:
        console.print(findings_table(report.suppressed, report, title="Suppressed"))


def _human_bytes(count: int) -> str:
    size = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{count} B"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def write_summary(report: Report, console: Console) -> None:
    """One short block on stderr: coverage, skips, findings by level, suppressions, verdict."""
    stats = report.stats
    lines = Text()
    if report.mode == "tree":
        scope = _plural(stats.files_scanned, "file")
    elif report.mode == "staged":
        scope = f"{_plural(stats.blobs or stats.files_scanned, 'staged file')}"
    else:
        scope = f"{_plural(stats.blobs, 'blob')} in {_plural(stats.commits, 'commit')}"
    lines.append(f"Scanned {scope}, {_human_bytes(stats.bytes_scanned)} "
                 f"with {stats.rules_loaded} rules in {stats.duration_seconds:.2f}s.\n")
    if stats.skipped:
        skipped = ", ".join(f"{reason} {count}" for reason, count in stats.skipped)
        lines.append(f"Skipped {stats.skipped_total}: {skipped}.\n", style="dim")
    counts = [(level, n) for level, n in report.findings_by_level().items() if n]
    if counts:
        lines.append("Findings: ")
        for index, (level, count) in enumerate(reversed(counts)):
            if index:
                lines.append(", ")
            lines.append(f"{count} {level}", style=LEVEL_STYLE[level])
        lines.append(".\n")
    else:
        lines.append("No findings.\n", style="green")
    by_reason = report.suppressed_by_reason()
    if by_reason:
        detail = ", ".join(f"{reason} {count}" for reason, count in by_reason.items())
        lines.append(f"Suppressed {len(report.suppressed)}: {detail}.\n", style="dim")
    if report.stale:
        lines.append(f"Stale baseline/ignore entries: {len(report.stale)} "
                     "(no longer found; prune them).\n", style="yellow")
    for warning in report.warnings:
        lines.append(f"Warning: {_clean(warning)}\n", style="yellow")
    violations = len(report.violations)
    if violations:
        lines.append(f"{violations} violation(s) of the policy.", style="bold red")
    else:
        lines.append("No policy violations.", style="bold green")
    console.print(lines)
