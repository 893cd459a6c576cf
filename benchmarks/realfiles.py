"""Read and score every file of ../shared/realfiles, each under a time and memory limit.

    python benchmarks/realfiles.py [--timeout 60] [--folder PATH] [--hostile] [--big]
    python benchmarks/realfiles.py --mutate 8 --seed 1 [--stack 1] [--no-rename] [--converted]
                                   [--audit] [--strict]

Prints counts by outcome (ok / typed error by class / untyped error / timeout / crash), by
extension, and the slowest files. ``--hostile`` adds the generated hostile corpus of
``tests/hostile.py`` (``--big`` its full-size cases: a 120 MB text, a 150 MB-text docx).

``--mutate N`` reads damaged copies instead (``tests/mutants.py``, written to a temporary
folder, never into the repository): per real file, N seeded mutants (truncations, byte
flips, zeroed and duplicated ranges, zero padding, bad encodings; inner zip members
truncated, garbled, dropped or damaged in place; PDF xref, trailer and stream damage;
``--stack K`` applies K operators to each) and, unless ``--no-rename``, its bytes under
every other native suffix (``--converted`` adds the LibreOffice ones, slow). Counts are
printed by outcome and by operator. ``--audit`` then runs ``custfocus audit`` over the
folder of mutants and checks every file has one row and the exit status is 0 or 3. Errors
that only ``read()``'s catch-all turned into a ParserError ("the reader failed (...)") are
listed: typed, but a reader boundary should name them; ``--strict`` counts them as
failures. ``--mutate 8`` (with the renames, 2,600 reads) takes about 1.5 minutes on 2
cores, ``--audit`` about 1.5 more.

Exits 1 when any file ends untyped, in a timeout, a crash or out of memory: the readers'
promise is that every file reads or raises a typed error naming it, in bounded time and
memory. Skips cleanly (exit 0) when the real files are absent, as in a public checkout.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
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
    if out.status == "typed" and "ran out of memory" in out.detail:
        return f"MEMORY {out.error}"
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
    ap.add_argument("--mutate", type=int, metavar="N", help="N damaged copies of each file")
    ap.add_argument("--seed", type=int, default=1, help="with --mutate: the mutants' seed")
    ap.add_argument("--stack", type=int, default=1, help="with --mutate: operators per mutant")
    ap.add_argument("--no-rename", action="store_true", help="with --mutate: no suffix swaps")
    ap.add_argument("--converted", action="store_true", help="also rename to .doc, .ppt...")
    ap.add_argument("--audit", action="store_true", help="with --mutate: audit the mutants")
    ap.add_argument(
        "--strict", action="store_true", help="with --mutate: fail on read()'s catch-all too"
    )
    args = ap.parse_args()
    if args.mutate is not None:
        return mutate(args)
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
    failed = {p: o for p, o in results.items() if failing(o)}
    for path, out in failed.items():
        print(f"\nFAIL {path}: {label(out)}\n{out.detail}")
    return 1 if failed else 0


#: How ``read()`` words an exception no reader named (see ``custfocus.readers._guarded``).
CATCH_ALL = "the reader failed ("


def failing(out: Outcome) -> bool:
    """Untyped, a timeout, a crash, or a typed error that is a memory blow-up in disguise."""
    return out.status not in ("ok", "typed") or label(out).startswith("MEMORY")


def mutate(args: argparse.Namespace) -> int:
    """Read every mutant of every real file; print counts; exit 1 on any failure."""
    from mutants import mutants, renamed

    folder = args.folder or shared() / "realfiles"
    if not folder.is_dir():
        print(f"skipped: {folder} not found (real files are not in a public checkout)")
        return 0
    seeds = sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in (
        "MANIFEST.tsv", "README.md"))  # fmt: skip
    # Readers get 20 s; a LibreOffice conversion is bounded by its own limit, so renames to
    # .doc, .ppt... get that limit and a little more.
    from custfocus.readers.convert import CONVERT_TIMEOUT

    timeout = CONVERT_TIMEOUT + 10 if args.converted else min(args.timeout, 20.0)
    tmp = tempfile.TemporaryDirectory(prefix="custfocus-mutants-")
    out_dir = Path(tmp.name)
    results: dict[str, tuple[str, Outcome]] = {}  # mutant name -> (operator, outcome)
    began = time.perf_counter()
    with Isolated(timeout=timeout, setup=make_analyzer) as worker:
        for i, seed in enumerate(seeds):
            made = list(mutants(seed, args.mutate, args.seed, stack=args.stack))
            if not args.no_rename:
                made += renamed(seed, converted=args.converted)
            for name, data in made:
                path = out_dir / f"{i:03d}-{seed.parent.name}__{name}"  # unique names
                path.write_bytes(data)
                op = name.rsplit(".", 2)[-2].split("-", 1)[-1] if ".as-" not in name else (
                    f"rename to {path.suffix}")  # fmt: skip
                results[path.name] = (op, worker.call(score, str(path)))
                if not args.audit:
                    path.unlink()
    wall = time.perf_counter() - began
    counts = Counter(label(o) for _, o in results.values())
    print(f"{len(results)} mutants of {len(seeds)} files ({folder}), --mutate {args.mutate} "
          f"--seed {args.seed} --stack {args.stack}{'' if args.no_rename else ' + renames'}, "
          "read and scored in "
          f"{wall:.1f} s, limit {timeout:.0f} s per file")  # fmt: skip
    print("\noutcome                                   mutants")
    for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {key:40s} {n}")
    by_op: Counter[tuple[str, str]] = Counter(
        (op, "FAIL" if failing(o) else o.status) for op, o in results.values()
    )
    print("\noperator                 ok  typed  FAIL")
    for op in sorted({op for op, _ in by_op}):
        print(f"  {op:20s} {by_op[op, 'ok']:5d} {by_op[op, 'typed']:6d} {by_op[op, 'FAIL']:5d}")
    print(f"\nslowest {args.slowest}:")
    ranked = sorted(results.items(), key=lambda kv: -kv[1][1].seconds)
    for name, (_, out) in ranked[: args.slowest]:
        print(f"  {out.seconds:7.2f} s  {label(out):28s} {name}")
    fallback = Counter(
        o.detail.split(CATCH_ALL, 1)[1].split(":", 1)[0] for _, o in results.values()
        if o.error == "ParserError" and CATCH_ALL in o.detail
    )  # fmt: skip
    if fallback:
        print("\ncaught only by read()'s catch-all (a reader boundary should name these):")
        for kind, n in fallback.most_common():
            print(f"  {kind:40s} {n}")
    failed = {n: o for n, (_, o) in results.items() if failing(o)}
    for name, out in failed.items():
        print(f"\nFAIL {name}: {label(out)}\n{out.detail}")
    bad_audit = audit_mutants(out_dir, len(results), timeout) if args.audit else False
    tmp.cleanup()
    late = args.strict and bool(fallback)
    return 1 if failed or bad_audit or late else 0


def audit_mutants(folder: Path, expected: int, timeout: float) -> bool:
    """Run ``custfocus audit`` over the mutants; True when a row is missing or the exit
    status is not 0 or 3 (every file scored, or some file could not be read)."""
    report = folder.parent / f"{folder.name}-audit.csv"
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "custfocus.cli", "audit", str(folder), "-o", str(report),
         "--timeout", str(timeout), "--force"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    wall = time.perf_counter() - began
    rows: list[dict[str, str]] = []
    if report.is_file():
        with report.open(newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        report.unlink()
    status = Counter(r.get("status", "?") for r in rows)
    named = {Path(r.get("path", "")).name for r in rows}
    missing = expected - len(named & {p.name for p in folder.iterdir()})
    print(f"\naudit of {expected} mutants: exit {done.returncode} in {wall:.1f} s, "
          f"{len(rows)} rows {dict(status)}, {missing} files without a row")  # fmt: skip
    if done.returncode not in (0, 3) or missing:
        print(done.stderr[-2000:])
        return True
    return False


if __name__ == "__main__":
    raise SystemExit(main())
