"""Find and load rule files: the shipped packs and users' own files or folders.

The packs live in the top-level ``rules/`` folder of the source tree and ship inside the wheel as
``leakguard/packs``; an editable checkout has no ``packs`` folder, so the checkout's ``rules/`` is
used instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

from leakguard.errors import ConfigError, ConfigErrors
from leakguard.rules.rule import Rule, RuleSet, compile_rule
from leakguard.rules.schema import RuleSpec, read_rule_file
from leakguard.rules.speccache import cached_specs
from leakguard.userdirs import user_cache_dir
from leakguard.yamlfile import load_yaml

RULE_SUFFIXES = (".yaml", ".yml")


def shipped_pack_root() -> Path:
    """The folder holding the shipped YAML packs, installed or in a checkout."""
    installed = Path(str(resources.files("leakguard"))) / "packs"
    if installed.is_dir():
        return installed
    checkout = Path(__file__).resolve().parents[3] / "rules"
    if checkout.is_dir():
        return checkout
    raise ConfigError(f"the shipped rule packs are missing (looked in {installed} and {checkout})")


def _rule_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in RULE_SUFFIXES and p.is_file())
    if path.is_file():
        return [path]
    raise ConfigError("no such rule file or folder", file=str(path))


def _display(path: Path, root: Path | None, prefix: str) -> str:
    if root is not None:
        try:
            return f"{prefix}{path.relative_to(root).as_posix()}"
        except ValueError:
            pass
    return str(path)


def _named_files(paths: Iterable[Path], shipped: bool) -> list[tuple[str, Path]]:
    """Every rule file under ``paths`` with the name its errors and findings give it."""
    return [(_display(file, root if root.is_dir() else None,
                      "rules/" if shipped else (f"{root}/" if root.is_dir() else "")), file)
            for root in paths for file in _rule_files(root)]


def read_specs(paths: Iterable[Path], *, shipped: bool = False) -> list[RuleSpec]:
    """Parse and schema-check every rule file under ``paths``; collect all errors before raising."""
    return _parse_files(_named_files(paths, shipped))


def _parse_files(files: Iterable[tuple[str, Path]]) -> list[RuleSpec]:
    specs: list[RuleSpec] = []
    errors: list[ConfigError] = []
    for name, file in files:
        try:
            specs.extend(read_rule_file(load_yaml(file, name), name))
        except ConfigErrors as exc:
            errors.extend(exc.errors)
        except ConfigError as exc:
            errors.append(exc)
    if errors:
        raise ConfigErrors(errors)
    return specs


def shipped_specs(*, cache: bool = True) -> list[RuleSpec]:
    """The shipped packs' specs, parsed once per version of the packs (``speccache``)."""
    files = _named_files([shipped_pack_root()], True)
    return cached_specs(files, lambda: _parse_files(files),
                        user_cache_dir() / "engines" if cache else None)


def compile_specs(specs: Iterable[RuleSpec], *, lazy: bool = False) -> RuleSet:
    """Compile enabled specs into a RuleSet, reporting every bad regex and duplicate id at once.

    ``lazy`` (the shipped packs only) compiles each pattern on first use instead.
    """
    rules: list[Rule] = []
    errors: list[ConfigError] = []
    for spec in specs:
        if not spec.enabled:
            continue
        try:
            rules.append(compile_rule(spec, lazy=lazy))
        except ConfigError as exc:
            errors.append(exc)
    if errors:
        raise ConfigErrors(errors)
    return RuleSet(rules)


def load_ruleset(
    extra: Sequence[Path] = (), *, use_default: bool = True, disable: Iterable[str] = (),
) -> RuleSet:
    """The run's rules: shipped packs (unless disabled) plus user files, minus disabled ids.

    Shipped patterns are compiled on first use (most never run on a given chunk); users'
    patterns at once, so that a bad one fails here with its file, line and rule.
    """
    shipped = shipped_specs() if use_default else []
    user = compile_specs(read_specs(extra))
    ruleset = RuleSet([*compile_specs(shipped, lazy=True), *user])
    disabled = set(disable)
    return ruleset.without(disabled) if disabled else ruleset
