"""Side-by-side recall and false positives of leakguard, gitleaks and Kingfisher.

Materialises the recall corpus (every module under tests/corpus/recall, found through
``all_cases()``) and the precision corpus (tests/corpus/precision) into a temporary folder, scans
it with each tool, and prints per rule family how many planted secrets each tool found and how
many findings each raised on content that holds none.

    python benchmarks/compare_rules.py                       # table on stdout
    python benchmarks/compare_rules.py --format markdown     # for a README or a PR comment
    python benchmarks/compare_rules.py --gitleaks /opt/bin/gitleaks --keep /tmp/corpus

Nothing touches the network: Kingfisher runs with --no-validate and --no-update-check, gitleaks
never validates. A tool that is not installed is reported as such and the others still run.

A planted secret counts as found when a finding in that case's folder reports the same value,
or a value containing it (a tool that reports the whole ``password=...`` or URL), or at least
80% of it (a tool that trims padding). Findings elsewhere do not count.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.corpus.recall import RecallCase, all_cases  # noqa: E402

PRECISION = REPO / "tests" / "corpus" / "precision"
PEERS_DIR = Path(os.environ.get("LEAKGUARD_PEERS_BIN", "/work/peers/bin"))
TOOLS = ("leakguard", "gitleaks", "kingfisher")


@dataclass(frozen=True)
class Hit:
    """One finding of one tool: where (relative to the corpus root) and what it reported."""

    path: str
    secret: str


@dataclass
class ToolRun:
    name: str
    installed: bool
    hits: list[Hit] = field(default_factory=list)
    seconds: float = 0.0
    error: str = ""


# -- materialise the corpora ------------------------------------------------------------------------

def materialise(root: Path, cases: Iterable[RecallCase]) -> None:
    """recall/<case id>/<case path> for every case, precision/ as a copy of the corpus."""
    for case in cases:
        target = root / "recall" / case.id / case.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(case.content, encoding="utf-8")
    shutil.copytree(PRECISION, root / "precision", ignore=shutil.ignore_patterns("README.md"))


# -- run the tools ----------------------------------------------------------------------------------

def _relative(path: str, root: Path) -> str:
    candidate = Path(path)
    if not candidate.is_absolute():
        candidate = (root / candidate).resolve() if not path.startswith(str(root)) else candidate
    try:
        return candidate.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix().lstrip("./")


def _run(command: list[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env=env, check=False)


def run_leakguard(root: Path, out: Path, timeout: float) -> list[Hit]:
    report = out / "leakguard.json"
    proc = _run([sys.executable, "-m", "leakguard", "scan", str(root), "--format", "json",
                 "--show-secrets", "--exit-zero", "--quiet", "--output", str(report)], root, timeout)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip()[-500:])
    document = json.loads(report.read_text(encoding="utf-8"))
    return [Hit(f["path"], f.get("secret") or "") for f in document["findings"]]


def run_gitleaks(binary: str, root: Path, out: Path, timeout: float) -> list[Hit]:
    report = out / "gitleaks.json"
    proc = _run([binary, "dir", str(root), "--report-format", "json", "--report-path", str(report),
                 "--no-banner", "--exit-code", "0", "--log-level", "error"], root, timeout)
    if proc.returncode != 0 or not report.exists():
        raise RuntimeError(proc.stderr.strip()[-500:])
    return [Hit(_relative(f["File"], root), f.get("Secret") or f.get("Match") or "")
            for f in json.loads(report.read_text(encoding="utf-8") or "[]")]


def run_kingfisher(binary: str, root: Path, out: Path, timeout: float) -> list[Hit]:
    report = out / "kingfisher.json"
    proc = _run([binary, "--no-update-check", "--quiet", "scan", str(root), "--no-validate",
                 "--no-dedup", "--format", "json", "--output", str(report)], root, timeout)
    if not report.exists():
        raise RuntimeError((proc.stderr or proc.stdout).strip()[-500:])
    text = report.read_text(encoding="utf-8").strip()
    document = json.loads(text.splitlines()[0]) if text else {"findings": []}
    hits = []
    for item in document.get("findings", []):
        finding = item.get("finding", {})
        path = _relative(finding.get("path", ""), root)
        hits.append(Hit(path, finding.get("snippet") or ""))
        # A paired rule (AWS id + secret) reports the partner in dependent_captures.
        hits += [Hit(path, str(value)) for value in (finding.get("dependent_captures") or {}).values()]
    return hits


def locate(name: str, explicit: str | None) -> str | None:
    if explicit:
        return explicit if Path(explicit).exists() or shutil.which(explicit) else None
    found = shutil.which(name)
    if found:
        return found
    fallback = PEERS_DIR / name
    return str(fallback) if fallback.exists() else None


def run_tools(root: Path, out: Path, args: argparse.Namespace) -> dict[str, ToolRun]:
    runners: dict[str, Callable[[], list[Hit]] | None] = {
        "leakguard": lambda: run_leakguard(root, out, args.timeout),
    }
    for name, runner in (("gitleaks", run_gitleaks), ("kingfisher", run_kingfisher)):
        binary = locate(name, getattr(args, name))
        runners[name] = (lambda b=binary, r=runner: r(b, root, out, args.timeout)) if binary else None
    runs: dict[str, ToolRun] = {}
    for name in args.tools:
        runner = runners[name]
        if runner is None:
            runs[name] = ToolRun(name, installed=False)
            continue
        started = time.monotonic()
        try:
            runs[name] = ToolRun(name, True, runner(), time.monotonic() - started)
        except (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError, OSError) as exc:
            runs[name] = ToolRun(name, True, [], time.monotonic() - started, str(exc) or type(exc).__name__)
    return runs


# -- score ------------------------------------------------------------------------------------------

def _norm(value: str) -> str:
    return value.strip().strip("'\"`").strip()


def same_secret(planted: str, reported: str) -> bool:
    planted, reported = _norm(planted), _norm(reported)
    if not planted or not reported:
        return False
    if planted == reported or planted in reported:
        return True
    return reported in planted and len(reported) >= 0.8 * len(planted)


def recall_by_family(cases: list[RecallCase], run: ToolRun) -> dict[str, tuple[int, int]]:
    by_folder: dict[str, list[str]] = defaultdict(list)
    for hit in run.hits:
        parts = hit.path.split("/")
        if len(parts) > 2 and parts[0] == "recall":
            by_folder[parts[1]].append(hit.secret)
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for case in cases:
        found = any(same_secret(case.secret, s) for s in by_folder.get(case.id, []))
        table[case.family][0] += found
        table[case.family][1] += 1
    return {family: (found, total) for family, (found, total) in table.items()}


#: Precision subfolders that belong to one group of packs; everything else is "shared".
PACK_FOLDERS = ("generic", "cloud", "saas")


def precision_family(parts: list[str]) -> str:
    folder = parts[1] if len(parts) > 2 else ""
    return folder if folder in PACK_FOLDERS else "shared"


def precision_by_family(run: ToolRun) -> dict[str, tuple[int, int]]:
    """Findings and distinct files with findings, per pack folder of the precision corpus."""
    findings: Counter[str] = Counter()
    files: dict[str, set[str]] = defaultdict(set)
    for hit in run.hits:
        parts = hit.path.split("/")
        if parts[0] != "precision":
            continue
        family = precision_family(parts)
        findings[family] += 1
        files[family].add(hit.path)
    return {family: (findings[family], len(files[family])) for family in findings}


# -- report -----------------------------------------------------------------------------------------

def build_rows(cases: list[RecallCase], runs: dict[str, ToolRun]) -> dict:
    families = sorted({case.family for case in cases})
    precision_families = sorted({"shared"} | {
        precision_family(["precision", p.name, "-"]) for p in PRECISION.iterdir() if p.is_dir()})
    result = {"tools": {}, "families": families, "precision_families": precision_families,
              "cases": len(cases)}
    for name, run in runs.items():
        entry = {"installed": run.installed, "error": run.error, "seconds": round(run.seconds, 2)}
        if run.installed and not run.error:
            entry["recall"] = recall_by_family(cases, run)
            entry["precision"] = precision_by_family(run)
        result["tools"][name] = entry
    return result


def _pair(entry: dict, table: str, family: str | None) -> tuple[int, int] | str:
    """A tool's (count, total) pair for one family or all of them, or why it has none."""
    if not entry["installed"]:
        return "not installed"
    if entry["error"]:
        return "error"
    pairs = entry[table]
    if family is None:
        return sum(a for a, _ in pairs.values()), sum(b for _, b in pairs.values())
    return pairs.get(family, (0, 0))


def _cell_recall(entry: dict, family: str | None) -> str:
    pair = _pair(entry, "recall", family)
    if isinstance(pair, str):
        return pair
    found, total = pair
    return f"{found}/{total} ({100 * found / total:.0f}%)" if total else "-"


def _cell_fp(entry: dict, family: str | None) -> str:
    pair = _pair(entry, "precision", family)
    if isinstance(pair, str):
        return pair
    findings, files = pair
    return f"{findings} in {files} files" if findings else "0"


def render(result: dict, markdown: bool) -> str:
    tools = list(result["tools"])
    sections = [
        ("Recall: planted secrets found / total", result["families"], _cell_recall),
        ("False positives on the precision corpus: findings", result["precision_families"], _cell_fp),
    ]
    lines: list[str] = []
    for title, families, cell in sections:
        rows = [[family, *(cell(result["tools"][t], family) for t in tools)] for family in families]
        rows.append(["all", *(cell(result["tools"][t], None) for t in tools)])
        header = ["family", *tools]
        lines.append(f"**{title}**" if markdown else title)
        lines.append("")
        if markdown:
            lines.append("| " + " | ".join(header) + " |")
            lines.append("|" + "---|" * len(header))
            lines += ["| " + " | ".join(row) + " |" for row in rows]
        else:
            widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
            lines.append("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
            lines.append("  ".join("-" * w for w in widths))
            lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
        lines.append("")
    timing = ", ".join(f"{t} {result['tools'][t]['seconds']}s" for t in tools
                       if result["tools"][t]["installed"])
    lines.append(f"{result['cases']} recall cases; scan time: {timing}.")
    for tool, entry in result["tools"].items():
        if entry["error"]:
            lines.append(f"{tool} failed: {entry['error']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="Example: python benchmarks/compare_rules.py --format markdown")
    parser.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    parser.add_argument("--tools", nargs="+", choices=TOOLS, default=list(TOOLS))
    parser.add_argument("--gitleaks", help="path of the gitleaks binary (default: PATH, then "
                                           f"{PEERS_DIR})")
    parser.add_argument("--kingfisher", help="path of the kingfisher binary (default: PATH, then "
                                             f"{PEERS_DIR})")
    parser.add_argument("--keep", type=Path, help="materialise into this new folder and keep it")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per tool (default 600)")
    args = parser.parse_args(argv)
    cases = all_cases()
    with tempfile.TemporaryDirectory(prefix="leakguard-compare-") as scratch:
        root = args.keep or Path(scratch) / "corpus"
        if root.exists():
            parser.error(f"--keep folder {root} already exists")
        root.mkdir(parents=True)
        materialise(root, cases)
        out = Path(scratch) / "reports"
        out.mkdir()
        runs = run_tools(root, out, args)
        result = build_rows(cases, runs)
    if args.format == "json":
        print(json.dumps(result, indent=2))
    else:
        print(render(result, markdown=args.format == "markdown"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
