"""Baselines end to end: the issue's "done when" list, labels, renames, partial scans, errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from leakguard.baseline_file import parse_baseline
from tests import fakes
from tests.conftest import git, write_tree
from tests.report.test_sarif import validate_sarif

BASELINE = ".leakguard-baseline.json"


def scan_json(cli, root: Path, *args: str, cwd: Path | None = None) -> tuple[int, dict]:
    result = cli("scan", str(root), "--format", "json", "-q", *args, cwd=cwd)
    assert result.code in (0, 1), result.output
    return result.code, json.loads(result.stdout)


def plant(root: Path) -> dict[str, str]:
    secrets = {"aws": fakes.aws_key_id("bl"), "github": fakes.github_pat("bl"),
               "password": fakes.password("bl")}
    write_tree(root, {
        "app/settings.py": f'DEBUG = False\nkey = "{secrets["aws"]}"\n'
                           f'db_password = "{secrets["password"]}"\n',
        "ci/deploy.env": f"GITHUB_TOKEN={secrets['github']}\n",
        "README.md": "hello\n",
    })
    return secrets


def entries(root: Path) -> dict[str, dict]:
    baseline = parse_baseline((root / BASELINE).read_text(encoding="utf-8"), BASELINE)
    return {e.rule_id: {"path": e.path, "fingerprint": e.fingerprint, "label": e.label,
                        "author": e.author} for e in baseline.entries}


def test_done_when(cli, tmp_path: Path) -> None:
    root = tmp_path / "repo"
    secrets = plant(root)
    assert cli("scan", str(root), "-q").code == 1
    created = cli("baseline", "create", str(root))
    assert created.code == 0, created.output
    text = (root / BASELINE).read_text(encoding="utf-8")
    for secret in secrets.values():
        assert secret not in text
        assert secret[4:12] not in text
    assert '"line' not in text and "date" not in text
    assert set(entries(root)) == {"aws.access-key-id", "github.pat-classic",
                                  "generic.password-assignment"}

    # A rescan with the baseline exits 0; everything is accounted for as suppressed.
    code, document = scan_json(cli, root, "--baseline", str(root / BASELINE))
    assert code == 0 and document["findings"] == [] and document["stale"] == []
    assert document["summary"]["suppressed_by_reason"] == {"baseline": 3}
    assert {f["suppression"]["kind"] for f in document["suppressed"]} == {"external"}

    # Moving the baselined secrets down 50 lines changes nothing, not even the file.
    settings = root / "app/settings.py"
    settings.write_text("# padding\n" * 50 + settings.read_text(encoding="utf-8"),
                        encoding="utf-8")
    code, document = scan_json(cli, root, "--baseline", str(root / BASELINE))
    assert code == 0 and document["findings"] == []
    assert {f["line"] for f in document["suppressed"] if f["path"] == "app/settings.py"} == \
        {52, 53}
    before = (root / BASELINE).stat().st_mtime_ns
    update = cli("baseline", "update", str(root))
    assert update.code == 0 and "up to date" in update.stderr
    assert (root / BASELINE).read_text(encoding="utf-8") == text
    assert (root / BASELINE).stat().st_mtime_ns == before

    # A new secret exits 1 and is the only finding reported.
    new = fakes.github_pat("new")
    write_tree(root, {"src/client.js": f'const token = "{new}";\n'})
    code, document = scan_json(cli, root, "--baseline", str(root / BASELINE))
    assert code == 1
    assert [(f["path"], f["rule_id"]) for f in document["findings"]] == [
        ("src/client.js", "github.pat-classic")]

    # Removing a secret makes its entry stale; update prunes it and adds the new one.
    settings.write_text(settings.read_text(encoding="utf-8").replace(secrets["password"], ""),
                        encoding="utf-8")
    code, document = scan_json(cli, root, "--baseline", str(root / BASELINE))
    pruned = entries(root)["generic.password-assignment"]
    assert document["stale"] == [{"fingerprint": pruned["fingerprint"],
                                  "rule_id": "generic.password-assignment",
                                  "path": "app/settings.py", "source": BASELINE}]
    assert document["summary"]["stale"] == 1
    table = cli("scan", str(root), "--baseline", str(root / BASELINE), "--exit-zero")
    assert "Stale baseline/ignore entries: 1" in table.stderr
    assert pruned["fingerprint"] in table.stdout
    update = cli("baseline", "update", str(root))
    assert update.code == 0
    assert "1 added, 1 pruned, 0 moved, 2 kept" in " ".join(update.stderr.split())
    assert "generic.password-assignment" not in entries(root)
    paths = parse_baseline((root / BASELINE).read_text(encoding="utf-8"), BASELINE).entries
    assert [(e.path, e.rule_id) for e in paths] == [
        ("app/settings.py", "aws.access-key-id"), ("ci/deploy.env", "github.pat-classic"),
        ("src/client.js", "github.pat-classic")]
    assert new not in (root / BASELINE).read_text(encoding="utf-8")
    code, document = scan_json(cli, root, "--baseline", str(root / BASELINE), "--fail-on-stale")
    assert code == 0 and document["stale"] == [] and document["findings"] == []


def test_a_different_secret_on_the_same_line_is_a_new_finding(cli, tmp_path: Path) -> None:
    secrets = plant(tmp_path)
    assert cli("baseline", "create", str(tmp_path), "-q").code == 0
    settings = tmp_path / "app/settings.py"
    swapped = fakes.aws_key_id("swapped")
    settings.write_text(settings.read_text(encoding="utf-8").replace(secrets["aws"], swapped),
                        encoding="utf-8")
    code, document = scan_json(cli, tmp_path, "--baseline", str(tmp_path / BASELINE))
    assert code == 1
    assert [(f["rule_id"], f["line"]) for f in document["findings"]] == [
        ("aws.access-key-id", 2)]
    assert [s["rule_id"] for s in document["stale"]] == ["aws.access-key-id"]


def test_sarif_carries_baseline_suppressions(cli, tmp_path: Path) -> None:
    plant(tmp_path)
    cli("baseline", "create", str(tmp_path), "-q")
    write_tree(tmp_path, {"app/extra.py": f'k = "{fakes.aws_key_id("sarif")}"  # leakguard:allow '
                                          'reason="demo"\n'})
    result = cli("scan", str(tmp_path), "-f", "sarif", "-b", str(tmp_path / BASELINE))
    assert result.code == 0
    document = json.loads(result.stdout)
    validate_sarif(document)
    kinds = sorted((r["suppressions"][0]["kind"], r["suppressions"][0]["justification"])
                   for r in document["runs"][0]["results"])
    assert kinds == [("external", "baseline: not reviewed")] * 3 + [
        ("inSource", "inline-allow: demo")]
    assert "Suppressed 4: baseline 3, inline-allow 1." in result.stderr


def test_labels_audit_trail_survives_update_and_renames(cli, git_repo: Path) -> None:
    plant(git_repo)
    git(git_repo, "config", "user.name", "Jane Reviewer")
    git(git_repo, "config", "user.email", "jane@fake.test")
    cli("baseline", "create", ".", "-q", cwd=git_repo)
    aws = entries(git_repo)["aws.access-key-id"]["fingerprint"]
    github = entries(git_repo)["github.pat-classic"]["fingerprint"]
    assert cli("baseline", "label", aws[:10], "--label", "false-positive", "--reason",
               "documented example key", cwd=git_repo).code == 0
    assert cli("baseline", "label", github, "--label", "accepted-risk", "--reason", "read-only",
               "--author", "Sec Team", cwd=git_repo).code == 0
    labelled = entries(git_repo)
    assert labelled["aws.access-key-id"]["author"] == "Jane Reviewer <jane@fake.test>"
    assert str(labelled["github.pat-classic"]["label"]) == "accepted-risk"
    listed = cli("baseline", "list", "--label", "false-positive", "-f", "json", cwd=git_repo)
    assert [e["fingerprint"] for e in json.loads(listed.stdout)] == [aws]
    assert cli("baseline", "label", aws, "--label", "true-positive", cwd=git_repo).code == 2
    assert cli("baseline", "label", "0" * 32, "--label", "true-positive", "--reason", "x",
               cwd=git_repo).code == 2

    # The file holding the labelled secret is renamed: the entry follows it, label and all.
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-qm", "start")
    git(git_repo, "mv", "app/settings.py", "app/config.py")
    code, document = scan_json(cli, git_repo, "-b", BASELINE, cwd=git_repo)
    assert code == 0 and document["stale"] == []
    moved = {f["path"]: f["suppression"]["justification"] for f in document["suppressed"]}
    assert moved["app/config.py"].startswith("moved from app/settings.py; ")
    update = cli("baseline", "update", ".", cwd=git_repo)
    assert "2 moved" in update.stderr
    after = entries(git_repo)
    assert after["aws.access-key-id"]["path"] == "app/config.py"
    assert str(after["aws.access-key-id"]["label"]) == "false-positive"
    assert after["aws.access-key-id"]["author"] == "Jane Reviewer <jane@fake.test>"
    assert str(after["github.pat-classic"]["label"]) == "accepted-risk"

    # A copy (the original still there) is a new finding, and a false-positive label does not
    # follow the value elsewhere unless asked to.
    shutil.copy(git_repo / "app/config.py", git_repo / "app/copy.py")
    code, document = scan_json(cli, git_repo, "-b", BASELINE, cwd=git_repo)
    assert code == 1
    assert {f["path"] for f in document["findings"]} == {"app/copy.py"}
    code, document = scan_json(cli, git_repo, "-b", BASELINE, "--false-positives-everywhere",
                               cwd=git_repo)
    assert [(f["rule_id"]) for f in document["findings"]] == ["generic.password-assignment"]


def test_partial_scans_never_mark_entries_stale(cli, tmp_path: Path) -> None:
    plant(tmp_path)
    cli("baseline", "create", str(tmp_path), "-q")
    original = (tmp_path / BASELINE).read_text(encoding="utf-8")
    code, document = scan_json(cli, Path("ci/deploy.env"), "-b", BASELINE, cwd=tmp_path)
    assert code == 0 and document["stale"] == []
    code, document = scan_json(cli, tmp_path, "-b", str(tmp_path / BASELINE), "-x", "app/")
    assert code == 0 and document["stale"] == []
    (tmp_path / "ci/deploy.env").write_bytes(b"x" * 2048)
    code, document = scan_json(cli, tmp_path, "-b", str(tmp_path / BASELINE),
                               "--max-file-size", "1K")
    assert document["stale"] == []
    assert cli("baseline", "update", str(tmp_path), "-x", "app/**", "--max-file-size", "1K",
               "-q").code == 0
    assert (tmp_path / BASELINE).read_text(encoding="utf-8") == original
    shutil.rmtree(tmp_path / "ci")
    code, document = scan_json(cli, tmp_path, "-b", str(tmp_path / BASELINE))
    assert [s["path"] for s in document["stale"]] == ["ci/deploy.env"]


def test_same_fingerprints_from_any_cwd_and_location(cli, tmp_path: Path) -> None:
    first = tmp_path / "one" / "repo"
    plant(first)
    cli("baseline", "create", ".", "-q", cwd=first)
    second = tmp_path / "elsewhere" / "clone"
    shutil.copytree(first, second)
    code, document = scan_json(cli, "clone", "-b", f"clone/{BASELINE}", cwd=second.parent)
    assert code == 0 and document["stale"] == [] and len(document["suppressed"]) == 3


def test_bad_baselines_are_usage_errors(cli, tmp_path: Path) -> None:
    plant(tmp_path)
    missing = cli("scan", str(tmp_path), "-b", str(tmp_path / "nope.json"))
    assert missing.code == 2 and "nope.json" in missing.stderr
    assert cli("baseline", "update", str(tmp_path)).code == 2
    cli("baseline", "create", str(tmp_path), "-q")
    again = cli("baseline", "create", str(tmp_path))
    assert again.code == 2 and "baseline update" in again.stderr
    other_key = cli("scan", str(tmp_path), "-b", str(tmp_path / BASELINE),
                    env={"LEAKGUARD_HASH_KEY": "org-secret-key"})
    assert other_key.code == 2 and "LEAKGUARD_HASH_KEY" in other_key.stderr
    path = tmp_path / BASELINE
    path.write_text(path.read_text(encoding="utf-8").replace('"rule_id"', '"rule"', 1),
                    encoding="utf-8")
    broken = cli("scan", str(tmp_path), "-b", str(path))
    assert broken.code == 2
    assert f"{path}:5: entry 1 (" in broken.stderr and "unknown key 'rule'" in broken.stderr


def test_a_crlf_checkout_is_not_rewritten(cli, tmp_path: Path) -> None:
    plant(tmp_path)
    cli("baseline", "create", str(tmp_path), "-q")
    path = tmp_path / BASELINE
    crlf = path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(crlf)
    update = cli("baseline", "update", str(tmp_path))
    assert update.code == 0 and "up to date" in update.stderr
    assert path.read_bytes() == crlf
    assert cli("scan", str(tmp_path), "-b", str(path), "-q").code == 0
