"""Imported by the fork server only (``workers.PRELOAD``): lets it exit without a teardown.

The server holds the preloaded engine; when the scan is over it would free it object by object
while the scanning process waits for it (``workers.reap_at_exit``), about 25 ms of every tree
scan. Its exit handlers run last anyway, so one that ends the process there loses nothing.
The handler is registered only when this module is imported from within the fork server's
own main loop, never in a process that merely imports it.
"""

from __future__ import annotations

import atexit
import os
import sys


def _in_fork_server() -> bool:
    from multiprocessing import forkserver

    frame = sys._getframe()
    while frame is not None:
        if frame.f_code is forkserver.main.__code__:
            return True
        frame = frame.f_back
    return False


if _in_fork_server():
    atexit.register(os._exit, 0)
