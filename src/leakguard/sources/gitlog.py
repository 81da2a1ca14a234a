"""The commit graph with the changes that matter, from one ``git log --raw`` over all commits.

Each commit comes with its parents, its commit time and the paths whose blob it changed
relative to its first parent (``--diff-merges=first-parent``), which is all attribution needs
to know what any commit holds at a path: a path keeps its first parent's blob unless listed.
Renames are not detected (``--no-renames``): a moved file is a deletion and an addition, which
is what makes the new path's history start at the commit that moved it. ``keep`` drops the
entries that cannot matter (neither side is a blob with a finding) while parsing, so memory
follows the findings, not the size of the history.
"""

from __future__ import annotations

import bisect
import contextlib
import re
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import IO

from leakguard.model import Origin, OriginKind, Skipped, SkipReason
from leakguard.sources.gitcmd import GitRunner, describe_failure
from leakguard.sources.gitobjects import decode_path

READ_SIZE = 1 << 20
GITLINK_MODE = b"160000"


@dataclass(frozen=True)
class Change:
    """One path whose blob changed: ``old`` or ``new`` is all zeros when it did not exist."""

    path: str
    old: str
    new: str


@dataclass(frozen=True)
class CommitRecord:
    """A commit, its parents (first parent first), its commit time and the kept changes."""

    sha: str
    parents: tuple[str, ...]
    time: int
    changes: tuple[Change, ...] = ()


#: Each commit's header starts with a NUL (``%x00``): with ``-z``, a NUL ends every header and
#: path and nothing else is empty, so two NULs in a row begin a commit, and nothing else does.
LOG_ARGS = (
    "log", "--topo-order", "--reverse", "--raw", "-z", "--no-abbrev", "--root",
    "--diff-merges=first-parent", "--no-renames", "--no-ext-diff", "--no-textconv", "--no-color",
    "--no-show-signature", "--format=%x00%H %ct %P",
)


def iter_commits(runner: GitRunner, revs: Sequence[str], extra: Sequence[str] = (),
                 keep: AbstractSet[str] | None = None, problems: list[Skipped] | None = None
                 ) -> Iterator[CommitRecord]:
    """Commits reachable from ``revs`` and ``extra`` (read from stdin), parents first."""
    with tempfile.TemporaryFile() as errors:
        proc = _start_log(runner, revs, extra, subprocess.PIPE, errors)
        assert proc.stdout is not None
        yield from parse_raw_log(iter(lambda: proc.stdout.read(READ_SIZE), b""), keep)
        proc.wait()
        _report_failure(proc, errors, problems)


def _start_log(runner: GitRunner, revs: Sequence[str], extra: Sequence[str], stdout: int,
               errors: IO[bytes]) -> subprocess.Popen[bytes]:
    """``git log`` over ``revs`` and the commits ``extra`` (handed on stdin)."""
    proc = runner.popen([*LOG_ARGS, *revs, *(["--stdin"] if extra else [])],
                        stdin=subprocess.PIPE if extra else subprocess.DEVNULL, stdout=stdout,
                        stderr=errors.fileno())
    if extra and proc.stdin is not None:
        # If git stopped early, its exit status and message say why.
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.write("".join(f"{sha}\n" for sha in extra).encode())
            proc.stdin.close()
    return proc


def _report_failure(proc: subprocess.Popen[bytes], errors: IO[bytes],
                    problems: list[Skipped] | None) -> None:
    """A failed walk becomes a CORRUPT skip carrying git's message (the scan is incomplete)."""
    if proc.returncode != 0 and problems is not None:
        errors.seek(0)
        problems.append(Skipped(Origin("<repository>", OriginKind.BLOB), SkipReason.CORRUPT,
                                describe_failure(["log"], errors.read())))


class CommitLog:
    """``git log --raw`` started before it is needed, its output spooled to a temporary file.

    A history scan knows which changes to keep only once every blob is scanned, but git can
    walk the commits meanwhile, on a core the listing leaves idle; afterwards only the parsing
    is left. ``close`` stops git if the walk is not wanted (nothing was found).
    """

    def __init__(self, runner: GitRunner, revs: Sequence[str], extra: Sequence[str] = ()) -> None:
        self._output = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self.proc = _start_log(runner, revs, extra, self._output.fileno(), self._errors)

    def __enter__(self) -> CommitLog:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def records(self, keep: AbstractSet[str] | None = None, problems: list[Skipped] | None = None
                ) -> Iterator[CommitRecord]:
        """The commits, parents first, once git has finished walking them. With ``keep``, the
        spooled walk is read whole for ``records_keeping`` (a third of the packs' size at most,
        as the history mode's ``EARLY_WALK_PACK_BYTES`` bounds them; read after the scan)."""
        self.proc.wait()
        self._output.seek(0)
        found = None
        if keep is not None and self.proc.returncode == 0:
            found = records_keeping(self._output.read(), keep)
            self._output.seek(0)
        if found is not None:
            yield from found
        else:
            yield from parse_raw_log(iter(lambda: self._output.read(READ_SIZE), b""), keep)
        _report_failure(self.proc, self._errors, problems)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._output.close()
        self._errors.close()


def parse_raw_log(blocks: Iterator[bytes], keep: AbstractSet[str] | None = None
                  ) -> Iterator[CommitRecord]:
    """Parse ``git log --raw -z`` output (``LOG_ARGS``), streamed in blocks.

    ``keep``: the blob ids that matter; a change is kept when its old or new blob is one of
    them (None keeps every change). sympy's walk is 72 MB: half a million changes, of which a
    scan keeps a few hundred. A change is judged from the raw bytes of its header, so a dropped
    change is never decoded (0.56 s -> 0.42 s on sympy); the tokens of a block are handed over
    as one list, not one by one.
    """
    ids = None if keep is None else {oid.encode("ascii") for oid in keep}
    current: tuple[str, int, tuple[str, ...]] | None = None
    changes: list[Change] = []
    wanted = 0  # path tokens still to come for the change being read
    kept: tuple[str, str] | None = None  # that change's blob ids, when it is kept
    for tokens in _token_lists(blocks):
        for token in tokens:
            if wanted:
                wanted -= 1
                if wanted == 0 and kept is not None:
                    changes.append(Change(decode_path(token), kept[0], kept[1]))
                continue
            if token[:1] == b"\n":
                token = token.lstrip(b"\n")
            if not token:
                continue
            if token[:1] == b":":
                header = token[1:].split(b" ")
                wanted = 2 if header[-1][:1] in (b"R", b"C") else 1
                kept = _kept(header, ids)
                continue
            if current is not None:
                yield CommitRecord(current[0], current[2], current[1], tuple(changes))
            fields = token.decode("ascii", "replace").split()
            current = (fields[0], int(fields[1]) if len(fields) > 1 else 0, tuple(fields[2:]))
            changes = []
    if current is not None:
        yield CommitRecord(current[0], current[2], current[1], tuple(changes))


#: More occurrences of the kept blobs than one per this many bytes of log: parsing it all is
#: cheaper than going to each.
BYTES_PER_OCCURRENCE = 1024
#: A commit's header: what follows the two NULs that begin it (``LOG_ARGS``).
_HEADER = re.compile(rb"\0\0([^\0]*)")


def records_keeping(log: bytes, keep: AbstractSet[str]) -> list[CommitRecord] | None:
    """``parse_raw_log(log, keep)`` for a whole log in memory, without parsing every change: the
    kept blob ids are found in one pass (``literal_ends``), and only the changes they occur in
    are read; None when that cannot be done (no Hyperscan, too many occurrences, a log not in
    ``LOG_ARGS``'s format), and the caller parses it all.

    sympy's log is 72 MB: 63,000 commits and 433,000 changes, of which a scan keeps a few
    hundred. Parsing them all took 0.55 s after the scan, with the other core idle.

    Where an id occurs is told by counting NULs from its commit's start: the commit's header
    is the first token, then each change is a header (``:modes ids status``) and one path
    (renames and copies, which have two, are off), so an even count is a change's header and an
    odd one a path, whatever the path holds. A token found where a change's header should be
    that is not one, or one that looks like a change where a path should be without a change
    before it, means the counting is off: it gives up.
    """
    from leakguard.engine.literals import literal_ends

    if not log.startswith(b"\0"):
        return None
    width = _id_width(keep)
    ends = literal_ends(log, sorted(oid.encode("ascii") for oid in keep),
                        limit=1024 + len(log) // BYTES_PER_OCCURRENCE)
    if ends is None or width is None:
        return None
    headers = [(0, log[1:_token_end(log, 1)])]
    headers += [(found.start() + 1, found.group(1)) for found in _HEADER.finditer(log)]
    starts = [start for start, _ in headers]
    hits: dict[int, list[int]] = {}
    for end in ends:
        hits.setdefault(bisect.bisect_right(starts, end - 1) - 1, []).append(end - width)
    ids = {oid.encode("ascii") for oid in keep}
    records: list[CommitRecord] = []
    for number, (start, header) in enumerate(headers):
        fields = header.decode("ascii", "replace").split()
        if not fields:
            return None
        changes: tuple[Change, ...] = ()
        if number in hits:
            found = _changes_at(log, start, hits[number], ids)
            if found is None:
                return None
            changes = tuple(found)
        records.append(CommitRecord(fields[0], tuple(fields[2:]),
                                    int(fields[1]) if len(fields) > 1 else 0, changes))
    return records


def _changes_at(log: bytes, start: int, positions: list[int], ids: set[bytes]
                ) -> list[Change] | None:
    """The kept changes of the commit starting at ``start`` among those holding ``positions``
    (where a kept id begins), in order; None if the log is not as ``records_keeping`` expects."""
    changes: list[Change] = []
    seen: set[int] = set()
    count, counted = 0, start
    for position in sorted(positions):
        token = log.rfind(b"\0", start, position) + 1
        if token in seen:
            continue  # the change's other id
        seen.add(token)
        count += log.count(b"\0", counted, position)
        counted = position
        end = _token_end(log, token)
        if count % 2 or count < 2:  # a path (or the commit's header): nothing kept for it
            if count >= 3 and log[token:token + 1] == b":" \
                    and _one_path_change(log[log.rfind(b"\0", start, token - 1) + 1:token - 1]) \
                    is None:
                return None  # a path that looks like a change should follow one
            continue
        fields = _one_path_change(log[token:end])
        if fields is None:
            return None
        kept = _kept(fields, ids)
        if kept is not None:
            changes.append(Change(decode_path(log[end + 1:_token_end(log, end + 1)]), *kept))
    return changes


def _one_path_change(token: bytes) -> list[bytes] | None:
    """A change header's fields (``:modes ids status``), if ``token`` is one with one path;
    None otherwise (renames and copies, which ``LOG_ARGS`` turns off, have two, and would
    throw the counting of ``records_keeping`` off: it then gives up)."""
    token = token.lstrip(b"\n")
    fields = token[1:].split(b" ")
    if token[:1] != b":" or len(fields) < 5 or fields[-1][:1] in (b"R", b"C"):
        return None
    return fields


def _token_end(log: bytes, start: int) -> int:
    end = log.find(b"\0", start)
    return end if end >= 0 else len(log)


def _id_width(keep: AbstractSet[str]) -> int | None:
    """The length of the kept ids (all the same: 40 for SHA-1, 64 for SHA-256), or None."""
    widths = {len(oid) for oid in keep}
    return widths.pop() if len(widths) == 1 else None


def _kept(header: list[bytes], ids: set[bytes] | None) -> tuple[str, str] | None:
    """The (old, new) blob ids of a change to keep; None for a submodule, a malformed header
    or a change to neither of ``ids``."""
    if len(header) < 5 or (ids is not None and header[2] not in ids and header[3] not in ids) \
            or GITLINK_MODE in (header[0], header[1]):
        return None
    return header[2].decode("ascii", "replace"), header[3].decode("ascii", "replace")


def _token_lists(blocks: Iterator[bytes]) -> Iterator[list[bytes]]:
    """The NUL-separated tokens of the stream, a block's worth at a time."""
    rest = b""
    for block in blocks:
        parts = (rest + block).split(b"\0")
        rest = parts.pop()
        yield parts
    if rest:
        yield [rest]
