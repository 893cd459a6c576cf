"""The custfocus command line: train, evaluate, score, audit and its exit statuses."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from custfocus.cli import (
    EXIT_BROKEN_PIPE,
    EXIT_FAIL_UNDER,
    EXIT_OK,
    EXIT_UNREADABLE,
    EXIT_USAGE,
    main,
)

TINY = Path(__file__).parent / "data" / "tiny.jsonl"


def test_train_then_evaluate_a_user_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = tmp_path / "mine.npz"
    assert main(["train", str(TINY), "-o", str(model)]) == EXIT_OK
    assert model.is_file() and model.with_suffix(".json").is_file()
    meta = json.loads(model.with_suffix(".json").read_text())
    assert len(meta["training_data_sha256"]) == 64
    capsys.readouterr()
    assert main(["evaluate", str(TINY), "--model", str(model), "--json"]) == EXIT_OK
    figures = json.loads(capsys.readouterr().out)
    assert {"label_macro_f1", "question_f1", "question_f1_stripped", "confusion"} <= set(figures)
    assert main(["evaluate", str(TINY), "--model", str(model)]) == EXIT_OK
    table = capsys.readouterr().out
    assert "| label macro-F1 (4 labels) |" in table and "confusion" in table


def test_bad_training_data_is_a_usage_error_naming_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "label": "sales"}\n')
    assert main(["train", str(bad), "-o", str(tmp_path / "m.npz")]) == EXIT_USAGE
    assert f"{bad}:1" in capsys.readouterr().err


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_score_prints_a_summary_with_the_most_self_centred_sentences(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = write(tmp_path, "pitch.txt", "We at Acme are the best. Our platform wins. How are you?")
    assert main(["score", str(f), "--seller", "Acme"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "score" in out and "most self-centred sentences" in out
    assert "We at Acme are the best." in out


def test_score_json_is_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(tmp_path, "a.txt", "Your team saves time.")
    assert main(["score", str(f), "--json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["counts"]["customer"] == 1


def test_audit_gates_on_fail_under_and_reports_unreadable_files_distinctly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "good.txt", "How does your team plan? Your reps save hours. Your goals matter.")
    write(tmp_path, "bad.txt", "We are the best. Our platform is award-winning. We lead.")
    out = tmp_path / "report.csv"
    assert main(["audit", str(tmp_path), "-o", str(out), "--fail-under", "50"]) == EXIT_FAIL_UNDER
    assert out.read_text().count("\n") == 3
    assert main(["audit", str(tmp_path), "-o", str(out)]) == EXIT_USAGE  # refuses to overwrite
    assert main(["audit", str(tmp_path), "-o", str(out), "--force"]) == EXIT_OK
    assert out.read_text().count("\n") == 3  # --force replaces the report, never appends
    write(tmp_path, "empty.txt", "")
    assert main(["audit", str(tmp_path), "--fail-under", "50"]) == EXIT_UNREADABLE
    table = capsys.readouterr().out
    assert "empty.txt" in table and "EmptyDocumentError" in table


def test_score_summary_names_the_band_and_never_lists_a_listening_move(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = write(
        tmp_path,
        "reply.txt",
        "Let me play back what I've heard, and correct me where I'm wrong. We at Acme are the best.",
    )
    assert main(["score", str(f), "--seller", "Acme"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "(self-centred)" in out or "(mixed)" in out or "(customer-centred)" in out
    listed = out.split("most self-centred sentences:")[1].split("suggestion:")[0]
    assert "play back" not in listed and "We at Acme are the best." in listed


@pytest.fixture()
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    folder.mkdir()
    write(folder, "good.txt", "How does your team plan? Your reps save hours. Your goals matter.")
    return folder


@pytest.mark.parametrize("dangling", [True, False])
def test_a_symlink_as_output_is_refused_and_its_target_untouched(
    library: Path, tmp_path: Path, dangling: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "target.csv"
    if not dangling:
        target.write_text("precious")
    link = tmp_path / "report.csv"
    link.symlink_to(target)
    assert main(["audit", str(library), "-o", str(link), "--force"]) == EXIT_USAGE
    assert "symbolic link" in capsys.readouterr().err
    assert (target.read_text() == "precious") if not dangling else not target.exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing/report.csv", "does not exist"),
        (".", "is a folder"),
        ("report.txt", "-o must end in .csv, .jsonl, .html or .htm"),
        ("report.json", "-o must end in"),
    ],
)
def test_a_bad_output_path_is_refused_before_any_work(
    library: Path,
    tmp_path: Path,
    name: str,
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from custfocus.audit import Audit

    monkeypatch.setattr(Audit, "_run", None)  # any work would fail loudly
    assert main(["audit", str(library), "-o", str(tmp_path / name)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.splitlines()) == 1


def test_a_report_inside_the_audited_folder_is_never_read_back(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("report.html", "rows.jsonl"):
        out = library / name
        assert main(["audit", str(library), "-o", str(out)]) == EXIT_OK
        assert main(["audit", str(library), "-o", str(out), "--force"]) == EXIT_OK
    (library / "rows.jsonl").rename(library / "old.json")  # a report under a readable name
    capsys.readouterr()
    assert main(["audit", str(library), "-o", str(library / "rows.csv")]) == EXIT_OK
    rows = {Path(r["path"]).name: r for r in csv.DictReader(
        (library / "rows.csv").read_text().splitlines())}  # fmt: skip
    assert sorted(rows) == ["good.txt", "old.json", "report.html"]
    assert rows["report.html"]["status"] == rows["old.json"]["status"] == "skipped"
    assert "a report written by custfocus audit" in rows["report.html"]["error"]


def test_usage_errors_are_one_line_with_exit_2_and_no_traceback(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["audit", str(library), "--jobs", "0"])
    assert stop.value.code == EXIT_USAGE and "0 workers" in capsys.readouterr().err
    model = tmp_path / "m.npz"
    model.write_bytes(b"tampered")
    model.with_suffix(".json").write_text('{"model_sha256": "0"}')
    write(library, "second.txt", "Your team wins.")
    out = tmp_path / "r.csv"
    assert main(["audit", str(library), "--model", str(model), "-o", str(out)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "does not match its metadata" in err
    assert not out.exists()  # nothing was written for a run that scored nothing
    one_class = write(tmp_path, "one.jsonl", '{"text": "Your team.", "label": "value"}\n' * 3)
    assert main(["train", str(one_class), "-o", str(tmp_path / "x.npz")]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "at least two" in err and "Traceback" not in err


def test_score_names_missing_paths_and_sends_folders_to_audit(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["score", str(library / "nope.txt")]) == EXIT_USAGE
    assert capsys.readouterr().err == f"custfocus: {library / 'nope.txt'}: not found\n"
    assert main(["score", str(library)]) == EXIT_USAGE
    assert f"use `custfocus audit {library}`" in capsys.readouterr().err
    write(library, "empty.txt", "")
    assert main(["score", str(library / "empty.txt")]) == EXIT_UNREADABLE
    err = capsys.readouterr().err
    assert err.count(str(library / "empty.txt")) == 1 and "the file is empty" in err


def test_a_file_name_with_invalid_utf8_is_reported_not_a_crash(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = os.fsdecode(b"caf\xe9.txt")  # undecodable byte: a lone surrogate in Python
    try:
        (library / name).write_text("Your team saves time.")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    for suffix in ("csv", "jsonl", "html"):
        out = tmp_path / f"r.{suffix}"
        assert main(["audit", str(library), "-o", str(out)]) == EXIT_OK
        assert "caf\\udce9.txt" in out.read_text(encoding="utf-8")
    assert "caf\\udce9.txt" in capsys.readouterr().out


def test_a_closed_pipe_ends_the_command_quietly(tmp_path: Path) -> None:
    long = write(tmp_path, "long.txt", "How does your team plan renewals? " * 3000)
    cmd = [sys.executable, "-m", "custfocus.cli", "score", "--json", str(long)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # as `| head -1` does
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=60) == EXIT_BROKEN_PIPE
    assert err == ""


def test_help_documents_the_exit_statuses_and_output_suffixes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["audit", "--help"])
    text = capsys.readouterr().out
    for code in ("0 ", "1 ", "2 ", "3 ", "130", "141"):
        assert f"\n  {code}" in text
    assert ".csv or .jsonl" in text and ".html or .htm" in text and "--resume" in text
