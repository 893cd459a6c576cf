"""Audit isolation: hostile files cost one typed row each, and every other file scores as alone.

The hostile behaviours come from a test-only scorer that the supervised workers import by
reference (``hostile``): a file named ``hang*`` never finishes, ``hog*`` allocates without
bound, ``kill*`` kills its own worker with SIGKILL (as the OOM killer would) and ``boom*``
raises a plain RuntimeError, as a reader bug would. Time limits are 1 s so the suite stays fast.
"""

from __future__ import annotations

import csv
import importlib
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import custfocus
from custfocus.audit import AuditResult
from custfocus.cli import EXIT_INTERRUPTED, EXIT_OK, EXIT_UNREADABLE, main
from custfocus.config import Settings

audit_worker = importlib.import_module("custfocus.audit.worker")
REAL_SCORE = audit_worker.score_path

pytestmark = pytest.mark.skipif(
    "forkserver" not in multiprocessing.get_all_start_methods() or sys.platform != "linux",
    reason="the memory cap and kill tests need Linux (RLIMIT_AS, fork server)",
)

GOOD = {
    "a_good.txt": "How does your team plan renewals? Your reps save hours every week.",
    "b_pitch.md": "# About us\n\nWe are the best. Our platform is award-winning.",
    "z_last.txt": "What would a faster close mean for your finance team?",
}
HOSTILE = ("boom.txt", "hang.txt", "hog.txt", "kill.txt")


def hostile(path: str, settings: Settings, keep: bool) -> AuditResult:
    """Score like custfocus does, except for the files named after a way of failing."""
    name = Path(path).name
    if name.startswith("hang"):
        time.sleep(3600)
    if name.startswith("hog"):
        hoard = []
        while True:  # untouched zero pages: address space grows, resident memory does not
            hoard.append(np.zeros(2**26))
    if name.startswith("kill"):
        os.kill(os.getpid(), signal.SIGKILL)
    if name.startswith("boom"):
        raise RuntimeError("a reader bug")
    return REAL_SCORE(path, settings, keep)


def rescored(path: str, settings: Settings, keep: bool) -> AuditResult:
    """A scorer that marks every file it sees, to prove --resume skipped finished ones."""
    raise RuntimeError("scored again")


@pytest.fixture()
def mixed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "library"
    folder.mkdir()
    for name, text in GOOD.items():
        (folder / name).write_text(text)
    for name in HOSTILE:
        (folder / name).write_text("Your team matters to us.")
    (folder / "budget.xlsx").write_bytes(b"PK\x03\x04 a spreadsheet")
    os.symlink("loop_b.txt", folder / "loop_a.txt")
    os.symlink("loop_a.txt", folder / "loop_b.txt")
    monkeypatch.setattr(audit_worker, "score_path", hostile)
    return folder


def alone(path: Path) -> dict[str, object]:
    """The row a file gets when it is the only file, scored in this process."""
    return custfocus.audit(path, isolate=False).rows[0].to_dict()


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_mixed_folder_gets_one_row_per_file_and_good_files_score_as_alone(
    mixed: Path, tmp_path: Path, jobs: int, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"report-{jobs}.csv"
    argv = ["audit", str(mixed), "-o", str(out), "--jobs", str(jobs), "--timeout", "1"]
    assert main(argv) == EXIT_UNREADABLE
    rows = {Path(r["path"]).name: r for r in csv.DictReader(out.read_text().splitlines())}
    names = sorted([*GOOD, *HOSTILE, "budget.xlsx", "loop_a.txt", "loop_b.txt"])
    assert sorted(rows) == names and len(out.read_text().splitlines()) == len(names) + 1
    kinds = {n: (rows[n]["status"], rows[n]["error_type"]) for n in (*HOSTILE, "budget.xlsx")}
    assert kinds == {
        "boom.txt": ("error", "RuntimeError"),
        "hang.txt": ("error", "FileTimeoutError"),
        "hog.txt": ("error", "WorkerMemoryError"),
        "kill.txt": ("error", "WorkerCrashedError"),
        "budget.xlsx": ("skipped", "UnsupportedFormatError"),
    }
    assert rows["loop_a.txt"]["status"] == "skipped" and "loop" in rows["loop_a.txt"]["error"]
    for name in HOSTILE:
        assert str(mixed / name) in rows[name]["error"]  # every error names its file
    assert "a reader bug" in rows["boom.txt"]["error"] and not rows["boom.txt"]["traceback"]
    for name in GOOD:
        expected = {k: "" if v is None else str(v) for k, v in alone(mixed / name).items()}
        assert rows[name] == expected
    table = capsys.readouterr().out
    assert "error: FileTimeoutError (took longer than the 1 s limit (--timeout))" in table
    assert "by extension:" in table and ".xlsx 1 skipped" in table


def test_the_debug_flag_keeps_the_traceback_of_an_unexpected_error(
    mixed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.jsonl"
    argv = ["audit", str(mixed / "boom.txt"), str(mixed / "a_good.txt"), "-o", str(out)]
    assert main([*argv, "--debug"]) == EXIT_UNREADABLE
    boom = json.loads(out.read_text().splitlines()[0])
    assert boom["error_type"] == "RuntimeError" and "Traceback" in boom["traceback"]
    assert "RuntimeError: a reader bug" in capsys.readouterr().err


def test_stopping_an_audit_on_a_hung_file_kills_its_worker(mixed: Path) -> None:
    before = set(multiprocessing.active_children())
    results = iter(custfocus.audit([mixed / "a_good.txt", mixed / "hang.txt"], timeout=None))
    assert next(results).row.status == "ok"
    results.close()  # type: ignore[attr-defined]
    assert not set(multiprocessing.active_children()) - before


def test_resume_keeps_finished_rows_and_scores_only_the_rest(
    mixed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "small"
    folder.mkdir()
    for name, text in GOOD.items():
        (folder / name).write_text(text)
    out = tmp_path / "report.csv"
    monkeypatch.setattr(audit_worker, "score_path", REAL_SCORE)
    assert main(["audit", str(folder), "-o", str(out)]) == EXIT_OK
    full = out.read_text()
    lines = full.splitlines(keepends=True)
    out.write_text("".join(lines[:3]) + lines[3][:10])  # killed while writing the last row
    monkeypatch.setattr(audit_worker, "score_path", rescored)
    assert main(["audit", str(folder), "-o", str(out), "--resume"]) == EXIT_UNREADABLE
    rows = list(csv.DictReader(out.read_text().splitlines()))
    assert [r["error"] for r in rows[:2]] == ["", ""]  # the two finished files were kept
    assert [Path(r["path"]).name for r in rows] == sorted(GOOD)
    assert "scored again" in rows[2]["error"]  # only the unfinished one ran again


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_audit_keeps_the_rows_it_finished_and_exits_130(
    mixed: Path, tmp_path: Path, sig: int
) -> None:
    out = tmp_path / "report.jsonl"
    files = [str(mixed / "a_good.txt"), str(mixed / "hang.txt"), str(mixed / "z_last.txt")]
    script = (
        "import importlib, sys, test_audit_isolation as t\n"
        "importlib.import_module('custfocus.audit.worker').score_path = t.hostile\n"
        "from custfocus.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), *sys.path])}
    cmd = [sys.executable, "-c", script, "audit", *files, "-o", str(out), "--timeout", "60"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not (out.exists() and out.read_text().count("\n") >= 1):
        assert time.monotonic() < deadline and proc.poll() is None, "the audit did not start"
        time.sleep(0.05)
    proc.send_signal(sig)  # the audit is now stuck on hang.txt
    assert proc.wait(timeout=30) == EXIT_INTERRUPTED
    assert proc.stderr is not None and "Traceback" not in proc.stderr.read().decode()
    proc.stderr.close()
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(Path(r["path"]).name, r["status"]) for r in rows] == [("a_good.txt", "ok")]
