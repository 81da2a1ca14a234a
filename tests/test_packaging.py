"""A plain (non-editable) install carries the rule packs and finds them."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_ships_rule_packs_and_finds_them(tmp_path: Path) -> None:
    wheel_dir = tmp_path / "wheel"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheel_dir),
         str(REPO_ROOT)], check=True, capture_output=True)
    [wheel] = wheel_dir.glob("leakguard-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    shipped = sorted(p.relative_to(REPO_ROOT / "rules").as_posix()
                     for p in (REPO_ROOT / "rules").rglob("*.yaml"))
    assert shipped and all(f"leakguard/packs/{name}" in names for name in shipped)

    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    code = ("import leakguard, leakguard.rules.loader as l; "
            "print(leakguard.__file__); print(l.shipped_pack_root()); print(len(l.load_ruleset()))")
    env = {**os.environ, "PYTHONPATH": str(target)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          cwd=tmp_path, check=True)
    module_file, pack_root, count = proc.stdout.split()
    assert module_file.startswith(str(target))
    assert pack_root == str(target / "leakguard" / "packs")
    assert int(count) >= 10
