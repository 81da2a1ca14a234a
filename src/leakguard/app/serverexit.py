"""Imported by the fork server only (``workers.PRELOAD``): lets it exit without a teardown.

The server holds the preloaded engine; when the scan is over it would free it object by object
while the scanning process waits for it (``workers.reap_at_exit``), about 25 ms of every tree
scan. The handler registered here runs first at exit (handlers run last-registered first) and
ends the server at once; the handlers it skips have nothing to do there (the server starts no
``Process`` objects and logs nothing). It is registered only when this module is imported
from within the fork server's own main loop, and does nothing in any other process that
inherits it: the workers forked from the server, which end through ``os._exit`` anyway.
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


def _end_server(server_pid: int) -> None:
    if os.getpid() == server_pid:
        os._exit(0)


if _in_fork_server():
    atexit.register(_end_server, os.getpid())
