"""The baseline file: deterministic serialisation and strict validation naming file and entry."""

from __future__ import annotations

import json

import pytest

from leakguard.baseline_file import (
    Baseline,
    BaselineEntry,
    Label,
    key_check,
    parse_baseline,
    serialise_baseline,
)
from leakguard.errors import ConfigError, ConfigErrors
from leakguard.findings import DEFAULT_HASH_KEY

KEY = key_check(DEFAULT_HASH_KEY)


def entry(n: int, path: str = "src/app.py", **labels) -> BaselineEntry:
    return BaselineEntry(path, "aws.access-key-id", f"{n:032x}", f"{n + 100:032x}", **labels)


def test_serialisation_is_sorted_one_entry_per_line_and_stable() -> None:
    entries = (entry(3, "b.py"), entry(1, "a.py"),
               entry(2, "a.py", label=Label.FALSE_POSITIVE, reason="test value",
                     author="Jane <jane@fake.test>"))
    text = serialise_baseline(Baseline(KEY, entries))
    assert text.endswith("}\n") and not text.endswith("\n\n")
    lines = text.splitlines()
    assert lines[:4] == ["{", '  "version": 1,', f'  "key_check": "{KEY}",', '  "entries": [']
    rows = [json.loads(line.strip().rstrip(",")) for line in lines[4:-2]]
    assert [(r["path"], r["fingerprint"][-1]) for r in rows] == [("a.py", "1"), ("a.py", "2"),
                                                                 ("b.py", "3")]
    assert list(rows[1]) == ["path", "rule_id", "fingerprint", "secret_id", "label", "reason",
                             "author"]
    parsed = parse_baseline(text, "b.json")
    assert parsed == Baseline(KEY, entries)
    assert serialise_baseline(parsed) == text
    reordered = Baseline(KEY, tuple(reversed(entries)))
    assert serialise_baseline(reordered) == text
    assert serialise_baseline(Baseline(KEY)) == (
        f'{{\n  "version": 1,\n  "key_check": "{KEY}",\n  "entries": []\n}}\n')


def test_every_fault_names_the_file_and_the_entry() -> None:
    good = {"path": "a.py", "rule_id": "r.x", "fingerprint": "a" * 32, "secret_id": "b" * 32}
    document = {"version": 1, "key_check": KEY, "extra": True, "entries": [
        good,
        {**good, "fingerprint": "c" * 32, "label": "maybe", "reason": "?"},
        {**good, "fingerprint": "d" * 32, "reason": "no label"},
        {**good, "fingerprint": "e" * 32, "path": "/abs/a.py"},
        {**good, "fingerprint": "F" * 32},
        {"path": "a.py"},
        {**good, "line": 4, "fingerprint": "1" * 32},
        {**good, "rule_id": "other.rule"},
        "not an object",
    ]}
    text = "{\n" + ",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}"
                              for k, v in document.items()) + "\n}\n"
    with pytest.raises(ConfigErrors) as caught:
        parse_baseline(text, "repo/.leakguard-baseline.json")
    messages = str(caught.value)
    for expected in (
        "repo/.leakguard-baseline.json:4: unknown key 'extra'",
        f"entry 2 ({'c' * 32}): 'label' must be one of true-positive, false-positive, "
        "accepted-risk, not 'maybe'",
        f"entry 3 ({'d' * 32}): 'reason' is only allowed with a 'label'",
        "'path' must be a relative path",
        "'fingerprint' must be 32 lowercase hex digits",
        "entry 6: missing required key 'rule_id'",
        "unknown key 'line'",
        "entry 8 (" + "a" * 32 + "): same fingerprint as entry 1 with different content",
        "entry 9: must be an object, not str",
    ):
        assert expected in messages, expected
    for line in messages.splitlines():
        assert line.startswith("repo/.leakguard-baseline.json")


@pytest.mark.parametrize(("text", "fault"), [
    pytest.param('{"version": 2, "key_check": "' + KEY + '", "entries": []}',
                 "unsupported 'version' 2", id="future-version"),
    pytest.param('{"version": 1, "entries": []}', "'key_check' must be", id="no-key-check"),
    pytest.param('{"version": 1,\n "key_check": "' + KEY + '",\n "entries": [,]}',
                 "b.json:3: not valid JSON", id="bad-json"),
    pytest.param("[]", "must be a JSON object", id="not-an-object"),
    pytest.param('{"version": 1, "key_check": "' + KEY + '", "entries": {}}',
                 "'entries' must be a list", id="entries-not-a-list"),
])
def test_document_level_faults(text: str, fault: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_baseline(text, "b.json")
    assert fault in str(caught.value)


def test_identical_duplicates_from_a_union_merge_are_tolerated() -> None:
    row = json.dumps({"path": "a.py", "rule_id": "r", "fingerprint": "a" * 32,
                      "secret_id": "b" * 32})
    text = f'{{"version": 1, "key_check": "{KEY}", "entries": [{row}, {row}]}}'
    assert len(parse_baseline(text, "b.json").entries) == 1
