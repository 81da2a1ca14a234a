"""Inline ``leakguard:allow`` directives in six comment syntaxes, end to end and in SARIF."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leakguard.engine.lines import parse_directive
from leakguard.model import InlineAllow
from tests import fakes
from tests.conftest import write_tree
from tests.report.test_sarif import validate_sarif

RULE = "github.pat-classic"

#: syntax -> (extension, code holding the secret, comment opener, comment closer)
SYNTAXES = {
    "python": ("py", 'TOKEN = "{secret}"', "#", ""),
    "yaml": ("yaml", "token: {secret}", "#", ""),
    "js": ("js", 'const token = "{secret}";', "//", ""),
    "js-block": ("js", 'const token = "{secret}";', "/*", "*/"),
    "shell": ("sh", "export GITHUB_TOKEN={secret}", "#", ""),
    "sql": ("sql", "INSERT INTO tokens VALUES ('{secret}');", "--", ""),
    "xml": ("xml", "<token>{secret}</token>", "<!--", "-->"),
}
#: variant -> (directive, expected justification, on the line above?)
VARIANTS = {
    "bare": ("leakguard:allow", "leakguard:allow comment", False),
    "rule-and-reason": (f'leakguard:allow rule={RULE} reason="test fixture, not live"',
                        "test fixture, not live", False),
    "reason-then-rule": (f"leakguard:allow reason='seed data' rule={RULE}", "seed data", False),
    "next-line": ("leakguard:allow-next-line reason=ci-fixture", "ci-fixture", True),
}


def comment(opener: str, closer: str, directive: str, *, tight: bool = False) -> str:
    if tight:  # no spaces around the directive: <!--leakguard:allow-->
        return f"{opener}{directive}{closer}"
    return f"{opener} {directive} {closer}".rstrip()


def build_tree(root: Path) -> dict[str, tuple[str, str]]:
    """One file per (syntax, variant); returns path -> (secret, expected justification)."""
    files, expected = {}, {}
    for seed, (syntax, (ext, code, opener, closer)) in enumerate(SYNTAXES.items()):
        for offset, (variant, (directive, why, above)) in enumerate(VARIANTS.items()):
            secret = fakes.github_pat(f"{syntax}-{variant}")
            line = code.format(secret=secret)
            note = comment(opener, closer, directive)
            body = f"{note}\n{line}\n" if above else f"{line}  {note}\n"
            path = f"{syntax}/{variant}.{ext}"
            files[path] = f"first line {seed}{offset}\n{body}last line\n"
            expected[path] = (secret, why)
    tight = fakes.github_pat("xml-tight")
    files["xml/tight.xml"] = f"<t>{tight}</t><!--leakguard:allow rule={RULE}-->\n"
    expected["xml/tight.xml"] = (tight, "leakguard:allow comment")
    write_tree(root, files)
    return expected


def test_inline_allows_in_every_comment_syntax(cli, tmp_path: Path) -> None:
    expected = build_tree(tmp_path)
    result = cli("scan", str(tmp_path), "--format", "json", "-q")
    assert result.code == 0, result.output
    document = json.loads(result.stdout)
    assert document["findings"] == []
    suppressed = {f["path"]: f for f in document["suppressed"]}
    assert set(suppressed) == set(expected)
    for path, (_, why) in expected.items():
        finding = suppressed[path]
        assert finding["rule_id"] == RULE
        assert finding["suppression"] == {"kind": "inSource", "reason": "inline-allow",
                                          "justification": why}, path
    assert document["summary"]["suppressed_by_reason"] == {"inline-allow": len(expected)}
    assert not any(secret in result.stdout for secret, _ in expected.values())


def test_suppressed_inline_findings_are_listed_and_in_sarif(cli, tmp_path: Path) -> None:
    expected = build_tree(tmp_path)
    table = cli("scan", str(tmp_path), "--show-suppressed")
    assert table.code == 0
    for path in expected:
        assert path in table.stdout
    assert table.stdout.count("suppressed (inline-allow)") == len(expected)
    assert f"Suppressed {len(expected)}: inline-allow {len(expected)}." in table.stderr
    sarif = cli("scan", str(tmp_path), "--format", "sarif", "-q")
    document = json.loads(sarif.stdout)
    validate_sarif(document)
    results = document["runs"][0]["results"]
    assert len(results) == len(expected)
    for entry in results:
        path = entry["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        [suppression] = entry["suppressions"]
        assert suppression["kind"] == "inSource"
        assert suppression["justification"] == f"inline-allow: {expected[path][1]}"


@pytest.mark.parametrize("line", [
    pytest.param('x = "{s}"  # leakguard:allow rule=aws.access-key-id', id="other-rule"),
    pytest.param('x = "{s}"  # leakguard:allow-next-line', id="next-line-on-own-line"),
    pytest.param('x = "{s}"  # leakguard:allowed', id="not-the-keyword"),
    pytest.param('# leakguard:allow-next-line\n\nx = "{s}"', id="two-lines-above"),
    pytest.param('# leakguard:allow\nx = "{s}"', id="allow-on-line-above"),
])
def test_directives_that_do_not_cover_the_finding(cli, tmp_path: Path, line: str) -> None:
    secret = fakes.github_pat("not-covered")
    write_tree(tmp_path, {"app.py": line.format(s=secret) + "\n"})
    result = cli("scan", str(tmp_path), "--format", "json", "-q")
    assert result.code == 1
    assert [f["rule_id"] for f in json.loads(result.stdout)["findings"]] == [RULE]


@pytest.mark.parametrize(("text", "allow"), [
    pytest.param("# leakguard:allow", InlineAllow(), id="bare"),
    pytest.param('// leakguard:allow rule=a.b reason="two words"', InlineAllow("a.b", "two words"),
                 id="rule-reason"),
    pytest.param("-- leakguard:allow reason=one rule=a-b_c.d", InlineAllow("a-b_c.d", "one"),
                 id="reason-first"),
    pytest.param("<!--leakguard:allow rule=x.y-z-->", InlineAllow("x.y-z"), id="xml-tight"),
    pytest.param("/* leakguard:allow reason=fixture*/", InlineAllow(None, "fixture"),
                 id="c-block-tight"),
    pytest.param("{{!-- leakguard:allow rule=t.k--}}", InlineAllow("t.k"), id="handlebars"),
    pytest.param("# leakguard:allow, rotated last week", InlineAllow(), id="free-text-after"),
    pytest.param("# leakguard:allowance", None, id="longer-word"),
    pytest.param("# leakguard:allow-next-line", None, id="next-line-is-not-same-line"),
])
def test_parse_directive(text: str, allow: InlineAllow | None) -> None:
    assert parse_directive(text, next_line=False) == allow
