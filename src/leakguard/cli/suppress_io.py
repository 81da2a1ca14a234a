"""Disk and git helpers for the suppression commands: atomic rewrites and the reviewer's name.

Suppression files are committed and edited by hand, so a rewrite must keep the file's mode, leave
the old file intact on any failure, and not touch the file at all when nothing changed (an
unchanged baseline is never even re-written, let alone churned).
"""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
from pathlib import Path

from leakguard.cli.output import atomic_text_file
from leakguard.errors import InputError


def read_existing(path: Path) -> str:
    """The file's text with its line endings kept, or ``""`` when it does not exist yet."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return handle.read()
    except FileNotFoundError:
        return ""
    except UnicodeDecodeError:
        raise InputError(f"{str(path)!r} is not UTF-8 text") from None
    except OSError as exc:
        raise InputError(f"{str(path)!r}: {exc.strerror or exc}") from None


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_if_changed(path: Path, text: str) -> bool:
    """Atomically replace ``path`` with ``text`` (mode kept); False when it already holds it.

    A file checked out with CRLF line endings (git's ``autocrlf``) keeps them, so an unchanged
    baseline is not rewritten on Windows either.
    """
    try:
        existing = read_existing(path) if path.is_file() else None
        if existing is not None and "\r\n" in existing and "\r\n" not in text:
            text = text.replace("\n", "\r\n")
        if existing == text:
            return False
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else _default_mode()
    except OSError as exc:
        raise InputError(f"{str(path)!r}: {exc.strerror or exc}") from None
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{str(path)!r}: folder {str(folder)!r} does not exist")
    try:
        with atomic_text_file(path) as handle:
            handle.write(text)
            with contextlib.suppress(OSError, AttributeError):  # no fchmod on Windows
                os.fchmod(handle.fileno(), mode)
    except PermissionError as exc:
        raise InputError(f"{str(path)!r}: {exc.strerror}") from None
    return True


def _git_config(folder: Path, key: str) -> str:
    try:
        proc = subprocess.run(["git", "config", "--get", key], cwd=folder, capture_output=True,
                              text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return proc.stdout.strip() if proc.returncode == 0 else ""


def git_author(folder: Path) -> str:
    """``Name <email>`` from the repository's git config (what its commits would say)."""
    folder = folder if folder.is_dir() else Path(".")
    name, email = _git_config(folder, "user.name"), _git_config(folder, "user.email")
    if name and email:
        return f"{name} <{email}>"
    return name or email
