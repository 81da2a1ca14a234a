"""``leakguard results``: query a sweep database (summary per repository, or findings)."""

from __future__ import annotations

import csv
import json
from enum import Enum
from pathlib import Path
from typing import Any, TextIO

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from leakguard import __version__
from leakguard.cli.boundary import guarded
from leakguard.cli.output import emit
from leakguard.model import Category, Confidence, Level, Report, RuleInfo, Stats
from leakguard.report.json_report import finding_dict
from leakguard.report.sarif import sarif_dict
from leakguard.report.table import findings_table, level_text
from leakguard.sweep.results import (
    RepoSummary,
    ResultsQuery,
    finding_rows,
    resolve_run,
    summaries,
    to_finding,
)
from leakguard.sweep.store import Run, Store

RESULTS_HELP = """Query a sweep database: a per-repository summary by default, or findings.

Examples:

  leakguard results --db org.db

  leakguard results --db org.db --new --level restricted

  leakguard results --db org.db --fixed --format csv --output fixed.csv
"""


class ResultsFormat(str, Enum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    SARIF = "sarif"


def register(app: typer.Typer) -> None:
    app.command("results", help=RESULTS_HELP)(guarded(results))


def _rule_infos(rule_ids: set[str], names: dict[str, str]) -> dict[str, RuleInfo]:
    from leakguard.rules.loader import load_ruleset

    try:
        known = load_ruleset().infos
    except Exception:
        known = {}
    infos = {}
    for rule_id in sorted(rule_ids):
        infos[rule_id] = known.get(rule_id) or RuleInfo(
            rule_id, names.get(rule_id) or rule_id, "", Category.CREDENTIAL, Level.CONFIDENTIAL,
            Confidence.MEDIUM)
    return infos


def _reports(rows: list[dict[str, Any]], run: Run) -> list[Report]:
    """One Report per repository, so SARIF gets one run per repository."""
    by_repo: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_repo.setdefault(row["source"], []).append(row)
    names = {row["rule_id"]: row["rule_name"] for row in rows}
    reports = []
    for source, repo_rows in by_repo.items():
        findings = tuple(to_finding(row) for row in repo_rows)
        reports.append(Report(
            tool_version=__version__, root=source, mode="history", findings=findings,
            stats=Stats(), rules=_rule_infos({f.rule_id for f in findings}, names),
            meta={"run": run.id}))
    return reports


def _summary_table(items: list[RepoSummary], run: Run, console: Console) -> None:
    table = Table(title=f"Run {run.id} ({run.status}, started {run.started_at})",
                  title_justify="left")
    for column in ("Repository", "Status", "Worst level", "Violations", "Findings by category"):
        table.add_column(column, overflow="fold")
    for item in items:
        status = Text(item.status, style="red" if item.status == "failed" else "")
        if item.error:
            status.append(f": {item.error}", style="dim")
        categories = ", ".join(f"{name} {count}" for name, count in item.by_category.items())
        table.add_row(Text(item.source), status,
                      level_text(item.worst_level) if item.worst_level else Text("-"),
                      Text(str(item.violations), style="bold red" if item.violations else ""),
                      Text(categories))
    console.print(table)


def _summary_dict(item: RepoSummary) -> dict[str, Any]:
    return {"repository": item.source, "status": item.status, "error": item.error,
            "worst_level": str(item.worst_level) if item.worst_level else None,
            "findings": item.findings, "violations": item.violations,
            "by_category": item.by_category, "duration_seconds": item.duration,
            "bytes": item.bytes, "refs": item.refs}


def _write_summary(items: list[RepoSummary], run: Run, fmt: ResultsFormat, out: TextIO) -> None:
    if fmt is ResultsFormat.TABLE:
        _summary_table(items, run, Console(file=out, highlight=False))
    elif fmt is ResultsFormat.JSON:
        json.dump({"version": 1, "run": run.__dict__,
                   "repositories": [_summary_dict(i) for i in items]}, out, indent=2)
        out.write("\n")
    elif fmt is ResultsFormat.CSV:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["repository", "status", "error", "worst_level", "findings",
                         "violations", "by_category"])
        for item in items:
            writer.writerow([item.source, item.status, item.error, item.worst_level or "",
                             item.findings, item.violations,
                             ";".join(f"{k}={v}" for k, v in item.by_category.items())])
    else:
        raise typer.BadParameter("SARIF holds findings: add --findings (or a filter such as "
                                 "--new) to the query", param_hint="--format")


def _write_findings(rows: list[dict[str, Any]], run: Run, fmt: ResultsFormat,
                    out: TextIO) -> None:
    reports = _reports(rows, run)
    if fmt is ResultsFormat.SARIF:
        runs = [sarif_dict(report)["runs"][0] for report in reports]
        for report, sarif_run in zip(reports, runs, strict=True):
            sarif_run["automationDetails"] = {"id": f"leakguard-sweep/run-{run.id}/{report.root}"}
        document = sarif_dict(Report(__version__, "", "history", (), Stats()))
        document["runs"] = runs
        json.dump(document, out, indent=2)
        out.write("\n")
    elif fmt is ResultsFormat.JSON:
        data = [{"repository": r.root, **finding_dict(f, r)} for r in reports for f in r.findings]
        json.dump({"version": 1, "run": run.__dict__, "findings": data}, out, indent=2)
        out.write("\n")
    elif fmt is ResultsFormat.CSV:
        from leakguard.report.flat import write_csv_rows

        write_csv_rows((((r.root,), f) for r in reports for f in r.findings), out,
                       leading=("repository",))
    else:
        console = Console(file=out, highlight=False)
        for report in reports:
            console.print(findings_table(report.findings, report, title=report.root))


def results(
    db: Path = typer.Option(Path("leakguard.db"), "--db", help="The sweep database."),
    run_id: int | None = typer.Option(None, "--run", help="Run number (default: the latest)."),
    new: bool = typer.Option(False, "--new", help="Findings first seen in the run."),
    fixed: bool = typer.Option(False, "--fixed",
                               help="Findings gone since each repository's previous scan."),
    level: Level | None = typer.Option(None, "--level", help="Findings at or above LEVEL."),
    category: Category | None = typer.Option(None, "--category", help="Only this category."),
    rule: str | None = typer.Option(None, "--rule", help="Only this rule id."),
    repo: str | None = typer.Option(None, "--repo", help="Repositories whose source contains "
                                                          "this text."),
    show_findings: bool = typer.Option(False, "--findings", help="List findings, not the "
                                                                 "per-repository summary."),
    output_format: ResultsFormat = typer.Option(ResultsFormat.TABLE, "--format", "-f"),
    output: Path | None = typer.Option(None, "--output", "-o", dir_okay=False,
                                       help="Write to FILE (atomically)."),
) -> None:
    if new and fixed:
        raise typer.BadParameter("use --new or --fixed, not both", param_hint="--fixed")
    store = Store.open(db, create=False)
    try:
        run = resolve_run(store, run_id)
        query = ResultsQuery(run=run.id, new=new, fixed=fixed, level=level,
                             category=str(category) if category else None, rule=rule, repo=repo)
        listing = show_findings or new or fixed or level or category or rule
        if listing or output_format is ResultsFormat.SARIF:
            rows = finding_rows(store, run, query)
            emit(output, lambda out: _write_findings(rows, run, output_format, out))
        else:
            items = summaries(store, run, query)
            emit(output, lambda out: _write_summary(items, run, output_format, out))
    finally:
        store.close()
