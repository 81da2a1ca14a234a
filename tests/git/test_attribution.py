"""The pure pieces: log and patch parsing, path unquoting, and attribution on plain records."""

from __future__ import annotations

import pytest

from leakguard.history import CommitGraph, SecretKey
from leakguard.sources.gitdiff import _parse, unquote
from leakguard.sources.gitlog import Change, CommitRecord, parse_raw_log, records_keeping

Z = "0" * 40
S1, S2, X = "1" * 40, "2" * 40, "9" * 40


def record(sha: str, parents: str = "", time: int = 0, *changes: tuple[str, str, str]
           ) -> CommitRecord:
    return CommitRecord(sha, tuple(parents.split()), time,
                        tuple(Change(p, o, n) for p, o, n in changes))


def test_raw_log_parses_across_block_boundaries() -> None:
    raw = (b"aaa 100 \0\n:000000 100644 " + Z.encode() + b" " + S1.encode() + b" A\0a b.txt\0"
           b"\0bbb 200 aaa\0\n:100644 100644 " + S1.encode() + b" " + S2.encode() + b" M\0a b.txt\0"
           b":000000 160000 " + Z.encode() + b" " + X.encode() + b" A\0sub\0"
           b"\0ccc 300 bbb aaa\0")
    for size in (1, 7, 64, len(raw)):
        blocks = iter([raw[i:i + size] for i in range(0, len(raw), size)])
        records = list(parse_raw_log(blocks))
        assert [r.sha for r in records] == ["aaa", "bbb", "ccc"]
        assert records[1].parents == ("aaa",) and records[2].parents == ("bbb", "aaa")
        assert records[1].time == 200
        assert records[1].changes == (Change("a b.txt", S1, S2),)  # the gitlink is dropped
    kept = list(parse_raw_log(iter([raw]), keep={S1}))  # as the new blob, then as the old one
    assert [len(r.changes) for r in kept] == [1, 1, 0]
    kept = list(parse_raw_log(iter([raw]), keep={S2}))
    assert [r.changes for r in kept] == [(), (Change("a b.txt", S1, S2),), ()]
    assert [r.changes for r in parse_raw_log(iter([raw]), keep={X})] == [(), (), ()]  # gitlink


def _log(*commits: tuple[str, list[tuple[str, str, str, str, bytes]]]) -> bytes:
    """A log as ``LOG_ARGS`` writes it: NUL, header, NUL, then changes (mode pair, ids, status,
    path), the first after a newline."""
    out = b""
    for header, changes in commits:
        out += b"\0" + header.encode() + b"\0"
        for number, (modes, old, new, status, path) in enumerate(changes):
            out += (b"\n" if number == 0 else b"") + f":{modes} {old} {new} {status}".encode() \
                + b"\0" + path + b"\0"
    return out


def test_the_kept_changes_found_by_their_ids_are_those_a_full_parse_keeps() -> None:
    pytest.importorskip("hyperscan")
    tricky = f":100644 100644 {Z} {S1} M".encode()  # a path that looks like a change to S1
    raw = _log(
        ("aaa 100 ", [("000000 100644", Z, S1, "A", b"a.txt"),
                      ("000000 100644", Z, X, "A", f"dir/{S1}.txt".encode())]),  # S1 in a path
        ("bbb 200 aaa", []),
        ("ccc 300 bbb", [("100644 100644", S1, S2, "M", b"a.txt"),  # both ids kept: once
                         ("000000 160000", Z, S2, "A", b"sub"),  # a submodule: dropped
                         ("000000 100644", Z, X, "A", tricky)]),
        ("ddd 400 ccc bbb", [("100644 000000", S2, Z, "D", b"a.txt")]),
    )
    for keep in ({S1}, {S2}, {S1, S2}, {X}, {"8" * 40}):
        expected = list(parse_raw_log(iter([raw]), keep))
        assert records_keeping(raw, keep) == expected, keep
    assert records_keeping(raw, {S1})[2].changes == (Change("a.txt", S1, S2),)
    assert records_keeping(raw, {X})[0].changes == (Change(f"dir/{S1}.txt", Z, X),)
    renamed = _log(("aaa 100 ", [("100644 100644", S1, S1, "R100", b"old\0new")]))
    assert records_keeping(renamed, {S1}) is None  # two paths: the caller parses it all
    earlier = _log(("aaa 100 ", [("100644 100644", S2, S2, "R100", b"old\0new"),
                                 ("000000 100644", Z, S1, "A", b"a.txt")]))
    assert next(parse_raw_log(iter([earlier]), {S1})).changes == (Change("a.txt", Z, S1),)
    assert records_keeping(earlier, {S1}) is None  # a rename before it throws the count off
    assert records_keeping(b"aaa 100 \0", {S1}) is None  # not LOG_ARGS's format


def test_without_hyperscan_the_kept_changes_come_from_a_full_parse(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import leakguard.engine.literals as literals

    raw = _log(("aaa 100 ", [("000000 100644", Z, S1, "A", b"a.txt")]))
    monkeypatch.setattr(literals, "literal_ends", lambda *_args, **_kw: None)
    assert records_keeping(raw, {S1}) is None


def test_patch_parser_added_lines_binary_and_quoted_paths() -> None:
    lines = [
        b"\0c1 10 p1",
        b"",
        b":100644 100644 " + S1.encode() + b" " + S2.encode() + b" M\tsrc/app.py",
        b':000000 100644 ' + Z.encode() + b" " + X.encode() + b' A\t"sp\\303\\251cial\\tname"',
        b":000000 100644 " + Z.encode() + b" " + S1.encode() + b" A\tlogo.png",
        b"",
        b"diff --git a/src/app.py b/src/app.py",
        b"index " + S1.encode() + b".." + S2.encode() + b" 100644",
        b"--- a/src/app.py",
        b"+++ b/src/app.py",
        b"@@ -2 +2 @@ def f():",
        b"-old",
        b"++++ not a header, an added line",
        b"@@ -9,0 +10,2 @@",
        b"+x",
        b"+y",
        b'diff --git "a/sp\\303\\251cial\\tname" "b/sp\\303\\251cial\\tname"',
        b"new file mode 100644",
        b"--- /dev/null",
        b'+++ "b/sp\\303\\251cial\\tname"',
        b"@@ -0,0 +1 @@",
        b"+hello",
        b"diff --git a/logo.png b/logo.png",
        b"Binary files /dev/null and b/logo.png differ",
    ]
    (head, files), = list(_parse(lines))
    assert head == "c1 10 p1"
    by_path = {f.path: f for f in files}
    assert by_path["src/app.py"].lines == frozenset({2, 10, 11})
    assert by_path["src/app.py"].blob == S2
    assert by_path["spécial\tname"].lines == frozenset({1})
    assert by_path["logo.png"].lines is None


def test_combined_diff_counts_only_lines_new_to_every_parent() -> None:
    lines = [
        b"\0m 10 p1 p2",
        b"::100644 100644 100644 " + S1.encode() + b" " + S2.encode() + b" " + X.encode()
        + b" MM\tf.txt",
        b"diff --cc f.txt",
        b"index 1111111,2222222..9999999",
        b"--- a/f.txt",
        b"+++ b/f.txt",
        b"@@@ -1,1 -1,1 +1,3 @@@",
        b" +from-second-parent",
        b"+ from-first-parent",
        b"++evil",
        b"- removed",
    ]
    (_, files), = list(_parse(lines))
    assert files[0].lines == frozenset({3})


@pytest.mark.parametrize(("raw", "expected"), [
    pytest.param(b"plain/path.txt", b"plain/path.txt", id="plain"),
    pytest.param(b'"tab\\there"', b"tab\there", id="escape"),
    pytest.param(b'"q\\"uote\\\\"', b'q"uote\\', id="quote-backslash"),
    pytest.param(b'"\\303\\251"', "é".encode(), id="octal"),
])
def test_unquote(raw: bytes, expected: bytes) -> None:
    assert unquote(raw) == expected


def graph_of(*records: CommitRecord, interesting: set[str]) -> CommitGraph:
    graph = CommitGraph(interesting)
    for rec in records:
        graph.add(rec)
    return graph


def test_keeping_a_secret_is_not_introducing_it() -> None:
    graph = graph_of(
        record("a", "", 1, ("f", Z, S1)),
        record("b", "a", 2, ("f", S1, S2)),  # f edited, the secret kept (both blobs hold it)
        record("c", "b", 3, ("f", S2, X)),   # the secret gone
        interesting={S1, S2})
    key = SecretKey("f", frozenset({S1, S2}))
    trace = graph.trace([key], [("refs/heads/main", "c")])[key]
    assert (trace.introduced, trace.removed, trace.commits) == ("a", "c", 2)
    assert trace.refs == ("refs/heads/main",)
    assert trace.introduced_blob == S1


def test_merge_bringing_a_branch_secret_is_not_an_introduction() -> None:
    graph = graph_of(
        record("root", "", 1),
        record("side", "root", 2, ("f", Z, S1)),
        record("main", "root", 3, ("g", Z, X)),
        record("merge", "main side", 4, ("f", Z, S1)),  # first-parent diff lists f as added
        interesting={S1})
    key = SecretKey("f", frozenset({S1}))
    trace = graph.trace([key], [("refs/heads/main", "merge"), ("refs/heads/side", "side")],
                        present={key})[key]
    assert trace.introduced == "side"
    assert trace.commits == 2 and trace.removed is None
    assert trace.refs == ("refs/heads/main", "refs/heads/side")


def test_evil_merge_introduces_and_conflict_resolution_removes() -> None:
    graph = graph_of(
        record("root", "", 1),
        record("a", "root", 2),
        record("b", "root", 3, ("f", Z, S1)),
        record("m1", "a b", 4),                  # takes a's side: f (and its secret) dropped
        record("m2", "a root", 5, ("g", Z, S2)),  # evil merge: adds a secret neither parent had
        interesting={S1, S2})
    dropped, evil = SecretKey("f", frozenset({S1})), SecretKey("g", frozenset({S2}))
    traces = graph.trace([dropped, evil], [])
    assert (traces[dropped].introduced, traces[dropped].removed) == ("b", "m1")
    assert traces[evil].introduced == "m2"


def test_removed_then_added_again_reports_the_latest_removal() -> None:
    graph = graph_of(
        record("a", "", 1, ("f", Z, S1)),
        record("b", "a", 2, ("f", S1, Z)),
        record("c", "b", 3, ("f", Z, S1)),
        record("d", "c", 4, ("f", S1, X)),
        interesting={S1})
    key = SecretKey("f", frozenset({S1}))
    trace = graph.trace([key], [])[key]
    assert (trace.introduced, trace.removed, trace.commits, trace.introductions) == ("a", "d", 2, 2)


def test_refs_are_capped_in_tip_order_and_counted() -> None:
    graph = graph_of(record("a", "", 1, ("f", Z, S1)), record("b", "a", 2), interesting={S1})
    key = SecretKey("f", frozenset({S1}))
    tips = [("refs/heads/main", "b"), ("refs/tags/v1", "a"), ("refs/pull/1/head", "b")]
    trace = graph.trace([key], tips, max_refs=2)[key]
    assert trace.refs == ("refs/heads/main", "refs/tags/v1")
    assert trace.refs_total == 3
