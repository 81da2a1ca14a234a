"""Bulk sweeps: many repositories, full history each, results in one SQLite database.

The coordinator (runner.py) is the only writer of the database; each repository is scanned by a
task (task.py) that runs ``leakguard scan --history`` in a child process, so a timeout can kill
it, a crash cannot take the sweep down, and the same task runs unchanged on a Dask worker.
"""
