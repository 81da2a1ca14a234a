#!/usr/bin/env python3
"""Time leakguard against gitleaks and Kingfisher on one repository, alternately, several rounds.

Usage (see the README's Performance section for fetching the pinned sympy corpus):

    python benchmarks/bench.py --repo /work/bench/sympy.git --tree /work/bench/sympy-tree \\
        --rounds 5 --markdown benchmarks/results/sympy.md

Modes: ``tree`` scans the working-tree copy (every tool told to ignore git history), ``history``
scans every commit of the repository, ``staged`` scans a one-file staged change in a throwaway
clone of the working-tree copy (what a pre-commit hook does), ``startup`` asks each tool for its
version (what every invocation pays before any work). Each round runs every tool once, in a
rotating order, after one untimed warm-up run per tool (page cache, rule caches). For each run
it records wall time and CPU time (user + system of the whole process tree, from ``wait4``).
Memory is measured in one more run per tool, after the timed rounds: the peak sum of resident
set sizes over the process tree, sampled every 20 ms from /proc (the largest single process
where /proc is missing), and the peak proportional set size (PSS: pages shared between the
processes of one tool, such as a pack file every ``git cat-file`` maps, counted once; the fair
measure for tools that run several processes). Sampling walks /proc and reads every process's
``smaps_rollup`` fifty times a second, which on two cores slowed the tool it watched by about a
tenth, and the more so the more processes the tool runs: timed runs are not sampled
(``--sample-timed`` restores the old behaviour). Medians are reported with throughput and the
ratios to each peer. leakguard is also timed
with its scan cache: cold (emptied before every run) and warm (filled once, then rescanned
unchanged; in history mode, the refs unchanged too).

Kingfisher always runs with ``--no-validate`` (no credential is ever sent anywhere) and
``--no-update-check`` (it would otherwise ask the network for a newer release; on this
machine that made no measurable difference). Nothing here downloads anything; the tools are
found on PATH, in /work/peers/bin, or given with options.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

PEERS = Path("/work/peers/bin")


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float
    code: int
    peak_pss_mb: float = 0.0


@dataclass
class Row:
    tool: str
    mode: str
    runs: list[Run] = field(default_factory=list)
    skipped: str = ""
    memory: Run | None = None  # the sampled run the memory columns come from

    def peak(self, attribute: str) -> float:
        """A memory figure: from the sampled run, else the median over the timed ones."""
        return getattr(self.memory, attribute) if self.memory else self.median(attribute)

    def median(self, attribute: str) -> float:
        return statistics.median(getattr(run, attribute) for run in self.runs)


def _tree_pids(root: int) -> list[int]:
    """``root`` and its descendants, from one pass over /proc."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                parents[int(entry)] = int(stat.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(child for child, parent in parents.items() if parent == pid)
    return found


def _tree_pss_kb(pids: list[int]) -> int:
    """Sum of the proportional set size over a process tree: pages shared between its processes
    (a pack file several ``git cat-file`` processes map, libraries) count once in all, where a
    sum of resident sizes counts them once per process."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
                for line in rollup:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1])
                        break
        except (OSError, IndexError, ValueError):
            continue
    return total


def _tree_rss_kb(pids: list[int]) -> int:
    """Sum of VmRSS over a process tree (Linux /proc)."""
    page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", "rb") as stat:
                total += int(stat.read().rsplit(b")", 1)[1].split()[21]) * page_kb
        except (OSError, IndexError, ValueError):
            continue
    return total


def measure(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None,
            *, sample: bool = True) -> Run:
    """Run ``command`` to completion; its wall time, CPU time and (``sample``) peak memory;
    unsampled, the peak is only the largest single process's, from ``wait4``."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    peak = [0, 0]
    done = threading.Event()

    def sample_memory() -> None:
        while not done.wait(0.02):
            pids = _tree_pids(process.pid)  # one walk of /proc per sample
            peak[0] = max(peak[0], _tree_rss_kb(pids))
            peak[1] = max(peak[1], _tree_pss_kb(pids))

    sampler = threading.Thread(target=sample_memory, daemon=True) \
        if sample and Path("/proc").is_dir() else None
    if sampler:
        sampler.start()
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    if sampler:
        sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    if process.returncode not in (0, 1):
        raise RuntimeError(f"{command[0]} exited {process.returncode}: {stderr[-2000:]}")
    peak_kb = max(peak[0], usage.ru_maxrss)
    return Run(wall, usage.ru_utime + usage.ru_stime, peak_kb / 1024, process.returncode,
               (peak[1] or peak_kb) / 1024)


def find_tool(name: str, given: str | None) -> str | None:
    if given:
        return given
    for candidate in (shutil.which(name), PEERS / name, Path(sys.executable).parent / name):
        if candidate and Path(candidate).is_file():
            return str(candidate)
    return None


def tree_bytes(tree: Path) -> int:
    total = 0
    for folder, dirs, files in os.walk(tree):
        dirs[:] = [d for d in dirs if d != ".git"]
        total += sum((Path(folder) / f).lstat().st_size for f in files)
    return total


def history_bytes(repo: Path) -> int:
    listing = subprocess.run(
        ["git", "-C", str(repo), "cat-file", "--batch-all-objects",
         "--batch-check=%(objecttype) %(objectsize)"],
        capture_output=True, text=True, check=True).stdout
    pairs = (line.split() for line in listing.splitlines())
    return sum(int(size) for kind, size in pairs if kind == "blob")


def staged_clone(tree: Path, where: Path) -> Path:
    """A clone of ``tree`` sharing its objects, with one edited file staged: the pre-commit case
    on a large repository, without touching the user's copy."""
    subprocess.run(["git", "clone", "-q", "--shared", str(tree), str(where)], check=True)
    tracked = subprocess.run(["git", "-C", str(where), "ls-files", "*.py"], check=True,
                             capture_output=True, text=True).stdout.split()
    edited = where / (tracked[len(tracked) // 2] if tracked else "staged.txt")
    with edited.open("a", encoding="utf-8") as handle:
        handle.write("\n# a staged one-line change\nTIMEOUT = 30\n")
    subprocess.run(["git", "-C", str(where), "add", str(edited)], check=True)
    return where


def leakguard_has_history(leakguard: str) -> bool:
    help_text = subprocess.run([leakguard, "scan", "--help"], capture_output=True, text=True).stdout
    return "--history" in help_text


def commands(tools: dict[str, str], mode: str, target: Path, out: Path, cache: Path
             ) -> dict[str, list[str] | str]:
    """Tool label -> command line (or the reason the row is skipped)."""
    lg = tools.get("leakguard")
    found: dict[str, list[str] | str] = {}
    if lg:
        common = [lg, "scan", "--format", "json", "--output", str(out / "lg.json"), "--exit-zero", "-q"]
        if mode == "history":
            if not leakguard_has_history(lg):
                found["leakguard"] = "skipped: this leakguard has no 'scan --history' yet"
            else:
                found["leakguard"] = [*common[:2], "--history", str(target), *common[2:], "--no-cache"]
                found["leakguard (cache warm)"] = [*common[:2], "--history", str(target), *common[2:],
                                                   "--cache", str(cache)]
        elif mode == "staged":
            found["leakguard"] = [*common[:2], "--staged", str(target), *common[2:], "--no-cache"]
        elif mode == "startup":
            found["leakguard"] = [lg, "--version"]
        else:
            found["leakguard"] = [*common, str(target), "--no-cache"]
            found["leakguard (cache cold)"] = [*common, str(target), "--cache", str(cache) + ".cold"]
            found["leakguard (cache warm)"] = [*common, str(target), "--cache", str(cache)]
    if mode in ("staged", "startup"):
        if tools.get("kingfisher"):
            found["kingfisher"] = ([tools["kingfisher"], "--version"] if mode == "startup" else
                                   [tools["kingfisher"], "scan", str(target), "--no-validate",
                                    "--no-update-check", "--git-history", "full", "--staged",
                                    "-f", "json",
                                    "-o", str(out / "kf.json")])
        if tools.get("gitleaks"):
            found["gitleaks"] = ([tools["gitleaks"], "version"] if mode == "startup" else
                                 [tools["gitleaks"], "git", "--staged", str(target), "--report-format",
                                  "json", "--report-path", str(out / "gl.json"), "--exit-code", "0",
                                  "--no-banner", "--log-level", "error"])
        return found
    if tools.get("kingfisher"):
        found["kingfisher"] = [tools["kingfisher"], "scan", str(target), "--no-validate",
                               "--no-update-check",
                               "--git-history", "full" if mode == "history" else "none",
                               "-f", "json", "-o", str(out / "kf.json")]
    if tools.get("gitleaks"):
        verb = "git" if mode == "history" else "dir"
        found["gitleaks"] = [tools["gitleaks"], verb, str(target), "--report-format", "json",
                             "--report-path", str(out / "gl.json"), "--exit-code", "0",
                             "--no-banner", "--log-level", "error"]
    return found


def run_mode(mode: str, target: Path, tools: dict[str, str], rounds: int, scratch: Path,
             *, sample_timed: bool = False) -> list[Row]:
    cache = scratch / "leakguard-cache.sqlite"
    plan = commands(tools, mode, target, scratch, cache)
    rows = {label: Row(label, mode, skipped=cmd if isinstance(cmd, str) else "")
            for label, cmd in plan.items()}
    runnable = [label for label, cmd in plan.items() if not isinstance(cmd, str)]
    env = {**os.environ, "NO_COLOR": "1"}
    for label in runnable:  # warm-up: page cache, compiled rule caches, the warm scan cache
        measure(plan[label], env=env)  # type: ignore[arg-type]
        print(f"  warm-up {mode:7s} {label}", file=sys.stderr)
    for number in range(rounds):
        order = runnable[number % len(runnable):] + runnable[:number % len(runnable)]
        for label in order:
            _empty_cold_cache(label, scratch, cache)
            run = measure(plan[label], env=env, sample=sample_timed)  # type: ignore[arg-type]
            rows[label].runs.append(run)
            print(f"  round {number + 1} {mode:7s} {label:24s} {run.wall:7.2f} s", file=sys.stderr)
    if not sample_timed:
        for label in runnable:
            _empty_cold_cache(label, scratch, cache)
            rows[label].memory = measure(plan[label], env=env)  # type: ignore[arg-type]
            print(f"  memory  {mode:7s} {label:24s} {rows[label].memory.peak_pss_mb:7.0f} MB PSS",
                  file=sys.stderr)
    return list(rows.values())


def _empty_cold_cache(label: str, scratch: Path, cache: Path) -> None:
    if label == "leakguard (cache cold)":
        for stale in scratch.glob(cache.name + ".cold*"):
            stale.unlink()


def table(rows: list[Row], sizes: dict[str, int]) -> str:
    lines = ["| mode | tool | wall (median) | CPU | peak RSS (sum) | peak PSS | throughput "
             "| vs Kingfisher | vs gitleaks |",
             "|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        if not row.runs:
            lines.append(f"| {row.mode} | {row.tool} | {row.skipped or 'not run'} | | | | | | |")
            continue
        peers = {r.tool: r.median("wall") for r in rows if r.mode == row.mode and r.runs}
        wall = row.median("wall")
        ratio = {name: f"{wall / peers[name]:.2f}×" if name in peers else "–"
                 for name in ("kingfisher", "gitleaks")}
        throughput = f"{sizes[row.mode] / wall / 1e6:.0f} MB/s" if sizes.get(row.mode) else "–"
        lines.append(f"| {row.mode} | {row.tool} | {wall:.2f} s | {row.median('cpu'):.2f} s | "
                     f"{row.peak('peak_mb'):.0f} MB | {row.peak('peak_pss_mb'):.0f} MB | "
                     f"{throughput} | "
                     f"{ratio['kingfisher']} | {ratio['gitleaks']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, help="git repository (bare or not) for the history mode")
    parser.add_argument("--tree", type=Path, help="working-tree copy for the tree mode")
    parser.add_argument("--modes", default="tree,history,staged,startup",
                        help="comma-separated: tree, history, staged, startup")
    parser.add_argument("--rounds", type=int, default=5)
    for tool in ("leakguard", "gitleaks", "kingfisher"):
        parser.add_argument(f"--{tool}", help=f"the {tool} executable (default: found on PATH)")
    parser.add_argument("--json", type=Path, help="also write every run as JSON here")
    parser.add_argument("--markdown", type=Path, help="also write the table here")
    parser.add_argument("--sample-timed", action="store_true",
                        help="sample memory during the timed runs too (slows every tool a little, "
                             "tools with many processes more) instead of in one extra run")
    args = parser.parse_args(argv)
    tools = {name: find_tool(name, getattr(args, name)) for name in ("leakguard", "gitleaks", "kingfisher")}
    tools = {name: path for name, path in tools.items() if path}
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    targets = {"tree": args.tree, "history": args.repo, "staged": args.tree, "startup": Path(".")}
    rows: list[Row] = []
    sizes: dict[str, int] = {}
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="leakguard-bench-") as scratch:
        for mode in modes:
            target = targets[mode]
            if target is None:
                print(f"skipping {mode}: no --{'tree' if mode == 'tree' else 'repo'} given", file=sys.stderr)
                continue
            if mode == "staged":
                target = staged_clone(target, Path(scratch) / "staged")
            elif mode in ("tree", "history"):
                sizes[mode] = tree_bytes(target) if mode == "tree" else history_bytes(target)
            rows += run_mode(mode, target, tools, args.rounds, Path(scratch),
                             sample_timed=args.sample_timed)
    text = table(rows, sizes)
    memory = "memory sampled in the timed runs" if args.sample_timed else \
        "memory from one more, sampled run per tool"
    header = (f"{len(next((r.runs for r in rows if r.runs), []))} rounds, medians; {memory}; "
              f"{os.cpu_count()} cores; load average at the start: {load:.2f}\n\n")
    print(header + text)
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(header + text + "\n", encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps({"sizes": sizes, "rows": [asdict(r) for r in rows]}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
