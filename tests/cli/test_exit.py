"""The console entry point leaves with ``os._exit`` once a command is done: nothing written may
be lost on the way, exit codes stay, and other threads or processes are not cut short."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from tests.conftest import run_leakguard, write_tree

#: Standard streams buffered as they are for users (the suite may run with PYTHONUNBUFFERED).
BUFFERED = {"PYTHONUNBUFFERED": ""}


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=60, check=False, env={**os.environ, **BUFFERED})


def test_a_large_report_on_a_pipe_arrives_whole(tmp_path):
    files = {f"pkg/mod{i}.py": f"contact = 'person{i}@acme-widgets.io'\n" for i in range(300)}
    root = write_tree(tmp_path / "tree", files)
    result = run_leakguard("scan", str(root), "-f", "json", "--exit-zero", "--no-cache",
                           env=BUFFERED)
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    assert len(report["findings"]) == 300


def test_exit_codes_are_kept_and_unflushed_output_arrives():
    from leakguard import __version__

    # Written without a flush and block-buffered on a pipe: the exit must flush it.
    version = run_leakguard("--version", env=BUFFERED)
    assert (version.code, version.stdout) == (0, f"leakguard {__version__}\n")
    assert run_leakguard("scan", "--no-such-option").code == 2
    assert run_leakguard("scan", "/no/such/path").code == 2


def test_a_thread_still_running_is_waited_for():
    done = _python("""
        import sys, threading, time
        from leakguard.cli import console_main
        def late():
            time.sleep(0.3)
            print("thread finished", flush=True)
        threading.Thread(target=late).start()
        sys.argv = ["leakguard", "--version"]
        console_main()
    """)
    assert done.returncode == 0
    assert "leakguard " in done.stdout and "thread finished" in done.stdout


def test_exit_handlers_still_run():
    done = _python("""
        import atexit, sys
        from leakguard.cli import console_main
        atexit.register(lambda: print("handler ran", flush=True))
        sys.argv = ["leakguard", "--version"]
        console_main()
    """)
    assert done.returncode == 0 and "handler ran" in done.stdout


def test_the_fork_server_hook_does_nothing_outside_the_server():
    done = _python("""
        import atexit, sys
        import multiprocessing.forkserver  # registers multiprocessing's own handler
        before = atexit._ncallbacks()
        import leakguard.app.serverexit
        assert atexit._ncallbacks() == before
        sys.exit(3)
    """)
    assert done.returncode == 3, done.stderr


def test_the_fork_server_still_exits_and_is_reaped(tmp_path):
    """A scan with workers leaves no process behind: the server (which exits through the hook)
    is waited for by the parent, so the scan's own exit code is what the caller sees."""
    files = {f"d{i}/f{j}.txt": "x = 1\n" * 2000 for i in range(20) for j in range(20)}
    root = write_tree(tmp_path / "tree", files)
    result = run_leakguard("scan", str(root), "--jobs", "2", "-f", "json", "--no-cache")
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["stats"]["files_scanned"] == 400


def test_a_profiler_still_gets_to_report():
    done = subprocess.run([sys.executable, "-m", "cProfile", "-m", "leakguard", "--version"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0
    assert "leakguard " in done.stdout and "function calls" in done.stdout
