"""Audit speed-up with two processes, and memory as the number of files grows.

    python benchmarks/audit_parallel.py [--files 1000]

Writes a generated collection of text files to a temporary folder, sized like real
collateral (emails of 100-300 words, one-pagers of 400-900, call transcripts of 2,500-6,000),
then times the command line ``custfocus audit FOLDER --jobs 1`` and ``--jobs 2`` end to end
(start-up included in both) in the same run and prints the speed-up (goal >= 1.7 on a
2-core machine). It also prints the CPU seconds each run used in all its processes (fork
server and workers included): a figure that stays comparable when other programs keep the
machine busy. Last, it streams the audit of a quarter of the files and then all of them
from this process and prints the peak traced memory of each (this process only: the files
are scored in worker processes), which should not grow with the number of files.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from _children import adopt_orphans, reap_all

SELLER = [
    "We at Acme build the leading platform.",
    "Our engine has 200 integrations.",
    "We were founded in 2009.",
    "Our award-winning team is world-class.",
]
BUYER = [
    "How does your team handle renewals today?",
    "What does a late quote cost you?",
    "Your reps would get five hours back a week.",
    "Your finance team closes sooner.",
]


def write_corpus(folder: Path, n: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    sizes = {0: (50, 110), 1: (350, 800), 2: (15, 40)}  # sentences: one-pager, call, email
    for i in range(n):
        kind = i % 3
        sentences = [rng.choice(SELLER + BUYER) for _ in range(rng.randint(*sizes[kind]))]
        if kind == 0:
            text = "\n\n".join(" ".join(sentences[j : j + 4]) for j in range(0, len(sentences), 4))
            (folder / f"doc{i:05d}.md").write_text(f"# Proposal {i}\n\n{text}\n")
        elif kind == 1:
            lines = [f"[00:{j // 60:02d}:{j % 60:02d}] {'Sam' if j % 2 else 'Dana'}: {s}"
                     for j, s in enumerate(sentences)]  # fmt: skip
            (folder / f"call{i:05d}.txt").write_text("\n".join(lines) + "\n")
        else:
            body = " ".join(sentences)
            (folder / f"mail{i:05d}.eml").write_text(
                f"From: sam@acme.example\nTo: dana@globex.example\nSubject: Note {i}\n\n{body}\n"
            )


def timed_cli(folder: Path, n_jobs: int) -> tuple[float, float]:
    """Wall time of the command line audit, start-up included, and the CPU seconds it and
    every process it started used (a figure the load of other programs does not change)."""
    out = folder.parent / f"rows-{n_jobs}.csv"
    cmd = [sys.executable, "-m", "custfocus.cli", "audit", str(folder), "--jobs", str(n_jobs),
           "--seller", "Acme", "-o", str(out), "--force"]  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    reap_all()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def peak_streaming(files: list[Path]) -> float:
    from custfocus.audit import Audit
    from custfocus.config import Settings

    tracemalloc.start()
    for _ in Audit([str(f) for f in files], Settings(seller=("Acme",))):
        pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=1000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "collateral"
        folder.mkdir()
        write_corpus(folder, args.files)
        words = sum(len(f.read_text().split()) for f in folder.iterdir())
        whole = adopt_orphans()
        one, cpu_one = timed_cli(folder, 1)
        two, cpu_two = timed_cli(folder, 2)
        rows_one = (Path(tmp) / "rows-1.csv").read_text()
        assert rows_one == (Path(tmp) / "rows-2.csv").read_text(), "parallel rows differ"
        print(f"{args.files} files, {words:,} words")
        print(f"custfocus audit --jobs 1: {one:.1f} s; --jobs 2: {two:.1f} s (same rows)")
        print(f"speed-up with 2 processes: {one / two:.2f}x (goal >= 1.7)")
        scope = "all processes" if whole else "the command only"
        print(f"CPU seconds ({scope}): --jobs 1: {cpu_one:.1f}; --jobs 2: {cpu_two:.1f}")
        files = sorted(folder.iterdir())
        peak_streaming(files[:3])  # build the analyzer (model, lexicons) outside the measure
        small = peak_streaming(files[: len(files) // 4])
        full = peak_streaming(files)
        print(f"peak traced memory streaming {len(files) // 4} files: {small:.1f} MB")
        print(f"peak traced memory streaming {len(files)} files: {full:.1f} MB")


if __name__ == "__main__":
    main()
