"""Audits with context: context columns, groups, team statements, and the team hook."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from custfocus.audit import Audit, AuditRow, audit
from custfocus.audit.groups import UNKNOWN, group_rows
from custfocus.audit.rows import ROW_FIELDS, RowWriter, read_rows
from custfocus.cli import main
from custfocus.config import Settings
from custfocus.errors import ConfigError
from custfocus.team import Statement

ROOT = Path(__file__).resolve().parents[1]
TEAM = ROOT / "examples" / "team"
LIBRARY = TEAM / "library"
MANIFEST = TEAM / "manifest.csv"


@pytest.fixture(scope="module")
def team_audit() -> Audit:
    return audit(LIBRARY, manifest=MANIFEST, isolate=False, keep_reports=False).run()


def _row(path: str, score: float | None, rep: str | None, **kw: object) -> AuditRow:
    return AuditRow(path, "text", "ok" if score is not None else "error", score=score, rep=rep,
                    **kw)  # type: ignore[arg-type]  # fmt: skip


# --- rows -----------------------------------------------------------------------------------


def test_rows_carry_context_columns_that_round_trip_through_csv_and_jsonl(
    team_audit: Audit, tmp_path: Path
) -> None:
    rows = team_audit.rows
    assert {"rep", "account", "offering", "date", "genre", "context"} <= set(ROW_FIELDS)
    for suffix in (".csv", ".jsonl"):
        out = tmp_path / f"rows{suffix}"
        with RowWriter(out) as writer:
            for r in rows:
                writer.write(r)
        assert read_rows(out) == rows
    assert all(AuditRow.from_dict(r.to_dict()) == r for r in rows)


def test_resume_keeps_the_context_of_rows_already_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "rows.csv"
    first = [str(LIBRARY / "globex_followup.eml")]
    args = ["--manifest", str(MANIFEST), "-o", str(out)]
    assert main(["audit", *first, *args]) == 0
    assert main(["audit", *first, str(LIBRARY / "larkspur_cold_email.eml"), *args, "--resume"]) == 0
    rows = read_rows(out)
    assert [r.rep for r in rows] == ["Priya Shah", "Sam Rivera"]
    assert [r.account for r in rows] == ["Globex Logistics", "Larkspur Retail"]


def test_a_file_that_fails_keeps_its_manifest_context(tmp_path: Path) -> None:
    (tmp_path / "bad.docx").write_bytes(b"not a zip at all")
    (tmp_path / "m.csv").write_text("path,rep,account\nbad.docx,Sam Rivera,Globex\n", "utf-8")
    row = Audit([str(tmp_path / "bad.docx")], Settings(), isolate=False,
                manifest=tmp_path / "m.csv").rows[0]  # fmt: skip
    assert row.status == "error" and (row.rep, row.account) == ("Sam Rivera", "Globex")
    groups = group_rows([row], "rep")
    assert groups["Sam Rivera"].errors == 1 and groups["Sam Rivera"].figures["score"].n == 0


# --- groups ---------------------------------------------------------------------------------


def test_by_rep_lists_the_files_behind_each_figure() -> None:
    rows = [
        _row("a.txt", 80.0, "Sam", reference=0.9),
        _row("b.txt", 40.0, "Sam", reference=0.5),
        _row("c.txt", 60.0, "Sam"),
        _row("d.txt", None, "Sam"),
        _row("e.txt", 70.0, "Leo"),
        _row("f.txt", 20.0, None),
    ]
    groups = group_rows(rows, "rep")
    assert groups.keys == ("Sam", "Leo", UNKNOWN)
    sam = groups["Sam"]
    assert (sam.files, sam.ok, sam.errors) == (4, 3, 1)
    assert sam.paths == ("a.txt", "b.txt", "c.txt", "d.txt")
    score = sam.figures["score"]
    assert score.files == ("a.txt", "b.txt", "c.txt")
    assert (score.min_file, score.max_file) == ("b.txt", "a.txt")
    assert (score.n, score.mean, score.median, score.min, score.max) == (3, 60.0, 60.0, 40.0, 80.0)
    assert score.std == 20.0  # sample standard deviation of 80, 40, 60
    assert sam.figures["reference"].files == ("a.txt", "b.txt")
    assert sam.bands == {"self-centred": 0, "mixed": 1, "customer-centred": 2}
    assert groups["Leo"].figures["score"].std is None  # one file: no spread


def test_by_month_groups_dates_by_year_and_month() -> None:
    rows = [
        _row("a.txt", 50.0, None, date="2026-10-02"),
        _row("b.txt", 70.0, None, date="2026-10-30"),
        _row("c.txt", 30.0, None, date="2026-11"),
    ]
    groups = group_rows(rows, "month")
    assert groups.keys == ("2026-10", "2026-11")
    assert groups["2026-10"].figures["score"].mean == 60.0


def test_an_unknown_group_key_is_refused() -> None:
    with pytest.raises(ConfigError, match="cannot group by 'region'"):
        group_rows([], "region")


def test_team_examples_group_by_rep_and_account(team_audit: Audit) -> None:
    by_rep = team_audit.by("rep")
    assert set(by_rep.keys) == {"Priya Shah", "Sam Rivera", "Leo Park"}
    assert by_rep["Sam Rivera"].files == 5
    assert by_rep["Priya Shah"].figures["score"].mean > by_rep["Sam Rivera"].figures["score"].mean
    accounts = team_audit.by("account")
    assert len([k for k in accounts.keys if k != UNKNOWN]) == 6
    assert accounts[UNKNOWN].paths == (str(LIBRARY / "q4_pipeline_plan.md"),)
    data = json.loads(json.dumps(by_rep.to_dict()))
    assert data["by"] == "rep" and len(data["groups"]) == 3


def test_groups_to_frame_has_a_row_per_group(team_audit: Audit) -> None:
    pytest.importorskip("pandas")
    frame = team_audit.by("genre").to_frame()
    assert set(frame.index) == {"call", "email", "account plan", "sales plan"}
    assert frame.loc["call", "files"] == 5 and "score_mean" in frame.columns


def test_cli_writes_groups_to_csv_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [str(LIBRARY / n) for n in ("globex_followup.eml", "larkspur_cold_email.eml")]
    for name in ("groups.csv", "groups.json"):
        out = tmp_path / name
        status = main(["audit", *files, "--manifest", str(MANIFEST), "--by", "rep",
                       "--by", "account", "--groups", str(out)])  # fmt: skip
        assert status == 0
        printed = capsys.readouterr().out
        assert "Priya Shah" in printed and "Larkspur Retail" in printed
    with (tmp_path / "groups.csv").open(encoding="utf-8") as f:
        records = list(csv.DictReader(f))
    assert [(r["by"], r["group"]) for r in records] == [
        ("rep", "Priya Shah"), ("rep", "Sam Rivera"),
        ("account", "Globex Logistics"), ("account", "Larkspur Retail"),
    ]  # fmt: skip
    assert records[0]["paths"] == files[0] and records[0]["score_n"] == "1"
    data = json.loads((tmp_path / "groups.json").read_text("utf-8"))
    assert [g["by"] for g in data["groupings"]] == ["rep", "account"]


def test_cli_groups_need_a_key_and_a_known_suffix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = str(LIBRARY / "globex_followup.eml")
    assert main(["audit", f, "--groups", str(tmp_path / "g.csv")]) == 2
    assert main(["audit", f, "--by", "rep", "--groups", str(tmp_path / "g.txt")]) == 2
    assert "--groups needs --by" in capsys.readouterr().err


def test_joblib_threading_backend_gives_the_same_groups_as_a_local_run(
    team_audit: Audit,
) -> None:
    threaded = audit(LIBRARY, manifest=MANIFEST, backend="threading", n_jobs=2)
    for key in ("rep", "account", "month"):
        assert threaded.by(key) == team_audit.by(key)
    assert list(threaded.statements()) == list(team_audit.statements())


@pytest.mark.slow
def test_a_dask_cluster_gives_the_same_team_figures_and_statements_as_a_local_run(
    team_audit: Audit,
) -> None:
    distributed = pytest.importorskip("distributed")
    import joblib

    # Worker processes, as on a real cluster: rows and statements cross a process boundary.
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with cluster, distributed.Client(cluster), joblib.parallel_config(backend="dask"):
        on_dask = audit(LIBRARY, manifest=MANIFEST, n_jobs=-1, keep_reports=False).run()
    assert [r.to_dict() for r in on_dask.rows] == [r.to_dict() for r in team_audit.rows]
    assert list(on_dask.statements()) == list(team_audit.statements())
    messaging = TEAM / "messaging.md"
    figures = on_dask.team(messaging=messaging).to_dict()
    assert figures == team_audit.team(messaging=messaging).to_dict()
    assert figures["messages"]["groups"] and figures["voice"]["themes"]  # not two empty runs


# --- team statements ------------------------------------------------------------------------


def test_statements_survive_the_process_boundary_with_their_context() -> None:
    files = [str(LIBRARY / "globex_discovery_call.vtt"), str(LIBRARY / "larkspur_cold_email.eml")]
    job = Audit(files, Settings(), manifest=MANIFEST, keep_reports=False)  # worker processes
    results = list(job)
    assert all(r.statements == "" and r.report is None for r in results)  # spilled, not kept
    stmts = list(job.statements())
    assert stmts and all(isinstance(s, Statement) for s in stmts)
    customer = [s for s in stmts if s.kind == "customer"]
    assert customer and all(s.path == files[0] and s.speaker == "Dana Ortiz (Globex)"
                            for s in customer)  # fmt: skip
    assert {(s.rep, s.account) for s in stmts} >= {("Priya Shah", "Globex Logistics")}
    claims = [s for s in stmts if s.kind == "claim"]
    assert claims and all(s.label in ("value", "pitch") for s in claims)
    text = Path(files[1]).read_text("utf-8")
    assert any(s.path == files[1] for s in claims)
    assert all(s.text in " ".join(text.split()) for s in claims if s.path == files[1])


def test_claims_are_seller_value_or_pitch_sentences_and_plans_make_none(
    team_audit: Audit,
) -> None:
    stmts = list(team_audit.statements())
    plans = {str(LIBRARY / n) for n in ("copperleaf_account_plan.md", "brightwater_account_plan.md",
                                         "q4_pipeline_plan.md")}  # fmt: skip
    assert not [s for s in stmts if s.kind == "claim" and s.path in plans]
    sam = [s for s in stmts if s.kind == "claim" and s.rep == "Sam Rivera"]
    assert sam and all(s.speaker in (None, "Sam Rivera (Northwind)") for s in sam)


def test_customer_statements_come_from_buyer_turns_and_quoted_replies(team_audit: Audit) -> None:
    stmts = [s for s in team_audit.statements() if s.kind == "customer"]
    heard = {s.account for s in stmts}
    assert heard == {"Globex Logistics", "Initech Health", "Copperleaf Hotels", "Tidewell Foods",
                     "Brightwater Utilities"}  # fmt: skip  # Larkspur is never heard from
    reply = [s for s in stmts if s.path.endswith("globex_followup.eml")]
    assert reply and all(s.speaker == "Dana Ortiz" for s in reply)
    assert any("renewal forecast she can trust" in s.text for s in reply)
    assert not any(s.speaker and "Northwind" in s.speaker for s in stmts)


def test_team_off_collects_no_statements() -> None:
    job = audit(LIBRARY / "larkspur_cold_email.eml", isolate=False, team=False)
    assert job.rows[0].status == "ok" and list(job.statements()) == []


# --- the team analyses hook -----------------------------------------------------------------


def test_team_analyses_read_the_audits_statements_and_manifest_accounts(
    team_audit: Audit,
) -> None:
    team = team_audit.team(messaging=TEAM / "messaging.md")
    flagged = {(f.kind, f.subject) for f in team.flags}
    # Larkspur Retail only ever received a cold email: listed in the manifest, never heard.
    assert ("account_never_heard", "Larkspur Retail") in flagged
    assert team.voice.accounts_heard == 5
    assert {r.rep for r in team.messages.reps} == {"Leo Park", "Priya Shah", "Sam Rivera"}


def test_cli_adds_team_pages_to_the_report_and_writes_the_team_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page, data = tmp_path / "team.html", tmp_path / "team.json"
    status = main(["audit", str(LIBRARY), "--manifest", str(MANIFEST), "--messaging",
                   str(TEAM / "messaging.md"), "-o", str(page), "--team", str(data)])  # fmt: skip
    assert status == 0
    assert "account(s), top two" in capsys.readouterr().out
    html = page.read_text("utf-8")
    for section in ("team-by-rep", "team-by-account", "team-reps", "team-messages",
                    "team-themes", "team-flags"):  # fmt: skip
        assert f'id="{section}"' in html or f"id='{section}'" in html, section
    flags = json.loads(data.read_text("utf-8"))["flags"]
    assert any(f["subject"] == "Larkspur Retail" for f in flags)


def test_cli_refuses_a_team_output_that_is_not_json_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["audit", str(LIBRARY), "--team", str(tmp_path / "team.csv")])
    assert status == 2 and "name a .json file" in capsys.readouterr().err


def test_a_manifest_genre_of_account_plan_turns_plan_coverage_on(team_audit: Audit) -> None:
    thin = next(r for r in team_audit.rows if r.path.endswith("copperleaf_account_plan.md"))
    assert thin.genre == "account plan" and thin.plan_gaps is not None
    assert {"industry", "financial"} <= set(thin.plan_gaps.split(";"))
    call = next(r for r in team_audit.rows if r.path.endswith("globex_discovery_call.vtt"))
    assert call.plan_coverage is None


# --- the examples show what their README promises -------------------------------------------


def test_the_sales_plan_never_mentions_a_customer(team_audit: Audit) -> None:
    plan = next(r for r in team_audit.rows if r.path.endswith("q4_pipeline_plan.md"))
    assert plan.genre == "sales plan" and plan.account is None
    assert not plan.customer_share  # no customer reference at all


def test_an_audit_collects_exactly_the_file_statements_of_each_report(team_audit: Audit) -> None:
    from custfocus.audit.statements import file_statements
    from custfocus.audit.worker import analyzer_for, score_in_context
    from custfocus.readers import read

    analyzer = analyzer_for(team_audit.settings)
    expected = []
    for path in team_audit.paths:
        document = read(path)
        report, context = score_in_context(analyzer, document, path, team_audit.settings)
        expected += [Statement.from_dict(d) for d in file_statements(path, report, context,
                                                                       document)]  # fmt: skip
    assert expected and list(team_audit.statements()) == expected
    # Through worker processes, the same statements for the same files.
    two = [str(LIBRARY / "globex_discovery_call.vtt"), str(LIBRARY / "globex_followup.eml")]
    job = Audit(two, Settings(), manifest=MANIFEST, keep_reports=False)
    assert list(job.statements()) == [s for s in expected if s.path in two]
