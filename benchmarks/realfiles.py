"""Read and score every file of ../shared/realfiles, each under a time and memory limit.

    python benchmarks/realfiles.py [--timeout 60] [--folder PATH] [--hostile] [--big]

Prints counts by outcome (ok / typed error by class / untyped error / timeout / crash), by
extension, and the slowest files. ``--hostile`` adds the generated hostile corpus of
``tests/hostile.py`` (``--big`` its full-size cases: a 120 MB text, a 150 MB-text docx).
Exits 1 when any file ends untyped, in a timeout or a crash: the readers' promise is that
every file reads or raises a typed error naming it, in bounded time. Skips cleanly (exit 0)
when the real files are absent, as in a public checkout.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from isolated import Isolated, Outcome  # noqa: E402


def shared() -> Path:
    return Path(os.environ.get("CUSTFOCUS_SHARED", ROOT / ".." / "shared"))


def make_analyzer() -> Any:
    from custfocus import Analyzer

    return Analyzer()


def score(analyzer: Any, path: str) -> tuple[int, float]:
    from custfocus.readers import read

    doc = read(path)
    report = analyzer.score_document(doc)
    return len(doc.segments), float(report.score)


def label(out: Outcome) -> str:
    if out.status == "typed":
        return f"typed {out.error}"
    if out.status == "untyped":
        return f"UNTYPED {out.error}"
    return out.status.upper() if out.status != "ok" else "ok"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--folder", type=Path, default=None)
    ap.add_argument("--hostile", action="store_true", help="add the generated hostile corpus")
    ap.add_argument("--big", action="store_true", help="with --hostile: the full-size cases")
    ap.add_argument("--slowest", type=int, default=8)
    args = ap.parse_args()
    folder = args.folder or shared() / "realfiles"
    files: list[Path] = []
    if folder.is_dir():
        files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in (
            "MANIFEST.tsv", "README.md"))  # fmt: skip
    elif not args.hostile:
        print(f"skipped: {folder} not found (real files are not in a public checkout)")
        return 0
    tmp = tempfile.TemporaryDirectory(prefix="custfocus-hostile-")
    if args.hostile:
        from hostile import write_hostile_corpus

        files += write_hostile_corpus(Path(tmp.name), big=args.big)
    began = time.perf_counter()
    results: dict[Path, Outcome] = {}
    with Isolated(timeout=args.timeout, setup=make_analyzer) as worker:
        for path in files:
            results[path] = worker.call(score, str(path))
    wall = time.perf_counter() - began
    tmp.cleanup()

    counts = Counter(label(o) for o in results.values())
    by_ext: Counter[tuple[str, str]] = Counter(
        (p.suffix.lower() or "(none)", "ok" if o.status == "ok" else "error" if o.status ==
         "typed" else "FAIL") for p, o in results.items()
    )  # fmt: skip
    print(f"{len(files)} files ({folder}{' + hostile corpus' if args.hostile else ''}), "
          f"read and scored in {wall:.1f} s, limit {args.timeout:.0f} s per file")  # fmt: skip
    print("\noutcome                                   files")
    for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {key:40s} {n}")
    print("\nextension   ok  error  FAIL")
    for ext in sorted({e for e, _ in by_ext}):
        print(
            f"  {ext:8s} {by_ext[ext, 'ok']:4d} {by_ext[ext, 'error']:6d} {by_ext[ext, 'FAIL']:5d}"
        )
    print(f"\nslowest {args.slowest}:")
    for path, out in sorted(results.items(), key=lambda kv: -kv[1].seconds)[: args.slowest]:
        print(f"  {out.seconds:7.2f} s  {label(out):28s} {path.relative_to(path.parents[1])}")
    failed = {p: o for p, o in results.items() if o.status not in ("ok", "typed")}
    for path, out in failed.items():
        print(f"\nFAIL {path}: {label(out)}\n{out.detail}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
