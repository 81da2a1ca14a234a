"""End to end: the installed leakguard on real temporary trees, checking exit codes and output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests import fakes
from tests.conftest import DATA, write_tree
from tests.report.test_sarif import validate_sarif

REPO_ROOT = Path(__file__).resolve().parents[2]
DEMO = REPO_ROOT / "examples" / "demo"


def planted(root: Path) -> dict[str, str]:
    secrets = {
        "aws_id": fakes.aws_key_id(11),
        "aws_secret": fakes.aws_secret(11),
        "github": fakes.github_pat(11),
        "password": fakes.password(11),
        "pem": fakes.pem_private_key(11),
    }
    write_tree(root, {
        "app/settings.py": f'aws_access_key_id = "{secrets["aws_id"]}"\n'
                           f'aws_secret_access_key = "{secrets["aws_secret"]}"\n'
                           f'db_password = "{secrets["password"]}"\n',
        "ci/.env": f"GITHUB_TOKEN={secrets['github']}\n",
        "keys/id_rsa": secrets["pem"] + "\n",
        "README.md": "Nothing to see here.\n",
    })
    return secrets


def test_clean_tree_exits_0(cli, tree) -> None:
    root = tree({"README.md": "hello\n", "src/app.py": "print('hi')\n"})
    result = cli("scan", str(root))
    assert result.code == 0, result.output
    assert "No findings" in result.stderr
    assert "Scanned 2 files" in result.stderr


def test_violations_exit_1_and_exit_zero_overrides(cli, tmp_path: Path) -> None:
    planted(tmp_path)
    assert cli("scan", str(tmp_path)).code == 1
    assert cli("scan", str(tmp_path), "--exit-zero").code == 0


@pytest.mark.parametrize("fmt", ["table", "json", "sarif", "csv", "markdown"])
def test_no_output_format_contains_a_secret(cli, tmp_path: Path, fmt: str) -> None:
    secrets = planted(tmp_path / "proj")
    result = cli("scan", str(tmp_path / "proj"), "--format", fmt, "--show-suppressed")
    assert result.code == 1
    for name, secret in secrets.items():
        probe = secret.splitlines()[1] if name == "pem" else secret
        assert probe not in result.output, f"{name} leaked in {fmt}"


def test_show_secrets_reveals_them(cli, tmp_path: Path) -> None:
    secrets = planted(tmp_path / "proj")
    result = cli("scan", str(tmp_path / "proj"), "--format", "json", "--show-secrets")
    document = json.loads(result.stdout)
    found = {f["secret"] for f in document["findings"]}
    assert {secrets["aws_id"], secrets["github"], secrets["password"]} <= found


def test_json_document_shape(cli, tmp_path: Path) -> None:
    planted(tmp_path / "proj")
    result = cli("scan", str(tmp_path / "proj"), "-f", "json", "-q")
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert document["version"] == 1
    assert document["tool"]["name"] == "leakguard"
    rules = {f["rule_id"] for f in document["findings"]}
    assert {"aws.access-key-id", "aws.secret-access-key", "github.pat-classic",
            "generic.password-assignment", "private-key.pem"} <= rules
    assert all(f["violation"] for f in document["findings"])
    assert document["summary"]["violations"] == len(document["findings"])
    paths = {f["path"] for f in document["findings"]}
    assert paths == {"app/settings.py", "ci/.env", "keys/id_rsa"}


def test_output_file_is_written_atomically(cli, tmp_path: Path) -> None:
    planted(tmp_path / "proj")
    out = tmp_path / "out" / "report.sarif"
    out.parent.mkdir()
    result = cli("scan", str(tmp_path / "proj"), "-f", "sarif", "-o", str(out))
    assert result.code == 1
    validate_sarif(json.loads(out.read_text()))
    assert [p.name for p in out.parent.iterdir()] == ["report.sarif"]


def test_failed_run_leaves_no_report(cli, tmp_path: Path) -> None:
    planted(tmp_path / "proj")
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - id: bad.rule\n    pattern: '(oops'\n")
    out = tmp_path / "report.json"
    result = cli("scan", str(tmp_path / "proj"), "--rules", str(bad), "-f", "json", "-o", str(out))
    assert result.code == 2
    assert not out.exists()
    assert list(tmp_path.glob(".report.json*")) == []


def test_bad_rule_file_exits_2_naming_file_line_and_rule(cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - id: ok.rule\n    pattern: 'x'\n"
                   "  - id: bad.rule\n    pattern: '[unclosed'\n")
    result = cli("scan", str(tmp_path), "--rules", str(bad))
    assert result.code == 2
    assert f"{bad}:5: rule 'bad.rule': 'pattern' does not compile" in result.stderr
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text("- id: typo.rule\n  pattern: 'x'\n  severity: high\n")
    result = cli("scan", str(tmp_path), "--rules", str(unknown))
    assert result.code == 2
    assert f"{unknown}:3: rule 'typo.rule': unknown key 'severity'" in result.stderr


def test_missing_path_and_bad_option_exit_2(cli, tmp_path: Path) -> None:
    result = cli("scan", str(tmp_path / "nope"))
    assert result.code == 2 and "does not exist" in result.stderr
    assert cli("scan", str(tmp_path), "--format", "xml").code == 2
    result = cli("scan", str(tmp_path), "--max-file-size", "lots")
    assert result.code == 2 and "--max-file-size" in result.stderr


def test_stdin_is_scanned(cli, tmp_path: Path) -> None:
    secret = fakes.github_pat(5)
    result = cli("scan", "-", "-f", "json", input=f"token: {secret}\n", cwd=tmp_path)
    assert result.code == 1
    [finding] = json.loads(result.stdout)["findings"]
    assert finding["path"] == "<stdin>" and finding["rule_id"] == "github.pat-classic"
    assert secret not in result.output


def test_fail_on_overrides_the_policy(cli, tree) -> None:
    root = tree({"docs/plan.md": "# CONFIDENTIAL\n"})
    assert cli("scan", str(root)).code == 1
    assert cli("scan", str(root), "--fail-on", "restricted").code == 0
    assert cli("scan", str(root), "--fail-on", "public").code == 1


def test_no_default_rules_and_extra_rules(cli, tree, tmp_path: Path) -> None:
    root = tree({"a.txt": "magic-word-xyzzy\n", "b.txt": fakes.github_pat(3)})
    rules = tmp_path / "mine.yaml"
    rules.write_text("- id: mine.magic\n  level: restricted\n  pattern: 'xyzzy'\n")
    result = cli("scan", str(root), "--no-default-rules", "--rules", str(rules), "-f", "json")
    assert [f["rule_id"] for f in json.loads(result.stdout)["findings"]] == ["mine.magic"]


def test_scanned_text_cannot_inject_terminal_markup(cli, tree) -> None:
    secret = fakes.password(9)
    root = tree({"[red]x[/red].py": f'password = "{secret}"\n'})
    result = cli("scan", str(root))
    assert "[red]x[/red].py" in result.stdout


def test_strict_turns_skips_into_exit_3(cli, tree) -> None:
    root = tree({"big.txt": "x" * 5000})
    assert cli("scan", str(root), "--max-file-size", "1K").code == 0
    result = cli("scan", str(root), "--max-file-size", "1K", "--strict")
    assert result.code == 3
    assert "too-large 1" in result.stderr


def test_help_has_examples(cli) -> None:
    for command in (["scan"], ["rules"], ["rules", "test"], ["rules", "list"]):
        result = cli(*command, "--help")
        assert result.code == 0
        assert "Example" in result.stdout or "example" in result.stdout


def test_version_is_fast_path(cli) -> None:
    result = cli("--version")
    assert result.code == 0 and result.stdout.startswith("leakguard ")


def test_bundled_demo_finds_planted_leaks_and_sarif_validates(cli, tmp_path: Path) -> None:
    out = tmp_path / "demo.sarif"
    result = cli("scan", str(DEMO), "--format", "sarif", "--output", str(out))
    assert result.code == 1
    document = json.loads(out.read_text())
    validate_sarif(document)
    rules = {r["ruleId"] for r in document["runs"][0]["results"]}
    assert {"aws.access-key-id", "github.pat-classic", "private-key.pem",
            "marking.confidential-banner"} <= rules


def test_rules_test_command(cli, tmp_path: Path) -> None:
    assert cli("rules", "test", "-q").code == 0
    failing = tmp_path / "failing.yaml"
    failing.write_text("- id: f.rule\n  pattern: 'abc'\n  examples: ['xyz']\n"
                       "  negative_examples: ['abc']\n")
    result = cli("rules", "test", str(failing))
    assert result.code == 1
    assert "f.rule: example 1 is not matched" in result.stdout
    assert "f.rule: negative example 1 is matched" in result.stdout


def test_rules_validate_and_list(cli, tmp_path: Path) -> None:
    good = DATA / "golden" / "rules.yaml"
    assert cli("rules", "validate", str(good)).code == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("- id: x\n  pattern: 'a'\n  level: nope\n")
    result = cli("rules", "validate", str(bad))
    assert result.code == 2 and f"{bad}:3: rule 'x'" in result.stderr
    listing = json.loads(cli("rules", "list", "--format", "json").stdout)
    assert {"aws.access-key-id", "pii.email"} <= {r["id"] for r in listing}
    assert cli("rules", "show", "aws.access-key-id").code == 0
    assert cli("rules", "show", "no.such.rule").code == 2


def test_jobs_cache_and_engine_options(cli, tmp_path: Path) -> None:
    root = tmp_path / "tree"
    planted(root)
    cache = tmp_path / "caches" / "scan.sqlite"
    outputs = []
    for args in (["--no-cache", "--engine", "regex"], ["--cache", str(cache), "--jobs", "2"],
                 ["--cache", str(cache), "--jobs", "1", "--engine", "auto"]):
        result = cli("scan", str(root), "--format", "json", "--exit-zero", *args)
        assert result.code == 0, result.output
        document = json.loads(result.stdout)
        outputs.append([(f["rule_id"], f["path"], f["line"], f["fingerprint"])
                        for f in document["findings"]])
    assert cache.is_file()
    assert outputs[0] == outputs[1] == outputs[2] and outputs[0]


def test_a_tree_scan_loads_only_its_own_command(tree) -> None:
    """``leakguard scan PATH`` builds the app with the scan command alone and never imports the
    git modes or the other commands' machinery; help and a misspelt command still see all."""
    import subprocess
    import sys

    root = tree({"app.py": "print('nothing to see')\n"})
    probe = (
        "import sys\n"
        "from leakguard.cli import main\n"
        "try:\n"
        f"    main(['scan', {str(root)!r}, '--no-cache', '--quiet', '--jobs', '1'])\n"
        "except SystemExit as exc:\n"
        "    print(exc.code)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('leakguard.sweep', "
        "'leakguard.app.gitrange', 'leakguard.app.history', 'leakguard.classify', "
        "'leakguard.cli.baseline_cmd'))))\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out[-2:] == ["0", "[]"]
    from leakguard.cli.commands import COMMANDS, build_app

    def names(argv: list[str]) -> set[str]:
        app = build_app(argv)
        return {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}

    assert names(["scan", "."]) == {"scan"}
    assert names(["--help"]) == names(["scna"]) == names([]) == set(COMMANDS)
