"""Time and peak memory of the team analyses as the number of statements grows.

    python benchmarks/team_analysis_scale.py [--sizes 1000,5000,10000]

Real sentences from the sales and marketing corpora (``../shared/data`` or
``$CUSTFOCUS_SHARED/data``; nothing is copied) are made into claims of 12 reps and, for the
voice, customer statements of 60 accounts, then :func:`custfocus.team.analyze_team` runs
over them. Grouping compares every pair of statements (in blocks of 512 rows, so memory
stays at 512 x n similarities), so time grows with the square of the number of statements;
this script prints how fast, so an audit can decide how many statements to keep.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from custfocus.corpus import sales_sentences  # noqa: E402
from custfocus.team import Statement, analyze_team  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,5000,10000")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    env = os.environ.get("CUSTFOCUS_SHARED")
    root = (Path(env) if env else ROOT / ".." / "shared") / "data"
    if not (root / "sales_marketing").exists():
        sys.exit(f"skipped: {root / 'sales_marketing'} not found")
    sentences = []
    for s in sales_sentences(root):
        sentences.append(s)
        if len(sentences) >= max(sizes):
            break
    print(f"{'statements':>10} {'claims':>7} {'customer':>8} {'seconds':>8} {'peak MB':>8}")
    for n in sizes:
        items = [
            Statement(s.text, "claim", s.path, s.start, s.end, rep=f"rep{i % 12}")
            if i % 4
            else Statement(s.text, "customer", s.path, s.start, s.end, account=f"acc{i % 60}")
            for i, s in enumerate(sentences[:n])
        ]
        tracemalloc.start()
        t = time.perf_counter()
        report = analyze_team(iter(items))
        elapsed = time.perf_counter() - t
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        n_claims = sum(len(g.statements) for g in report.messages.groups)
        n_customer = sum(len(t.statements) for t in report.voice.themes)
        print(f"{n:>10} {n_claims:>7} {n_customer:>8} {elapsed:>8.1f} {peak:>8.0f}")


if __name__ == "__main__":
    main()
