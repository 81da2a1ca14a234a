"""Kubernetes Secret data is decoded into derived chunks that every rule scans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leakguard.app import ScanRequest, run_scan
from leakguard.model import Chunk, Origin, OriginKind
from leakguard.sources.content import content_items
from leakguard.sources.decoders import decode_value, derived_chunks, secret_data_values
from tests.conftest import write_tree
from tests.corpus.recall.gen import ALNUM, b64, rand

DB_PASSWORD = "FAKE-" + rand(ALNUM, 16, "decoder-db")
DB_URL = f"postgres://app:{DB_PASSWORD}@db.prod.fake.internal:5432/app"
TOKEN = "FAKE-" + rand(ALNUM, 20, "decoder-token")


def manifest(data: str, kind: str = "Secret") -> str:
    return f"apiVersion: v1\nkind: {kind}\nmetadata:\n  name: app\ntype: Opaque\ndata:\n{data}"


def chunk(text: str, lines: frozenset[int] | None = None) -> Chunk:
    return Chunk(Origin("k8s/secret.yaml", OriginKind.BLOB, "abc123"), text, len(text), lines)


def test_each_data_value_becomes_a_chunk_with_its_location() -> None:
    text = manifest(f"  DATABASE_URL: {b64(DB_URL)}\n  API_TOKEN: \"{b64(TOKEN)}\"\n")
    derived = list(derived_chunks(chunk(text)))
    assert [(c.origin.location, c.text) for c in derived] == [
        ("data.DATABASE_URL (base64-decoded)", DB_URL),
        ("data.API_TOKEN (base64-decoded)", TOKEN),
    ]
    assert {(c.origin.path, c.origin.kind, c.origin.blob_id) for c in derived} == {
        ("k8s/secret.yaml", OriginKind.BLOB, "abc123")}
    assert derived[0].size == len(DB_URL)


@pytest.mark.parametrize("text", [
    pytest.param(manifest(f"  url: {b64(DB_URL)}\n", kind="ConfigMap"), id="configmap"),
    pytest.param("kind: Secret\nmetadata:\n  name: app\nstringData:\n  url: plain\n", id="no-data"),
    pytest.param(manifest("  url: not*base64*\n"), id="not-base64"),
    pytest.param(manifest("  blob: " + b64(bytes(range(40))) + "\n"), id="binary-value"),
    pytest.param(manifest("  empty: \"\"\n"), id="empty-value"),
    pytest.param("# a Secret holds data: but this file is prose\n", id="prose"),
])
def test_nothing_is_derived_from_what_is_not_secret_data(text: str) -> None:
    assert list(derived_chunks(chunk(text))) == []


def test_multi_document_files_block_scalars_and_comments() -> None:
    text = (
        manifest(f"  one: {b64('first')}\n")
        + "---\n"
        + manifest(f"  # a comment\n  two: |\n    {b64(DB_URL)[:20]}\n    {b64(DB_URL)[20:]}\n"
                   f"  three: {b64('third')}  # trailing comment\n", kind="ConfigMap")
        + "---\n"
        + manifest(f"  two: |-\n    {b64(DB_URL)[:20]}\n    {b64(DB_URL)[20:]}\n"
                   f"  three: '{b64('third')}'\nimmutable: true\n")
    )
    values = secret_data_values(text)
    assert [(v.key, decode_value(v.encoded)) for v in values] == [
        ("one", "first"), ("two", DB_URL), ("three", "third")]
    assert [text.splitlines()[v.line - 1].strip().split(":")[0] for v in values] == [
        "one", "two", "three"]


def test_json_manifests_and_lists() -> None:
    secret = {"apiVersion": "v1", "kind": "Secret", "data": {"url": b64(DB_URL)}}
    listing = {"kind": "List", "items": [{"kind": "ConfigMap", "data": {"x": b64("no")}}, secret]}
    for document in (secret, listing):
        text = json.dumps(document, indent=2)
        [derived] = derived_chunks(chunk(text))
        assert (derived.origin.location, derived.text) == ("data.url (base64-decoded)", DB_URL)


def test_a_diff_reports_only_values_on_added_lines() -> None:
    text = manifest(f"  a: {b64('alpha')}\n  b: {b64('bravo')}\n")
    line_of_b = text.splitlines().index(f"  b: {b64('bravo')}") + 1
    derived = list(derived_chunks(chunk(text, frozenset({line_of_b}))))
    assert [c.text for c in derived] == ["bravo"]


def test_content_items_yields_the_file_then_its_decoded_values() -> None:
    text = manifest(f"  url: {b64(DB_URL)}\n")
    items = list(content_items(Origin("secret.yaml"), text.encode()))
    assert [(i.origin.location, i.text) for i in items] == [
        (None, text), ("data.url (base64-decoded)", DB_URL)]


def test_a_scan_finds_secrets_inside_secret_data(tmp_path: Path) -> None:
    text = manifest(f"  DATABASE_URL: {b64(DB_URL)}\n")
    write_tree(tmp_path, {"deploy/secret.yaml": text})
    report = run_scan(ScanRequest(targets=(str(tmp_path),), show_secrets=True))
    found = {(f.rule_id, f.location, f.secret) for f in report.findings}
    assert ("db.postgres-url", "data.DATABASE_URL (base64-decoded)", DB_PASSWORD) in found
    assert ("kubernetes.secret-data", None, b64(DB_URL)) in found


def test_the_multipattern_scan_tells_the_decoder_whether_a_chunk_holds_secret() -> None:
    """With Hyperscan the decoder asks the engine (which scanned the chunk already) instead of
    searching the text again; the answers and the findings equal the regex engine's."""
    pytest.importorskip("hyperscan")
    from leakguard.app.work import WorkItem, scan_content
    from leakguard.engine.selection import EngineChoice, build_matcher
    from leakguard.rules.loader import load_ruleset

    ruleset = load_ruleset()
    fast, _ = build_matcher(ruleset, engine=EngineChoice.HYPERSCAN)
    plain, _ = build_matcher(ruleset, engine=EngineChoice.REGEX)
    holding = chunk(manifest(f"  DATABASE_URL: {b64(DB_URL)}\n"))
    other = chunk("kind: ConfigMap\ndata:\n  x: y\n")
    fast.scan(holding)
    assert fast.may_hold(holding, "Secret") is True
    assert fast.may_hold(other, "Secret") is None  # not the chunk just scanned: unknown
    fast.scan(other)
    assert fast.may_hold(other, "Secret") is False
    assert plain.may_hold(other, "Secret") is None  # the regex engine never knows
    data = holding.text.encode()
    item = WorkItem(0, holding.origin, "abc123", "abc123", len(data))
    found = {(m.rule_id, m.origin.location) for m in scan_content(item, data, fast).matches}
    assert found == {(m.rule_id, m.origin.location)
                     for m in scan_content(item, data, plain).matches}
    assert any(location == "data.DATABASE_URL (base64-decoded)" for _rule, location in found)
    # A decoder told "no" does not look again, even where the word is.
    assert list(derived_chunks(holding, lambda word: False)) == []
