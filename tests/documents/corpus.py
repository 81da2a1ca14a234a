"""The documents of issue 9's "Done when", built at test time, and a test rule for TRADE SECRET.

``done_when_tree`` returns the files (path -> bytes) and what a scan must report for each, so the
tree scan, the CLI and the history (blob) tests all check the same expectations.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from tests import fakes
from tests.documents import builders as b

LABEL_GUID = "f42aa342-fa4e-4288-bd11-ebb85995028c"

#: Stands in for the classification pack's banner rule, which lives on another branch.
TRADE_SECRET_RULES = """\
rules:
  - id: test.trade-secret-banner
    name: TRADE SECRET banner (test rule)
    description: A TRADE SECRET banner alone on its line.
    category: marking
    level: restricted
    confidence: high
    pattern: '^[ \\t#*]*(?P<secret>TRADE SECRET)[ \\t*#.:]*$'
    keywords: [trade secret]
    examples: ["TRADE SECRET"]
    negative_examples: ["we keep no trade secret here"]
"""


@dataclass(frozen=True)
class Expected:
    """One finding a scan must report: rule, level, location inside the document, line."""

    path: str
    rule_id: str
    level: str
    location: str
    line: int
    count: int = 1


def customers() -> list[list[str]]:
    rows = [["Name", "Email", "Plan"]]
    rows += [[f"Customer {i} Fake", f"customer{i}.fake@fakecorp-clients.io", "gold"]
             for i in range(1, 26)]
    return rows


def documents() -> dict[str, bytes]:
    """The five documents, by name."""
    return {
        "plan.docx": b.docx(["TRADE SECRET", "Project Falcon: the 2027 formula and its margins."],
                            footer=["Page 1"]),
        "customers.xlsx": b.xlsx({"Summary": [["Quarterly totals"]], "Customers": customers()}),
        "deck.pptx": b.pptx([(["Roadmap review"], ["Welcome everyone"]),
                             (["Infrastructure"],
                              ["Demo account:", f"aws_access_key_id = {fakes.aws_key_id(9)}"])]),
        "report.pdf": b.pdf([["Board report", "Revenue grew in every region.",
                              "CONFIDENTIAL"]]),
        "labelled.docx": b.docx(["Team picnic on Friday at noon."],
                                custom=b.msip_label("Highly Confidential", LABEL_GUID)),
    }


def expected_for(prefix: str = "") -> list[Expected]:
    """What the five documents yield, at ``prefix + name`` (``bundle.zip!/…/`` for members)."""
    return [
        Expected(f"{prefix}plan.docx", "test.trade-secret-banner", "restricted", "body", 1),
        Expected(f"{prefix}customers.xlsx", "pii.email", "restricted",
                 "sheet Customers, column B", 2, count=25),
        Expected(f"{prefix}deck.pptx", "aws.access-key-id", "prohibited", "slide 2 notes", 2),
        Expected(f"{prefix}report.pdf", "marking.confidential-banner", "confidential", "page 1", 3),
        Expected(f"{prefix}labelled.docx", "document.sensitivity-label", "restricted",
                 "sensitivity label", 1),
    ]


def zip_bomb(size: int = 8 * 1024 * 1024) -> bytes:
    """One member of zeros: ~1000:1, under the member size limit, far over the ratio limit."""
    return b.zip_bytes({"zeros.bin": b"\0" * size})


def truncated_zip() -> bytes:
    whole = b.zip_bytes({"notes.txt": "hello " * 500, "plan.docx": documents()["plan.docx"]})
    return whole[: len(whole) // 2]


def corrupt_pdf() -> bytes:
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R" + bytes(range(256)) * 4


def encrypted_docx(password: str = "fake-password") -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(documents()["plan.docx"])).encrypt(password, out)
    return out.getvalue()


def nested_bundle() -> bytes:
    """bundle.zip!/archive/inner.zip!/<the five documents>: nested two deep."""
    inner = b.zip_bytes(documents(), compression=zipfile.ZIP_DEFLATED)
    return b.zip_bytes({"archive/inner.zip": inner, "README.txt": "shared drive backup"})


BUNDLE_PREFIX = "bundle.zip!/archive/inner.zip!/"


def done_when_tree() -> dict[str, bytes]:
    return {
        **documents(),
        "bundle.zip": nested_bundle(),
        "bomb.zip": zip_bomb(),
        "truncated.zip": truncated_zip(),
        "corrupt.pdf": corrupt_pdf(),
        "protected.docx": encrypted_docx(),
    }


def write_rules(folder: Path) -> Path:
    path = folder / "trade-secret.yaml"
    path.write_text(TRADE_SECRET_RULES, encoding="utf-8")
    return path
