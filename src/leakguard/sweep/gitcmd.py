"""Running git for sweeps: hardened against the repositories it touches.

Swept repositories are untrusted: their config must not make git run anything (hooks,
fsmonitor, credential helpers prompting on a terminal, ssh commands).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

HARDENING = (
    "-c", "core.fsmonitor=false",
    "-c", f"core.hooksPath={os.devnull}",
    "-c", "core.sshCommand=ssh -o BatchMode=yes",
    "-c", "credential.helper=",
    "-c", "protocol.ext.allow=never",
)


def git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_ASKPASS": "true",
        "SSH_ASKPASS": "true",
        "GIT_CONFIG_NOSYSTEM": "1",
        "LC_ALL": "C",
    })
    return env


class GitError(Exception):
    """A git command failed; the message is git's own last line."""


def run_git(args: Sequence[str], *, cwd: Path | None = None, git_dir: Path | None = None,
            timeout: float | None = None) -> str:
    command = ["git", *HARDENING]
    if git_dir is not None:
        command += ["--git-dir", str(git_dir)]
    command += list(args)
    try:
        proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=git_env(),
                              timeout=timeout, check=False, errors="replace")
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} timed out after {timeout:.0f}s") from None
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror}") from None
    if proc.returncode != 0:
        lines = [line for line in proc.stderr.strip().splitlines() if line.strip()]
        raise GitError(lines[-1] if lines else f"git {args[0]} exited {proc.returncode}")
    return proc.stdout
