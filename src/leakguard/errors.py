"""The one error family and the one list of exit codes.

Domain code raises these with messages that name the file, line, rule or argument at fault; only
the CLI boundary (``cli/boundary.py``) turns them into exit codes.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Documented in the README; CI systems key on these."""

    OK = 0
    VIOLATIONS = 1
    USAGE = 2
    SCAN_ERROR = 3
    INTERRUPTED = 130


class LeakguardError(Exception):
    """Base of every error leakguard raises on purpose."""

    exit_code: ExitCode = ExitCode.USAGE


class UsageError(LeakguardError):
    """A bad argument or option combination."""


class InputError(LeakguardError):
    """A path, repository or input file that cannot be used."""


class ConfigError(LeakguardError):
    """A rule file or policy file that does not follow its schema.

    The message always starts with ``file:line`` and, where there is one, the rule id, so the
    user can jump straight to the fault.
    """

    def __init__(
        self, message: str, *, file: str | None = None, line: int | None = None,
        rule_id: str | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.rule_id = rule_id
        self.detail = message
        where = ""
        if file:
            where = f"{file}:{line}: " if line else f"{file}: "
        rule = f"rule {rule_id!r}: " if rule_id else ""
        super().__init__(f"{where}{rule}{message}")


class ConfigErrors(ConfigError):
    """Several schema errors found in one pass, reported together so users fix them at once."""

    def __init__(self, errors: list[ConfigError]) -> None:
        self.errors = errors
        first = errors[0]
        super().__init__(first.detail, file=first.file, line=first.line, rule_id=first.rule_id)
        self.args = ("\n".join(str(e) for e in errors),)

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


class ScanError(LeakguardError):
    """The scan could not finish or covered less than asked (corrupt objects, strict skips)."""

    exit_code = ExitCode.SCAN_ERROR
