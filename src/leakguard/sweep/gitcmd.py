"""Running git for sweeps: the scanner's hardened git, plus what mirroring needs.

Swept repositories are untrusted, so every git command here gets the same configuration and
environment as the scanner's own (``sources/gitcmd.py``: no hooks, fsmonitor, filters, pagers,
credential helpers or prompts). The one difference: cloning and fetching mirrors needs
transport protocols, which the scanner forbids outright; here every protocol is allowed except
``ext::``, which runs an arbitrary command.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from leakguard.sources.gitcmd import HARDENED_CONFIG, hardened_env

#: The scanner's configuration with transports switched back on (but never ``ext::``).
MIRROR_CONFIG: tuple[tuple[str, str], ...] = (
    *((key, value) for key, value in HARDENED_CONFIG if key != "protocol.allow"),
    ("protocol.allow", "always"),
    ("protocol.ext.allow", "never"),
)


class GitError(Exception):
    """A git command failed; the message is git's own last line."""


def git_env() -> dict[str, str]:
    env = hardened_env()
    for number, (key, value) in enumerate(MIRROR_CONFIG):
        env[f"GIT_CONFIG_KEY_{number}"] = key
        env[f"GIT_CONFIG_VALUE_{number}"] = value
    env["GIT_CONFIG_COUNT"] = str(len(MIRROR_CONFIG))
    env.update({"GIT_ASKPASS": "true", "SSH_ASKPASS": "true"})
    return env


def run_git(args: Sequence[str], *, cwd: Path | None = None, git_dir: Path | None = None,
            timeout: float | None = None) -> str:
    command = ["git", "--no-pager"]
    for key, value in MIRROR_CONFIG:
        command += ["-c", f"{key}={value}"]
    if git_dir is not None:
        command += ["--git-dir", str(git_dir)]
    command += list(args)
    try:
        proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=git_env(),
                              timeout=timeout, check=False, errors="replace")
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} timed out after {timeout:g}s") from None
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror}") from None
    if proc.returncode != 0:
        lines = [line for line in proc.stderr.strip().splitlines() if line.strip()]
        raise GitError(lines[-1] if lines else f"git {args[0]} exited {proc.returncode}")
    return proc.stdout
