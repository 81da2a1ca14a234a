"""``leakguard init``: write a commented starter ``.leakguard.yaml`` for a repository."""

from __future__ import annotations

import datetime as dt
import secrets
import sys
from pathlib import Path

import typer

from leakguard.cli.boundary import guarded
from leakguard.cli.output import atomic_text_file, stderr_console
from leakguard.errors import InputError, UsageError
from leakguard.model import Level
from leakguard.policy import POLICY_FILE

INIT_HELP = """Write a commented starter policy (.leakguard.yaml) for a repository.

Fixture and example folders found in the repository are suggested, commented out, as places
that may hold synthetic secrets. An existing policy is never overwritten without --force.

Examples:

  leakguard init

  leakguard init path/to/repo --max-level confidential

  leakguard init --stdout > proposed-policy.yaml
"""

#: Folder names that usually hold synthetic data (fixtures, golden files, demos).
FIXTURE_NAMES = frozenset({
    "fixtures", "__fixtures__", "fixture", "testdata", "test-data", "test_data", "examples",
    "example", "samples", "sample", "demo", "demos", "snapshots", "__snapshots__", "golden",
    "goldens", "mocks", "__mocks__", "testfiles",
})
#: Folders never worth suggesting (dependencies, build output, tool state).
SKIP_NAMES = frozenset({
    ".git", ".hg", ".svn", "node_modules", ".venv", "venv", "env", ".tox", ".nox", "dist",
    "build", "target", "vendor", "third_party", "__pycache__", ".mypy_cache", ".pytest_cache",
    ".ruff_cache", "site-packages",
})
MAX_DEPTH = 4

LEVEL_NOTES = {
    Level.PUBLIC: "approved for release: open-source code, published docs",
    Level.INTERNAL: "organisation-authored, unreleased: internal hosts, work emails",
    Level.CONFIDENTIAL: "need-to-know: customer names, codenames, documents marked CONFIDENTIAL",
    Level.RESTRICTED: "trade secrets, regulated data: customer dumps, card numbers, national ids",
    Level.PROHIBITED: "never in any repository: live credentials, private keys, classified",
}


def register(app: typer.Typer) -> None:
    app.command("init", help=INIT_HELP, no_args_is_help=False)(guarded(init_command))


def fixture_folders(root: Path, max_depth: int = MAX_DEPTH) -> list[str]:
    """Relative paths of folders that look like fixtures or examples, shallowest first."""
    found: list[str] = []

    def walk(folder: Path, depth: int) -> None:
        try:
            children = sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink())
        except OSError:
            return
        for child in children:
            if child.name in SKIP_NAMES:
                continue
            rel = child.relative_to(root).as_posix()
            if child.name.lower() in FIXTURE_NAMES:
                found.append(rel)
                continue  # everything below is covered by the suggestion
            if depth < max_depth:
                walk(child, depth + 1)

    walk(root, 1)
    return found


def starter_policy(root: Path, max_level: Level, fixtures: list[str], salt: str,
                   today: dt.date | None = None) -> str:
    """The text of a starter policy: every key present, explained, and valid as written."""
    today = today or dt.date.today()
    name = root.resolve().name or "this repository"
    lines = [
        f"# leakguard policy for {name}, written by `leakguard init` on {today.isoformat()}.",
        "# Check it with `leakguard policy check`; the README (\"Levels and the policy\") explains",
        "# every key. Levels, lowest to highest:",
    ]
    lines += [f"#   {level.value:<13} {note}" for level, note in LEVEL_NOTES.items()]
    lines += [
        "version: 1",
        "",
        "# The highest level allowed anywhere in the repository (findings above it fail CI).",
        f"max_level: {max_level.value}",
        "",
        "# Per-path overrides (gitignore-style globs); the last matching entry wins.",
    ]
    if fixtures:
        lines += [
            "# These folders look like fixtures or examples. If they hold only synthetic data",
            "# (plainly fake keys, generated people), uncomment them so their findings pass:",
            "paths:",
        ]
        lines += [f'#  - {{path: "{folder}/**", max_level: prohibited}}' for folder in fixtures]
        lines.append('#  - {path: "docs/**", max_level: confidential}')
    else:
        lines += [
            "paths:",
            '#  - {path: "tests/fixtures/**", max_level: prohibited}   # synthetic data only',
            '#  - {path: "docs/**", max_level: confidential}',
        ]
    lines += [
        "",
        "# Codenames and customer names, matched as whole words in any case and reported at",
        "# their level (plain names: confidential). Keep the list itself secret by listing",
        "# salted hashes made with this file's salt: `leakguard policy hash NAME --level LEVEL`.",
        f'salt: "{salt}"',
        "codenames:",
        "#  - {name: Bluefin, level: restricted}      # in clear: this file then names it",
        "#  paste `leakguard policy hash` output here: - {sha256: ..., level: restricted}",
        "customers:",
        "#  - {name: Globex Fakeworks, level: confidential}",
        "",
        "# The organisation's internal DNS domains and address ranges (infrastructure findings).",
        "internal_domains:",
        "#  - corp.example.com",
        "internal_networks:",
        "#  - 10.20.0.0/16",
        "",
        "# Extra rule files or folders, rule ids to switch off, and values accepted outright.",
        "rules:",
        "#  - ci/leakguard-rules.yaml",
        "disable:",
        "#  - pii.phone",
        "allow:",
        "  paths:",
        '#    - "third_party/**"',
        "  regexes:",
        "#    - '^AKIA[A-Z2-7]{12}TEST$'",
    ]
    return "\n".join(lines) + "\n"


def init_command(
    path: Path = typer.Argument(Path("."), metavar="PATH",
                                help="Repository folder (default '.')."),
    max_level: Level = typer.Option(
        Level.INTERNAL, "--max-level", case_sensitive=False,
        help="The repository's max_level (default internal)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing policy."),
    to_stdout: bool = typer.Option(False, "--stdout", help="Print the policy instead of writing it."),
) -> None:
    if not path.is_dir():
        raise InputError(f"PATH {str(path)!r} is not a folder")
    target = path / POLICY_FILE
    text = starter_policy(path, max_level, fixture_folders(path), secrets.token_hex(16))
    if to_stdout:
        sys.stdout.write(text)
        return
    if target.exists() and not force:
        raise UsageError(f"{target} already exists; use --force to overwrite it")
    with atomic_text_file(target) as handle:
        handle.write(text)
    stderr_console().print(f"Wrote {target}. Review it, then run `leakguard scan`.",
                           highlight=False, markup=False)
