"""``leakguard init``, ``leakguard policy`` and classify's edges, as users run them."""

from __future__ import annotations

import json
from pathlib import Path

from leakguard.cli.init_cmd import fixture_folders, starter_policy
from leakguard.model import Level
from leakguard.policy import parse_policy
from leakguard.vocabulary import name_digest
from leakguard.yamlfile import parse_yaml
from tests.conftest import write_tree


def test_starter_policy_is_valid_and_suggests_fixture_folders(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "tests/fixtures/keys.pem": "x", "pkg/testdata/a.txt": "x", "examples/demo/app.py": "x",
        "node_modules/lib/fixtures/x.js": "x", "src/app.py": "x", "ci/leakguard-rules.yaml": "",
    })
    folders = fixture_folders(tmp_path)
    assert folders == ["examples", "pkg/testdata", "tests/fixtures"]
    text = starter_policy(tmp_path, Level.CONFIDENTIAL, folders, "0123456789abcdef")
    policy = parse_policy(parse_yaml(text, ".leakguard.yaml"), ".leakguard.yaml", tmp_path)
    assert policy.max_level is Level.CONFIDENTIAL and policy.paths == ()
    assert policy.salt == "0123456789abcdef"
    assert '#  - {path: "pkg/testdata/**", max_level: prohibited}' in text
    uncommented = "\n".join(line[1:] if line.startswith(("#  - ", "#    - ")) else line
                            for line in text.splitlines())
    policy = parse_policy(parse_yaml(uncommented, "p"), "p", tmp_path)
    assert [p.glob for p in policy.paths] == ["examples/**", "pkg/testdata/**",
                                               "tests/fixtures/**", "docs/**"]
    assert [e.name for e in policy.codenames] == ["bluefin"]
    assert policy.internal_networks == ("10.20.0.0/16",)
    assert policy.allow_paths == ("third_party/**",) and policy.disable == ("pii.phone",)


def test_init_writes_refuses_to_overwrite_and_scans_clean(cli, tmp_path: Path) -> None:
    write_tree(tmp_path, {"README.md": "hello\n", "tests/fixtures/a.txt": "x\n"})
    first = cli("init", str(tmp_path))
    assert first.code == 0, first.output
    written = (tmp_path / ".leakguard.yaml").read_text()
    assert "tests/fixtures/**" in written
    again = cli("init", str(tmp_path))
    assert again.code == 2 and "already exists; use --force" in again.stderr
    assert (tmp_path / ".leakguard.yaml").read_text() == written
    assert cli("init", str(tmp_path), "--force", "--max-level", "restricted").code == 0
    assert "max_level: restricted" in (tmp_path / ".leakguard.yaml").read_text()
    scan = cli("scan", str(tmp_path))
    assert scan.code == 0 and "No findings" in scan.stderr
    check = cli("policy", "check", "--config", str(tmp_path / ".leakguard.yaml"))
    assert check.code == 0 and ": OK (max_level restricted" in check.stdout


def test_policy_hash_entries_make_a_working_dictionary(cli, tmp_path: Path) -> None:
    salt = "hash-cli-salt-42"
    (tmp_path / ".leakguard.yaml").write_text(f'version: 1\nsalt: "{salt}"\n')
    hashed = cli("policy", "hash", "Blue  Heron", "Osprey", "--level", "restricted",
                 "--config", str(tmp_path / ".leakguard.yaml"))
    assert hashed.code == 0, hashed.output
    assert hashed.stdout.splitlines() == [
        f"  - {{sha256: {name_digest(salt, 'blue heron')}, words: 2, level: restricted}}",
        f"  - {{sha256: {name_digest(salt, 'osprey')}, level: restricted}}",
    ]
    assert "Blue" not in hashed.output and "Osprey" not in hashed.output
    (tmp_path / ".leakguard.yaml").write_text(
        f'version: 1\nsalt: "{salt}"\ncodenames:\n{hashed.stdout}')
    (tmp_path / "plan.md").write_text("Launch BLUE HERON after osprey.\n")
    result = cli("classify", str(tmp_path), "--format", "json", "-q")
    [file] = json.loads(result.stdout)["files"]
    assert file["path"] == "plan.md" and file["level"] == "restricted"
    assert "HERON" not in result.stdout
    piped = cli("policy", "hash", "-", "--salt", salt, input="Osprey\n\n")
    assert piped.stdout == f"  - {{sha256: {name_digest(salt, 'osprey')}}}\n"


def test_policy_errors_exit_2_naming_file_and_line(cli, tmp_path: Path) -> None:
    (tmp_path / ".leakguard.yaml").write_text("version: 1\ncodenames:\n  - {sha256: abc}\n")
    check = cli("policy", "check", "--config", str(tmp_path / ".leakguard.yaml"))
    assert check.code == 2
    assert ".leakguard.yaml:3: 'codenames' item 1: 'sha256' must be 64 hexadecimal" in check.stderr
    classify = cli("classify", str(tmp_path))
    assert classify.code == 2 and ".leakguard.yaml:3:" in classify.stderr
    nosalt = cli("policy", "hash", "Osprey", cwd=tmp_path / "..")
    assert nosalt.code == 2 and "no policy found" in nosalt.stderr


def test_classify_writes_output_atomically_and_refuses_stdin(cli, tmp_path: Path) -> None:
    write_tree(tmp_path, {"repo/README.md": "Mail fake.person@fakemail-example.de\n"})
    out = tmp_path / "inventory.json"
    result = cli("classify", str(tmp_path / "repo"), "-f", "json", "-o", str(out), "-q")
    assert result.code == 0 and result.stdout == ""
    assert json.loads(out.read_text())["repository"]["level"] == "internal"
    assert cli("classify", "-").code == 2
