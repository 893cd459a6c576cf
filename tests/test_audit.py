"""Auditing many files: rows in order, errors as rows, writers, parallel and Dask."""

from __future__ import annotations

import importlib
import json
import multiprocessing
import os
import signal
import time
from pathlib import Path

import joblib
import pytest
from _helpers import HTMLCollector

import custfocus
from custfocus.audit import ROW_FIELDS, AuditResult, discover

#: The module (``custfocus.audit`` the attribute is the function of the same name).
audit_module = importlib.import_module("custfocus.audit")

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
NAMES = {"seller": ["Northwind", "Northwind Forecast"], "customer": ["Globex", "Initech"]}


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    (tmp_path / "good.txt").write_text("How does your team plan renewals? Your reps save hours.")
    (tmp_path / "bad.md").write_text(
        "# About us\n\nWe are the best. Our platform is award-winning."
    )
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "deck.pptx").write_bytes(b"%PDF-1.4 not a deck")
    (tmp_path / "notes.xyz").write_text("ignored: not a format custfocus reads")
    return tmp_path


needs_forkserver = pytest.mark.skipif(
    "forkserver" not in multiprocessing.get_all_start_methods(),
    reason="the local pool needs the forkserver start method (joblib is used without it)",
)


def _no_joblib(*args: object, **kwargs: object) -> None:
    raise AssertionError("this audit should not go through joblib")


def _no_pool(*args: object, **kwargs: object) -> None:
    raise AssertionError("this audit should not use the local pool")


def _always_die(paths: list[str]) -> list[AuditResult]:
    """Pool task for workers that cannot work at all (as with an unguarded ``__main__``)."""
    os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError("unreachable")


def _die_on_crash_files(paths: list[str]) -> list[AuditResult]:
    """Pool task for the crash test: the worker is killed (as by the OOM killer) on crash*."""
    if any(Path(p).name.startswith("crash") for p in paths):
        os.kill(os.getpid(), signal.SIGKILL)
    return audit_module._score_chunk(paths)


def test_discover_expands_folders_in_sorted_order_and_skips_unknown_formats(folder: Path) -> None:
    found = [Path(p).relative_to(folder).as_posix() for p in discover([folder])]
    assert found == ["bad.md", "empty.txt", "good.txt", "sub/deck.pptx"]
    assert len(discover([folder], recursive=False)) == 3


def test_a_bad_file_is_a_row_with_its_error_and_every_other_file_is_scored(folder: Path) -> None:
    result = custfocus.audit(folder)
    rows = {Path(r.path).name: r for r in result.rows}
    assert (
        rows["empty.txt"].status == "error" and rows["empty.txt"].error_type == "EmptyDocumentError"
    )
    assert rows["deck.pptx"].error_type == "FormatMismatchError"
    assert str(folder / "sub" / "deck.pptx") in (rows["deck.pptx"].error or "")
    assert rows["good.txt"].status == "ok" and rows["bad.md"].status == "ok"
    assert (rows["good.txt"].score or 0) > (rows["bad.md"].score or 100)
    assert len(result.errors) == 2


def test_writers_share_the_documented_columns(folder: Path, tmp_path: Path) -> None:
    result = custfocus.audit(folder)
    csv_text = result.to_csv(tmp_path / "a.csv")
    assert csv_text.splitlines()[0].split(",") == list(ROW_FIELDS)
    lines = result.to_json().splitlines()
    assert [list(json.loads(x)) for x in lines] == [list(ROW_FIELDS)] * 4
    frame = result.to_frame()
    assert list(frame.columns) == list(ROW_FIELDS) and len(frame) == 4


def test_parallel_audit_gives_the_same_rows_in_the_same_order(folder: Path) -> None:
    serial = [r.to_dict() for r in custfocus.audit(folder).rows]
    parallel = [r.to_dict() for r in custfocus.audit(folder, n_jobs=2).rows]
    assert parallel == serial


@needs_forkserver
def test_the_local_pool_gives_the_serial_rows_errors_and_reports_in_order(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit_module, "Parallel", _no_joblib)
    serial = custfocus.audit(folder)
    pooled = custfocus.audit(folder, n_jobs=2)
    assert [r.to_dict() for r in pooled.rows] == [r.to_dict() for r in serial.rows]
    errors = {Path(r.path).name: r.error_type for r in pooled.errors}
    assert errors == {"empty.txt": "EmptyDocumentError", "deck.pptx": "FormatMismatchError"}
    assert [rep is not None for rep in pooled.reports] == [r.status == "ok" for r in pooled.rows]


@pytest.mark.parametrize("how", ["backend", "parallel_config"])
def test_a_backend_or_a_joblib_config_runs_the_audit_through_joblib(
    folder: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    serial = [r.to_dict() for r in custfocus.audit(folder).rows]
    monkeypatch.setattr(audit_module, "_pool_results", _no_pool)
    if how == "backend":
        rows = custfocus.audit(folder, n_jobs=2, backend="threading").rows
    else:
        with joblib.parallel_config("threading"):
            rows = custfocus.audit(folder, n_jobs=2).rows
    assert [r.to_dict() for r in rows] == serial


def test_n_jobs_counts_cores_like_joblib_and_one_worker_runs_in_process(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit_module, "cpu_count", lambda: 4)
    assert [audit_module._resolve_n_jobs(n) for n in (3, -1, -2, -4, -100)] == [3, 4, 3, 1, 1]
    with pytest.raises(ValueError, match="n_jobs=0"):
        audit_module._resolve_n_jobs(0)
    monkeypatch.setattr(audit_module, "_pool_results", _no_pool)
    monkeypatch.setattr(audit_module, "Parallel", _no_joblib)
    assert len(custfocus.audit(folder, n_jobs=-4).rows) == 4


@needs_forkserver
def test_a_worker_crash_costs_one_error_row_and_every_other_file_is_scored(
    folder: Path,
) -> None:
    (folder / "crash.txt").write_text("A file that kills the worker process scoring it.")
    job = custfocus.audit(folder)
    serial = {r.path: r.to_dict() for r in job.rows}
    rows = [
        r.row
        for r in audit_module._pool_results(
            job.paths, job.settings, False, 2, task=_die_on_crash_files
        )
    ]
    assert [r.path for r in rows] == job.paths
    crashed = [r for r in rows if Path(r.path).name == "crash.txt"]
    assert len(crashed) == 1 and crashed[0].status == "error"
    assert crashed[0].error_type == "WorkerCrashedError" and crashed[0].format == "text"
    assert crashed[0].error and crashed[0].path in crashed[0].error
    assert "worker process died" in crashed[0].error
    others = [r.to_dict() for r in rows if r is not crashed[0]]
    assert others == [serial[r["path"]] for r in others]


@needs_forkserver
def test_workers_that_cannot_run_any_task_raise_instead_of_blaming_files(folder: Path) -> None:
    job = custfocus.audit(folder)
    results = audit_module._pool_results(job.paths, job.settings, False, 2, task=_always_die)
    with pytest.raises(RuntimeError, match="could not start its worker processes"):
        next(results)


@needs_forkserver
def test_stopping_early_leaves_no_worker_processes(folder: Path) -> None:
    before = set(multiprocessing.active_children())
    started: set[multiprocessing.process.BaseProcess] = set()
    first = None
    for result in custfocus.audit(folder, n_jobs=2):
        first = result.row.path
        started = set(multiprocessing.active_children()) - before
        break
    assert first == discover([folder])[0]
    assert started, "the pool's workers should be visible while it runs"
    deadline = time.monotonic() + 5
    while set(multiprocessing.active_children()) - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not set(multiprocessing.active_children()) - before


def test_iterating_streams_results_without_keeping_them(folder: Path) -> None:
    result = custfocus.audit(folder, keep_reports=False)
    streamed = [r.row.path for r in result]
    assert streamed == [r.path for r in result.rows]
    assert all(report is None for report in result.reports)


def test_the_examples_audit_renders_a_self_contained_html_report(tmp_path: Path) -> None:
    result = custfocus.audit(EXAMPLES, **NAMES)  # type: ignore[arg-type]
    html = result.to_html(tmp_path / "report.html")
    checker = HTMLCollector(html)
    assert not checker.external
    assert {"table", "svg", "section", "script"} <= set(checker.tags)
    assert len([i for i in checker.ids if i.startswith("f")]) == len(result.rows)
    rows = {Path(r.path).name: r for r in result.rows}
    assert all(r.status == "ok" for r in rows.values()), [r.error for r in rows.values()]
    # The self-centred pieces score below the customer-focused ones.
    low = max(
        rows[n].score or 0
        for n in ("one_pager.pdf", "email_cold_outreach.eml", "call_pitch_globex.vtt")
    )
    high = min(
        rows[n].score or 0
        for n in ("email_followup.eml", "call_discovery_initech.txt", "account_plan_initech.docx")
    )
    assert low < high


def test_call_reports_point_back_to_speakers_and_timestamps() -> None:
    report = custfocus.score_file(EXAMPLES / "call_discovery_initech.txt", **NAMES)  # type: ignore[arg-type]
    assert report.conversation is not None
    sellers = [r.speaker for r in report.conversation.roles if r.role == "seller"]
    assert sellers == ["Priya Shah"]
    assert report.conversation.seller_talk_ratio_time is not None
    assert report.conversation.seller_talk_ratio_time < 0.43
    assert any(
        q.kind == "explicit_need" and q.speaker == "Marcus Lee" for q in report.customer_voice
    )
    assert all(m.speaker == "Priya Shah" and m.location for m in report.mentions)


def test_deck_findings_point_back_to_slides_and_notes() -> None:
    report = custfocus.score_file(EXAMPLES / "deck_globex.pptx", **NAMES)  # type: ignore[arg-type]
    locations = {s.location for s in report.sentences}
    assert "slide 3" in locations and "slide 1 notes" in locations
    assert any(s.location and "table" in s.location for s in report.sentences)


@pytest.mark.slow
def test_the_same_audit_runs_on_a_dask_cluster(folder: Path) -> None:
    distributed = pytest.importorskip("distributed")
    import joblib

    local = [r.to_dict() for r in custfocus.audit(folder).rows]
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    )
    with cluster, distributed.Client(cluster), joblib.parallel_config(backend="dask"):
        on_dask = [r.to_dict() for r in custfocus.audit(folder, n_jobs=-1).rows]
    assert on_dask == local


def test_every_audit_row_names_the_band_of_its_score() -> None:
    from custfocus.audit import AuditRow

    assert AuditRow("a.txt", "text", "ok", score=12.0).to_dict()["band"] == "self-centred"
    assert AuditRow("b.txt", None, "error").to_dict()["band"] is None
