"""Run git on an untrusted repository without letting the repository run anything.

A repository's own configuration can name programs that git runs on its behalf: an fsmonitor,
hooks, clean/smudge filters, textconv and external diff drivers, a pager, gpg for signatures, ssh
and askpass helpers. A scanner is pointed at repositories it has no reason to trust, so every git
process leakguard starts gets command-line configuration (which outranks the repository's) that
switches those off, an environment without the caller's git overrides, no system or global
configuration, and no replace refs (which could show other content than the objects hold).
Beyond that, leakguard only uses commands that never apply filters or drivers: ``cat-file``
without ``--filters``, ``log``/``diff`` with ``--no-ext-diff --no-textconv``, nothing that
checks out, commits or touches the work tree.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from leakguard.errors import InputError

#: Configuration given on the command line, which wins over the repository's own file.
HARDENED_CONFIG: tuple[tuple[str, str], ...] = (
    ("core.fsmonitor", "false"),
    ("core.hooksPath", os.devnull),
    ("core.pager", "cat"),
    ("core.editor", "false"),
    ("core.sshCommand", "false"),
    ("core.askPass", "false"),
    ("core.untrackedCache", "false"),
    ("core.quotePath", "true"),
    ("diff.noprefix", "false"),
    ("diff.mnemonicPrefix", "false"),
    ("diff.ignoreSubmodules", "none"),
    ("log.showSignature", "false"),
    ("gpg.program", "false"),
    ("credential.helper", ""),
    ("protocol.allow", "never"),
    ("gc.auto", "0"),
    ("maintenance.auto", "false"),
    # Auditing a repository owned by someone else is the point of a scanner; everything that
    # could make that dangerous is switched off above, so ownership need not stop the scan.
    ("safe.directory", "*"),
    # Bounded memory: every reader maps pack windows and caches delta bases, and a history scan
    # runs one reader per worker. Read in pack order (history), a delta's base was read just
    # before it, so a small cache hits as often as a large one: on sympy each reader stays
    # near 80 MB instead of 200 MB at the same CPU (3.0 s for every blob either way).
    ("core.packedGitWindowSize", "1m"),
    ("core.packedGitLimit", "32m"),
    ("core.deltaBaseCacheLimit", "16m"),
)

#: Variables from the caller that still mean something here: the index a pre-commit hook is
#: committing and the object directories of a pre-receive quarantine.
KEPT_GIT_VARIABLES = frozenset({
    "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_QUARANTINE_PATH", "GIT_EXEC_PATH",
})


def hardened_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment every git process gets (gitpython's included)."""
    source = os.environ if base is None else base
    env = {k: v for k, v in source.items() if not k.startswith("GIT_") or k in KEPT_GIT_VARIABLES}
    env.update({
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_NO_REPLACE_OBJECTS": "1",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_OPTIONAL_LOCKS": "0",
        "GIT_LITERAL_PATHSPECS": "1",
        "GIT_PAGER": "cat",
        "LC_ALL": "C",
        "LANGUAGE": "C",
        "GIT_CONFIG_COUNT": str(len(HARDENED_CONFIG)),
    })
    for number, (key, value) in enumerate(HARDENED_CONFIG):
        env[f"GIT_CONFIG_KEY_{number}"] = key
        env[f"GIT_CONFIG_VALUE_{number}"] = value
    return env


def hardened_args() -> list[str]:
    """The same configuration as ``-c`` arguments (belt and braces with the environment)."""
    args = ["git", "--no-pager"]
    for key, value in HARDENED_CONFIG:
        args += ["-c", f"{key}={value}"]
    return args


class GitCommandError(InputError):
    """A git command failed; the message carries git's own words."""


@dataclass(frozen=True)
class GitRunner:
    """Runs hardened git commands in one repository (``cwd`` is its work tree or git dir)."""

    cwd: Path
    git_dir: Path

    def argv(self, args: Sequence[str]) -> list[str]:
        return [*hardened_args(), f"--git-dir={self.git_dir}", *args]

    def env(self) -> dict[str, str]:
        return hardened_env()

    def run(self, args: Sequence[str], *, input: bytes | None = None, check: bool = True
            ) -> bytes:
        """Run to completion and return stdout; a failure raises with git's message."""
        proc = subprocess.run(self.argv(args), cwd=self.cwd, env=self.env(), input=input,
                              capture_output=True, check=False)
        if check and proc.returncode != 0:
            raise GitCommandError(describe_failure(args, proc.stderr))
        return proc.stdout

    def popen(self, args: Sequence[str], *, stdin: int | None = subprocess.DEVNULL,
              stdout: int = subprocess.PIPE, stderr: int = subprocess.PIPE
              ) -> subprocess.Popen[bytes]:
        """Start a streaming process; the caller reads (and writes) and must wait for it."""
        return subprocess.Popen(self.argv(args), cwd=self.cwd, env=self.env(), stdin=stdin,
                                stdout=stdout, stderr=stderr)


def describe_failure(args: Sequence[str], stderr: bytes) -> str:
    """``git log failed: fatal: bad revision 'x'`` from a failed command's stderr."""
    message = stderr.decode("utf-8", "replace").strip().splitlines()
    detail = message[-1] if message else "no message"
    command = next((a for a in args if not a.startswith("-")), "git")
    return f"git {command} failed: {detail}"
