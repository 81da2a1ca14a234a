"""The parsed-pack cache: a warm load gives exactly the specs (and fingerprints) a parse gives,
and anything else in the file is ignored, never trusted."""

from __future__ import annotations

import hashlib
import pickle
import shutil
from pathlib import Path

import pytest

from leakguard.rules import rule, speccache
from leakguard.rules.loader import compile_specs, read_specs, shipped_pack_root, shipped_specs
from leakguard.sealing import CacheKey

SECRET = CacheKey(b"s" * 32)


@pytest.fixture(scope="module")
def parsed() -> list:
    return read_specs([shipped_pack_root()], shipped=True)


def _files(root: Path) -> list[tuple[str, Path]]:
    return [(f"rules/{p.relative_to(root).as_posix()}", p) for p in sorted(root.rglob("*.yaml"))]


def test_every_shipped_spec_survives_the_round_trip(parsed):
    decoded = speccache.decode(speccache.encode(parsed))
    assert decoded == parsed
    assert [s.field_lines for s in decoded] == [s.field_lines for s in parsed]
    assert [type(s.level) for s in decoded] == [type(s.level) for s in parsed]
    assert [s.secret_group for s in decoded] == [s.secret_group for s in parsed]


def test_digests_remembered_from_the_cache_equal_computed_ones(parsed):
    decoded = speccache.decode(speccache.encode(parsed))
    remembered = [rule.spec_digest(spec) for spec in decoded]
    rule._SPEC_DIGESTS.clear()
    assert remembered == [rule.spec_digest(spec) for spec in decoded]
    assert compile_specs(decoded, lazy=True).fingerprint == compile_specs(parsed).fingerprint


def test_a_warm_load_reads_the_cache_not_the_yaml(tmp_path, monkeypatch, parsed):
    monkeypatch.setenv("LEAKGUARD_CACHE_DIR", str(tmp_path))
    assert shipped_specs() == parsed
    written = list((tmp_path / "engines").glob("packs-*.json"))
    assert len(written) == 1
    monkeypatch.setattr("leakguard.rules.loader._parse_files",
                        lambda files: pytest.fail("parsed although the cache was warm"))
    assert shipped_specs() == parsed


def test_a_damaged_cache_file_is_ignored_and_rewritten(tmp_path, parsed):
    files = _files(shipped_pack_root())
    key = speccache.cache_key(files)
    speccache.save(tmp_path, key, parsed, SECRET)
    path = tmp_path / f"packs-{key}.json"
    body = bytearray(path.read_bytes())
    body[-20] ^= 1
    path.write_bytes(bytes(body))
    assert speccache.load(tmp_path, key, SECRET) is None
    calls = []
    specs = speccache.cached_specs(files, lambda: calls.append(1) or list(parsed), tmp_path,
                                   SECRET)
    assert calls == [1] and specs == parsed
    assert speccache.load(tmp_path, key, SECRET) == parsed


def test_a_forged_file_cannot_switch_rules_off(tmp_path, parsed):
    """Whoever can write the cache folder (a CI cache travels between runs) but does not hold
    the cache key cannot make leakguard load other rules: a file re-tagged without the key, a
    file of another key, and a file moved under another key's name are all refused."""
    import json

    files = _files(shipped_pack_root())
    key = speccache.cache_key(files)
    speccache.save(tmp_path, key, parsed, SECRET)
    path = tmp_path / f"packs-{key}.json"
    forged = [dict(item, enabled=False) for item in speccache.encode(parsed)]
    body = json.dumps(forged).encode()
    wrong = CacheKey(b"w" * 32)
    path.write_bytes(speccache._tag(wrong, key, body) + b"\n" + body)
    assert speccache.load(tmp_path, key, SECRET) is None
    path.write_bytes(hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
    assert speccache.load(tmp_path, key, SECRET) is None
    speccache.save(tmp_path, "other", parsed[:1], SECRET)
    (tmp_path / "packs-other.json").replace(path)
    assert speccache.load(tmp_path, key, SECRET) is None
    specs = speccache.cached_specs(files, lambda: list(parsed), tmp_path, SECRET)
    assert specs == parsed and all(spec.enabled for spec in specs)


def test_a_well_formed_file_of_another_shape_is_not_trusted(tmp_path):
    import json

    body = json.dumps([{"id": "x", "surprise": 1}]).encode()
    (tmp_path / "packs-k.json").write_bytes(speccache._tag(SECRET, "k", body) + b"\n" + body)
    assert speccache.load(tmp_path, "k", SECRET) is None


def test_an_edited_pack_changes_the_key(tmp_path):
    root = tmp_path / "packs"
    shutil.copytree(shipped_pack_root(), root)
    before = speccache.cache_key(_files(root))
    target = sorted(root.rglob("*.yaml"))[0]
    target.write_text(target.read_text() + "\n# edited\n")
    assert speccache.cache_key(_files(root)) != before


def test_an_unwritable_folder_still_parses(tmp_path, parsed):
    blocker = tmp_path / "file"
    blocker.write_text("")
    files = _files(shipped_pack_root())
    assert speccache.cached_specs(files, lambda: list(parsed), blocker / "sub", SECRET) == parsed


def test_a_pickled_ruleset_carries_its_digests(parsed, monkeypatch):
    ruleset = compile_specs(parsed, lazy=True)
    data = pickle.dumps(ruleset)
    monkeypatch.setattr(rule, "_spec_digest_source",
                        lambda spec: pytest.fail("a worker recomputed a digest it was sent"))
    assert pickle.loads(data).fingerprint == ruleset.fingerprint
