"""Where leakguard keeps files that belong to the user rather than to a repository.

``LEAKGUARD_CACHE_DIR`` moves the cache folder (compiled rule databases, the scan cache), for
CI caches and tests; otherwise each platform's usual place is used.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

CACHE_DIR_ENV = "LEAKGUARD_CACHE_DIR"
APP = "leakguard"


def user_cache_dir() -> Path:
    """``$LEAKGUARD_CACHE_DIR``, else ``$XDG_CACHE_HOME/leakguard`` or the platform's cache folder."""
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / APP / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / APP
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / APP


def user_state_dir() -> Path:
    """Where small private state lives (the scan cache's key): never beside the cache itself."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / APP / "State"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP
    return Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / APP
