"""Imports follow DESIGN.md: data flows one way and heavy libraries stay in their rooms."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "leakguard"

#: Third-party modules and the only leakguard modules (prefixes) allowed to import them.
THIRD_PARTY = {
    "typer": ("cli",),
    "click": (),
    "rich": ("cli", "report.table"),
    "yaml": ("yamlfile",),
    "git": ("sources.git",),
}
#: leakguard packages that must not import the listed ones (the arrows of the data flow).
FORBIDDEN = {
    "model": ("leakguard.",),
    "errors": ("leakguard.",),
    "report": ("leakguard.app", "leakguard.engine", "leakguard.sources", "leakguard.rules",
               "leakguard.cli", "leakguard.findings", "leakguard.policy", "leakguard.filters"),
    "engine": ("leakguard.app", "leakguard.cli", "leakguard.report", "leakguard.sources"),
    "rules": ("leakguard.app", "leakguard.cli", "leakguard.report", "leakguard.sources",
              "leakguard.findings", "leakguard.policy"),
    "sources": ("leakguard.app", "leakguard.cli", "leakguard.report", "leakguard.findings"),
    "findings": ("leakguard.app", "leakguard.cli", "leakguard.report", "leakguard.sources"),
    "filters": ("leakguard.app", "leakguard.cli", "leakguard.report", "leakguard.sources"),
    "app": ("leakguard.cli",),
}
#: Allowed exceptions: model imports nothing but the standard library; errors likewise.
ALLOWED_SELF = {"model": (), "errors": ()}


def modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).with_suffix("")
        parts = [p for p in rel.parts if p != "__init__"]
        found.append((".".join(parts), path))
    return found


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize(("name", "path"), modules(), ids=[m[0] or "leakguard" for m in modules()])
def test_module_respects_layering(name: str, path: Path) -> None:
    imported = imports_of(path)
    for library, owners in THIRD_PARTY.items():
        uses = {i for i in imported if i == library or i.startswith(library + ".")}
        if uses:
            assert any(name == o or name.startswith(o + ".") for o in owners), \
                f"{name} imports {library}, which only {owners or 'no module'} may import"
    top = name.split(".")[0]
    for forbidden in FORBIDDEN.get(top, ()):
        bad = {i for i in imported if i.startswith(forbidden) or i == forbidden.rstrip(".")}
        assert not bad, f"{name} imports {sorted(bad)} against the data flow"
