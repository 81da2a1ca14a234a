"""The roll-up: files take their highest finding, markings set a floor, folders and the
repository take the highest file, and nothing secret enters the inventory."""

from __future__ import annotations

import json

import jsonschema

from leakguard.classify import classify, inventory_dict
from leakguard.model import Category, Confidence, Finding, Level, Report, Stats
from tests.conftest import DATA

MARK = Category.MARKING
SCHEMA = json.loads((DATA / "classify-inventory.schema.json").read_text())


def finding(path: str, level: Level, category: Category = Category.PII, *, rule: str = "r.x",
            shown: str = "ab*****", violation: bool = False, line: int = 1) -> Finding:
    return Finding(
        rule_id=rule, level=level, category=category, confidence=Confidence.HIGH, path=path,
        line=line, column=1, end_line=line, end_column=2, fingerprint=f"fp-{path}-{rule}-{line}",
        secret_id="sid", redacted=shown, allowed_level=Level.INTERNAL, violation=violation,
        secret="REALSECRETVALUE",
    )


def report(*findings: Finding, suppressed: tuple[Finding, ...] = (), files: int = 10) -> Report:
    return Report(tool_version="t", root="/repo", mode="tree", findings=findings,
                  suppressed=suppressed, stats=Stats(files_scanned=files),
                  meta={"policy": ".leakguard.yaml", "max_level": "internal"})


def test_file_level_is_the_highest_finding_and_folders_roll_up() -> None:
    inventory = classify(report(
        finding("docs/a.md", Level.INTERNAL),
        finding("docs/a.md", Level.RESTRICTED, Category.PAYMENT, rule="r.card", violation=True),
        finding("docs/sub/b.md", Level.CONFIDENTIAL, MARK, shown="CONFIDENTIAL", rule="r.mark"),
        finding("README.md", Level.INTERNAL),
    ))
    assert inventory.file("docs/a.md").level is Level.RESTRICTED
    assert inventory.file("docs/a.md").categories == ("payment", "pii")
    assert inventory.folder("docs").level is Level.RESTRICTED
    assert inventory.folder("docs").files == 2
    assert inventory.folder("docs/sub").level is Level.CONFIDENTIAL
    assert inventory.level is Level.RESTRICTED
    assert inventory.repository.violations == 1
    assert dict(inventory.repository.by_level) == {
        Level.RESTRICTED: 1, Level.CONFIDENTIAL: 1, Level.INTERNAL: 1}


def test_a_marking_sets_a_floor_and_under_marking_is_flagged() -> None:
    inventory = classify(report(
        finding("a.md", Level.RESTRICTED, MARK, shown="TRADE SECRET", rule="m.ts"),
        finding("a.md", Level.INTERNAL),
        finding("b.md", Level.PUBLIC, MARK, shown="TLP:CLEAR", rule="m.tlp"),
        finding("b.md", Level.RESTRICTED, Category.PII, rule="pii.ssn"),
    ))
    marked = inventory.file("a.md")
    assert (marked.level, marked.marking_level, marked.content_level) == (
        Level.RESTRICTED, Level.RESTRICTED, Level.INTERNAL)
    assert marked.markings == ("TRADE SECRET",) and not marked.under_marked
    claimed = inventory.file("b.md")
    assert claimed.level is Level.RESTRICTED and claimed.under_marked


def test_empty_report_is_a_public_repository() -> None:
    inventory = classify(report(files=3))
    assert inventory.level is Level.PUBLIC
    assert inventory.files == () and inventory.folders == ()
    document = inventory_dict(inventory, "t")
    assert document["repository"]["files_without_findings"] == 3


def test_suppressed_findings_count_only_when_asked() -> None:
    hidden = finding("vendor/x.c", Level.CONFIDENTIAL, Category.PROVENANCE)
    assert classify(report(suppressed=(hidden,))).level is Level.PUBLIC
    assert classify(report(suppressed=(hidden,)), include_suppressed=True).level \
        is Level.CONFIDENTIAL


def test_json_document_holds_levels_and_labels_but_no_secret() -> None:
    inventory = classify(report(
        finding("exports/c.csv", Level.RESTRICTED, Category.CUSTOMER_DATA, violation=True),
        finding("docs/r.md", Level.CONFIDENTIAL, MARK, shown="CONFIDENTIAL", rule="m.c"),
    ))
    document = inventory_dict(inventory, "9.9")
    jsonschema.Draft7Validator(SCHEMA).validate(document)
    text = json.dumps(document)
    assert "REALSECRETVALUE" not in text and "ab*****" not in text
    assert document["version"] == 1 and document["repository"]["level"] == "restricted"
    assert document["repository"]["files_by_level"] == {
        "prohibited": 0, "restricted": 1, "confidential": 1, "internal": 0, "public": 0}
    assert [f["path"] for f in document["folders"]] == ["docs", "exports"]
    file = document["files"][0]
    assert file == {
        "path": "docs/r.md", "level": "confidential", "content_level": None,
        "marking_level": "confidential", "markings": ["CONFIDENTIAL"], "under_marked": False,
        "categories": ["marking"], "rules": ["m.c"], "findings": 1,
        "findings_by_level": {"prohibited": 0, "restricted": 0, "confidential": 1,
                              "internal": 0, "public": 0},
        "allowed_level": "internal", "violations": 0,
    }


def test_the_inventory_schema_rejects_a_malformed_document() -> None:
    document = inventory_dict(classify(report(finding("a.md", Level.INTERNAL))), "t")
    document["files"][0]["level"] = "secret"
    try:
        jsonschema.Draft7Validator(SCHEMA).validate(document)
    except jsonschema.ValidationError as exc:
        assert "'secret' is not one of" in exc.message
    else:
        raise AssertionError("the schema accepted an unknown level")
