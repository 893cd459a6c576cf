"""Validity of the Customer Focus Score: does it order texts as published guidance says?

    python benchmarks/validity.py [--split dev|heldout|all] [--json]

Reads the team-written benchmark in ``benchmarks/validity/`` (``pairs.jsonl``: a less and a
more customer-centred version of the same message, with the guidance each rewrite follows;
``ladders.jsonl``: six steps from pure pitch to a discovery email that plays back what the
buyer said, see its header). Prints, per split and genre, the share of pairs the score
orders as intended (after > before; a tie counts as wrong) next to the naive We-We figure
(``report.naive_we_we``: second-person over first- plus second-person words; a text with
neither counts as 0.5), and for each ladder its six scores, whether they rise step by step
and their spread over the 0-100 scale.

The pairs are split by id (odd ids: development, looked at while the rules were changed;
even ids: held out, evaluated only at the end); both halves are reported.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from custfocus import Analyzer, Report

HERE = Path(__file__).resolve().parent / "validity"


def records(name: str) -> Iterator[dict[str, Any]]:
    """The records of one benchmark file, without its ``_meta`` header line."""
    with (HERE / name).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rec = json.loads(line)
                if "_meta" not in rec:
                    yield rec


@lru_cache(maxsize=64)
def analyzer(seller: tuple[str, ...], customer: tuple[str, ...]) -> Analyzer:
    return Analyzer(seller=seller, customer=customer)


def score(text: str, rec: dict[str, Any]) -> Report:
    return analyzer(tuple(rec.get("seller", ())), tuple(rec.get("customer", ()))).score(text)


def naive(report: Report) -> float:
    return 0.5 if report.naive_we_we is None else report.naive_we_we


def evaluate_pairs(split: str) -> dict[str, Any]:
    """Share of pairs ordered as intended, by the score and by naive We-We, per genre."""
    per: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    wrong = []
    for rec in records("pairs.jsonl"):
        if split != "all" and rec["split"] != split:
            continue
        before, after = score(rec["before"], rec), score(rec["after"], rec)
        ok = after.score > before.score
        ok_naive = naive(after) > naive(before)
        per[rec["genre"]].append((ok, ok_naive))
        per["all"].append((ok, ok_naive))
        if not ok:
            wrong.append(
                {"id": rec["id"], "type": rec["type"], "before": before.score,
                 "after": after.score}
            )  # fmt: skip
    table = {
        genre: {
            "pairs": len(rows),
            "score": sum(a for a, _ in rows) / len(rows),
            "naive_we_we": sum(b for _, b in rows) / len(rows),
        }
        for genre, rows in sorted(per.items())
    }
    return {"split": split, "genres": table, "misordered": wrong}


def evaluate_ladders() -> list[dict[str, Any]]:
    """Scores of every ladder step, whether they rise step by step, and their spread."""
    out = []
    for rec in records("ladders.jsonl"):
        reports = [score(step["text"], rec) for step in rec["steps"]]
        scores = [r.score for r in reports]
        naive_scores = [naive(r) for r in reports]
        row: dict[str, Any] = {
            "id": rec["id"],
            "genre": rec["genre"],
            "scores": scores,
            "rises": all(b > a for a, b in pairwise(scores)),
            "spread": (min(scores), max(scores)),
            "naive_we_we_rises": all(b > a for a, b in pairwise(naive_scores)),
        }
        for probe in ("bag_of_words", "stuffed_pitch"):
            if probe in rec:
                row[probe] = score(rec[probe], rec).score
        out.append(row)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("dev", "heldout", "all"), default=None,
                        help="pairs to evaluate (default: dev and heldout, then all)")  # fmt: skip
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    splits = [args.split] if args.split else ["dev", "heldout", "all"]
    pairs = [evaluate_pairs(s) for s in splits]
    ladders = evaluate_ladders()
    if args.json:
        print(json.dumps({"pairs": pairs, "ladders": ladders}, indent=2))
        return
    print("Pairs ordered as intended (after scores above before; ties count as wrong)")
    print(f"{'split':<8} {'genre':<6} {'pairs':>5} {'score':>7} {'naive We-We':>12}")
    for result in pairs:
        for genre, row in result["genres"].items():
            print(
                f"{result['split']:<8} {genre:<6} {row['pairs']:>5} {row['score']:>7.2f} "
                f"{row['naive_we_we']:>12.2f}"
            )
        for w in result["misordered"]:
            print(f"  misordered {w['id']} ({w['type']}): {w['before']:.1f} -> {w['after']:.1f}")
    print()
    print("Ladders (pitch, features, generic benefit, tailored value, SPIN, playback+implication)")
    for row in ladders:
        scores = " ".join(f"{s:5.1f}" for s in row["scores"])
        lo, hi = row["spread"]
        extra = "".join(
            f"; {p} {row[p]:.1f}" for p in ("bag_of_words", "stuffed_pitch") if p in row
        )
        print(
            f"{row['id']:<15} {scores}  rises={'yes' if row['rises'] else 'NO '} "
            f"spread {lo:.1f}..{hi:.1f} (naive We-We rises: "
            f"{'yes' if row['naive_we_we_rises'] else 'no'}){extra}"
        )
    rising = sum(r["rises"] for r in ladders)
    print(f"{rising}/{len(ladders)} ladders rise step by step")


if __name__ == "__main__":
    main()
