"""GlobSet must answer exactly as pathspec's GitIgnoreSpec does, only faster."""

from __future__ import annotations

import itertools

import pytest

from leakguard.globs import GlobSet, gitignore_spec
from leakguard.rules.loader import load_ruleset

PATHS = [
    "a.csv", "data/a.csv", "data/a.csv/inner.txt", "x.CSV", "notes.md", "docs/notes.markdown",
    "inventory/prod.ini", "ops/inventory/hosts", "ops/inventories/x/y", "hosts", "etc/hosts.prod",
    "hostsfile", "AUTHORS", "docs/AUTHORS.md", ".mailmap", "a/.mailmap", "main.tf", "infra/vars.tfvars",
    "src/app.py", "deep/er/path/file.json", "file.jsonl", "x/ssh_config", "ssh_config.bak",
    "dir.csv/file", "./lead.csv", "weird name.txt", "ünïcode/ファイル.md", "a/b/c/d/e.sql", "MAINTAINERS",
]


def _shipped_globs() -> list[tuple[str, ...]]:
    rules = load_ruleset()
    found = {r.spec.paths_include for r in rules if r.spec.paths_include}
    found |= {r.spec.paths_exclude for r in rules if r.spec.paths_exclude}
    return sorted(found)


@pytest.mark.parametrize("globs", [
    *_shipped_globs(),
    ("*.csv", "!skip.csv"),  # a negation: pathspec decides
    ("/rooted.txt", "dir/", "**/deep/**", "a?c.md", "[ab].txt"),
    ("# a comment", "", "*.log"),
])
def test_globset_answers_as_pathspec_does(globs: tuple[str, ...]) -> None:
    reference = gitignore_spec(globs)
    fast = GlobSet(globs)
    extra = [f"{a}/{b}" for a, b in itertools.product(["x", "deep", "dir"], ["rooted.txt", "abc.md",
                                                                           "a.txt", "skip.csv"])]
    for path in [*PATHS, *extra, "rooted.txt", "skip.csv", "dir/x", "abc.md", "a.txt", "app.log"]:
        assert fast.match_file(path) == reference.match_file(path), (globs, path)


def test_globs_without_negations_are_joined_into_one_expression() -> None:
    assert GlobSet(["*.csv", "**/inventory/**"])._joined is not None
    assert GlobSet(["*.csv", "!a.csv"])._joined is None


def test_path_scopes_rule_out_exactly_what_each_rule_would() -> None:
    from leakguard.rules.scopes import PathScopes

    rules = list(load_ruleset())
    scopes = PathScopes((rule.id, rule) for rule in rules)
    assert len(scopes.scoped) > 10
    paths = [*PATHS, "exports/customers.csv", "docs/design.md", "deploy/kubeconfig.yaml",
             "inventory/AUTHORS", "src/config/application.properties", "main.tf/x"]
    for path in paths:
        expected = tuple(r.id for r in rules if (r.path_include or r.path_exclude)
                         and not r.applies_to(path))
        assert scopes.excluded(path) == expected, path


GITIGNORES = [
    ["*.pyc", "__pycache__/", "/build/", "dist", "*.egg-info/", "!keep.pyc", "docs/_build/**",
     "# comment", "", "\\#literal", "a/**/b", "*.sw[op]", "!/build/keep/"],
    ["*", "!*/", "!*.py"],  # ignore all but Python files: negations decide most paths
    ["!not-ignored.txt"],   # only a negation: nothing is ever ignored
]


@pytest.mark.parametrize("lines", GITIGNORES)
def test_an_ignore_file_gives_pathspecs_verdict_for_every_path(lines: list[str]) -> None:
    from leakguard.globs import GitignoreFile

    reference = gitignore_spec(lines)
    fast = GitignoreFile(lines)
    paths = [*PATHS, "x.pyc", "keep.pyc", "a/keep.pyc", "__pycache__/", "src/__pycache__/",
             "build/", "build/keep/", "sub/build/", "dist", "dist/", "pkg/dist/x", "p.egg-info/",
             "docs/_build/html/x", "a/b", "a/x/y/b", "#literal", "f.swp", "f.swo", "f.swx",
             "not-ignored.txt", "m.py", "dir/", "dir/m.py", "dir/m.txt"]
    for path in paths:
        assert fast.verdict(path) == reference.check_file(path).include, (lines, path)


def test_shipped_rules_compile_their_globs_only_when_asked() -> None:
    """The shipped packs' globs are known to parse: they are compiled on first use, and a
    pickled rule (a worker's copy) carries only the lines."""
    import pickle

    rules = [r for r in load_ruleset() if r.path_include is not None or r.path_exclude is not None]
    assert rules
    sets = [g for r in rules for g in (r.path_include, r.path_exclude) if g is not None]
    assert all(g._compiled is None for g in sets)
    for glob in sets:
        copy = pickle.loads(pickle.dumps(glob))
        assert copy._compiled is None and copy.lines == glob.lines
        eager = GlobSet(glob.lines)
        assert eager._compiled is not None
        for path in PATHS:
            assert copy.match_file(path) == glob.match_file(path) == eager.match_file(path)
        assert glob._compiled is not None


#: Path parts that the shipped globs and the cases below care about, to build paths from.
_PARTS = ["a", "b", "config", "master.key", ".m2", "x.xml", "vars", "defaults", "group_vars",
          "inventory", "hosts", "hosts.ini", "AUTHORS", "AUTHORS.md", ".env", ".env.local",
          "x.env", "foo.tf", "Makefile", "x.mk", "Dockerfile", "Dockerfile.dev", "credentials",
          ".config", "git", "my.ini", ".my.cnf", "a.csv", "b.txt", "settings.xml", ".pypirc",
          "x.tfvars.json", "wg0.conf", ".ssh", "ssh_config", "c.yml", "y.yaml", "z.sh",
          "notes.md", "deep", "rooted.txt", "abc.md", "a|b", "x\\y", "[ab].txt", "_build"]


def _random_paths(count: int, seed: int) -> list[str]:
    import random

    chooser = random.Random(seed)
    return ["/".join(chooser.choice(_PARTS) for _ in range(chooser.randint(1, 5)))
            for _ in range(count)]


@pytest.mark.parametrize("side", ["include", "exclude"])
def test_the_union_of_every_shipped_glob_answers_as_pathspec_does(side: str) -> None:
    """``PathScopes`` asks one factored expression made of every scoped rule's globs; on
    thousands of paths it must agree with pathspec, glob by glob."""
    rules = list(load_ruleset())
    lines = [line for r in rules
             for line in (r.spec.paths_include if side == "include" else r.spec.paths_exclude)]
    assert len(lines) > 20
    union = GlobSet(lines)
    assert union.joined
    references = [gitignore_spec([line]) for line in lines]
    hits = 0
    for path in [*PATHS, *_random_paths(3000, seed=7)]:
        expected = any(reference.match_file(path) for reference in references)
        assert union.match_file(path) == expected, path
        hits += expected
    assert hits > 300  # the paths exercise the globs, not only their misses


def test_factoring_keeps_whole_what_it_cannot_split_safely() -> None:
    import re

    from leakguard.globs import _factored, _has_top_level_bar

    assert _has_top_level_bar("a|b") and _has_top_level_bar("(?:x)|y") and _has_top_level_bar("\\\\|x")
    for closed in ("(a|b)", "[|]", "[]|]", "[^]|]x", "\\|", "[a\\]|]"):
        assert not _has_top_level_bar(closed), closed
    awkward = ["^(?:.+/)?a|b", "^(?:.+/)?*x", "^(?:.+/)?[^/]*?x(?:(?:/)|$)",
               "^(?:.+/)?x\\\\(?:(?:/)|$)", "^root(?:(?:/)|$)", "^(?:.+/)?dir/", "."]
    for expressions in (awkward[:1], awkward[2:], ["^(?:.+/)?[^/]*\\.md(?:(?:/)|$)", *awkward[4:]]):
        valid = [e for e in expressions if _compiles(e)]
        joined = re.compile("|".join(f"(?:{e})" for e in valid))
        factored = re.compile(_factored(valid))
        for path in [*PATHS, *_random_paths(500, seed=3), "xa", "b", "x(", "dir/x", "root"]:
            assert bool(joined.match(path)) == bool(factored.match(path)), (expressions, path)
            assert bool(joined.search(path)) == bool(factored.search(path)), (expressions, path)
    assert "^(?:.+/)?a|b" in _factored(["^(?:.+/)?a|b"])  # kept as it was


def _compiles(expression: str) -> bool:
    import re

    try:
        re.compile(expression)
    except re.error:
        return False
    return True
