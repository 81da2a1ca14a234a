"""``.leakguardignore``: parsing, appending, suppression, stale entries, and its command."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from leakguard.errors import ConfigErrors, UsageError
from leakguard.filters.ignorefile import append_entry, parse_ignore_file
from tests import fakes
from tests.conftest import write_tree

FP_A = "0123456789abcdef0123456789abcdef"
FP_B = "fedcba9876543210fedcba9876543210"


def test_parse_comments_blank_lines_and_reasons() -> None:
    text = f"# header\n\n{FP_A}  # fixture key\n  {FP_B.upper()}\n{FP_A} # repeated by a merge\n"
    parsed = parse_ignore_file(text, ".leakguardignore")
    assert [(e.fingerprint, e.reason, e.line) for e in parsed.entries] == [
        (FP_A, "fixture key", 3), (FP_B, "", 4)]


def test_every_malformed_line_is_named() -> None:
    text = f"{FP_A}\nnot-a-fingerprint # x\nsrc/a.py:aws.key:12\n{FP_B} trailing words\n"
    with pytest.raises(ConfigErrors) as caught:
        parse_ignore_file(text, "repo/.leakguardignore")
    messages = str(caught.value).splitlines()
    assert [m.split(": ")[0] for m in messages] == [
        "repo/.leakguardignore:2", "repo/.leakguardignore:3", "repo/.leakguardignore:4"]
    assert "gitleaks" in messages[1]


def test_append_keeps_the_file_and_refuses_duplicates() -> None:
    original = "# reviewed by security\r\n" + FP_A + "  # old\r\n"
    appended = append_entry(original, FP_B.upper(), "  new one  ")
    assert appended == original + FP_B + "  # new one\r\n"
    assert append_entry("# no newline", FP_A, "") == f"# no newline\n{FP_A}\n"
    with pytest.raises(UsageError, match=r"already in \.leakguardignore \(line 2\)"):
        append_entry(original, FP_A, "again")
    with pytest.raises(UsageError, match="not a leakguard fingerprint"):
        append_entry(original, "abc123", "short")
    with pytest.raises(UsageError, match="one line"):
        append_entry(original, FP_B, "two\nlines")


def _scan_json(cli, root: Path, *extra: str) -> tuple[int, dict]:
    result = cli("scan", str(root), "--format", "json", "-q", *extra)
    assert result.code in (0, 1), result.output
    return result.code, json.loads(result.stdout)


def test_ignore_command_suppresses_and_stale_entries_are_reported(cli, tmp_path: Path) -> None:
    keep, drop = fakes.github_pat("ignored"), fakes.aws_key_id("ignored")
    write_tree(tmp_path, {"ci.env": f"GITHUB_TOKEN={keep}\n", "app.py": f'k = "{drop}"\n'})
    code, before = _scan_json(cli, tmp_path)
    assert code == 1
    fingerprints = {f["rule_id"]: f["fingerprint"] for f in before["findings"]}
    for rule_id, reason in (("github.pat-classic", "fixture token"),
                            ("aws.access-key-id", "example key")):
        added = cli("ignore", fingerprints[rule_id], "--reason", reason, cwd=tmp_path)
        assert added.code == 0, added.output
    ignore_file = tmp_path / ".leakguardignore"
    assert stat.S_IMODE(ignore_file.stat().st_mode) == 0o666 & ~_umask()
    assert cli("ignore", fingerprints["aws.access-key-id"], "--reason", "x",
               cwd=tmp_path).code == 2
    code, after = _scan_json(cli, tmp_path)
    assert code == 0 and after["findings"] == []
    reasons = {f["rule_id"]: f["suppression"] for f in after["suppressed"]}
    assert reasons["github.pat-classic"] == {
        "kind": "external", "reason": "ignore-file",
        "justification": "fixture token (.leakguardignore:1)"}
    assert after["summary"]["suppressed_by_reason"] == {"ignore-file": 2}
    assert after["stale"] == []

    (tmp_path / "app.py").write_text("k = None\n", encoding="utf-8")
    code, fixed = _scan_json(cli, tmp_path)
    assert code == 0
    assert fixed["stale"] == [{"fingerprint": fingerprints["aws.access-key-id"], "rule_id": "",
                               "path": "", "source": ".leakguardignore:2"}]
    assert fixed["summary"]["stale"] == 1
    assert cli("scan", str(tmp_path), "--fail-on-stale", "-q").code == 1
    table = cli("scan", str(tmp_path))
    assert ".leakguardignore:2" in table.stdout and "Stale baseline/ignore entries: 1" in table.stderr
    # A partial scan cannot tell whether an ignore entry is stale, so it does not say so.
    assert _scan_json(cli, tmp_path / "ci.env")[1]["stale"] == []
    assert _scan_json(cli, tmp_path, "--no-ignore-file")[0] == 1


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def test_malformed_ignore_file_fails_the_scan_with_file_and_line(cli, tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.txt": "hello\n", ".leakguardignore": f"# ok\n{FP_A}\nbogus\n"})
    result = cli("scan", str(tmp_path))
    assert result.code == 2
    assert ".leakguardignore:3:" in result.stderr
    before = (tmp_path / ".leakguardignore").read_bytes()
    appended = cli("ignore", FP_B, "--reason", "x", "--file", str(tmp_path / ".leakguardignore"))
    assert appended.code == 2 and (tmp_path / ".leakguardignore").read_bytes() == before
