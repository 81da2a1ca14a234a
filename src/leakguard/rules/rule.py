"""RuleSpec -> compiled Rule, and the immutable RuleSet a run uses from start to end.

Compiling happens once per run: regexes, path specs, validators and context patterns are
resolved here so that the engine's hot loop only calls methods on ready objects.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from types import MappingProxyType

import regex

from leakguard.errors import ConfigError, ConfigErrors
from leakguard.globs import GlobSet
from leakguard.lazyregex import LazyPattern
from leakguard.model import Level, RuleInfo
from leakguard.rules.schema import CheckSpec, ContextSpec, RuleSpec
from leakguard.validators import FILTERS, VALIDATORS
from leakguard.validators.registry import Check

#: Compile flags for every rule pattern: ``^``/``$`` match at line boundaries, as users scanning
#: files expect (``^password=`` means "a line that starts with").
PATTERN_FLAGS = regex.MULTILINE | regex.V0

#: Bumped when the engine changes what a rule matches, so caches keyed by the ruleset expire.
ENGINE_VERSION = "1"


@dataclass(frozen=True)
class CompiledContext:
    spec: ContextSpec
    regex: regex.Pattern


@dataclass(frozen=True)
class CompiledCheck:
    name: str
    on_fail: str
    func: Check


@dataclass(frozen=True)
class Rule:
    """A rule ready to run. ``spec`` keeps the source form for ``rules show`` and self-tests."""

    spec: RuleSpec
    info: RuleInfo
    regex: regex.Pattern
    secret_group: int | str
    allow_regexes: tuple[regex.Pattern, ...]
    context: tuple[CompiledContext, ...]
    validators: tuple[CompiledCheck, ...]
    filters: tuple[CompiledCheck, ...]
    path_include: GlobSet | None = field(default=None, repr=False)
    path_exclude: GlobSet | None = field(default=None, repr=False)

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def keywords(self) -> tuple[str, ...]:
        return self.spec.keywords

    def applies_to(self, path: str) -> bool:
        """Whether the rule's ``paths`` include/exclude globs let it run on ``path``."""
        if self.path_include is not None and not self.path_include.match_file(path):
            return False
        return not (self.path_exclude is not None and self.path_exclude.match_file(path))

    def level_for(self, secret: str) -> Level:
        """The rule's level, or the ``level_map`` entry for the captured value."""
        if self.spec.level_map:
            lowered = secret.lower()
            for value, level in self.spec.level_map:
                if value == lowered:
                    return level
        return self.spec.level


def _compile_regex(spec: RuleSpec, pattern: str, key: str, flags: int = PATTERN_FLAGS) -> regex.Pattern:
    try:
        return regex.compile(pattern, flags)
    except regex.error as exc:
        where = f" at position {exc.pos}" if getattr(exc, "pos", None) is not None else ""
        raise ConfigError(f"'{key}' does not compile: {exc.msg}{where}", file=spec.source,
                          line=spec.line_of(key), rule_id=spec.id) from None


def _declared_group(pattern: str, name: str) -> bool:
    """Whether ``pattern`` declares the named group, without compiling it (shipped rules only)."""
    return _group_declaration(name).search(pattern) is not None


@functools.cache
def _group_declaration(name: str) -> regex.Pattern:
    # Compiled once: ``regex.search`` looks its cache up at a cost that 462 rules notice.
    return regex.compile(rf"(?<!\\)\(\?P?<{name}>")


def _resolve_secret_group(spec: RuleSpec, compiled: regex.Pattern) -> int | str:
    group = spec.secret_group
    if group is None:
        return "secret" if "secret" in compiled.groupindex else 0
    if isinstance(group, str):
        if group not in compiled.groupindex:
            raise ConfigError(f"'secret_group' names group {group!r}, which the pattern lacks",
                              file=spec.source, line=spec.line_of("secret_group"), rule_id=spec.id)
        return group
    if group > compiled.groups:
        raise ConfigError(
            f"'secret_group' is {group} but the pattern has {compiled.groups} group(s)",
            file=spec.source, line=spec.line_of("secret_group"), rule_id=spec.id)
    return group


def _resolve_checks(spec: RuleSpec, checks: Iterable[CheckSpec], registry: Mapping[str, Check],
                    key: str) -> tuple[CompiledCheck, ...]:
    result = []
    for check in checks:
        func = registry.get(check.name)
        if func is None:
            known = ", ".join(sorted(registry)) or "none"
            raise ConfigError(f"unknown {key[:-1]} {check.name!r} (known: {known})",
                              file=spec.source, line=spec.line_of(key), rule_id=spec.id)
        result.append(CompiledCheck(check.name, check.on_fail, func))
    return tuple(result)


def _pathspec(patterns: tuple[str, ...], lazy: bool) -> GlobSet | None:
    return GlobSet(patterns, lazy=lazy) if patterns else None


def compile_rule(spec: RuleSpec, *, lazy: bool = False) -> Rule:
    """Compile one spec; errors name the rule's file, line and id.

    ``lazy`` leaves the regular expressions and path globs to be compiled on first use
    (``LazyPattern``, ``GlobSet``): for the shipped packs, whose patterns are known to compile.
    """
    if lazy:
        compiled: regex.Pattern = LazyPattern(spec.pattern, PATTERN_FLAGS)  # type: ignore[assignment]
        group = spec.secret_group if spec.secret_group is not None else \
            "secret" if _declared_group(spec.pattern, "secret") else 0
        allow = tuple(LazyPattern(p, regex.V0) for p in spec.allow_regexes)
        context = tuple(CompiledContext(c, LazyPattern(c.pattern, regex.V0))  # type: ignore[arg-type]
                        for c in spec.context)
    else:
        compiled = _compile_regex(spec, spec.pattern, "pattern")
        group = _resolve_secret_group(spec, compiled)
        allow = tuple(_compile_regex(spec, p, "allow", regex.V0) for p in spec.allow_regexes)
        context = tuple(CompiledContext(c, _compile_regex(spec, c.pattern, "context", regex.V0))
                        for c in spec.context)
    return Rule(
        spec=spec,
        info=RuleInfo(
            id=spec.id, name=spec.name, description=spec.description, category=spec.category,
            level=spec.level, confidence=spec.confidence, remediation=spec.remediation,
            references=spec.references, tags=spec.tags,
        ),
        regex=compiled,
        secret_group=group,
        allow_regexes=allow,  # type: ignore[arg-type]
        context=context,
        validators=_resolve_checks(spec, spec.validators, VALIDATORS, "validators"),
        filters=_resolve_checks(spec, (CheckSpec(n) for n in spec.filters), FILTERS, "filters"),
        path_include=_pathspec(spec.paths_include, lazy),
        path_exclude=_pathspec(spec.paths_exclude, lazy),
    )


_UNSTABLE = frozenset({"source", "line", "field_lines", "examples", "negative_examples"})


def plain_value(value: object) -> object:
    """``dataclasses.asdict`` for what a spec holds, without its deep copies (the same JSON)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain_value(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (tuple, list)):
        return [plain_value(item) for item in value]
    if isinstance(value, dict):
        return {key: plain_value(item) for key, item in value.items()}
    return value


def _spec_digest_source(spec: RuleSpec) -> dict:
    return {f.name: plain_value(getattr(spec, f.name)) for f in fields(spec)
            if f.name not in _UNSTABLE}


def _digest_json(plain: Mapping[str, object]) -> bytes:
    return json.dumps({key: value for key, value in plain.items() if key not in _UNSTABLE},
                      sort_keys=True, default=str).encode()


#: Per-spec digests already computed (specs are immutable; the spec is kept to pin its id).
_SPEC_DIGESTS: dict[int, tuple[RuleSpec, bytes]] = {}


def spec_digest(spec: RuleSpec) -> bytes:
    """The JSON that the ruleset fingerprint hashes for one rule."""
    known = _SPEC_DIGESTS.get(id(spec))
    if known is not None and known[0] is spec:
        return known[1]
    encoded = _digest_json(_spec_digest_source(spec))
    _SPEC_DIGESTS[id(spec)] = (spec, encoded)
    return encoded


def remember_digest(spec: RuleSpec, plain: Mapping[str, object] | bytes) -> None:
    """Record the spec's digest from its plain form (``plain_value(spec)``, as a cache or a
    pickle carries it) or from the digest itself, sparing ``spec_digest`` the walk."""
    encoded = plain if isinstance(plain, bytes) else _digest_json(plain)
    _SPEC_DIGESTS[id(spec)] = (spec, encoded)


class RuleSet:
    """An immutable, ordered collection of compiled rules with a content fingerprint.

    The fingerprint changes exactly when what the rules match could change, so caches of scan
    results keyed by it never serve stale matches.
    """

    def __init__(self, rules: Iterable[Rule]) -> None:
        ordered = tuple(rules)
        by_id: dict[str, Rule] = {}
        errors = []
        for rule in ordered:
            if rule.id in by_id:
                first = by_id[rule.id].spec
                errors.append(ConfigError(
                    f"duplicate rule id (first defined at {first.source}:{first.line})",
                    file=rule.spec.source, line=rule.spec.line, rule_id=rule.id))
            else:
                by_id[rule.id] = rule
        if errors:
            raise ConfigErrors(errors)
        self._rules = ordered
        self._by_id = MappingProxyType(by_id)
        digest = hashlib.sha256(ENGINE_VERSION.encode())
        for rule in ordered:
            digest.update(spec_digest(rule.spec))
        self.fingerprint = digest.hexdigest()

    def __reduce__(self) -> tuple[Callable[..., RuleSet], tuple[object, ...]]:
        """Pickle as the rule specs: worker processes (any multiprocessing start method)
        recompile them, since compiled patterns and check functions do not travel."""
        specs = tuple(rule.spec for rule in self._rules)
        return _ruleset_from_specs, (specs, tuple(spec_digest(spec) for spec in specs))

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules)

    def __len__(self) -> int:
        return len(self._rules)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._by_id

    def get(self, rule_id: str) -> Rule | None:
        return self._by_id.get(rule_id)

    def __getitem__(self, rule_id: str) -> Rule:
        return self._by_id[rule_id]

    @property
    def infos(self) -> dict[str, RuleInfo]:
        return {rule.id: rule.info for rule in self._rules}

    def without(self, rule_ids: Iterable[str]) -> RuleSet:
        drop = set(rule_ids)
        return RuleSet(rule for rule in self._rules if rule.id not in drop)

    def only(self, rule_ids: Iterable[str]) -> RuleSet:
        keep = set(rule_ids)
        return RuleSet(rule for rule in self._rules if rule.id in keep)


def _ruleset_from_specs(specs: tuple[RuleSpec, ...], digests: tuple[bytes, ...] = ()) -> RuleSet:
    # Every spec compiled in the process that pickled the set (or is a shipped one): a worker
    # compiles patterns as it needs them, and takes the digests it was sent.
    for spec, encoded in zip(specs, digests, strict=False):
        remember_digest(spec, encoded)
    return RuleSet(compile_rule(spec, lazy=True) for spec in specs)
