"""The tree walk: ignores, excludes, skips by reason, symlinks, encodings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from leakguard.model import Chunk, Skipped, SkipReason
from leakguard.sources.content import decode, looks_binary
from leakguard.sources.files import TreeOptions, find_root, read_file, target_items


def walked(root: Path, options: TreeOptions | None = None, targets: list[Path] | None = None):
    items = list(target_items(root, targets or [root], options or TreeOptions()))
    return ([i[1] for i in items if not isinstance(i, Skipped)],
            [i for i in items if isinstance(i, Skipped)])


def test_gitignore_files_are_honoured_at_every_depth(tree) -> None:
    root = tree({
        ".gitignore": "*.log\nbuild/\n",
        "a.txt": "x", "debug.log": "x", "build/out.txt": "x",
        "sub/.gitignore": "secret.txt\n!keep.log\n",
        "sub/secret.txt": "x", "sub/keep.log": "x", "sub/other.txt": "x",
        ".git/config": "x",
    })
    files, _ = walked(root)
    assert files == [".gitignore", "a.txt", "sub/.gitignore", "sub/keep.log", "sub/other.txt"]


def test_gitignore_above_a_start_folder_applies(tree) -> None:
    root = tree({".gitignore": "*.log\n", "sub/a.log": "x", "sub/b.txt": "x"})
    files, _ = walked(root, targets=[root / "sub"])
    assert files == ["sub/b.txt"]


def test_exclude_globs(tree) -> None:
    root = tree({"a.txt": "x", "vendor/lib.js": "x", "docs/x.md": "x", "docs/y.txt": "x"})
    files, _ = walked(root, TreeOptions(excludes=("vendor/", "docs/*.md")))
    assert files == ["a.txt", "docs/y.txt"]


def test_explicit_file_is_read_even_if_ignored(tree) -> None:
    root = tree({".gitignore": "*.env\n", "prod.env": "x"})
    files, _ = walked(root, targets=[root / "prod.env"])
    assert files == ["prod.env"]


@pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")
def test_symlinks_are_never_followed_out_of_the_root(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("x")
    root = tmp_path / "root"
    root.mkdir()
    (root / "real.txt").write_text("x")
    (root / "link.txt").symlink_to(outside / "secret.txt")
    (root / "linkdir").symlink_to(outside, target_is_directory=True)
    files, skipped = walked(root)
    assert files == ["real.txt"]
    assert {(s.origin.path, s.reason) for s in skipped} == {
        ("link.txt", SkipReason.SYMLINK), ("linkdir", SkipReason.SYMLINK)}
    _, explicit = walked(root, targets=[root / "link.txt"])
    assert [s.detail for s in explicit] == ["points outside the scanned root"]


def test_binary_and_large_files_are_skipped_with_reasons(tmp_path: Path) -> None:
    binary = tmp_path / "img.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    large = tmp_path / "big.txt"
    large.write_text("x" * 2000)
    [binary_skip] = read_file(binary, "img.png", 10_000)
    assert binary_skip.reason is SkipReason.BINARY
    [skipped] = read_file(large, "big.txt", 1000)
    assert isinstance(skipped, Skipped) and skipped.reason is SkipReason.TOO_LARGE


def test_unreadable_file_is_a_skip(tmp_path: Path) -> None:
    [result] = read_file(tmp_path / "missing.txt", "missing.txt", 1000)
    assert isinstance(result, Skipped) and result.reason is SkipReason.UNREADABLE


@pytest.mark.parametrize(("data", "text"), [
    pytest.param("päss=1".encode(), "päss=1", id="utf8"),
    pytest.param("päss=1".encode("latin-1"), "päss=1", id="latin1-fallback"),
    pytest.param("\ufeffpass=1".encode("utf-16"), "pass=1", id="utf16-bom"),
    pytest.param(b"\xef\xbb\xbfpass=1", "pass=1", id="utf8-bom"),
])
def test_any_encoding_decodes_without_crashing(data: bytes, text: str) -> None:
    assert decode(data).lstrip("\ufeff") == text
    assert not looks_binary(data)


def test_utf16_file_is_scanned_as_text(tmp_path: Path) -> None:
    path = tmp_path / "w.txt"
    path.write_bytes("password=abc".encode("utf-16"))
    [chunk] = read_file(path, "w.txt", 1000)
    assert isinstance(chunk, Chunk) and "password=abc" in chunk.text


def test_find_root(tmp_path: Path, monkeypatch) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "src").mkdir()
    (repo / "src" / "a.py").write_text("x")
    assert find_root(repo / "src") == repo / "src"
    assert find_root(repo / "src" / "a.py") == repo
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "b.txt").write_text("x")
    monkeypatch.chdir(tmp_path)
    assert find_root(plain / "b.txt") == tmp_path
