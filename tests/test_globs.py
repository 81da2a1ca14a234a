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
