"""The score distribution the bands of ``custfocus.scoring.BANDS`` were set from.

    python benchmarks/bands.py [--data PATH] [--json]

Scores every sentence-bearing file of the real sales and marketing corpus
(``../shared/data/sales_marketing``, or ``$CUSTFOCUS_SHARED/data/sales_marketing``; handbooks,
product pages, launch posts and case studies from ten open-source companies) one report per
file, after stripping front matter, HTML comments, tags, template code (Hugo shortcodes,
Jinja, Svelte scripts) and code blocks. A file is sentence-bearing when at least 5 of its
scored sentences carry a label other than ``other``. Prints the quantiles of the per-file
scores (all files, and per source), the scores of the validity ladders' steps (a
self-centred half: pitch, features, generic benefit; a customer-centred half: tailored value,
SPIN discovery, playback), and the share of files and ladder steps in each band.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from custfocus import Analyzer, Document
from custfocus.readers.html import read_html
from custfocus.readers.text import read_markdown
from custfocus.scoring import BANDS, band

sys.path.insert(0, str(Path(__file__).resolve().parent))
from validity import evaluate_ladders

_FRONT = re.compile(r"\A\ufeff?---\s*\n.*?\n---\s*\n", re.S)
_STRIP = [
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"<script\b.*?</script>", re.S | re.I),
    re.compile(r"<style\b.*?</style>", re.S | re.I),
    re.compile(r"\{\{[<%].*?[%>]\}\}", re.S),  # Hugo shortcodes
    re.compile(r"\{%.*?%\}", re.S),  # Jinja statements
    re.compile(r"\{\{.*?\}\}", re.S),  # Jinja expressions
    re.compile(r"^(import|export) .*$", re.M),  # MDX
]
_TAG = re.compile(r"<[^>]+>")
MIN_LABELLED = 5
QUANTILES = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)


def shared_root() -> Path:
    env = os.environ.get("CUSTFOCUS_SHARED")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1] / ".." / "shared"


def clean(text: str, markdown: bool) -> str:
    """The file's prose: front matter, comments, template code and (for markdown) tags gone."""
    text = _FRONT.sub("", text)
    for pattern in _STRIP:
        text = pattern.sub(" ", text)
    if markdown:
        text = _TAG.sub(" ", text)
    return text


def read_clean(path: Path) -> Document | None:
    suffix = path.suffix.lower()
    raw = path.read_text(encoding="utf-8", errors="replace")
    if suffix in (".md", ".mdx", ".markdown"):
        return read_markdown(path, clean(raw, True).encode())
    if suffix in (".html", ".htm"):
        return read_html(path, clean(raw, False).encode())
    return None


def quantiles(values: list[float]) -> dict[str, float]:
    if len(values) < 2:
        return {}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {f"q{int(q * 100):02d}": round(cuts[int(q * 100) - 1], 1) for q in QUANTILES}


def corpus_scores(root: Path) -> dict[str, list[float]]:
    analyzer = Analyzer()
    per: dict[str, list[float]] = defaultdict(list)
    for manifest in sorted(root.glob("*/MANIFEST.json")):
        entries = json.loads(manifest.read_text("utf-8"))
        for entry in entries:
            score_one(analyzer, manifest.parent, manifest.parent / entry["path"], per)
    return per


def score_one(analyzer: Analyzer, source: Path, path: Path, per: dict[str, list[float]]) -> None:
    """Add the score of one corpus file (the files its source's MANIFEST.json lists)."""
    if path.is_file():
        doc = read_clean(path)
        if doc is None or not doc.segments:
            return
        report = analyzer.score_document(doc)
        labelled = sum(1 for s in report.sentences if s.scored and s.label not in (None, "other"))
        if labelled >= MIN_LABELLED:
            per[source.name].append(report.score)


def band_shares(values: list[float]) -> dict[str, float]:
    counts = {b.name: 0 for b in BANDS}
    for v in values:
        counts[band(v)] += 1
    return {k: round(n / len(values), 2) for k, n in counts.items()} if values else counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="the sales_marketing folder")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    root = args.data or shared_root() / "data" / "sales_marketing"
    if not root.is_dir():
        sys.exit(f"no corpus at {root}: pass --data or set CUSTFOCUS_SHARED")
    per = corpus_scores(root)
    everything = [s for scores in per.values() for s in scores]
    ladders = evaluate_ladders()
    low = [s for row in ladders for s in row["scores"][:3]]
    high = [s for row in ladders for s in row["scores"][3:]]
    out: dict[str, Any] = {
        "bands": [b.to_dict() for b in BANDS],
        "corpus": {"files": len(everything), **quantiles(everything)},
        "corpus_bands": band_shares(everything),
        "sources": {k: {"files": len(v), **quantiles(v)} for k, v in sorted(per.items())},
        "ladder_self_centred_steps": {"texts": len(low), **quantiles(low)},
        "ladder_customer_centred_steps": {"texts": len(high), **quantiles(high)},
        "ladder_bands": {
            "self-centred steps": band_shares(low),
            "customer-centred steps": band_shares(high),
        },
    }
    if args.json:
        print(json.dumps(out, indent=2))
        return
    print("bands: " + ", ".join(f"{b.name} [{b.low:g}, {b.high:g})" for b in BANDS))

    def line(name: str, row: dict[str, Any]) -> None:
        n = row.get("files", row.get("texts"))
        qs = "  ".join(f"{k} {v:5.1f}" for k, v in row.items() if k.startswith("q"))
        print(f"{name:<34} n={n:<4} {qs}")

    line("real corpus, per file", out["corpus"])
    for name, row in out["sources"].items():
        line(f"  {name}", row)
    line("ladders: pitch/features/generic", out["ladder_self_centred_steps"])
    line("ladders: tailored/SPIN/playback", out["ladder_customer_centred_steps"])
    print(f"share of corpus files per band: {out['corpus_bands']}")
    print(f"share of ladder steps per band: {out['ladder_bands']}")


if __name__ == "__main__":
    main()
