"""``leakguard scan``: scan a file tree (or stdin) and gate it against the policy."""

from __future__ import annotations

from pathlib import Path

import typer

from leakguard.app import ScanRequest, run_scan
from leakguard.cli.boundary import guarded
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

  leakguard scan . --jobs 4 --cache .leakguard-cache.sqlite
"""


def register(app: typer.Typer) -> None:
    app.command("scan", help=SCAN_HELP, no_args_is_help=False)(guarded(scan))


def scan(
    paths: list[str] = typer.Argument(
        None, metavar="[PATH]...", help="Files or folders to scan (default '.'); '-' reads stdin."),
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
        jobs=jobs,
        cache=cache,
        use_cache=not no_cache,
        engine=engine,
    )
    with progress_bar(progress_enabled(quiet)) as progress:
        report = run_scan(request, progress)
    render(report, output_format, output, quiet=quiet, show_suppressed=show_suppressed)
    code = exit_code(report, strict=strict)
    if exit_zero and code is ExitCode.VIOLATIONS:
        code = ExitCode.OK
    raise typer.Exit(int(code))
