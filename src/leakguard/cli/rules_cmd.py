"""``leakguard rules``: list, show, test and validate rule packs."""

from __future__ import annotations

import json
import sys
from collections import Counter
from enum import Enum
from pathlib import Path

import typer
from rich.table import Table
from rich.text import Text

from leakguard.cli.boundary import guarded
from leakguard.cli.output import stderr_console, stdout_console
from leakguard.errors import ExitCode, UsageError
from leakguard.model import Category, Level
from leakguard.report.table import level_text
from leakguard.rules.loader import compile_specs, load_ruleset, read_specs
from leakguard.rules.rule import Rule, RuleSet
from leakguard.rules.selftest import test_rules

#: How ``read_specs`` names the shipped packs' files (``rules/credentials/aws.yaml``).
SHIPPED_PREFIX = "rules/"

rules_app = typer.Typer(
    help="List, show, test and validate rules.\n\nExample: leakguard rules list --category pii",
    no_args_is_help=True,
)


class ListFormat(str, Enum):
    TABLE = "table"
    JSON = "json"


def register(app: typer.Typer) -> None:
    app.add_typer(rules_app, name="rules")


def _ruleset(rules: list[Path] | None, no_default_rules: bool) -> RuleSet:
    return load_ruleset(tuple(rules or ()), use_default=not no_default_rules)


def pack_of(rule: Rule) -> str:
    """The pack a rule comes from: ``credentials/generic`` for a shipped file, else its path."""
    source = rule.spec.source
    if source.startswith(SHIPPED_PREFIX):
        return source.removeprefix(SHIPPED_PREFIX).rsplit(".", 1)[0]
    return source


def _rule_dict(rule: Rule) -> dict:
    spec = rule.spec
    return {
        "id": spec.id, "name": spec.name, "pack": pack_of(rule), "category": str(spec.category),
        "level": str(spec.level), "confidence": str(spec.confidence), "generic": spec.generic,
        "keywords": list(spec.keywords), "source": spec.source, "line": spec.line,
        "description": spec.description,
    }


def _summary(selected: list[Rule], output_format: ListFormat) -> None:
    counts = Counter(pack_of(rule) for rule in selected)
    if output_format is ListFormat.JSON:
        json.dump({"total": len(selected), "packs": dict(sorted(counts.items()))}, sys.stdout,
                  indent=2)
        sys.stdout.write("\n")
        return
    table = Table(title=f"{len(selected)} rules in {len(counts)} packs", title_justify="left")
    table.add_column("Pack")
    table.add_column("Rules", justify="right")
    for pack, count in sorted(counts.items()):
        table.add_row(Text(pack), str(count))
    stdout_console().print(table)


@rules_app.command("list", help="List rules: id, pack, category, level, confidence, keywords.\n\n"
                                "Example: leakguard rules list --pack credentials/generic\n\n"
                                "Example: leakguard rules list --summary --format json")
@guarded
def list_rules(
    output_format: ListFormat = typer.Option(ListFormat.TABLE, "--format", "-f"),
    category: Category | None = typer.Option(None, "--category", help="Only this category."),
    level: Level | None = typer.Option(None, "--level", help="Only this level."),
    pack: str | None = typer.Option(None, "--pack", help="Only packs whose name contains this text "
                                                         "(credentials/generic, aws, ...)."),
    summary: bool = typer.Option(False, "--summary", help="Count the rules of each pack instead."),
    rules: list[Path] = typer.Option(None, "--rules", "-r", help="Extra rule file or folder."),
    no_default_rules: bool = typer.Option(False, "--no-default-rules"),
) -> None:
    selected = [rule for rule in _ruleset(rules, no_default_rules)
                if (category is None or rule.spec.category is category)
                and (level is None or rule.spec.level is level)
                and (pack is None or pack in pack_of(rule))]
    if summary:
        _summary(selected, output_format)
        return
    if output_format is ListFormat.JSON:
        json.dump([_rule_dict(rule) for rule in selected], sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    table = Table(title=f"{len(selected)} rules", title_justify="left")
    for column in ("ID", "Pack", "Category", "Level", "Confidence", "Keywords"):
        table.add_column(column, overflow="fold")
    for rule in selected:
        spec = rule.spec
        table.add_row(Text(spec.id), Text(pack_of(rule)), Text(str(spec.category)),
                      level_text(spec.level), Text(str(spec.confidence)),
                      Text(", ".join(spec.keywords)))
    stdout_console().print(table)


@rules_app.command("show", help="Show one rule in full.\n\nExample: leakguard rules show aws.access-key-id")
@guarded
def show_rule(
    rule_id: str = typer.Argument(..., metavar="ID"),
    rules: list[Path] = typer.Option(None, "--rules", "-r", help="Extra rule file or folder."),
    no_default_rules: bool = typer.Option(False, "--no-default-rules"),
) -> None:
    ruleset = _ruleset(rules, no_default_rules)
    rule = ruleset.get(rule_id)
    if rule is None:
        raise UsageError(f"no rule with id {rule_id!r} (see `leakguard rules list`)")
    spec = rule.spec
    console = stdout_console()
    console.print(Text(f"{spec.id}: {spec.name}", style="bold"))
    rows = [
        ("defined at", f"{spec.source}:{spec.line}"), ("pack", pack_of(rule)),
        ("generic", "yes (a specific rule's hit on the same secret wins)" if spec.generic else ""),
        ("category", str(spec.category)), ("level", str(spec.level)),
        ("confidence", str(spec.confidence)), ("description", spec.description),
        ("pattern", spec.pattern), ("secret group", str(rule.secret_group)),
        ("keywords", ", ".join(spec.keywords)),
        ("min entropy", str(spec.min_entropy) if spec.min_entropy else ""),
        ("paths", " ".join([*spec.paths_include, *(f"!{p}" for p in spec.paths_exclude)])),
        ("validators", ", ".join(f"{v.name} ({v.on_fail})" for v in spec.validators)),
        ("filters", ", ".join(spec.filters)),
        ("context", "; ".join(f"{c.effect} /{c.pattern}/ -{c.before}+{c.after}"
                              for c in spec.context)),
        ("escalate", ", ".join(f">={e.count} -> {e.level}" for e in spec.escalate)),
        ("examples", f"{len(spec.examples)} positive, {len(spec.negative_examples)} negative"),
        ("remediation", spec.remediation), ("references", " ".join(spec.references)),
    ]
    table = Table(show_header=False, box=None)
    table.add_column(style="dim", no_wrap=True)
    table.add_column(overflow="fold")
    for key, value in rows:
        if value:
            table.add_row(key, Text(value))
    console.print(table)


@rules_app.command("test", help="Run every rule's examples and negative examples; exit 1 on any "
                                "miss.\n\nExample: leakguard rules test my-rules.yaml")
@guarded
def test_command(
    files: list[Path] = typer.Argument(None, metavar="FILE",
                                       help="Rule files or folders (default: the shipped packs)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print failures only."),
) -> None:
    ruleset = compile_specs(read_specs(files)) if files else load_ruleset()
    results = test_rules(ruleset)
    console = stdout_console()
    failed = [r for r in results if not r.passed]
    for result in failed:
        for failure in result.failures:
            console.print(Text(f"FAIL {result.source}:{result.line} {result.rule_id}: {failure}",
                               style="red"))
    examples = sum(r.examples + r.negative_examples for r in results)
    if not quiet or failed:
        style = "red" if failed else "green"
        console.print(Text(f"{len(results) - len(failed)}/{len(results)} rules passed "
                           f"({examples} examples).", style=style))
    raise typer.Exit(int(ExitCode.VIOLATIONS if failed else ExitCode.OK))


@rules_app.command("validate", help="Check rule files against the schema without scanning; exit 2 "
                                    "on any error.\n\nExample: leakguard rules validate rules/")
@guarded
def validate_command(
    files: list[Path] = typer.Argument(..., metavar="FILE...", help="Rule files or folders."),
) -> None:
    ruleset = compile_specs(read_specs(files))
    stderr_console().print(Text(f"{len(ruleset)} rules OK.", style="green"))
