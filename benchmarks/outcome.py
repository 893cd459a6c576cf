"""Does the score relate to a real outcome? Persuasion dialogues against the donation made.

    python benchmarks/outcome.py [--boot 2000] [--corpora PATH]

Each of the 917 Persuasion for Good dialogues (Wang et al., ACL 2019; Apache-2.0; read from
``../shared/data`` or ``$CUSTFOCUS_CORPORA``, never copied) is scored as a conversation with
the persuader as the seller. For the score, each component and each conversation figure the
script prints Spearman's rank correlation with the donation the persuadee actually made
after the chat, with a 95% bootstrap interval (resampling dialogues), on two fixed halves
of the dialogues (by a hash of the dialogue id): ``explore`` for looking, ``confirm`` for
reporting. The score was not changed because of these figures. Donations recorded above
the task's 2-dollar payment look like data-entry errors (see the corpus README); they are
capped at 2.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from custfocus import Analyzer
from custfocus.corpus import corpora_root
from custfocus.document import Document, Segment

FIGURES: dict[str, Callable[[Any], float | None]] = {
    "score": lambda r: r.score,
    "customer_share": lambda r: r.customer_share,
    "naive_we_we": lambda r: r.naive_we_we,
}


def dialogues(root: Path) -> list[tuple[str, float, list[tuple[str, str]]]]:
    """``(dialog_id, donation, [(speaker, text), ...])`` for all 917 dialogues."""
    out = []
    base = root / "persuasion_for_good"
    donations = {}
    for line in (base / "outcomes.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        donations[d["dialog_id"]] = d["donation"]
    for name in ("dialogues.jsonl", "unannotated_dialogues.jsonl"):
        for line in (base / name).read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            donation = d.get("donation", donations.get(d["dialog_id"]))
            if donation is None:
                continue
            turns = [(s["speaker"].capitalize(), s["text"]) for s in d["sentences"]]
            out.append((d["dialog_id"], min(float(donation), 2.0), turns))
    return out


def as_document(did: str, turns: list[tuple[str, str]]) -> Document:
    segs = tuple(
        Segment(text=t, location=f"line {i + 1}", kind="utterance", speaker=s)
        for i, (s, t) in enumerate(turns)
        if t.strip()
    )
    return Document(segments=segs, path=did, format="transcript")


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    def ranks(v: np.ndarray) -> np.ndarray:
        order = v.argsort(kind="mergesort")
        r = np.empty(len(v))
        r[order] = np.arange(len(v))
        # average ties
        _, inv, counts = np.unique(v, return_inverse=True, return_counts=True)
        sums = np.bincount(inv, weights=r)
        return (sums / counts)[inv]

    rx, ry = ranks(x), ranks(y)
    if rx.std() == 0 or ry.std() == 0:
        return math.nan
    return float(np.corrcoef(rx, ry)[0, 1])


def interval(x: np.ndarray, y: np.ndarray, boot: int, seed: int = 0) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    vals = []
    for _ in range(boot):
        idx = rng.integers(0, len(x), len(x))
        v = spearman(x[idx], y[idx])
        if not math.isnan(v):
            vals.append(v)
    return float(np.percentile(vals, 2.5)), float(np.percentile(vals, 97.5))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--boot", type=int, default=2000)
    ap.add_argument("--corpora")
    args = ap.parse_args()
    root = corpora_root(args.corpora)
    if root is None:
        raise SystemExit("corpora not found: pass --corpora or set CUSTFOCUS_CORPORA")
    data = dialogues(root)
    analyzer = Analyzer(seller=["Save the Children"])
    rows: list[dict[str, Any]] = []
    for did, donation, turns in data:
        report = analyzer.score_document(as_document(did, turns), seller_speakers=["Persuader"])
        row: dict[str, Any] = {"dialog_id": did, "donation": donation}
        for name, fn in FIGURES.items():
            row[name] = fn(report)
        for name, value in report.components.items():
            row[f"component:{name}"] = value
        conv = report.conversation.to_dict() if report.conversation else {}
        for name, value in conv.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                row[f"conversation:{name}"] = value
        if report.content is not None:
            for name, value in report.content.to_dict().items():
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    row[f"content:{name}"] = value
        rows.append(row)
    half = {
        r["dialog_id"]: (
            "explore"
            if int(hashlib.sha1(r["dialog_id"].encode()).hexdigest()[:8], 16) % 2
            else "confirm"
        )
        for r in rows
    }
    names = sorted({k for r in rows for k in r if k not in ("dialog_id", "donation")})
    gave = np.mean([r["donation"] > 0 for r in rows])
    print(f"{len(rows)} dialogues; {gave:.0%} donated something; donations capped at $2")
    print()
    print("| figure | half | n | Spearman rho | 95% bootstrap interval |")
    print("|---|---|---|---|---|")
    for name in names:
        for part in ("explore", "confirm"):
            pairs = [
                (r[name], r["donation"])
                for r in rows
                if half[r["dialog_id"]] == part
                and isinstance(r.get(name), (int, float))
                and not math.isnan(float(r[name]))
            ]
            if len(pairs) < 30:
                continue
            x = np.array([p[0] for p in pairs], dtype=float)
            y = np.array([p[1] for p in pairs], dtype=float)
            rho = spearman(x, y)
            if math.isnan(rho):
                continue
            lo, hi = interval(x, y, args.boot)
            print(f"| {name} | {part} | {len(pairs)} | {rho:+.3f} | [{lo:+.3f}, {hi:+.3f}] |")


if __name__ == "__main__":
    main()
