"""`leakguard rules list` shows where each rule comes from and counts rules per pack."""

from __future__ import annotations

import json
from pathlib import Path


def test_list_shows_the_pack_of_each_rule(cli) -> None:
    listing = json.loads(cli("rules", "list", "--format", "json").stdout)
    packs = {rule["id"]: rule["pack"] for rule in listing}
    assert packs["aws.access-key-id"] == "credentials/aws"
    assert packs["generic.password-assignment"] == "credentials/generic"
    assert next(r for r in listing if r["id"] == "generic.password-assignment")["generic"] is True
    table = cli("rules", "list", "--pack", "credentials/generic")
    assert table.code == 0 and "credentials/generic" in table.stdout
    assert "aws.access-key-id" not in table.stdout


def test_summary_counts_rules_per_pack_including_custom_files(cli, tmp_path: Path) -> None:
    custom = tmp_path / "team.yaml"
    custom.write_text("- id: team.deploy-key\n  pattern: 'tdk_[a-z0-9]{20}'\n")
    summary = json.loads(cli("rules", "list", "--summary", "--format", "json",
                             "--rules", str(custom)).stdout)
    assert summary["packs"][str(custom)] == 1
    assert summary["packs"]["credentials/generic"] >= 20
    assert summary["total"] == sum(summary["packs"].values())
    shown = cli("rules", "show", "generic.env-file-assignment")
    assert "credentials/generic" in shown.stdout and "generic" in shown.stdout
