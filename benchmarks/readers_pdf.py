"""Compare pypdfium2 and pypdf as the PDF text backend on the real PDFs in ../shared/realfiles.

    python benchmarks/readers_pdf.py [--timeout 30] [--folder PATH]

Each backend extracts every page's text of every PDF in its own worker process, under a
time limit per file; the script prints, for each backend, the total time, the outcome counts
(text / no text / error by class / timeout / crash) and how far the two texts agree.
Needs both packages (``pip install pypdfium2 pypdf cryptography``); skips when the folder
is absent.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from isolated import Isolated, Outcome  # noqa: E402


def shared() -> Path:
    return Path(os.environ.get("CUSTFOCUS_SHARED", ROOT / ".." / "shared"))


def with_pypdfium2(path: str) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        texts = []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        pdf.close()


def with_pypdf(path: str) -> list[str]:
    import pypdf

    reader = pypdf.PdfReader(path)
    if reader.is_encrypted:
        reader.decrypt("")
    return [page.extract_text() or "" for page in reader.pages]


def words(texts: list[str]) -> set[str]:
    return {w.lower() for t in texts for w in t.split() if w.isalpha()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--folder", type=Path, default=None)
    args = ap.parse_args()
    folder = args.folder or shared() / "realfiles" / "pdf"
    if not folder.is_dir():
        print(f"skipped: {folder} not found (real files are not in a public checkout)")
        return 0
    files = sorted(folder.glob("*.pdf"))
    results: dict[str, dict[Path, Outcome]] = {}
    for name, func in (("pypdfium2", with_pypdfium2), ("pypdf", with_pypdf)):
        with Isolated(timeout=args.timeout) as worker:
            results[name] = {f: worker.call(func, str(f)) for f in files}
    print(f"{len(files)} PDFs in {folder}")
    for name, res in results.items():
        counts: Counter[str] = Counter()
        for out in res.values():
            if out.status == "ok":
                counts["text" if any(t.strip() for t in out.value) else "no text"] += 1
            else:
                counts[f"{out.status} {out.error}".strip()] += 1
        total = sum(o.seconds for o in res.values())
        slow = max(res.items(), key=lambda kv: kv[1].seconds)
        print(f"\n{name}: {total:.2f} s in all; slowest {slow[0].name} {slow[1].seconds:.2f} s")
        for key, n in sorted(counts.items()):
            print(f"  {key:40s} {n}")
    both = [
        f
        for f in files
        if results["pypdfium2"][f].status == "ok" and results["pypdf"][f].status == "ok"
    ]
    agree = []
    for f in both:
        a, b = words(results["pypdfium2"][f].value), words(results["pypdf"][f].value)
        if a or b:
            agree.append(len(a & b) / len(a | b))
    if agree:
        mean = sum(agree) / len(agree)
        print(f"\nword-set agreement (Jaccard) on {len(agree)} PDFs both read: mean {mean:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
