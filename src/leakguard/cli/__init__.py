"""Command-line entry point. ``main`` answers ``--version`` before importing typer and rich,
so hooks that only ask for the version (and start-up benchmarks) pay for nothing else."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args in (["--version"], ["-V"]):
        from leakguard import __version__

        sys.stdout.write(f"leakguard {__version__}\n")
        raise SystemExit(0)
    from leakguard.cli.boundary import run

    raise SystemExit(run(args))
