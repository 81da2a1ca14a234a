"""``leakguard sweep``: scan many repositories' full history into one SQLite database."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from leakguard.cli.boundary import guarded
from leakguard.cli.output import stderr_console
from leakguard.errors import ExitCode
from leakguard.sweep.runner import SweepProgress, SweepRequest, SweepSummary, run_sweep
from leakguard.sweep.task import ScanOptions

SWEEP_HELP = """Scan the full history of many repositories into a SQLite database, resumably.

TARGETs are repository paths (bare or not), folders searched for repositories, or clone URLs
(mirrored into --cache-dir and fetched incrementally later). A repository whose refs have not
changed since its last successful scan is skipped unless --rescan. Rerunning an interrupted
sweep resumes it. Exit 3 if any repository failed, else 1 if any policy violation, else 0.

Examples:

  leakguard sweep ~/src/org-mirrors --db org.db --workers 4

  leakguard sweep --from repos.txt --cache-dir ~/.cache/leakguard/mirrors

  leakguard sweep --from repos.txt --dask tcp://scheduler:8786
"""

LOG_INTERVAL = 10.0


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "leakguard" / "mirrors"


def register(app: typer.Typer) -> None:
    app.command("sweep", help=SWEEP_HELP)(guarded(sweep))


def _eta(progress: SweepProgress) -> str:
    eta = progress.eta
    if eta is None:
        return "?"
    return f"{int(eta // 60)}m{int(eta % 60):02d}s"


@contextlib.contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[SweepProgress], None] | None]:
    if quiet:
        yield None
        return
    console = stderr_console()
    if not sys.stderr.isatty():
        last_log = [0.0]

        def log(state: SweepProgress) -> None:
            now = time.monotonic()
            finished = state.done == state.total
            if state.last is None and not finished:
                return
            if now - last_log[0] >= LOG_INTERVAL or finished:
                last_log[0] = now
                sys.stderr.write(
                    f"leakguard sweep: {state.done}/{state.total} repositories, "
                    f"{state.findings} findings, {state.failed} failed, "
                    f"{len(state.in_flight)} in flight, {state.rate:.2f}/s, ETA {_eta(state)}\n")
                sys.stderr.flush()

        yield log
        return
    bar = Progress(TextColumn("sweep"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[detail]}"), TimeElapsedColumn(),
                   console=console, transient=True)
    task_id = bar.add_task("sweep", total=None, detail="")

    def draw(state: SweepProgress) -> None:
        current = state.in_flight[-1] if state.in_flight else ""
        detail = (f"{state.findings} findings · {len(state.in_flight)} in flight · "
                  f"{state.rate:.2f}/s · ETA {_eta(state)} · {current[-40:]}")
        bar.update(task_id, completed=state.done, total=state.total, detail=detail)

    with bar:
        yield draw


def _print_summary(summary: SweepSummary) -> None:
    console = stderr_console()
    text = Text()
    if summary.resumed:
        text.append(f"Resumed run {summary.run_id}: {summary.already_done} repositories were "
                    "already done.\n", style="dim")
    text.append(f"Run {summary.run_id}: {summary.total} repositories — {summary.scanned} scanned, "
                f"{summary.unchanged} unchanged, {summary.failed} failed — "
                f"{summary.findings} findings, {summary.violations} violations in "
                f"{summary.duration:.1f}s.\n")
    for source, error in summary.failures:
        text.append(f"failed: {source}: {error}\n", style="red")
    console.print(text, end="")


def sweep(
    targets: list[str] = typer.Argument(None, metavar="TARGET",
                                        help="Repository paths, folders or clone URLs."),
    from_file: list[Path] = typer.Option(
        None, "--from", help="Read targets from FILE: one path or URL per line, # comments."),
    db: Path = typer.Option(Path("leakguard.db"), "--db", help="SQLite database for results."),
    cache_dir: Path = typer.Option(None, "--cache-dir",
                                   help="Where URL targets are mirrored (default: user cache)."),
    workers: int = typer.Option(os.cpu_count() or 1, "--workers", "-w", min=1,
                                help="Repositories scanned at once (default: CPU count)."),
    dask: str | None = typer.Option(None, "--dask", metavar="SCHEDULER_ADDRESS",
                                    help="Run scans on an existing Dask distributed cluster."),
    rescan: bool = typer.Option(False, "--rescan", help="Scan repositories whose refs are "
                                                         "unchanged since their last scan too."),
    repo_timeout: float | None = typer.Option(
        None, "--repo-timeout", min=0.001, help="Give up on a repository after SECONDS (recorded as "
                                            "failed)."),
    config: Path | None = typer.Option(
        None, "--config", "-c", help="Policy for repositories without their own .leakguard.yaml.",
        dir_okay=False),
    rules: list[Path] = typer.Option(None, "--rules", "-r", help="Extra rule file or folder."),
    no_default_rules: bool = typer.Option(False, "--no-default-rules"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress and no summary."),
) -> None:
    request = SweepRequest(
        targets=tuple(targets or ()),
        from_files=tuple(from_file or ()),
        db=db,
        cache_dir=(cache_dir or default_cache_dir()).absolute(),
        workers=workers,
        dask=dask,
        rescan=rescan,
        options=ScanOptions(
            config=str(config.absolute()) if config else None,
            rules=tuple(str(r.absolute()) for r in rules or ()),
            no_default_rules=no_default_rules,
            repo_timeout=repo_timeout,
        ),
    )
    with _progress(quiet) as progress:
        summary = run_sweep(request, progress)
    if not quiet:
        _print_summary(summary)
    if summary.failed:
        raise typer.Exit(int(ExitCode.SCAN_ERROR))
    raise typer.Exit(int(ExitCode.VIOLATIONS if summary.violations else ExitCode.OK))
