"""The custfocus command line: train, evaluate, score, audit and its exit statuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from custfocus.cli import EXIT_FAIL_UNDER, EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE, main

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
