"""Auditing many files: rows in order, errors as rows, writers, parallel and Dask."""

from __future__ import annotations

import importlib
import json
import multiprocessing
import time
from pathlib import Path

import joblib
import pytest
from _helpers import HTMLCollector

import custfocus
from custfocus.audit import ROW_FIELDS, discover
from custfocus.config import Settings
from custfocus.errors import ModelError, WorkerStartError

#: The package (``custfocus.audit`` the attribute is the function of the same name).
audit_module = importlib.import_module("custfocus.audit")
audit_pool = importlib.import_module("custfocus.audit.pool")

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
    raise AssertionError("this audit should not use the supervised workers")


def test_discover_lists_every_file_in_sorted_order_but_hidden_ones(folder: Path) -> None:
    (folder / ".DS_Store").write_bytes(b"\0")
    (folder / ".git").mkdir()
    (folder / ".git" / "HEAD.txt").write_text("hidden folders are left out")
    (folder / "~$lock.docx").write_bytes(b"an Office lock file")
    found = [Path(p).relative_to(folder).as_posix() for p in discover([folder])]
    assert found == ["bad.md", "empty.txt", "good.txt", "notes.xyz", "sub/deck.pptx"]
    assert len(discover([folder], recursive=False)) == 4
    assert discover([folder / "good.txt", folder]) == discover([folder])[2:3] + [
        p for p in discover([folder]) if not p.endswith("good.txt")
    ]


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
    assert rows["notes.xyz"].status == "skipped" and [r.path for r in result.skipped] == [
        str(folder / "notes.xyz")
    ]
    assert rows["notes.xyz"].reason == "no reader for '.xyz' files"


def test_writers_share_the_documented_columns(folder: Path, tmp_path: Path) -> None:
    result = custfocus.audit(folder)
    csv_text = result.to_csv(tmp_path / "a.csv")
    assert csv_text.splitlines()[0].split(",") == list(ROW_FIELDS)
    lines = result.to_json().splitlines()
    assert [list(json.loads(x)) for x in lines] == [list(ROW_FIELDS)] * 5
    frame = result.to_frame()
    assert list(frame.columns) == list(ROW_FIELDS) and len(frame) == 5


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
    monkeypatch.setattr(audit_module, "supervised", _no_pool)
    if how == "backend":
        rows = custfocus.audit(folder, n_jobs=2, backend="threading").rows
    else:
        with joblib.parallel_config("threading"):
            rows = custfocus.audit(folder, n_jobs=2).rows
    assert [r.to_dict() for r in rows] == serial


def test_n_jobs_counts_cores_like_joblib(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit_pool, "cpu_count", lambda: 4)
    assert [audit_pool.resolve_n_jobs(n) for n in (3, -1, -2, -4, -100)] == [3, 4, 3, 1, 1]
    with pytest.raises(ValueError, match="n_jobs=0"):
        audit_pool.resolve_n_jobs(0)


def test_isolate_false_scores_in_this_process_with_the_same_rows(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolated = [r.to_dict() for r in custfocus.audit(folder).rows]
    monkeypatch.setattr(audit_module, "supervised", _no_pool)
    monkeypatch.setattr(audit_module, "Parallel", _no_joblib)
    assert [r.to_dict() for r in custfocus.audit(folder, isolate=False).rows] == isolated


def test_a_settings_error_raises_once_instead_of_failing_every_file(
    folder: Path, tmp_path: Path
) -> None:
    model = tmp_path / "m.npz"
    model.write_bytes(b"not a model")
    model.with_suffix(".json").write_text('{"model_sha256": "0"}')
    for isolate in (True, False):
        job = custfocus.audit(folder, config=Settings(model=str(model)), isolate=isolate)
        with pytest.raises(ModelError, match="does not match its metadata"):
            job.run()


@needs_forkserver
def test_a_memory_cap_too_low_to_start_a_worker_is_one_error_not_a_row_per_file(
    folder: Path,
) -> None:
    with pytest.raises(WorkerStartError):
        custfocus.audit(folder, max_memory_mb=64).run()


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
    result = custfocus.audit(EXAMPLES, recursive=False, **NAMES)  # type: ignore[arg-type]
    html = result.to_html(tmp_path / "report.html")
    checker = HTMLCollector(html)
    assert not checker.external
    assert {"table", "svg", "section", "script"} <= set(checker.tags)
    assert len([i for i in checker.ids if i.startswith("file-")]) == len(result.rows)
    rows = {Path(r.path).name: r for r in result.rows}
    assert rows.pop("make_examples.py").status == "skipped"  # every file gets a row
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
