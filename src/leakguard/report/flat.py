"""Flat formats for spreadsheets and pull-request comments: CSV and Markdown."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from leakguard.model import Finding, Report

CSV_COLUMNS = (
    "level", "violation", "allowed_level", "rule_id", "category", "confidence", "path",
    "location", "line", "column", "redacted", "fingerprint", "secret_id", "introduced_commit",
    "introduced_author", "introduced_date", "present_at_head", "suppression",
)


def _row(finding: Finding) -> dict[str, object]:
    introduced = finding.history.introduced if finding.history else None
    return {
        "level": str(finding.level),
        "violation": "yes" if finding.violation else "no",
        "allowed_level": str(finding.allowed_level or ""),
        "rule_id": finding.rule_id,
        "category": str(finding.category),
        "confidence": str(finding.confidence),
        "path": finding.path,
        "location": finding.location or "",
        "line": finding.line,
        "column": finding.column,
        "redacted": finding.redacted,
        "fingerprint": finding.fingerprint,
        "secret_id": finding.secret_id,
        "introduced_commit": introduced.sha if introduced else "",
        "introduced_author": introduced.author_name if introduced else "",
        "introduced_date": introduced.date if introduced else "",
        "present_at_head": "" if finding.history is None else
        ("yes" if finding.history.present_at_head else "no"),
        "suppression": finding.suppression.reason if finding.suppression else "",
    }


def _neutralise(value: object) -> object:
    """Stop spreadsheet formula injection from scanned paths (=, +, -, @ at the start)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def write_csv_rows(rows: Iterable[tuple[tuple[str, ...], Finding]], out: TextIO, *,
                   leading: tuple[str, ...] = ()) -> None:
    """CSV of findings, each preceded by ``leading`` columns (e.g. the repository of a sweep)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*leading, *CSV_COLUMNS])
    for prefix, finding in rows:
        row = _row(finding)
        writer.writerow([_neutralise(v) for v in (*prefix, *(row[c] for c in CSV_COLUMNS))])


def write_csv(report: Report, out: TextIO) -> None:
    write_csv_rows((((), f) for f in (*report.findings, *report.suppressed)), out)


def _md(value: object) -> str:
    return str(value).replace("|", "\\|").replace("`", "'").replace("\n", " ")


def write_markdown(report: Report, out: TextIO) -> None:
    violations = len(report.violations)
    out.write("## leakguard report\n\n")
    out.write(f"{len(report.findings)} finding(s), {violations} violation(s), "
              f"{len(report.suppressed)} suppressed.\n\n")
    if not report.findings:
        return
    out.write("| Level | Location | Rule | Redacted | Policy |\n|---|---|---|---|---|\n")
    for finding in report.findings:
        policy = f"**violation** (max {finding.allowed_level or 'none'})" if finding.violation \
            else "allowed"
        out.write(f"| {finding.level} | `{_md(finding.path)}:{finding.line}` | "
                  f"{_md(finding.rule_id)} | `{_md(finding.redacted)}` | {policy} |\n")
