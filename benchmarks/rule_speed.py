"""Time every rule's regex over a few megabytes of realistic text, slowest first.

The text is the precision corpus (code, lockfiles, bundles, YAML, docs) repeated to --megabytes,
so the figures show what a rule costs on content it must reject, which is most content. Rules
run on the whole text regardless of their path globs, so path-scoped rules look dearer than they
are in a scan.

    python benchmarks/rule_speed.py                     # every loaded rule
    python benchmarks/rule_speed.py --rules my.yaml --no-default-rules --top 10
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PRECISION = REPO / "tests" / "corpus" / "precision"


def corpus_text(megabytes: float) -> str:
    parts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(PRECISION.rglob("*"))
             if p.is_file()]
    unit = "\n".join(parts)
    return unit * max(1, int(megabytes * 1_000_000 / max(len(unit), 1)))


def main(argv: list[str] | None = None) -> int:
    from leakguard.rules.loader import load_ruleset

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="Example: python benchmarks/rule_speed.py --top 15")
    parser.add_argument("--megabytes", type=float, default=4.0)
    parser.add_argument("--top", type=int, default=20, help="rows to print (default 20)")
    parser.add_argument("--rules", type=Path, action="append", default=[])
    parser.add_argument("--no-default-rules", action="store_true")
    args = parser.parse_args(argv)
    ruleset = load_ruleset(args.rules, use_default=not args.no_default_rules)
    text = corpus_text(args.megabytes)
    size = len(text) / 1_000_000
    timings = []
    for rule in ruleset:
        started = time.perf_counter()
        count = sum(1 for _ in rule.regex.finditer(text, timeout=60))
        timings.append((time.perf_counter() - started, rule.id, count))
    timings.sort(reverse=True)
    total = sum(t for t, _, _ in timings)
    print(f"{len(timings)} rules over {size:.1f} MB: {total:.2f}s in all, {total / size:.2f} s/MB")
    for seconds, rule_id, count in timings[:args.top]:
        print(f"  {seconds / size:7.3f} s/MB  {count:6d} raw matches  {rule_id}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    raise SystemExit(main())
