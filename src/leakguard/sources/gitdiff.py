"""Added lines of commits (a range) or of the index (staged changes), from git's own diffs.

``git log -p --raw -U0`` (or ``git diff --cached``) gives, per changed file, the new blob id (raw
line) and the hunks (``@@ -a,b +c,d @@``) from which the added line numbers of the new blob
follow. A merge is shown as a dense combined diff: only lines that come from none of its parents
(an evil merge or a conflict resolution) count as added. A binary file has no hunks and is
scanned whole (content decoding decides whether it is text). The new blob is then scanned
whole with ``Chunk.lines`` set, so multi-line secrets and context windows still work while only
matches on added lines are reported.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from leakguard.sources.gitcmd import GitCommandError, GitRunner, describe_failure
from leakguard.sources.gitobjects import decode_path

GITLINK_MODE = "160000"
_HUNK = re.compile(rb"^@@+ (?:-\d+(?:,\d+)? )+\+(\d+)(?:,(\d+))? @@")
_ESCAPES = {ord("a"): 7, ord("b"): 8, ord("t"): 9, ord("n"): 10, ord("v"): 11, ord("f"): 12,
            ord("r"): 13, ord('"'): 34, ord("\\"): 92}

DIFF_ARGS = ("-p", "--raw", "-U0", "--no-abbrev", "--full-index", "--no-renames", "--no-color",
             "--no-ext-diff", "--no-textconv", "--src-prefix=a/", "--dst-prefix=b/")


@dataclass(frozen=True)
class FileChange:
    """A file as a commit (or the index) left it: its blob, and the lines it added (None: the
    whole blob, as for binary diffs)."""

    path: str
    blob: str
    lines: frozenset[int] | None


@dataclass(frozen=True)
class CommitChanges:
    """One commit of a range and the files it added lines to."""

    sha: str
    parents: tuple[str, ...]
    time: int
    files: tuple[FileChange, ...]


def range_changes(runner: GitRunner, revs: Sequence[str]) -> Iterator[CommitChanges]:
    """Every commit in ``revs`` (e.g. ``A..B``), oldest first, with its added lines."""
    args = ["log", "--topo-order", "--reverse", "--root", "--diff-merges=dense-combined",
            "--no-show-signature", "--format=%x00%H %ct %P", *DIFF_ARGS, "--end-of-options", *revs]
    header: tuple[str, int, tuple[str, ...]] | None = None
    for head, files in _parse(_stream(runner, args)):
        if head is None:
            continue
        fields = head.split()
        header = (fields[0], int(fields[1]), tuple(fields[2:]))
        yield CommitChanges(header[0], header[2], header[1], tuple(files))


def staged_changes(runner: GitRunner, paths: Sequence[str] = ()) -> list[FileChange]:
    """What ``git commit`` would record, as added lines against HEAD (or nothing, before the
    first commit); ``paths`` limits it to those files."""
    args = ["diff", "--cached", *DIFF_ARGS, "--", *paths]
    files: list[FileChange] = []
    for _head, changes in _parse(_stream(runner, args)):
        files.extend(changes)
    return files


def _stream(runner: GitRunner, args: list[str]) -> Iterator[bytes]:
    with tempfile.TemporaryFile() as errors:
        proc = runner.popen(args, stdin=subprocess.DEVNULL, stderr=errors.fileno())
        assert proc.stdout is not None
        for line in proc.stdout:
            yield line.rstrip(b"\n")
        proc.wait()
        if proc.returncode != 0:
            errors.seek(0)
            raise GitCommandError(describe_failure(args, errors.read()))


def _parse(lines: Iterable[bytes]) -> Iterator[tuple[str | None, list[FileChange]]]:
    """Group raw entries and patches by commit header (a line starting with NUL)."""
    head: str | None = None
    raw: dict[bytes, str] = {}
    parser = _PatchParser()
    started = False
    for line in lines:
        if line.startswith(b"\0"):
            if started:
                yield head, _files(raw, parser.finish())
            head, raw, parser, started = line[1:].decode("ascii", "replace"), {}, _PatchParser(), True
        elif line.startswith(b":") and not parser.in_file:
            started = True
            entry = _raw_entry(line)
            if entry is not None:
                raw[entry[0]] = entry[1]
        else:
            started = True
            parser.feed(line)
    if started:
        yield head, _files(raw, parser.finish())


def _raw_entry(line: bytes) -> tuple[bytes, str] | None:
    """``:100644 100644 old new M<TAB>path`` (``::`` and more for merges) -> (path, new blob)."""
    meta, _, path = line.partition(b"\t")
    colons = len(meta) - len(meta.lstrip(b":"))
    fields = meta.lstrip(b":").decode("ascii", "replace").split()
    modes, shas = fields[:colons + 1], fields[colons + 1:2 * colons + 2]
    if len(shas) != colons + 1 or modes[-1] == GITLINK_MODE:
        return None
    new = shas[-1]
    if not new.strip("0"):
        return None
    return unquote(path), new


def _files(raw: dict[bytes, str], patches: dict[bytes, frozenset[int] | None]
           ) -> list[FileChange]:
    files = []
    for path, blob in raw.items():
        if path not in patches:
            continue  # a mode change, or a merge taking a parent's version as is
        lines = patches[path]
        if lines is not None and not lines:
            continue
        files.append(FileChange(decode_path(path), blob, lines))
    return files


class _PatchParser:
    """Added line numbers per new path, from ``-U0`` two-way or combined patches."""

    def __init__(self) -> None:
        self.result: dict[bytes, frozenset[int] | None] = {}
        self.in_file = False
        self.path: bytes | None = None
        self.added: set[int] = set()
        self.binary = False
        self.parents = 1
        self.in_hunk = False
        self.cursor = 0

    def feed(self, line: bytes) -> None:
        if line.startswith(b"diff --"):
            self._close()
            self.in_file = True
            self.parents = 1 if line.startswith(b"diff --git ") else 2
        elif not self.in_file:
            return
        elif line.startswith(b"@@"):
            found = _HUNK.match(line)
            self.parents = max(1, len(line) - len(line.lstrip(b"@")) - 1)
            self.cursor = int(found.group(1)) if found else 0
            self.in_hunk = True
        elif self.in_hunk:
            self._body(line)
        elif line.startswith(b"+++ "):
            target = unquote(line[4:])
            self.path = target[2:] if target.startswith(b"b/") else None
        elif line.startswith(b"Binary files ") and line.endswith(b" differ"):
            self.binary = True
            target = line[len(b"Binary files "):-len(b" differ")].rsplit(b" and ", 1)[-1]
            target = unquote(target)
            self.path = target[2:] if target.startswith(b"b/") else None

    def _body(self, line: bytes) -> None:
        columns = line[:self.parents]
        if not line or line.startswith(b"\\") or b"-" in columns:
            return
        if columns == b"+" * self.parents:
            self.added.add(self.cursor)
        self.cursor += 1

    def _close(self) -> None:
        if self.in_file and self.path is not None:
            self.result[self.path] = None if self.binary else frozenset(self.added)
        self.in_file, self.path, self.added, self.binary = False, None, set(), False
        self.in_hunk, self.cursor = False, 0

    def finish(self) -> dict[bytes, frozenset[int] | None]:
        self._close()
        return self.result


def unquote(raw: bytes) -> bytes:
    """Undo git's C-style quoting of a path (``"a\\tb"``); unquoted paths pass through."""
    if not (raw.startswith(b'"') and raw.endswith(b'"') and len(raw) >= 2):
        return raw
    body, out, index = raw[1:-1], bytearray(), 0
    while index < len(body):
        char = body[index]
        if char != 92 or index + 1 >= len(body):
            out.append(char)
            index += 1
            continue
        nxt = body[index + 1]
        if 48 <= nxt <= 55 and index + 3 < len(body):
            out.append(int(body[index + 1:index + 4], 8) & 0xFF)
            index += 4
        else:
            out.append(_ESCAPES.get(nxt, nxt))
            index += 2
    return bytes(out)
