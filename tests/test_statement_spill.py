"""Team statements on disk: one line per file, the sidecar of a CLI report, and --resume."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from custfocus.audit.spill import HEADER, StatementSpill, sidecar_path
from custfocus.audit.statements import STATEMENT_FIELDS, decode_statements, encode_statements
from custfocus.cli import main
from custfocus.team import Statement

ROOT = Path(__file__).resolve().parents[1]
TEAM = ROOT / "examples" / "team"
LIBRARY = TEAM / "library"
MANIFEST = TEAM / "manifest.csv"


def _stmt(path: str, text: str = "Our platform is fast.") -> dict[str, object]:
    return {"text": text, "kind": "claim", "path": path, "start": 0, "end": len(text),
            "label": "value", "rep": "Sam", "account": "Globex", "offering": None,
            "speaker": None}  # fmt: skip


def test_statement_fields_are_the_fields_of_statement() -> None:
    assert tuple(Statement.__dataclass_fields__) == STATEMENT_FIELDS


def test_a_files_statements_round_trip_through_one_line() -> None:
    stmts = [_stmt("caf\udce9.txt"), _stmt("caf\udce9.txt", "Close in “three” days.\nYes")]
    line = encode_statements(stmts)
    assert line.endswith("\n") and line.count("\n") == 1
    assert decode_statements(line) == [Statement.from_dict(s) for s in stmts]
    assert encode_statements([]) == ""


def test_a_temporary_spill_reads_back_every_line_in_order() -> None:
    spill = StatementSpill()
    for i in range(3000):  # more than one batch
        spill.write(encode_statements([_stmt(f"f{i}.txt")]))
        spill.write("")
    paths = [s.path for s in spill.read()]
    assert paths == [f"f{i}.txt" for i in range(3000)]
    spill.write(encode_statements([_stmt("last.txt")]))
    assert [s.path for s in spill.read()][-2:] == ["f2999.txt", "last.txt"]
    spill.close()


def test_a_resumed_sidecar_keeps_only_the_lines_of_kept_rows(tmp_path: Path) -> None:
    side = sidecar_path(tmp_path / "rows.csv")
    spill = StatementSpill(side)
    for name in ("a.txt", "b.txt", "c.txt"):
        spill.write(encode_statements([_stmt(name)]))
    spill.close()
    with side.open("a", encoding="utf-8") as f:
        f.write('[["cut short')  # killed while writing a line
    assert json.loads(side.read_text("utf-8").splitlines()[0]) == HEADER
    resumed = StatementSpill(side, keep={"a.txt", "c.txt"})  # b.txt's row was never written
    assert resumed.earlier
    resumed.write(encode_statements([_stmt("d.txt")]))
    assert [s.path for s in resumed.read()] == ["a.txt", "c.txt", "d.txt"]
    resumed.close()
    assert not StatementSpill(tmp_path / "none.jsonl", keep={"a.txt"}).earlier


def test_a_file_that_is_not_a_statements_file_is_not_resumed(tmp_path: Path) -> None:
    side = sidecar_path(tmp_path / "rows.csv")
    side.write_text('{"path": "a.txt"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="not a custfocus statements file"):
        StatementSpill(side, keep={"a.txt"})
    assert side.read_text("utf-8") == '{"path": "a.txt"}\n'  # left as it was


def test_a_resumed_audit_has_the_team_figures_of_a_full_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = sorted(str(p) for p in LIBRARY.iterdir() if p.suffix in (".vtt", ".eml", ".txt"))
    assert len(files) >= 4
    team = ["--manifest", str(MANIFEST), "--messaging", str(TEAM / "messaging.md")]
    full, part = tmp_path / "full", tmp_path / "part"
    full.mkdir()
    part.mkdir()
    assert main(["audit", *files, *team, "-o", str(full / "rows.jsonl"),
                 "--team", str(full / "team.json")]) == 0  # fmt: skip
    # An earlier run stopped after two files; the resume scores the rest.
    assert main(["audit", *files[:2], *team, "-o", str(part / "rows.jsonl")]) == 0
    assert main(["audit", *files, *team, "-o", str(part / "rows.jsonl"), "--resume",
                 "--team", str(part / "team.json")]) == 0  # fmt: skip
    capsys.readouterr()
    assert (part / "team.json").read_text("utf-8") == (full / "team.json").read_text("utf-8")
    assert sidecar_path(part / "rows.jsonl").read_text("utf-8") == sidecar_path(
        full / "rows.jsonl").read_text("utf-8")  # fmt: skip


def test_resuming_without_the_statements_file_says_the_team_figures_are_partial(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "rows.csv"
    files = [str(LIBRARY / "globex_followup.eml"), str(LIBRARY / "larkspur_cold_email.eml")]
    assert main(["audit", files[0], "--manifest", str(MANIFEST), "-o", str(out)]) == 0
    sidecar_path(out).unlink()
    capsys.readouterr()
    assert main(["audit", *files, "--manifest", str(MANIFEST), "-o", str(out), "--resume"]) == 0
    err = capsys.readouterr().err
    assert "statements.jsonl is missing" in err and "1 file(s) scored now" in err
    sidecar_path(out).write_text("not ours\n", encoding="utf-8")
    assert main(["audit", *files, "-o", str(out), "--resume"]) == 2
    assert "not a custfocus statements file" in capsys.readouterr().err


def test_the_statements_file_is_never_audited_as_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "note.txt").write_text("We at Northwind think you will love our platform.\n",
                                       encoding="utf-8")  # fmt: skip
    out = tmp_path / "rows.jsonl"
    assert main(["audit", str(tmp_path), "-o", str(out)]) == 0
    assert sidecar_path(out).is_file()
    assert main(["audit", str(tmp_path), "-o", str(out), "--force"]) == 0
    assert [json.loads(line)["path"] for line in out.read_text("utf-8").splitlines()] == [
        str(tmp_path / "note.txt")
    ]


def test_a_run_that_scores_nothing_leaves_no_statements_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = tmp_path / "m.npz"
    model.write_bytes(b"tampered")
    model.with_suffix(".json").write_text('{"model_sha256": "0"}')
    out = tmp_path / "r.csv"
    assert main(["audit", str(LIBRARY / "globex_followup.eml"), "--model", str(model),
                 "-o", str(out)]) == 2  # fmt: skip
    assert "does not match its metadata" in capsys.readouterr().err
    assert not out.exists() and not sidecar_path(out).exists()


def test_statements_read_back_share_their_path_and_rep_strings_but_not_their_texts():
    from custfocus.audit.statements import decode_statements, encode_statements

    rows = [
        {"text": f"Claim {i}.", "kind": "claim", "path": "deck.pptx", "start": i, "end": i + 1,
         "rep": "Priya Shah", "account": "Globex"}
        for i in range(3)
    ]  # fmt: skip
    line = encode_statements(rows)
    shared: dict[str, str] = {}
    a, b = decode_statements(line, shared)[:2]
    c = decode_statements(line, shared)[0]
    assert a.path is b.path is c.path and a.rep is c.rep
    assert a.text == c.text and a.text is not c.text
    assert [s.to_dict() for s in decode_statements(line)] == [
        s.to_dict() for s in decode_statements(line, {})
    ]
