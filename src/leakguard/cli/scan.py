"""``leakguard scan``: scan a file tree (or stdin) and gate it against the policy."""

from __future__ import annotations

from pathlib import Path

import typer

from leakguard.app import GitOptions, ScanRequest, run_scan
from leakguard.cli.boundary import guarded, print_error
from leakguard.cli.options import parse_size
from leakguard.cli.progress import progress_bar, progress_enabled
from leakguard.cli.render import exit_code, render
from leakguard.engine.matcher import DEFAULT_REGEX_TIMEOUT
from leakguard.engine.selection import EngineChoice
from leakguard.errors import ExitCode
from leakguard.model import Confidence, Level
from leakguard.report import Format

SCAN_HELP = """Scan files (default: the current folder) for secrets and sensitive content.

Findings above the level the policy (.leakguard.yaml) allows at their path are violations and
make the exit code 1.

Examples:

  leakguard scan .

  leakguard scan src/ --format sarif --output leakguard.sarif

  cat notes.txt | leakguard scan -

  leakguard scan shared-drive/ --max-archive-depth 5

  leakguard scan . --baseline .leakguard-baseline.json --fail-on-stale

  leakguard scan . --history                (every blob in every ref, with who added it when)

  leakguard scan . --since origin/main      (CI: only secrets the new commits add)

  leakguard scan --staged                   (pre-commit: only added lines of staged files)

  leakguard scan . --jobs 4 --cache .leakguard-cache.sqlite
"""


def register(app: typer.Typer) -> None:
    app.command("scan", help=SCAN_HELP, no_args_is_help=False)(guarded(scan))


def scan(
    paths: list[str] = typer.Argument(
        None, metavar="PATH", help="Files or folders to scan (default '.'); '-' reads stdin."),
    output_format: Format = typer.Option(
        Format.TABLE, "--format", "-f", help="Report format.", case_sensitive=False),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write the report to FILE (atomically) instead of stdout.",
        dir_okay=False),
    rules: list[Path] = typer.Option(
        None, "--rules", "-r", help="Extra rule file or folder (repeatable)."),
    no_default_rules: bool = typer.Option(
        False, "--no-default-rules", help="Leave the shipped rule packs out."),
    config: Path | None = typer.Option(
        None, "--config", "-c", help="Policy file (default: .leakguard.yaml at the scanned root).",
        dir_okay=False),
    exclude: list[str] = typer.Option(
        None, "--exclude", "-x", help="Skip paths matching this gitignore-style GLOB (repeatable)."),
    max_file_size: str = typer.Option(
        "10MB", "--max-file-size", help="Skip files larger than this (e.g. 512K, 10MB)."),
    fail_on: Level | None = typer.Option(
        None, "--fail-on", case_sensitive=False,
        help="Fail on findings at or above LEVEL, whatever the policy allows. Default: the policy "
             "decides (without one, confidential and above fail)."),
    min_confidence: Confidence = typer.Option(
        Confidence.LOW, "--min-confidence", case_sensitive=False,
        help="Drop findings below this confidence."),
    show_secrets: bool = typer.Option(
        False, "--show-secrets", help="Show secrets in clear in every output. Off by default."),
    show_suppressed: bool = typer.Option(
        False, "--show-suppressed", help="List suppressed findings in the table too."),
    strict: bool = typer.Option(
        False, "--strict", help="Exit 3 when anything asked for could not be scanned completely "
                                "(unreadable, too large, regex timeout)."),
    regex_timeout: float = typer.Option(
        DEFAULT_REGEX_TIMEOUT, "--regex-timeout", min=0.01,
        help="Seconds one rule may spend on one file before it is skipped there (and counted)."),
    exit_zero: bool = typer.Option(
        False, "--exit-zero", help="Exit 0 even with policy violations (errors still exit 2 or 3)."),
    quiet: bool = typer.Option(
        False, "--quiet", "-q", help="No progress and no summary; only the report."),
    no_extract: bool = typer.Option(
        False, "--no-extract", help="Do not open documents (Office, PDF, …) or archives; scan "
                                    "only plain text files."),
    max_archive_depth: int = typer.Option(
        3, "--max-archive-depth", min=0, metavar="N",
        help="Open archives nested up to N deep (0: do not open archives)."),
    baseline: Path | None = typer.Option(
        None, "--baseline", "-b", dir_okay=False,
        help="Report only findings not in this baseline file (see 'leakguard baseline')."),
    no_ignore_file: bool = typer.Option(
        False, "--no-ignore-file", help="Do not read .leakguardignore at the scanned root."),
    fail_on_stale: bool = typer.Option(
        False, "--fail-on-stale",
        help="Exit 1 when baseline or ignore entries match nothing any more."),
    false_positives_everywhere: bool = typer.Option(
        False, "--false-positives-everywhere",
        help="A baseline entry labelled false-positive also suppresses the same value at other "
             "paths."),
    history: bool = typer.Option(
        False, "--history", help="Scan every blob reachable from every ref (branches, tags, "
                                 "remote-tracking refs) of the repository at PATH, each once, and "
                                 "say which commit introduced each finding, who, when, whether "
                                 "HEAD still has it and which refs carry it."),
    ref: list[str] = typer.Option(
        None, "--ref", metavar="REF", help="With --history: only what REF reaches (repeatable)."),
    include_unreachable: bool = typer.Option(
        False, "--include-unreachable", help="With --history: also scan unreachable objects "
                                             "(dangling commits and blobs, reset or amended work)."),
    since: str | None = typer.Option(
        None, "--since", metavar="REV", help="Report only secrets added by the commits after REV "
                                             "up to HEAD (REV..HEAD), for CI on a branch."),
    commit_range: str | None = typer.Option(
        None, "--range", metavar="A..B", help="Report only secrets added by the commits of the "
                                              "range A..B (secrets already in A are not reported)."),
    staged: bool = typer.Option(
        False, "--staged", help="Scan only staged content (added lines) of the repository, or of "
                                "the files given as PATH; for pre-commit hooks."),
    jobs: int = typer.Option(
        0, "--jobs", "-j", min=0,
        help="Worker processes for large scans (default 0: every core; 1: scan in this process). "
             "Findings are the same for any value."),
    cache: Path | None = typer.Option(
        None, "--cache", dir_okay=False,
        help="Scan cache file (default: scan-cache.sqlite in the user cache folder). Content "
             "already scanned with the same rules is not scanned again."),
    no_cache: bool = typer.Option(
        False, "--no-cache", help="Neither read nor write the scan cache."),
    engine: EngineChoice = typer.Option(
        EngineChoice.AUTO, "--engine", case_sensitive=False,
        help="Matching engine: hyperscan (one pass for all rules), regex (pure Python fallback) "
             "or auto (hyperscan when installed). Findings are the same."),
) -> int:
    request = ScanRequest(
        targets=tuple(paths or (".",)),
        rule_paths=tuple(rules or ()),
        use_default_rules=not no_default_rules,
        config=config,
        excludes=tuple(exclude or ()),
        max_file_size=parse_size(max_file_size, "--max-file-size"),
        fail_on=fail_on,
        min_confidence=min_confidence,
        show_secrets=show_secrets,
        regex_timeout=regex_timeout,
        extract=not no_extract,
        max_archive_depth=max_archive_depth,
        baseline=baseline,
        use_ignore_file=not no_ignore_file,
        false_positives_everywhere=false_positives_everywhere,
        jobs=jobs,
        cache=cache,
        use_cache=not no_cache,
        engine=engine,
    )
    git_options = GitOptions(history=history, refs=tuple(ref or ()),
                             include_unreachable=include_unreachable, since=since,
                             range=commit_range, staged=staged)
    with progress_bar(progress_enabled(quiet)) as progress:
        if git_options.mode is None:
            report = run_scan(request, progress)
        else:
            from leakguard.app.gitmodes import run_git_scan  # only git modes need git's machinery

            report = run_git_scan(request, git_options, progress)
    render(report, output_format, output, quiet=quiet, show_suppressed=show_suppressed)
    code = exit_code(report, strict=strict)
    if fail_on_stale and report.stale and code is ExitCode.OK:
        code = ExitCode.VIOLATIONS
        if not quiet:
            print_error(f"{len(report.stale)} stale baseline/ignore entries (--fail-on-stale): "
                        "run 'leakguard baseline update' or remove them from .leakguardignore")
    if exit_zero and code is ExitCode.VIOLATIONS:
        code = ExitCode.OK
    raise typer.Exit(int(code))
