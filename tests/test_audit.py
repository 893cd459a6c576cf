"""Auditing many files: rows in order, errors as rows, writers, parallel and Dask."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _helpers import HTMLCollector

import custfocus
from custfocus.audit import ROW_FIELDS, discover

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
