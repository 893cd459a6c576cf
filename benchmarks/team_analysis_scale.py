"""Time and peak memory of message grouping and the team analyses as the claims grow.

    python benchmarks/team_analysis_scale.py [--sizes 1000,5000,10000,50000] [--full-max 10000]

Real sentences (``../shared/data`` or ``$CUSTFOCUS_SHARED/data``; nothing is copied): the
sales and marketing corpora first, then the persuaders' and persuadees' sentences of the
Persuasion for Good dialogues, the CaSiNo negotiation turns and the Schema-Guided Dialogue
agents' turns, in corpus order (repeats kept: one deck sent to many accounts repeats its
sentences too). They are made into claims of 12 reps.

Part 1 times :func:`custfocus.team.messages.group_claims` on N claims twice in the same run:
as shipped (streamed vectoriser; each pair compared once, tile by tile) and with the previous
method (its vectoriser and the full product, 512 rows at a time, both copied here), up to
``--full-max`` claims, and checks that both give the same groups. Part 2 times the whole
:func:`custfocus.team.analyze_team` (claims and a quarter as many customer statements of
60 accounts). Peak memory is Python's (tracemalloc, which numpy and scipy report to), from a
second run so tracing does not slow the timed one. Grouping compares every pair of distinct
claims, so its time grows with the square of their number (``docs/METHOD.md`` §11 says why
no candidate filter is used).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from custfocus.corpus import casino_turns, pfg_sentences, sales_sentences  # noqa: E402
from custfocus.team import Statement, analyze_team, messages  # noqa: E402
from custfocus.team.similarity import Vectorizer  # noqa: E402


@dataclass(frozen=True)
class PreviousVectorizer(Vectorizer):
    """The vectoriser before: every statement's n-grams held at once, scipy intermediates,
    and every copy of a repeated statement vectorised (the first copies' rows returned)."""

    def fit_transform(self, texts: Sequence[str], copies: Sequence[int] | None = None) -> Any:
        if copies is None:
            return super().fit_transform(texts)
        expanded = [t for t, k in zip(texts, copies, strict=True) for _ in range(k)]
        firsts = np.cumsum([0, *copies[:-1]])
        return super().fit_transform(expanded)[firsts]

    def _block(self, docs: Iterable[list[str]], copies: Sequence[int] | None = None) -> Any:
        docs = list(docs)
        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        df: Counter[int] = Counter()
        for r, grams in enumerate(docs):
            counts = Counter(vocab.setdefault(g, len(vocab)) for g in grams)
            df.update(counts.keys())
            for c, k in sorted(counts.items()):
                rows.append(r)
                cols.append(c)
                vals.append(1 + math.log(k) if self.sublinear else float(k))
        n = len(docs)
        idf = np.ones(len(vocab))
        for c, d in df.items():
            idf[c] = math.log((1 + n) / (1 + d)) + 1
        m = sp.csr_matrix((vals, (rows, cols)), shape=(n, len(vocab)), dtype=np.float64)
        m = m.multiply(idf[np.newaxis, :]).tocsr()
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sp.csr_matrix(sp.diags(1 / norms) @ m)


PREVIOUS = PreviousVectorizer("char", char_min=3, char_max=5)


def full_product_neighbours(
    m: sp.csr_matrix, threshold: float, n_jobs: int = 1
) -> list[np.ndarray]:
    """The method before: every row against all rows (both halves), 512 rows at a time, one
    thread (``n_jobs`` is ignored)."""
    out = []
    for a in range(0, m.shape[0], 512):
        block = (m[a : a + 512] @ m.T).toarray()
        for r, row in enumerate(block):
            row[a + r] = 1.0
            out.append(np.flatnonzero(row >= threshold - 1e-12))
    return out


def measure(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """Result, seconds (untraced run) and peak MB (a second, traced run: tracing slows
    Python code several times, so it would distort the times)."""
    t = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - t
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return result, elapsed, peak


def sentences(root: Path) -> Iterator[tuple[str, str, int, int]]:
    for s in sales_sentences(root):
        yield s.text, s.path, s.start, s.end
    for annotated in (True, False):
        for p in pfg_sentences(root, annotated=annotated):
            text = " ".join(p.text.split())
            if text:
                yield text, f"pfg/{int(annotated)}/{p.dialog_id}", p.index, p.index + 1
    for dialog, turn, raw, _ in casino_turns(root):
        text = " ".join(raw.split())
        if text:
            yield text, f"casino/{dialog}", turn, turn + 1
    with open(root / "dialogues" / "sgd" / "dialogues.jsonl", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            for i, t in enumerate(d["turns"]):
                text = " ".join(t["text"].split())
                if t["speaker"] == "SYSTEM" and text:
                    yield text, f"sgd/{d['dialog_id']}", i, i + 1


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,5000,10000,50000")
    ap.add_argument("--full-max", type=int, default=10000, help="largest N for the old method")
    ap.add_argument("--no-team", action="store_true", help="skip part 2")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    env = os.environ.get("CUSTFOCUS_SHARED")
    root = (Path(env) if env else ROOT / ".." / "shared") / "data"
    if not (root / "sales_marketing").exists():
        sys.exit(f"skipped: {root / 'sales_marketing'} not found")
    pool: list[tuple[str, str, int, int]] = []
    for s in sentences(root):
        pool.append(s)
        if len(pool) >= max(sizes) * 5 // 4:
            break
    if len(pool) < max(sizes):
        print(f"only {len(pool)} sentences in the corpora: largest size capped")
    warm = [Statement(t, "claim", p, s, e) for t, p, s, e in pool[:300]]
    messages.group_claims(warm), messages.group_claims(warm, vectorizer=PREVIOUS)
    print("Part 1: group_claims as shipped vs the previous method (same run, same claims)")
    print(
        f"{'claims':>7} {'distinct':>8} {'groups':>7} {'seconds':>8} {'peak MB':>8} "
        f"{'old s':>7} {'old MB':>7} {'time':>6} {'same':>5}"
    )
    for n in sizes:
        claims = [
            Statement(t, "claim", p, s, e, rep=f"rep{i % 12}")
            for i, (t, p, s, e) in enumerate(pool[:n])
        ]
        distinct = len({c.text for c in claims})
        new, t_new, m_new = measure(lambda c=claims: messages.group_claims(c))
        line = f"{len(claims):>7} {distinct:>8} {len(new):>7} {t_new:>8.1f} {m_new:>8.0f}"
        if len(claims) <= args.full_max:
            shipped = messages._neighbours
            messages._neighbours = full_product_neighbours  # type: ignore[assignment]
            try:
                old, t_old, m_old = measure(
                    lambda c=claims: messages.group_claims(c, vectorizer=PREVIOUS)
                )
            finally:
                messages._neighbours = shipped
            same = "yes" if new == old else "NO"
            line += f" {t_old:>7.1f} {m_old:>7.0f} {t_new / t_old:>6.2f} {same:>5}"
        else:
            line += f" {'-':>7} {'-':>7} {'-':>6} {'-':>5}"
        print(line, flush=True)
    if args.no_team:
        return
    print()
    print("Part 2: analyze_team (claims plus a quarter as many customer statements)")
    print(f"{'claims':>7} {'customer':>8} {'seconds':>8} {'peak MB':>8}")
    for n in sizes:
        items = [
            Statement(t, "claim", p, s, e, rep=f"rep{i % 12}")
            if i % 5
            else Statement(t, "customer", p, s, e, account=f"acc{i % 60}")
            for i, (t, p, s, e) in enumerate(pool[: n * 5 // 4])
        ]
        report, elapsed, peak = measure(lambda x=items: analyze_team(iter(x)))
        n_claims = sum(len(g.statements) for g in report.messages.groups)
        n_customer = sum(len(t.statements) for t in report.voice.themes)
        print(f"{n_claims:>7} {n_customer:>8} {elapsed:>8.1f} {peak:>8.0f}", flush=True)


if __name__ == "__main__":
    main()
