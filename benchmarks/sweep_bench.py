"""Time a sweep of N generated repositories with 1 and 2 local workers and a Dask LocalCluster.

Usage: python benchmarks/sweep_bench.py [--repos 50] [--rounds 1]

Each repository gets 4-6 commits; every third holds a live secret and every third a secret that
was added and then removed (history only). Fake values are generated here, never committed.
The sweeps run one after another on the same machine, so the ratios are what to read.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
       "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@fake.test",
       "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@fake.test"}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env=ENV, check=True, capture_output=True)


def fake_token(rng: random.Random) -> str:
    return "ghp_" + "".join(rng.choice(ALNUM) for _ in range(36))


def make_repos(root: Path, count: int) -> None:
    rng = random.Random(20261129)
    for index in range(count):
        repo = root / f"repo{index:03d}"
        repo.mkdir(parents=True)
        git(repo, "init", "-q", "-b", "main")
        for commit in range(rng.randint(4, 6)):
            (repo / "src").mkdir(exist_ok=True)
            (repo / "src" / f"module{commit}.py").write_text(
                "\n".join(f"def f{i}(x):\n    return x * {i}\n" for i in range(40)))
            if commit == 1 and index % 3 == 1:
                (repo / "config.env").write_text(f"GITHUB_TOKEN={fake_token(rng)}\n")
            if commit == 1 and index % 3 == 2:
                (repo / "deploy.sh").write_text(f"export TOKEN={fake_token(rng)}\n")
            if commit == 2 and index % 3 == 2:
                (repo / "deploy.sh").write_text("export TOKEN=$TOKEN\n")
            git(repo, "add", "-A")
            git(repo, "commit", "-q", "-m", f"commit {commit}")


def sweep(root: Path, db: Path, *args: str) -> float:
    if db.exists():
        db.unlink()
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "leakguard", "sweep", str(root), "--db", str(db),
                           "--quiet", *args], capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"sweep failed ({proc.returncode}): {proc.stderr[-500:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="leakguard-sweep-bench-") as temp:
        root = Path(temp) / "repos"
        make_repos(root, args.repos)
        db = Path(temp) / "bench.db"
        rows: dict[str, list[float]] = {"1 worker": [], "2 workers": [], "Dask, 2 workers": []}
        for _ in range(args.rounds):
            rows["1 worker"].append(sweep(root, db, "--workers", "1"))
            rows["2 workers"].append(sweep(root, db, "--workers", "2"))
            from distributed import LocalCluster

            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                              dashboard_address=None) as cluster:
                rows["Dask, 2 workers"].append(sweep(root, db, "--dask",
                                                     cluster.scheduler_address))
    base = statistics.median(rows["1 worker"])
    print(f"Sweep of {args.repos} generated repositories (median of {args.rounds}):")
    print(f"{'mode':<18}{'wall':>9}{'per repo':>11}{'speed-up':>10}")
    for mode, times in rows.items():
        wall = statistics.median(times)
        print(f"{mode:<18}{wall:>8.1f}s{wall / args.repos:>10.2f}s{base / wall:>9.2f}x")


if __name__ == "__main__":
    main()
