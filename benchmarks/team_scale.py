"""What the team bookkeeping costs an audit: time (with vs without, same run) and memory.

    python benchmarks/team_scale.py [--files 1000 5000 10000] [--jobs 2]

Writes generated small files (emails, short calls, short account plans; 3 reps, 20
accounts) and a manifest to a temporary folder, then audits each size twice in this
way (``--repeats`` times each, alternating the order, the fastest of each kept):

- **plain**: no manifest, no inference (``infer_context=False``), no team statements;
- **team**: the manifest, context inference on every file, each file's team statements
  spilled to disk, then ``Audit.by("rep")``, ``Audit.by("account")`` and ``Audit.team()``
  (messages, customer voice and flags, which read every statement once). The files here
  repeat a few sentences, so there are few distinct claims to group: what grouping costs
  as distinct claims grow (with their square) is ``team_analysis_scale.py``'s figure.

Each audit runs in a fresh process. It prints the wall seconds of each and their ratio, the
CPU seconds of each run's processes (the audit, its fork server and workers: a figure the
load of other programs changes less than wall time) and their ratio (goal: team / plain
< 1.20), the CPU seconds of the audit's own process (the parent) plain/team, and the peak
memory traced in the audit's own process (the parent: files are scored in worker
processes) in one more, traced, team run. The audit itself keeps rows only (a few KB a
file, never the reports); ``Audit.team()`` then holds the claims and customer statements it
groups, so the peak also grows with the statements.

On a busy machine even CPU seconds of the same audit differ by a third between runs, so it
also scores every file in one process with the two modes alternating every 25 files (the
workers' share of the cost, measured so that load hits both alike) and prints the audit's
ratio with that share and the parent's CPU seconds measured above. The default sizes (500,
1,000, 2,000 files) run in a few minutes on 2 cores; ``--files 1000 5000 10000`` gives the
issue's.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from _children import adopt_orphans, reap_all

REPS = ("Priya Shah", "Sam Rivera", "Leo Park")
ACCOUNTS = tuple(f"Account{i:02d} Group" for i in range(20))
SELLER = [
    "We at Northwind build the leading forecasting platform.",
    "Our engine has 200 integrations and award-winning support.",
    "Our platform replaces spreadsheet consolidation with one live forecast.",
    "We can be live in weeks on your own data.",
]
BUYER = [
    "We merge twelve spreadsheets by hand every month.",
    "Our CFO does not trust the forecast we send.",
    "We lost two customers last quarter without any warning.",
    "Security reviews take us three months for every vendor.",
]


def real_pools(data: Path) -> tuple[list[str], list[str]]:
    """Seller sentences (the ten companies' sales and marketing text) and buyer sentences
    (Persuasion for Good persuadees, CaSiNo campers), distinct, in a seeded order."""
    from custfocus.corpus import casino_turns, pfg_sentences, sales_sentences

    seller = list(dict.fromkeys(" ".join(x.text.split()) for x in sales_sentences(data)))
    buyer = [x.text for x in pfg_sentences(data, annotated=False) if x.speaker == "persuadee"]
    buyer += [text for _, _, text, _ in casino_turns(data)]
    buyer = list(dict.fromkeys(" ".join(t.split()) for t in buyer if len(t.split()) >= 4))
    random.Random(5).shuffle(seller)
    random.Random(6).shuffle(buyer)
    return seller, buyer


def write_corpus(
    folder: Path, n: int, seed: int = 11, pools: tuple[list[str], list[str]] | None = None
) -> Path:
    """``n`` files and a manifest (``manifest.csv`` next to the folder); returns its path.

    ``pools`` (seller, buyer sentences) replaces the few generated sentences with real ones,
    so the library holds as many distinct claims and customer statements as real text gives.
    """
    rng = random.Random(seed)
    seller_pool, buyer_pool = pools if pools is not None else (SELLER, BUYER)
    lines = ["path,rep,account,offering,date,genre"]
    for i in range(n):
        rep, account = REPS[i % 3], ACCOUNTS[rng.randrange(len(ACCOUNTS))]
        short = account.split()[0]
        kind = i % 3
        if kind == 0:
            body = " ".join(rng.choice(seller_pool) for _ in range(rng.randint(5, 12)))
            name, genre = f"mail{i:05d}.eml", "email"
            text = (
                f"From: {rep} <rep@northwind-analytics.example>\n"
                f"To: buyer@{short.lower()}.example\nSubject: Note {i}\n"
                f"Date: Mon, 9 Nov 2026 08:30:00 -0800\n\nHi {short} team,\n\n{body}\n"
            )
        elif kind == 1:
            turns = []
            for j in range(rng.randint(8, 20)):
                said = (
                    f"{rep}: {rng.choice(seller_pool)}"
                    if j % 2 == 0
                    else f"Buyer: {rng.choice(buyer_pool)}"
                )
                turns.append(f"[00:{j // 60:02d}:{j % 60:02d}] {said}")
            name, genre, text = f"call{i:05d}.txt", "call", "\n".join(turns) + "\n"
        else:
            body = "\n\n".join(
                f"{short} " + rng.choice(buyer_pool) for _ in range(rng.randint(4, 10))
            )
            name, genre = f"plan{i:05d}.md", "account plan"
            text = f"# Account plan: {account}\n\nOwner: {rep}\n\n{body}\n"
        (folder / name).write_text(text, encoding="utf-8")
        lines.append(f"{name},{rep},{account},Northwind Forecast,2026-{1 + i % 12:02d},{genre}")
    manifest = folder.parent / f"{folder.name}-manifest.csv"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # The manifest's paths are relative to its folder: rewrite them relative to it.
    rel = folder.name
    manifest.write_text(
        "\n".join([lines[0], *(f"{rel}/{row}" for row in lines[1:])]) + "\n", encoding="utf-8"
    )
    return manifest


def run(
    folder: Path, manifest: Path, jobs: int, team: bool, trace: bool = False
) -> tuple[float, float, int, int]:
    """Seconds, CPU seconds of this process (the parent), peak traced bytes in it (0 unless
    ``trace``: tracing slows every allocation, so timed runs do not trace), statements seen."""
    from custfocus.audit import audit

    if trace:
        tracemalloc.start()
    t = time.perf_counter()
    if team:
        job = audit(folder, manifest=manifest, n_jobs=jobs, keep_reports=False)
        job.run()
        job.by("rep")
        job.by("account")
        report = job.team()
        # Counted from the groups (each statement is in one), not by reading them all again:
        # that pass is the benchmark's bookkeeping, not work an audit does.
        seen = sum(len(g.statements) for g in report.messages.groups) + sum(
            len(t.statements) for t in report.voice.themes
        )
    else:
        job = audit(folder, n_jobs=jobs, keep_reports=False, infer_context=False, team=False)
        job.run()
        seen = 0
    seconds = time.perf_counter() - t
    parent_cpu = time.process_time()
    peak = 0
    if trace:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert all(r.status == "ok" for r in job.rows), [r.error for r in job.rows if r.error]
    return seconds, parent_cpu, peak, seen


def measure(
    folder: Path, manifest: Path, jobs: int, team: bool, trace: bool = False
) -> tuple[float, float, float, int, int]:
    """One audit in a fresh process: wall seconds, CPU seconds of it and all its workers,
    CPU seconds of its parent process alone, peak traced bytes of it, statements seen."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(
        [sys.executable, __file__, "--one", ("team" if team else "plain") + ("+trace" * trace),
         str(folder), str(manifest), "--jobs", str(jobs)],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    reap_all()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    data = json.loads(out.strip().splitlines()[-1])
    return data["seconds"], cpu, data["parent"], data["peak"], data["statements"]


def per_file(folder: Path, manifest: Path, chunk: int = 25) -> tuple[float, float, int]:
    """CPU seconds of scoring every file in this process, plain and team, the two modes
    alternating every ``chunk`` files: a busy spell on a shared machine hits both alike,
    which two whole audits one after the other cannot promise. Returns (plain, team, files)."""
    from custfocus.audit import audit
    from custfocus.audit.worker import score_path

    paths = sorted(str(p) for p in folder.iterdir())
    settings = {
        False: audit(folder, keep_reports=False, infer_context=False, team=False).settings,
        True: audit(folder, manifest=manifest, keep_reports=False).settings,
    }
    for team_on in (False, True):  # warm: imports, the manifest, the analyzer
        for p in paths[:chunk]:
            score_path(p, settings[team_on], keep_report=False)
    spent = {False: 0.0, True: 0.0}
    for k, a in enumerate(range(0, len(paths), chunk)):
        for team_on in (False, True) if k % 2 == 0 else (True, False):
            t = time.process_time()
            for p in paths[a : a + chunk]:
                score_path(p, settings[team_on], keep_report=False)
            spent[team_on] += time.process_time() - t
    return spent[False], spent[True], len(paths)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, nargs="+", default=[500, 1000, 2000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2, help="runs of each, best kept")
    parser.add_argument("--real", action="store_true",
                        help="files made of real sentences from ../shared/data (or "
                             "$CUSTFOCUS_SHARED/data) instead of a few generated ones")  # fmt: skip
    parser.add_argument("--one", nargs=3, metavar=("MODE", "FOLDER", "MANIFEST"),
                        help=argparse.SUPPRESS)  # fmt: skip
    parser.add_argument("--per-file", nargs=2, metavar=("FOLDER", "MANIFEST"),
                        help=argparse.SUPPRESS)  # fmt: skip
    args = parser.parse_args()
    if args.per_file:
        plain_s, team_s, n_files = per_file(Path(args.per_file[0]), Path(args.per_file[1]))
        print(json.dumps({"plain": plain_s, "team": team_s, "files": n_files}))
        return 0
    if args.one:
        mode, folder, manifest = args.one
        team_on, trace = mode.startswith("team"), mode.endswith("+trace")
        seconds, parent, peak, seen = run(Path(folder), Path(manifest), args.jobs, team_on, trace)
        print(json.dumps({"seconds": seconds, "parent": parent, "peak": peak, "statements": seen}))
        return 0
    pools = None
    if args.real:
        env = os.environ.get("CUSTFOCUS_SHARED")
        data = (
            Path(env) if env else Path(__file__).resolve().parents[1] / ".." / "shared"
        ) / "data"
        if not data.is_dir():
            print(f"skipped: {data} not found (set CUSTFOCUS_SHARED)")
            return 0
        pools = real_pools(data)
        print(f"real sentences: {len(pools[0])} seller, {len(pools[1])} buyer")
    whole = adopt_orphans()
    print(f"CPU seconds: {'every process of a run' if whole else 'the run process only'}")
    print(f"{'files':>6}  {'plain s':>8}  {'team s':>8}  {'ratio':>6}  {'plain cpu':>9}  "
          f"{'team cpu':>9}  {'ratio':>6}  {'parent':>13}  {'peak MB':>8}  {'B/file':>7}  "
          "statements")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        for k, n in enumerate(args.files):
            folder = Path(tmp) / f"files-{n}"
            folder.mkdir()
            manifest = write_corpus(folder, n, pools=pools)
            results: dict[bool, list[tuple[float, float, float, int, int]]] = {False: [], True: []}
            for r in range(args.repeats):  # alternating, so a busy spell hits both
                for team_on in (False, True) if (k + r) % 2 == 0 else (True, False):
                    results[team_on].append(measure(folder, manifest, args.jobs, team_on))
            wall = {t: min(x[0] for x in results[t]) for t in results}  # least disturbed
            cpu = {t: min(x[1] for x in results[t]) for t in results}
            parent = {t: min(x[2] for x in results[t]) for t in results}
            _, _, _, peak, seen = measure(folder, manifest, args.jobs, True, trace=True)
            w_ratio = wall[True] / wall[False]
            print(f"{n:>6}  {wall[False]:8.1f}  {wall[True]:8.1f}  {w_ratio:6.2f}  "
                  f"{cpu[False]:9.1f}  {cpu[True]:9.1f}  {cpu[True] / cpu[False]:6.2f}  "
                  f"{parent[False]:6.2f}/{parent[True]:6.2f}  "
                  f"{peak / 2**20:8.1f}  {peak / n:7.0f}  {seen}", flush=True)  # fmt: skip
            last = (folder, manifest, cpu, parent)
        # The workers' share measured again, the two modes interleaved in one process.
        folder, manifest, cpu, parent = last
        out = subprocess.run(
            [sys.executable, __file__, "--per-file", str(folder), str(manifest)],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        got = json.loads(out.strip().splitlines()[-1])
        scoring = got["team"] / got["plain"]
        workers = cpu[False] - parent[False]  # the plain audit's CPU outside its parent
        combined = (workers * scoring + parent[True]) / (workers + parent[False])
        print(f"\nper-file scoring, plain and team interleaved every 25 files in one process "
              f"({got['files']} files): {got['plain']:.1f} vs {got['team']:.1f} CPU s, "
              f"ratio {scoring:.2f}")  # fmt: skip
        print(f"audit CPU ratio with the workers' share from that ratio and the parent's "
              f"measured above: {combined:.2f} (goal < 1.20)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
