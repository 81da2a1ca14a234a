"""Rules the policy makes: codenames and customers (in clear or hashed), internal domains and
internal networks. They join the shipped packs for the run and report like any other rule.

Ids are stable so baselines and ``disable:`` can name them: ``policy.codename``,
``policy.codename.hashed`` (``.hashed.2w`` ... for hashed names of several words),
``policy.customer`` (and its hashed forms), ``policy.internal-domain``,
``policy.internal-network``.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType

import regex

from leakguard.model import Category, Confidence, Level
from leakguard.rules.rule import CompiledCheck, Rule, RuleSet, compile_rule
from leakguard.rules.schema import ContextSpec, EscalationSpec, RuleSpec
from leakguard.validators.network import parse_address
from leakguard.vocabulary import DictionaryEntry, Vocabulary, name_digest, normalise_name

#: The policy's file name at the scan root (policy.py cannot be imported from rules/).
POLICY_FILE = ".leakguard.yaml"
#: Hashed single words are looked for among tokens of this many word characters.
HASHED_TOKEN = r"\w{3,64}"


@dataclass(frozen=True)
class DictionaryRule(Rule):
    """A rule whose level depends on which dictionary entry matched.

    ``levels`` maps the normalised name (plain entries) or its salted digest (hashed entries)
    to the entry's level; ``salt`` is None for plain entries.
    """

    levels: Mapping[str, Level] = field(default_factory=dict, repr=False)
    salt: str | None = field(default=None, repr=False)

    def level_for(self, secret: str) -> Level:
        key = normalise_name(secret) if self.salt is None else name_digest(self.salt, secret)
        return self.levels.get(key, self.spec.level)


def _policy_file_globs(vocabulary: Vocabulary) -> tuple[str, ...]:
    """The policy file lists the vocabulary by design; its own rules do not scan it."""
    globs = [f"/{POLICY_FILE}"]
    source = vocabulary.source
    if source and not source.startswith(("/", "..")) and source != POLICY_FILE:
        globs.append("/" + source.replace("\\", "/").removeprefix("./"))
    return tuple(globs)


def _spec(vocabulary: Vocabulary, key: str, **values: object) -> RuleSpec:
    """A RuleSpec that points at the policy key it came from, for errors and ``rules show``."""
    return RuleSpec(source=vocabulary.source or "policy", line=vocabulary.line_of(key),
                    confidence=Confidence.HIGH, paths_exclude=_policy_file_globs(vocabulary),
                    **values)  # type: ignore[arg-type]


def _fingerprint(*parts: object) -> str:
    """Folded into the spec so the ruleset fingerprint changes when the vocabulary does."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def _with(rule: Rule, cls: type[Rule] = Rule, **changes: object) -> Rule:
    values = {f.name: getattr(rule, f.name) for f in fields(Rule)}
    values.update(changes)
    return cls(**values)


def _plain_rule(kind: str, category: Category, entries: tuple[DictionaryEntry, ...],
                vocabulary: Vocabulary, key: str) -> Rule:
    names = sorted({e.name for e in entries if e.name}, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(regex.escape(w) for w in n.split()) for n in names)
    levels = {e.name: e.level for e in entries if e.name}
    spec = _spec(
        vocabulary, key, id=f"policy.{kind}", name=f"Policy {kind} (listed in {key})",
        description=f"A {kind} listed in the policy's '{key}', as a whole word in any case.",
        category=category, level=max(levels.values()),
        pattern=rf"(?i)(?<!\w)(?P<secret>{alternatives})(?!\w)",
        keywords=tuple(sorted({n.split()[0] for n in names})),
        tags=("policy", _fingerprint(sorted(levels.items()))),
        remediation=f"Names in the policy's '{key}' stay inside the organisation; remove them "
                    "or keep the file where its level is allowed.",
    )
    return _with(compile_rule(spec), DictionaryRule, levels=MappingProxyType(levels))


@dataclass(frozen=True)
class _Hit:
    """The part of a regex match object the matcher reads: where the hit and its secret are."""

    begin: int
    finish: int

    def span(self, _group: object = 0) -> tuple[int, int]:
        return self.begin, self.finish

    def start(self, _group: object = 0) -> int:
        return self.begin

    def end(self, _group: object = 0) -> int:
        return self.finish


class DigestFinder:
    """Stands in for a compiled pattern and finds the words whose salted digest is listed.

    Walking every word through the matcher one by one costs microseconds per word; instead the
    distinct tokens of a text are collected in one C-level pass, each distinct token is hashed
    once (cached across files), and only when one is listed are its occurrences located. A text
    with no listed name costs one ``findall`` and a set.
    """

    groupindex: Mapping[str, int] = MappingProxyType({"secret": 1})
    groups = 1

    def __init__(self, salt: str, digests: frozenset[str], words: int) -> None:
        self.words = words
        self.pattern = HASHED_TOKEN if words == 1 else \
            rf"\w{{1,64}}(?:[ \t]+\w{{1,64}}){{{words - 1}}}"
        self._tokens = regex.compile(rf"(?<!\w){self.pattern}(?!\w)")
        self._listed: Callable[[str], bool] = functools.lru_cache(maxsize=1 << 16)(
            lambda token: name_digest(salt, token) in digests)

    def finditer(self, text: str, timeout: float | None = None) -> Iterator[_Hit]:
        overlapped = self.words > 1
        found = set(self._tokens.findall(text, overlapped=overlapped, timeout=timeout))
        hits = sorted((t for t in found if self._listed(t)), key=len, reverse=True)
        if not hits:
            return iter(())
        locate = regex.compile(r"(?<!\w)(?:" + "|".join(regex.escape(h) for h in hits)
                               + r")(?!\w)")
        return (_Hit(m.start(), m.end())
                for m in locate.finditer(text, overlapped=overlapped, timeout=timeout))


def _hashed_rule(kind: str, category: Category, words: int, entries: list[DictionaryEntry],
                 vocabulary: Vocabulary, key: str) -> Rule:
    assert vocabulary.salt is not None  # the policy parser guarantees it
    levels = {e.sha256: e.level for e in entries if e.sha256}
    finder = DigestFinder(vocabulary.salt, frozenset(levels), words)
    suffix = "" if words == 1 else f".{words}w"
    spec = _spec(
        vocabulary, key, id=f"policy.{kind}.hashed{suffix}",
        name=f"Policy {kind} (hashed, listed in {key})",
        description=f"A {kind} the policy lists only as a salted SHA-256 digest in '{key}'.",
        category=category, level=max(levels.values()),
        pattern=rf"(?<!\w)(?P<secret>{finder.pattern})(?!\w)",  # what `rules show` displays
        tags=("policy", _fingerprint(vocabulary.salt, sorted(levels.items()))),
        remediation=f"Names in the policy's '{key}' stay inside the organisation; remove them "
                    "or keep the file where its level is allowed.",
    )
    return _with(compile_rule(spec), DictionaryRule, regex=finder,
                 levels=MappingProxyType(levels), salt=vocabulary.salt)


def dictionary_rules(kind: str, category: Category, entries: tuple[DictionaryEntry, ...],
                     vocabulary: Vocabulary, key: str) -> list[Rule]:
    """One rule for the plain names, one per word count for the hashed ones."""
    rules = []
    plain = tuple(e for e in entries if not e.hashed)
    if plain:
        rules.append(_plain_rule(kind, category, plain, vocabulary, key))
    by_words: dict[int, list[DictionaryEntry]] = {}
    for entry in entries:
        if entry.hashed:
            by_words.setdefault(entry.words, []).append(entry)
    for words in sorted(by_words):
        rules.append(_hashed_rule(kind, category, words, by_words[words], vocabulary, key))
    return rules


def domain_rule(vocabulary: Vocabulary) -> Rule:
    """Host names under the policy's internal domains (not e-mail addresses: pii.email's job)."""
    domains = sorted(vocabulary.internal_domains, key=len, reverse=True)
    alternatives = "|".join(regex.escape(d) for d in domains)
    spec = _spec(
        vocabulary, "internal_domains", id="policy.internal-domain",
        name="Host under an internal domain (policy)",
        description="A host name under one of the policy's internal_domains.",
        category=Category.INFRASTRUCTURE, level=Level.INTERNAL,
        pattern=rf"(?i)(?<![\w.@-])(?<!(?<!/)/)(?P<secret>(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)*"
                rf"(?:{alternatives}))(?![\w-]|\.[a-z0-9])",
        keywords=tuple(domains),
        escalate=(EscalationSpec(10, Level.CONFIDENTIAL),),
        tags=("policy", _fingerprint(domains)),
        remediation="Keep internal host names in private repositories; they map the network.",
    )
    return compile_rule(spec)


def _network_check(networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]
                   ) -> Callable[[str], bool]:
    def check(value: str) -> bool:
        address = parse_address(value)
        return address is not None and any(
            address in net for net in networks if net.version == address.version)

    return check


def network_rule(vocabulary: Vocabulary) -> Rule:
    """Addresses inside the policy's internal networks, whatever range they are in."""
    networks = tuple(ipaddress.ip_network(n) for n in vocabulary.internal_networks)
    patterns = []
    if any(n.version == 4 for n in networks):
        patterns.append(r"(?<![\w.])(?P<secret>(?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2})?)(?!\.?\d)")
    if any(n.version == 6 for n in networks):
        patterns.append(r"(?i)(?<![\w:])(?P<secret>[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7}"
                        r"(?:/\d{1,3})?)(?![\w:])")
    first_octets = {str(o) for n in networks if n.version == 4
                    for o in range(int(n.network_address) >> 24,
                                   (int(n.broadcast_address) >> 24) + 1)}
    keywords = () if len(first_octets) > 16 or any(n.version == 6 for n in networks) \
        else tuple(sorted(f"{o}." for o in first_octets))
    spec = _spec(
        vocabulary, "internal_networks", id="policy.internal-network",
        name="Address in an internal network (policy)",
        description="An IP address inside one of the policy's internal_networks.",
        category=Category.INFRASTRUCTURE, level=Level.INTERNAL, pattern="|".join(patterns),
        keywords=keywords,
        context=(ContextSpec(r"(?i)\bv(?:ersion)?\b|\brelease\b|changelog", "exclude", 20, 0),),
        escalate=(EscalationSpec(10, Level.CONFIDENTIAL),),
        tags=("policy", _fingerprint(vocabulary.internal_networks)),
        remediation="Keep internal addresses in private repositories; they map the network.",
    )
    check = CompiledCheck("internal_network", "drop", _network_check(networks))
    return _with(compile_rule(spec), validators=(check,))


def policy_rules(vocabulary: Vocabulary) -> list[Rule]:
    """Every rule the vocabulary implies, in a fixed order."""
    rules = [
        *dictionary_rules("codename", Category.BUSINESS, vocabulary.codenames, vocabulary,
                          "codenames"),
        *dictionary_rules("customer", Category.CUSTOMER_DATA, vocabulary.customers, vocabulary,
                          "customers"),
    ]
    if vocabulary.internal_domains:
        rules.append(domain_rule(vocabulary))
    if vocabulary.internal_networks:
        rules.append(network_rule(vocabulary))
    return rules


def with_policy_rules(ruleset: RuleSet, vocabulary: Vocabulary) -> RuleSet:
    """``ruleset`` plus the policy's own rules (the same ruleset when there are none)."""
    if vocabulary.empty:
        return ruleset
    return RuleSet([*ruleset, *policy_rules(vocabulary)])
