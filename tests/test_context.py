"""Per-file context: manifests, inference from the file, and which one wins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from custfocus.audit import Audit
from custfocus.cli import main
from custfocus.config import Settings
from custfocus.context import infer_context, merge_context, read_manifest
from custfocus.document import Document, Segment
from custfocus.errors import ConfigError, ManifestError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
PLAN = EXAMPLES / "account_plan_initech.docx"


def _audit(paths: list[Path], settings: Settings | None = None, **kw: object) -> Audit:
    return Audit([str(p) for p in paths], settings or Settings(), isolate=False, **kw)  # type: ignore[arg-type]


def _email(to: str, sender: str, body: str) -> Document:
    return Document(
        (Segment(body, "paragraph 1"),),
        path="m.eml",
        format="email",
        metadata={"from": sender, "to": to},
    )


# --- the acceptance point of issue 11 ------------------------------------------------------


def test_account_plan_finds_its_customer_without_flag() -> None:
    plain = _audit([PLAN]).rows[0]
    given = _audit([PLAN], Settings(customer=("Initech",))).rows[0]
    assert plain.customer_names is not None and "Initech" in plain.customer_names.split("; ")
    assert plain.customer_share is not None and plain.customer_share > 0.9
    assert plain.score == pytest.approx(given.score, abs=1.0)
    assert "customers=inferred" in (plain.context or "")
    assert plain.genre == "account plan" and plain.rep == "Priya Shah"


def test_cli_score_says_the_customer_was_inferred(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(PLAN)]) == 0
    out = capsys.readouterr().out
    assert "context: customer Initech Health, Initech (inferred" in out


def test_no_infer_scores_with_the_given_names_only() -> None:
    row = _audit([PLAN], Settings(infer_context=False)).rows[0]
    assert row.customer_names is None and row.customer_share is None


# --- given names override inferred ones ----------------------------------------------------


def test_given_names_override_inferred_ones() -> None:
    row = _audit([PLAN], Settings(customer=("Initech",))).rows[0]
    assert row.customer_names == "Initech"
    assert "customers=given" in (row.context or "")


def test_manifest_names_override_inferred_ones(tmp_path: Path) -> None:
    (tmp_path / "plan.txt").write_text(
        "Account plan: Initech Health\n\nWe at Northwind help Initech. Initech grows.\n", "utf-8"
    )
    (tmp_path / "m.csv").write_text(
        "path,rep,account,customers,sellers\nplan.txt,Ana Diaz,Initech,IH Group,Acme\n", "utf-8"
    )
    row = _audit([tmp_path / "plan.txt"], manifest=tmp_path / "m.csv").rows[0]
    assert row.customer_names == "IH Group" and row.seller_names == "Acme"
    assert (row.rep, row.account) == ("Ana Diaz", "Initech")
    assert "customers=manifest" in (row.context or "") and "rep=manifest" in (row.context or "")


def test_manifest_overrides_field_by_field_and_infers_the_rest(tmp_path: Path) -> None:
    (tmp_path / "plan.txt").write_text("Account plan: Initech Health\n\nInitech grows.", "utf-8")
    (tmp_path / "m.csv").write_text("path,rep\nplan.txt,Ana Diaz\n", "utf-8")
    row = _audit([tmp_path / "plan.txt"], manifest=tmp_path / "m.csv").rows[0]
    assert row.rep == "Ana Diaz"
    assert row.customer_names == "Initech Health"  # nothing listed: inferred
    assert "rep=manifest" in (row.context or "") and "customers=inferred" in (row.context or "")


def test_a_manifest_account_is_scored_as_a_customer_name() -> None:
    inferred = infer_context("Globex ships freight. Your team at Globex renews contracts.")
    listed = read_manifest_text("path,account\nx.txt,Globex\n")
    ctx = merge_context(inferred, listed.get(listed.source_dir / "x.txt"))
    assert ctx.customer_names == ("Globex",) and ctx.customers[0].source == "manifest"


class _Listed:
    def __init__(self, manifest: object, source_dir: Path) -> None:
        self._m = manifest
        self.source_dir = source_dir

    def get(self, path: Path) -> object:
        return self._m.get(path)  # type: ignore[attr-defined]


def read_manifest_text(text: str) -> _Listed:
    import tempfile

    folder = Path(tempfile.mkdtemp())
    (folder / "m.csv").write_text(text, "utf-8")
    return _Listed(read_manifest(folder / "m.csv"), folder)


# --- manifests: paths and bad rows ---------------------------------------------------------


def test_manifest_paths_are_relative_to_its_folder_or_absolute(tmp_path: Path) -> None:
    sub = tmp_path / "meta"
    sub.mkdir()
    absolute = tmp_path / "b.txt"
    (sub / "m.csv").write_text(
        f"path,rep,customers\n../a.txt,Sam,Globex; Globex Logistics\n{absolute},Leo,\n", "utf-8"
    )
    m = read_manifest(sub / "m.csv")
    a = m.get(tmp_path / "a.txt")
    assert a is not None and a.customer_names == ("Globex", "Globex Logistics")
    b = m.get(absolute)
    assert b is not None and b.value("rep") == "Leo" and b.customer_names == ()
    assert m.reps == ("Sam", "Leo")


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("path,rep,region\na.txt,Sam,West\n", 1, "unknown column(s) ['region']"),
        ("rep,account\nSam,Globex\n", 1, "no 'path' column"),
        ("path,rep,rep\na.txt,Sam,Leo\n", 1, "appear twice"),
        ("path,rep\na.txt,Sam\nb.txt,Leo\n./a.txt,Ana\n", 4, "listed twice (first on line 2)"),
        ("path,date\na.txt,30/10/2026\n", 2, "is not YYYY-MM-DD or YYYY-MM"),
        ("path,date\na.txt,2026-13\n", 2, "is not YYYY-MM-DD or YYYY-MM"),
        ("path,rep\na.txt,Sam,extra\n", 2, "3 cells, the header has 2"),
        ("path,rep\n,Sam\n", 2, "empty path"),
        ("", 1, "empty manifest"),
    ],
)
def test_bad_manifest_row_names_file_and_line(
    tmp_path: Path, text: str, line: int, reason: str
) -> None:
    path = tmp_path / "m.csv"
    path.write_text(text, "utf-8")
    with pytest.raises(ManifestError) as info:
        read_manifest(path)
    assert str(info.value).startswith(f"{path}:{line}: ")
    assert reason in str(info.value)
    assert isinstance(info.value, ConfigError) and info.value.line == line


def test_a_manifest_that_is_not_utf8_or_missing_is_a_typed_error(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(b"path,rep\na.txt,S\xe9bastien\n")
    with pytest.raises(ManifestError, match="not UTF-8"):
        read_manifest(path)
    with pytest.raises(ManifestError, match="cannot read"):
        read_manifest(tmp_path / "missing.csv")


def test_cli_refuses_a_bad_manifest_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.txt").write_text("Your team saves time.", "utf-8")
    (tmp_path / "m.csv").write_text("path,region\na.txt,West\n", "utf-8")
    status = main(["audit", str(tmp_path / "a.txt"), "--manifest", str(tmp_path / "m.csv")])
    assert status == 2
    assert f"{tmp_path / 'm.csv'}:1: unknown column" in capsys.readouterr().err


# --- inference: what each cue finds --------------------------------------------------------


def test_we_at_names_the_seller_and_hi_team_names_the_customer() -> None:
    ctx = infer_context("Hi Initech team,\n\nWe at Northwind Analytics looked at your close.")
    assert ctx.seller_names == ("Northwind Analytics",)
    assert ctx.customer_names == ("Initech",)
    ev = ctx.sellers[0].evidence[0]
    text = "Hi Initech team,\n\nWe at Northwind Analytics looked at your close."
    assert text[ev.start : ev.end] == "Northwind Analytics"  # type: ignore[misc]
    assert ctx.sellers[0].method == "we at X" and 0 < ctx.sellers[0].confidence < 1


def test_email_sender_and_recipient_domains_name_the_sides() -> None:
    doc = _email(
        "Dana Ortiz <dana@globexlogistics.example>",
        "Priya Shah <priya@northwind-analytics.example>",
        "Dana, Globex renews 400 contracts. Northwind can help Globex.",
    )
    ctx = infer_context(doc)
    assert "Northwind" in ctx.seller_names and ctx.customer_names[0] == "Globex"
    assert ctx.value("rep") == "Priya Shah" and ctx.value("genre") == "email"


def test_free_mail_domains_name_no_company() -> None:
    doc = _email("dana@gmail.com", "Sam Rivera <sam@outlook.com>", "Hello Gmail, a quick note.")
    ctx = infer_context(doc)
    assert ctx.seller_names == () and ctx.customer_names == ()
    assert ctx.value("rep") == "Sam Rivera"


def test_a_domain_the_text_never_writes_names_nobody() -> None:
    doc = _email("ops@coastbankcalifornia.example", "Ana Diaz <ana@moneytrack.example>",
                 "Dear customer, please confirm your details.")  # fmt: skip
    ctx = infer_context(doc)
    assert ctx.seller_names == () and ctx.customer_names == ()


def test_a_sender_without_a_person_name_is_no_rep() -> None:
    for sender in ("xwfcpggy <x@spam.example>", "notify@bank.example <notify@bank.example>",
                   "Helicopter_flight_simulator <h@games.example>"):  # fmt: skip
        assert infer_context(_email("a@b.example", sender, "Hello.")).rep is None


def test_deck_footer_repeated_on_slides_names_the_seller() -> None:
    segs = []
    for i in range(1, 5):
        segs.append(Segment(f"What we heard on slide {i}", f"slide {i}", "title"))
        segs.append(Segment("Northwind Analytics | Confidential", f"slide {i} footer"))
    ctx = infer_context(Document(tuple(segs), format="pptx"))
    assert ctx.seller_names == ("Northwind Analytics",)
    assert ctx.sellers[0].method == "deck footer" and ctx.value("genre") == "deck"


def test_a_footer_on_two_slides_only_names_nobody() -> None:
    segs = [Segment("Northwind Analytics | Confidential", f"slide {i}") for i in (1, 2)]
    assert infer_context(Document(tuple(segs), format="pptx")).seller_names == ()


def test_a_heading_repeated_on_slides_is_not_a_footer() -> None:
    segs = [Segment(t, f"slide {i}") for i in range(1, 6) for t in ("Strategy", "Already Know")]
    assert infer_context(Document(tuple(segs), format="pptx")).seller_names == ()


def test_a_given_seller_name_is_never_inferred_as_the_customer() -> None:
    ctx = infer_context("Hi Northwind team, thanks.", sellers=["Northwind"])
    assert ctx.customer_names == ()


def test_call_speaker_labels_put_organisations_on_their_side() -> None:
    row = _audit([EXAMPLES / "call_pitch_globex.vtt"]).rows[0]
    assert row.seller_names == "Northwind" and row.customer_names == "Globex"
    assert row.rep == "Sam Rivera" and row.account == "Globex" and row.genre == "call"


def test_inference_stays_linear_on_hostile_text() -> None:
    # Long runs of capitalised words and cue fragments: each pattern is a literal cue plus
    # a bounded name, so this finishes in well under a second instead of hanging.
    hostile = ("We at " + "Aaaa " * 50_000) + ("the " + "Bb " * 50_000 + "team ") + "Xx's " * 40_000
    ctx = infer_context(hostile)
    assert len(ctx.seller_names) <= 5


def test_context_to_dict_is_plain_json() -> None:
    ctx = infer_context("Account plan: Initech Health\n\nOwner: Priya Shah\n\nInitech. Initech.")
    data = json.loads(json.dumps(ctx.to_dict()))
    assert data["customers"][0]["value"] == "Initech Health"
    assert data["rep"]["value"] == "Priya Shah" and data["rep"]["source"] == "inferred"


def test_unknown_context_is_none_not_a_guess() -> None:
    ctx = infer_context("A short note about renewals.")
    assert ctx.rep is None and ctx.account is None and ctx.date is None
    assert ctx.sources() == "genre=inferred"


def test_a_files_names_do_not_leak_into_the_next_file(tmp_path: Path) -> None:
    from custfocus import Analyzer

    base = Analyzer(seller=["Acme"], model=None)
    named = base.with_names(customer=["Initech"])
    counts = named.score("Initech grows. Acme helps.").counts
    assert (counts["customer"], counts["self"]) == (1, 1)
    counts = base.score("Initech grows. Acme helps.").counts
    assert (counts["customer"], counts["self"]) == (0, 1)
    assert base.with_names(customer=["Initech"]) is named  # built once per set of names
    (tmp_path / "a.txt").write_text("Account plan: Initech Health\n\nInitech. Initech.", "utf-8")
    (tmp_path / "b.txt").write_text("Initech grows, and Initech hires.", "utf-8")
    rows = _audit([tmp_path / "a.txt", tmp_path / "b.txt"]).rows
    assert rows[0].customer_names and rows[1].customer_names is None
    assert rows[1].customer_share is None


def test_a_name_the_manifest_gives_one_side_is_never_inferred_for_the_other() -> None:
    inferred = infer_context("Hi Northwind team, Globex here. Hi Globex team.")
    assert "Northwind" in inferred.customer_names
    listed = read_manifest_text("path,sellers\nx.txt,Northwind\n")
    ctx = merge_context(inferred, listed.get(listed.source_dir / "x.txt"))  # type: ignore[arg-type]
    assert ctx.seller_names == ("Northwind",) and ctx.customer_names == ("Globex",)
    assert ctx.value("account") == "Globex"


# --- the user's lexicons reach inference ------------------------------------------------------


def _lexicon_file(folder: Path, rule: str, *terms: str) -> Path:
    path = folder / f"{rule.replace('.', '_')}.txt"
    path.write_text(f"@rule {rule}\n@description test list\n@source test\n@license CC0-1.0\n"
                    + "\n".join(terms) + "\n", encoding="utf-8")  # fmt: skip
    return path


def test_a_users_never_a_name_lexicon_keeps_its_words_out_of_inferred_names(
    tmp_path: Path,
) -> None:
    from custfocus import Analyzer

    text = "Hi Pilot team, here is the plan for the rollout. We at Northwind will help."
    assert infer_context(text).customer_names == ("Pilot",)  # packaged lists alone
    extra = _lexicon_file(tmp_path, "context.not_name", "pilot")
    by_file = Analyzer(lexicons=[extra], model=None).lexicons
    by_terms = Analyzer(extra_terms={"context.not_name": ["Pilot"]}, model=None).lexicons
    for lexicons in (by_file, by_terms):
        ctx = infer_context(text, lexicons=lexicons)
        assert ctx.customer_names == () and ctx.seller_names == ("Northwind",)


def test_a_users_free_mail_domain_names_no_company(tmp_path: Path) -> None:
    from custfocus.lexicon import load_lexicons

    doc = _email("dana@mailhaven.example", "Sam Rivera <sam@northwind.example>",
                 "Hi Dana, Northwind here. Sent to you at Mailhaven as asked.")  # fmt: skip
    assert "Mailhaven" in infer_context(doc).customer_names
    free = _lexicon_file(tmp_path, "context.no_company_domain", "mailhaven")
    ctx = infer_context(doc, lexicons=load_lexicons([free]))
    assert "Mailhaven" not in ctx.customer_names and ctx.seller_names == ("Northwind",)


def test_speaker_labels_read_the_users_never_a_name_lexicon(tmp_path: Path) -> None:
    from custfocus.context import speaker_orgs
    from custfocus.lexicon import load_lexicons

    doc = Document((Segment("Hello.", "turn 1", speaker="Ann Lee (Pilot)"),), format="transcript")
    assert speaker_orgs(doc) == {"Ann Lee (Pilot)": "Pilot"}
    lexicons = load_lexicons([_lexicon_file(tmp_path, "context.not_name", "pilot")])
    assert speaker_orgs(doc, lexicons) == {}


def test_a_lexicon_in_the_settings_reaches_the_audits_context_inference(tmp_path: Path) -> None:
    f = tmp_path / "note.txt"
    f.write_text("Hi Pilot team, here is the plan for the rollout. We at Northwind will help.")
    lex = _lexicon_file(tmp_path, "context.not_name", "pilot")
    plain = _audit([f]).rows[0]
    ours = _audit([f], Settings(lexicons=(str(lex),))).rows[0]
    assert "Pilot" in (plain.customer_names or "").split("; ")
    assert "Pilot" not in (ours.customer_names or "").split("; ")
