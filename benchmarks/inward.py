"""Inward-out language and account-plan coverage on real sales and marketing text.

    python benchmarks/inward.py [--plans]

Reads every markdown/HTML file of ``shared/data/sales_marketing`` (found as custfocus's
corpora are: ``$CUSTFOCUS_CORPORA``, ``$CUSTFOCUS_SHARED/data`` or ``../shared/data``) with
custfocus's readers, in memory; no third-party text enters the repository. Prints:

* the distribution of the inward share and of the seller- and buyer-process rates per
  1,000 words, by source and genre;
* how well the ``selling_without_customer`` flag (and simpler rules) separates the files
  judged internal sales-process documents from the customer-facing pages
  (``benchmarks/inward/labels.tsv``: paths and labels only);
* with ``--plans``: account-plan coverage of the handbook pages about account planning, read
  as plans (``genre="plan"``), and which parts each misses.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from custfocus import Analyzer
from custfocus.corpus import corpora_root
from custfocus.plan import plan_coverage
from custfocus.readers import read

HERE = Path(__file__).resolve().parent
SUFFIXES = {".md": None, ".html": None, ".mdx": "markdown"}
#: Handbook pages about account planning, champions and mutual action plans (grep found).
PLAN_PAGES = (
    "sourcegraph__handbook/content/departments/technical-success/ce/process/tech-win-process.md",
    "sourcegraph__handbook/content/ce/qbr_guide.md",
    "sourcegraph__handbook/content/departments/sales/demand-gen/account_based_experience.md",
    "sourcegraph__handbook/content/departments/sales/career-development/ae-competencies.md",
    "sourcegraph__handbook/content/departments/sales/forecasting.md",
    "fleetdm__fleet/handbook/customers.md",
)


def genre(path: str) -> str:
    """A coarse genre from where the file sits in its repository."""
    src = path.split("/", 1)[0]
    if src == "sourcegraph__handbook":
        if "/departments/sales/" in path or "/content/sales/" in path:
            return "sourcegraph: sales handbook"
        if "/ce/" in path or "technical-success" in path:
            return "sourcegraph: customer engineering"
        return "sourcegraph: other handbook"
    if src == "fleetdm__fleet":
        if "/handbook/" in path:
            return "fleet: handbook"
        return "fleet: customer stories" if "user-stories" in path else "fleet: articles"
    return src


def quartiles(values: list[float]) -> str:
    if not values:
        return "   n/a              "
    if len(values) == 1:
        return f"{values[0]:6.2f} (one file)  "
    q = statistics.quantiles(values, n=4, method="inclusive")
    return f"{q[1]:6.2f} [{q[0]:5.2f}-{q[2]:5.2f}]"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--plans", action="store_true", help="also check account-plan coverage")
    args = ap.parse_args()
    data = corpora_root()
    root = data / "sales_marketing" if data else None
    if root is None or not root.is_dir():
        print("shared/data/sales_marketing not found; nothing to measure", file=sys.stderr)
        return 0
    labels: dict[str, str] = {}
    for line in (HERE / "inward" / "labels.tsv").read_text("utf-8").splitlines():
        if line and not line.startswith("#") and not line.startswith("path\t"):
            path, label = line.split("\t")
            labels[path] = label

    analyzer = Analyzer(model=None)
    rows = []
    t0 = time.perf_counter()
    words = 0
    for p in sorted(root.rglob("*")):
        if p.suffix not in SUFFIXES or len(p.relative_to(root).parts) < 3:
            continue
        rel = str(p.relative_to(root))
        report = analyzer.score_document(read(p, format=SUFFIXES[p.suffix]))
        inward = report.inward
        assert inward is not None
        words += report.words
        rows.append((rel, genre(rel), report, inward))
    elapsed = time.perf_counter() - t0
    print(f"{len(rows)} files, {words:,} words, {elapsed:.1f} s (reading and scoring)\n")

    print("Inward share (median [quartiles]) and process terms per 1,000 words, by genre")
    print(
        f"{'genre':36} {'n':>4}  {'inward share':20} {'seller /1k':20} {'buyer /1k':20}"
        f" {'flag':>5} {'plan':>5}"
    )
    by: dict[str, list] = defaultdict(list)
    for row in rows:
        by[row[1]].append(row)
    for name in sorted(by):
        group = by[name]
        shares = [i.inward_share for _, _, _, i in group if i.inward_share is not None]
        seller = [i.seller_process_per_1k or 0.0 for _, _, _, i in group]
        buyer = [i.buyer_process_per_1k or 0.0 for _, _, _, i in group]
        flags = sum(i.selling_without_customer for _, _, _, i in group)
        plans = sum(r.plan is not None for _, _, r, _ in group)
        print(
            f"{name:36} {len(group):4}  {quartiles(shares)} {quartiles(seller)} "
            f"{quartiles(buyer)} {flags:5} {plans:5}"
        )
        if len(shares) < len(group):
            print(f"{'':42}({len(group) - len(shares)} file(s) with no process term: share n/a)")

    print("\nSeparating internal sales-process documents from customer-facing pages")
    labelled = [(labels[rel], i, r) for rel, _, r, i in rows if rel in labels]
    n_int = sum(lab == "internal" for lab, _, _ in labelled)
    n_ext = len(labelled) - n_int
    print(f"labelled: {n_int} internal, {n_ext} customer-facing (benchmarks/inward/labels.tsv)")

    def named_customer(r) -> int:  # customer nouns and names only, no "you"
        return sum(
            m.rule in ("customer.noun", "customer.name") and m.weight > 0 for m in r.mentions
        )

    nouns = {id(i): named_customer(r) for _, i, r in labelled}
    rules = {
        "flag: selling_without_customer": lambda i: i.selling_without_customer,
        "variant: flag ignoring 'you'": lambda i: (
            i.seller_process >= 2 and i.buyer_process == 0 and nouns[id(i)] == 0
        ),
        "about selling (>= 2 seller terms)": lambda i: i.seller_process >= 2,
        "inward share > 0.5": lambda i: (i.inward_share or 0.0) > 0.5,
        "seller terms >= 2 per 1,000 words": lambda i: (i.seller_process_per_1k or 0.0) >= 2,
    }
    print(f"{'rule (predicts internal)':38} {'TP':>4} {'FP':>4} {'FN':>4}  precision  recall")
    for name, rule in rules.items():
        tp = sum(lab == "internal" and rule(i) for lab, i, _ in labelled)
        fp = sum(lab != "internal" and rule(i) for lab, i, _ in labelled)
        fn = n_int - tp
        prec = f"{tp / (tp + fp):.2f}" if tp + fp else "n/a"
        print(f"{name:38} {tp:4} {fp:4} {fn:4}  {prec:>9}  {tp / n_int:6.2f}")
    no_ref = sum(lab == "internal" and i.customer_references == 0 for lab, i, _ in labelled)
    print(
        f"internal documents with no customer reference at all: {no_ref} of {n_int} "
        "(the flag can fire only on these)"
    )
    for lab, i, r in labelled:
        if i.selling_without_customer:
            print(f"  flagged ({lab}): {r.path and Path(r.path).relative_to(root)}")

    if args.plans:
        print("\nAccount-plan coverage of handbook pages about account planning (genre='plan')")
        for rel in PLAN_PAGES:
            p = root / rel
            if not p.exists():
                continue
            report = analyzer.score_document(read(p))
            strict = plan_coverage(report)
            given = plan_coverage(report, "plan")
            print(
                f"{rel}\n  as plan: coverage {given.coverage:.2f}, gaps: "
                f"{', '.join(given.gaps) or 'none'}; strict: coverage {strict.coverage:.2f}"
            )
            for part in given.parts:
                cues = sorted({c.text.lower() for c in part.cues})[:6]
                print(f"    {part.name:13} {len(part.sentences):3} sentence(s)  {', '.join(cues)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
