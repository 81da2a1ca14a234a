"""The one place exceptions become exit codes and messages (pre-commit's error_handler idea).

Every command is wrapped in ``guarded``: LeakguardError -> its exit code and a one-line message,
Ctrl-C -> 130, anything unexpected -> 3 with no traceback (locals could hold scanned content);
set ``LEAKGUARD_DEBUG=1`` to see a plain traceback.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from leakguard.errors import ExitCode, LeakguardError

F = TypeVar("F", bound=Callable[..., Any])


def print_error(message: str) -> None:
    for line in str(message).splitlines() or [""]:
        sys.stderr.write(f"leakguard: error: {line}\n")
    sys.stderr.flush()


def guarded(func: F) -> F:
    """Wrap a typer command so that errors end in the documented exit codes."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except LeakguardError as exc:
            print_error(str(exc))
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            sys.stderr.write("\nleakguard: interrupted\n")
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except BrokenPipeError:
            # The reader went away (``leakguard scan | head``): nothing more can be said to it.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(int(ExitCode.OK)) from None
        except Exception as exc:
            if os.environ.get("LEAKGUARD_DEBUG"):
                import traceback

                traceback.print_exception(type(exc), exc, exc.__traceback__)
            print_error(f"internal error: {type(exc).__name__} "
                        "(set LEAKGUARD_DEBUG=1 for a traceback)")
            raise typer.Exit(int(ExitCode.SCAN_ERROR)) from None

    return wrapper  # type: ignore[return-value]


def run(argv: list[str]) -> int:
    from leakguard.cli.commands import build_app

    app = build_app(argv)
    try:
        app(args=argv, prog_name="leakguard")
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else int(ExitCode.USAGE))
    except KeyboardInterrupt:
        sys.stderr.write("\nleakguard: interrupted\n")
        return int(ExitCode.INTERRUPTED)
    return int(ExitCode.OK)
