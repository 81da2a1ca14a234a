"""Git objects in bulk: list the blobs to scan, then stream their contents through one process.

``list_blobs`` pipes ``git rev-list --objects`` into ``git cat-file --batch-check`` so every
object reachable from the chosen revisions arrives once, with its type, size and a path it was
seen at. ``BlobReader`` then streams contents through one long-lived ``git cat-file --batch``:
never a process per object, one blob in memory at a time. The scan modes read through it as
work items (``app/work.py``), one reader per worker process, blobs over the size limit skipped
from their listed size without being read.
"""

from __future__ import annotations

import contextlib
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from leakguard.model import Origin, OriginKind, Skipped, SkipReason
from leakguard.sources.gitcmd import GitRunner, describe_failure

#: Requests written before their answers are read: few enough that the requests always fit in
#: the pipe, so writing never waits on git (which may be waiting for us to read).
WINDOW = 64
MISSING = -1
UNREACHABLE_PREFIX = "<unreachable>/"


@dataclass(frozen=True)
class BlobRef:
    """A blob to scan: its id, its size (``MISSING`` when unreadable), a path it lives at, and
    optionally the lines to report (added lines of a diff)."""

    oid: str
    size: int
    path: str
    lines: frozenset[int] | None = None


@dataclass(frozen=True)
class Listing:
    """What ``list_blobs`` found besides blobs: commits walked and objects git could not read."""

    commits: int
    problems: tuple[Skipped, ...]


def decode_path(raw: bytes) -> str:
    """Paths as text, the same way in every git source (so they can be compared)."""
    return raw.decode("utf-8", "replace")


def list_blobs(runner: GitRunner, revs: Sequence[str], extra: Sequence[str] = ()
               ) -> tuple[list[BlobRef], Listing]:
    """Every blob reachable from ``revs`` (e.g. ``--all``) plus the commits in ``extra``.

    Trees and commits are listed too, though only blobs are scanned: listing blobs only
    (``--filter=object:type=blob``) was 0.5 s faster on sympy, but git then says nothing of a
    missing tree and silently leaves out the blobs under it.
    """
    blobs: list[BlobRef] = []
    problems: list[Skipped] = []
    commits = 0
    with tempfile.TemporaryFile() as walk_err, tempfile.TemporaryFile() as check_err:
        walk = runner.popen(["rev-list", "--objects", "--missing=print", *revs,
                             *(["--stdin"] if extra else [])],
                            stdin=subprocess.PIPE if extra else subprocess.DEVNULL,
                            stderr=walk_err.fileno())
        check = runner.popen(
            ["cat-file", "--batch-check=%(objecttype) %(objectname) %(objectsize) %(rest)"],
            stdin=walk.stdout.fileno() if walk.stdout else None, stderr=check_err.fileno())
        if walk.stdout is not None:
            walk.stdout.close()
        if extra and walk.stdin is not None:
            walk.stdin.write("".join(f"{sha}\n" for sha in extra).encode())
            walk.stdin.close()
        assert check.stdout is not None
        for raw in check.stdout:
            line = raw.rstrip(b"\n")
            if line.endswith(b" missing"):
                oid = line[:-len(b" missing")].lstrip(b"?").decode("ascii", "replace")
                problems.append(Skipped(Origin(f"<object {oid[:12]}>", OriginKind.BLOB, oid),
                                        SkipReason.CORRUPT, "object missing or unreadable"))
                continue
            kind, _, rest = line.partition(b" ")
            if kind == b"commit":
                commits += 1
            elif kind == b"blob":
                oid, _, rest = rest.partition(b" ")
                size, _, path = rest.partition(b" ")
                blobs.append(BlobRef(oid.decode("ascii"), int(size), decode_path(path)))
        check.wait()
        walk.wait()
        for proc, err, args in ((walk, walk_err, ["rev-list"]), (check, check_err, ["cat-file"])):
            if proc.returncode != 0:
                err.seek(0)
                problems.append(Skipped(Origin("<repository>", OriginKind.BLOB), SkipReason.CORRUPT,
                                        describe_failure(args, err.read())))
    return blobs, Listing(commits, tuple(problems))


def pack_bytes(objects: Path) -> int:
    """The size of the packs under an ``objects`` folder (0 when there are none or they
    cannot be read): a cheap measure of a history's size before anything is listed."""
    try:
        return sum(pack.stat().st_size for pack in (objects / "pack").glob("*.pack"))
    except OSError:
        return 0


class PackOrder:
    """The order git stores objects in (loose objects, then each pack's in pack order), asked
    for before it is needed: ``git cat-file --batch-all-objects --unordered`` runs into a
    temporary file while the blobs are listed.

    ``git cat-file --batch`` resolves each delta from its base; in pack order the base has
    just been read and sits in git's delta cache, in listing (commit) order it often has to
    be inflated again: on sympy reading every blob costs git half the CPU in pack order. The
    order changes nothing else: results are folded per blob and reports are sorted.
    """

    def __init__(self, runner: GitRunner) -> None:
        self._output = tempfile.TemporaryFile()  # noqa: SIM115 (closed by sort())
        self._proc = runner.popen(["cat-file", "--batch-all-objects", "--unordered",
                                   "--batch-check=%(objecttype) %(objectname)"],
                                  stdout=self._output.fileno(), stderr=subprocess.DEVNULL)

    def sort(self, blobs: list[BlobRef]) -> list[BlobRef]:
        """``blobs`` in storage order (any the listing lacks last, as they were)."""
        try:
            self._proc.wait()
            if len(blobs) < 2:
                return blobs
            self._output.seek(0)
            # Only the listed blobs get a position: the store may hold far more objects
            # (every ref's, alternates'), and memory stays what the listing already holds.
            wanted = {blob.oid.encode("ascii") for blob in blobs}
            position: dict[str, int] = {}
            for line in self._output:
                oid = line[5:].rstrip()
                if line.startswith(b"blob ") and oid in wanted:
                    position.setdefault(oid.decode("ascii"), len(position))
        finally:
            self._output.close()
        last = len(position)
        return sorted(blobs, key=lambda blob: position.get(blob.oid, last))

    def __enter__(self) -> PackOrder:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        self._output.close()


def unreachable_objects(runner: GitRunner) -> tuple[list[str], list[str]]:
    """Commits and blobs no ref (nor reflog) reaches: dangling work, amended or reset commits."""
    output = runner.run(["fsck", "--unreachable", "--no-reflogs", "--connectivity-only",
                         "--no-progress"], check=False)
    commits: list[str] = []
    blobs: list[str] = []
    for line in output.decode("ascii", "replace").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "unreachable":
            if parts[1] == "commit":
                commits.append(parts[2])
            elif parts[1] == "blob":
                blobs.append(parts[2])
    return commits, blobs


def object_info(runner: GitRunner, names: Sequence[str]) -> list[tuple[str, str, int] | None]:
    """(oid, type, size) for each object name (``HEAD:path``, a blob id...), None if absent.

    A name holding a newline cannot be asked about on a line of its own; it is answered None.
    """
    askable = [name for name in names if "\n" not in name]
    if not askable:
        return [None] * len(names)
    payload = "".join(f"{name}\n" for name in askable).encode("utf-8", "replace")
    output = runner.run(["cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)"],
                        input=payload, check=False)
    answers: list[tuple[str, str, int] | None] = []
    for line in output.decode("utf-8", "replace").splitlines():
        parts = line.split(" ")
        if len(parts) == 3 and parts[2].isdigit():
            answers.append((parts[0], parts[1], int(parts[2])))
        else:
            answers.append(None)
    answers += [None] * (len(askable) - len(answers))
    found = iter(answers[:len(askable)])
    return [next(found) if "\n" not in name else None for name in names]


#: The pipe size asked for: the most an unprivileged Linux process may set by default.
PIPE_BYTES = 1024 * 1024


def widen_pipe(fd: int) -> None:
    """Let git write up to 1 MB ahead of the reader instead of 64 KB (Linux; elsewhere, or
    where the system's limit is lower, the pipe stays as it is).

    With the default pipe, ``cat-file`` and the scanner take turns every 64 KB: a history's
    4.6 GB cost 70,000 wake-ups each way. Reading sympy's blobs in pack order took 3.2 s
    instead of 3.7 s this way.
    """
    try:
        import fcntl
    except ImportError:
        return
    command = getattr(fcntl, "F_SETPIPE_SZ", None)  # Linux only
    if command is not None:
        with contextlib.suppress(OSError):
            fcntl.fcntl(fd, command, PIPE_BYTES)


class BlobReader:
    """One long-lived ``git cat-file --batch``, restarted if git dies on a corrupt object."""

    def __init__(self, runner: GitRunner) -> None:
        self.runner = runner
        self.proc: subprocess.Popen[bytes] | None = None
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())

    def __enter__(self) -> BlobReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _process(self) -> subprocess.Popen[bytes]:
        if self.proc is None:
            self.proc = self.runner.popen(["cat-file", "--batch"], stdin=subprocess.PIPE,
                                          stderr=self.errors.fileno())
            assert self.proc.stdout is not None
            widen_pipe(self.proc.stdout.fileno())
        return self.proc

    def close(self) -> None:
        if self.proc is not None:
            if self.proc.stdin is not None:
                self.proc.stdin.close()
            if self.proc.stdout is not None:
                self.proc.stdout.close()
            self.proc.wait()
            self.proc = None
        self.errors.close()

    def _last_error(self) -> str:
        self.errors.seek(0)
        text = self.errors.read().decode("utf-8", "replace").strip().splitlines()
        self.errors.seek(0)
        self.errors.truncate()
        return text[-1] if text else "git cat-file stopped"

    def read(self, oids: Sequence[str]) -> Iterator[tuple[str, bytes | None, str]]:
        """(oid, content or None, why not) for each oid, in order."""
        pending = list(oids)
        while pending:
            window, pending = pending[:WINDOW], pending[WINDOW:]
            proc = self._process()
            assert proc.stdin is not None and proc.stdout is not None
            try:
                proc.stdin.write("".join(f"{oid}\n" for oid in window).encode())
                proc.stdin.flush()
            except BrokenPipeError:
                pass
            for position, oid in enumerate(window):
                answer = self._answer(proc)
                if answer is None:  # git died: this object broke it; start again after it
                    proc.wait()
                    self.proc = None
                    yield oid, None, self._last_error()
                    pending = window[position + 1:] + pending
                    break
                yield oid, *answer

    @staticmethod
    def _answer(proc: subprocess.Popen[bytes]) -> tuple[bytes | None, str] | None:
        assert proc.stdout is not None
        header = proc.stdout.readline()
        if not header.endswith(b"\n"):
            return None
        parts = header.split()
        if len(parts) != 3:
            return None, "object missing or unreadable"
        size = int(parts[2])
        data = proc.stdout.read(size)
        if len(data) != size or proc.stdout.read(1) != b"\n":
            return None
        if parts[1] != b"blob":
            return None, f"not a blob ({parts[1].decode('ascii', 'replace')})"
        return data, ""
