"""Builds the typer app from one module per command, so no module holds every option."""

from __future__ import annotations

import typer

from leakguard import __version__

HELP = """Classify repository content and find leaked secrets in files and git history.

Example: [bold]leakguard scan .[/bold]   (exit 0 clean, 1 policy violations, 2 usage or
configuration error, 3 scan error, 130 interrupted)
"""


def _version(value: bool) -> None:
    if value:
        typer.echo(f"leakguard {__version__}")
        raise typer.Exit(0)


def build_app() -> typer.Typer:
    from leakguard.cli import (
        baseline_cmd,
        classify_cmd,
        ignore_cmd,
        init_cmd,
        policy_cmd,
        results_cmd,
        rules_cmd,
        scan,
        sweep_cmd,
    )

    app = typer.Typer(
        name="leakguard",
        help=HELP,
        no_args_is_help=True,
        rich_markup_mode="rich",
        pretty_exceptions_enable=False,
        pretty_exceptions_show_locals=False,
        add_completion=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    @app.callback()
    def _root(
        version: bool = typer.Option(False, "--version", "-V", help="Show the version and exit.",
                                     callback=_version, is_eager=True),
    ) -> None:
        """Classify repository content and find leaked secrets."""

    scan.register(app)
    rules_cmd.register(app)
    baseline_cmd.register(app)
    ignore_cmd.register(app)
    classify_cmd.register(app)
    init_cmd.register(app)
    policy_cmd.register(app)
    sweep_cmd.register(app)
    results_cmd.register(app)
    return app
