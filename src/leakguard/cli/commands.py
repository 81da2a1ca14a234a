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


#: Each command and the module that registers it, in the order ``--help`` lists them.
COMMANDS = {
    "scan": "scan", "rules": "rules_cmd", "baseline": "baseline_cmd", "ignore": "ignore_cmd",
    "classify": "classify_cmd", "init": "init_cmd", "policy": "policy_cmd",
    "sweep": "sweep_cmd", "results": "results_cmd",
}


def build_app(argv: list[str] | None = None) -> typer.Typer:
    """The app; when ``argv`` starts with a command, the app holds only that one.

    Each command module imports what its command needs (the baseline, classify and sweep
    machinery, rich tables...): a pre-commit hook running ``leakguard scan --staged`` paid
    about 25 ms importing the other eight. Anything else (no command, ``--help``, an option or
    a misspelt command) gets every command, so help and suggestions stay whole.
    """
    import importlib

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

    first = argv[0] if argv else None
    chosen = [COMMANDS[first]] if first in COMMANDS else list(COMMANDS.values())
    for module in chosen:
        importlib.import_module(f"leakguard.cli.{module}").register(app)
    return app
