"""``leakguard ignore``: add a finding's fingerprint to ``.leakguardignore``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.text import Text

from leakguard.cli.boundary import guarded
from leakguard.cli.output import stderr_console
from leakguard.cli.suppress_io import read_existing, write_if_changed
from leakguard.filters.ignorefile import IGNORE_FILE_NAME, append_entry

IGNORE_HELP = "\n\n".join([
    f"Ignore one finding by its fingerprint, with the reason, in {IGNORE_FILE_NAME}.",
    "The fingerprint is a hash of the rule, the path and the secret: the entry keeps working "
    "when lines move, and a different secret on the same line is still reported. Entries that "
    "no longer match anything are reported as stale by 'leakguard scan'. The file is rewritten "
    "atomically; an entry already present is refused.",
    'Example: leakguard ignore 3f2a9c1e0b7d4e6f8a1b2c3d4e5f6a7b --reason "test fixture"',
])


def register(app: typer.Typer) -> None:
    app.command("ignore", help=IGNORE_HELP)(guarded(ignore))


def ignore(
    fingerprint: str = typer.Argument(..., help="The finding's 'fingerprint' (32 hex digits)."),
    reason: str = typer.Option(..., "--reason", "-m", help="Why it is ignored (one line)."),
    file: Path = typer.Option(
        Path(IGNORE_FILE_NAME), "--file", dir_okay=False,
        help=f"Ignore file to add to (default: {IGNORE_FILE_NAME} in the current folder, which "
             "should be the root you scan)."),
) -> None:
    text = append_entry(read_existing(file), fingerprint, reason, str(file))
    write_if_changed(file, text)
    stderr_console().print(Text(f"Added {fingerprint.strip().lower()} to {file}."))
