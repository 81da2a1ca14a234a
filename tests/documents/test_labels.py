"""Sensitivity labels: read from Office and PDF metadata, mapped to levels by defaults and policy."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from leakguard.app import ScanRequest, run_scan
from leakguard.model import Level
from tests.conftest import write_tree
from tests.documents import builders as b

GUID = "a1b2c3d4-fa4e-4e00-8000-00000000abcd"
OTHER_GUID = "ffffffff-fa4e-4e00-8000-00000000ffff"


def label_findings(root: Path, files: dict[str, bytes], policy: str | None = None):
    if policy is not None:
        files = {**files, ".leakguard.yaml": policy.encode()}
    write_tree(root, files)
    report = run_scan(ScanRequest(targets=(str(root),), show_secrets=True))
    return {(f.path, f.secret, f.level) for f in report.findings
            if f.rule_id == "document.sensitivity-label"}


@pytest.mark.parametrize(("name", "level"), [
    ("Public", Level.PUBLIC), ("General", Level.INTERNAL), ("confidential", Level.CONFIDENTIAL),
    ("Highly Confidential", Level.RESTRICTED), ("Unheard Of", Level.CONFIDENTIAL),
])
def test_default_label_levels(tmp_path: Path, name: str, level: Level) -> None:
    files = {"a.docx": b.docx(["Nothing to see."], custom=b.msip_label(name, GUID))}
    assert label_findings(tmp_path, files) == {("a.docx", name, level)}


def test_sublabels_take_their_parents_level_unless_the_policy_names_them(tmp_path: Path) -> None:
    files = {
        "finance.xlsx": b.xlsx({"S": [["x"]]}, custom=b.msip_label("Confidential\\Finance", GUID)),
        "hr.docx": b.docx(["x"], custom=b.msip_label("Highly Confidential\\HR", GUID)),
    }
    assert label_findings(tmp_path / "defaults", files) == {
        ("finance.xlsx", "Confidential", Level.CONFIDENTIAL),
        ("hr.docx", "Highly Confidential", Level.RESTRICTED)}
    policy = "version: 1\nlabels:\n  'Confidential\\Finance': prohibited\n  confidential: public\n"
    assert label_findings(tmp_path / "policy", files, policy) == {
        ("finance.xlsx", "Confidential\\Finance", Level.PROHIBITED),
        ("hr.docx", "Highly Confidential", Level.RESTRICTED)}


def test_policy_maps_new_names_and_label_ids(tmp_path: Path) -> None:
    docx = b.docx(["x"])
    with zipfile.ZipFile(io.BytesIO(docx)) as source:
        files = {name: source.read(name) for name in source.namelist()}
    files["docMetadata/LabelInfo.xml"] = (
        '<?xml version="1.0" encoding="utf-8" standalone="yes"?><clbl:labelList xmlns:clbl='
        '"http://schemas.microsoft.com/office/2020/mipLabelMetadata"><clbl:label '
        f'id="{{{GUID.upper()}}}" enabled="1" method="Standard" siteId="{{{b.FAKE_TENANT}}}" '
        'contentBits="0" removed="0"/></clbl:labelList>').encode()
    tree = {"id-only.docx": b.zip_bytes(files),
            "secret.docx": b.docx(["x"], custom=b.msip_label("Secret", OTHER_GUID))}
    policy = f"version: 1\nlabels:\n  Secret: restricted\n  '{{{GUID}}}': restricted\n"
    assert label_findings(tmp_path, tree, policy) == {
        ("id-only.docx", GUID, Level.RESTRICTED), ("secret.docx", "Secret", Level.RESTRICTED)}


def test_disabled_or_removed_labels_are_ignored(tmp_path: Path) -> None:
    custom = {**b.msip_label("Highly Confidential", GUID), f"MSIP_Label_{GUID}_Enabled": "false"}
    assert label_findings(tmp_path, {"a.docx": b.docx(["x"], custom=custom)}) == set()


def test_pdf_labels_from_the_info_dictionary(tmp_path: Path) -> None:
    info = {f"MSIP_Label_{GUID}_Enabled": "true", f"MSIP_Label_{GUID}_Name": "Highly Confidential",
            f"MSIP_Label_{GUID}_Method": "Privileged", "Title": "Export"}
    files = {"export.pdf": b.pdf([["Nothing sensitive here."]], info=info)}
    assert label_findings(tmp_path, files) == {("export.pdf", "Highly Confidential",
                                                Level.RESTRICTED)}


def test_labels_in_xmp() -> None:
    from leakguard.sources.extract.labels import labels_from_xmp, merge
    from leakguard.sources.extract.xmltext import parse_xml

    xmp = (f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
           f'22-rdf-syntax-ns#"><rdf:Description xmlns:pdfx="http://ns.adobe.com/pdfx/1.3/" '
           f'pdfx:MSIP_Label_{GUID}_Enabled="true"><pdfx:MSIP_Label_{GUID}_Name>General'
           "</pdfx:MSIP_Label_" + GUID + "_Name></rdf:Description></rdf:RDF></x:xmpmeta>")
    labels = merge(labels_from_xmp(parse_xml(xmp.encode(), "xmp")))
    assert [(label.id, label.name) for label in labels] == [(GUID, "General")]


def test_a_label_line_in_a_plain_file_is_not_a_label(tmp_path: Path) -> None:
    files = {"notes.md": b"sensitivity-label: Highly Confidential\nMSIP_Label_x_Name = Secret\n"}
    assert label_findings(tmp_path, files) == set()
