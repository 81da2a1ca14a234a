"""The recall corpus: secrets in the places they really leak, generated at test time.

Each module in this package (one per rule family, e.g. ``cloud.py``) defines ``CASES``, a list of
``RecallCase``. Values are built by ``gen`` from seeds, so no test file holds a literal
credential and every run sees the same corpus.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass


@dataclass(frozen=True)
class RecallCase:
    """One leaked secret: the file it sits in and the rule that must report it.

    ``secret`` is the exact value the rule's secret group must capture. ``id`` names the case in
    test output; ``family`` is the provider family used in the per-family recall table.
    """

    id: str
    family: str
    rule_id: str
    path: str
    content: str
    secret: str


def all_cases() -> list[RecallCase]:
    cases: list[RecallCase] = []
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module_info.name.startswith("_") or module_info.name == "gen":
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        cases.extend(getattr(module, "CASES", []))
    ids = [case.id for case in cases]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"duplicate recall case ids: {duplicates}")
    return cases
