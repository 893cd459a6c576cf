"""Every format reads into segments that keep where the text came from."""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

import pytest

from custfocus import read


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def where(path: Path) -> list[tuple[str, str, str]]:
    return [(s.location, s.kind, s.text) for s in read(path)]


def test_plain_text_paragraphs(tmp_path: Path) -> None:
    doc = read(write(tmp_path, "a.txt", "First para\nstill first.\n\nSecond para."))
    assert doc.format == "text"
    assert [(s.location, s.text) for s in doc] == [
        ("paragraph 1", "First para\nstill first."),
        ("paragraph 2", "Second para."),
    ]


def test_markdown_headings_bullets_and_inline_markup(tmp_path: Path) -> None:
    md = "# Why **Acme**\n\nSee [our site](https://x.example) `now`.\n\n- Faster quotes\n- Happier reps\n"
    assert where(write(tmp_path, "a.md", md)) == [
        ("paragraph 1", "heading", "Why Acme"),
        ("paragraph 2", "body", "See our site now."),
        ("paragraph 3", "body", "Faster quotes"),
        ("paragraph 4", "body", "Happier reps"),
    ]


def test_html_keeps_only_visible_text(tmp_path: Path) -> None:
    page = """<html><head><title>Acme | Home</title><style>p{color:red}</style>
    <script>var you = 'tracking';</script></head><body>
    <h1>Your team, faster</h1><p>We help <b>you</b> close.</p>
    <div style="display:none">Hidden you text</div><p hidden>Also hidden</p>
    <span aria-hidden="true">icon you</span><noscript>enable JS</noscript>
    <table><tr><td>Plan</td><td>Price</td></tr><tr><td>Pro</td><td>$10</td></tr></table>
    <p>Unclosed <i>italic <br> still visible</body></html>"""
    segs = where(write(tmp_path, "a.html", page))
    texts = " ".join(t for _, _, t in segs)
    assert ("title", "title", "Acme | Home") in segs
    assert ("paragraph 1", "heading", "Your team, faster") in segs
    assert ("table 1 row 2", "table", "Pro | $10") in segs
    for hidden in ("tracking", "Hidden", "Also hidden", "icon", "enable JS", "color"):
        assert hidden not in texts
    assert "still visible" in texts


def test_speaker_lines_with_timestamps_become_utterances(tmp_path: Path) -> None:
    text = (
        "[00:00:05] Priya Shah: How are you handling renewals today?\n"
        "[00:00:09] Marcus Lee: Mostly by hand.\nIt is painful.\n"
        "[00:01:02] Priya Shah: What does that cost you?\n"
    )
    doc = read(write(tmp_path, "call.txt", text))
    assert doc.format == "transcript" and doc.is_conversation
    assert [(s.location, s.speaker, s.start, s.end) for s in doc] == [
        ("00:00:05", "Priya Shah", 5.0, 9.0),
        ("00:00:09", "Marcus Lee", 9.0, 62.0),
        ("00:01:02", "Priya Shah", 62.0, None),
    ]
    assert doc.segments[1].text == "Mostly by hand. It is painful."


def test_speaker_lines_without_timestamps_are_turns(tmp_path: Path) -> None:
    doc = read(write(tmp_path, "call.txt", "Sam: Hi there.\nDana: Hello.\nSam: Shall we start?\n"))
    assert [(s.location, s.speaker) for s in doc] == [
        ("turn 1", "Sam"),
        ("turn 2", "Dana"),
        ("turn 3", "Sam"),
    ]


def test_webvtt_voice_tags_and_timestamps(tmp_path: Path) -> None:
    vtt = (
        "WEBVTT\n\nNOTE this is a comment\n\n1\n00:03:12.000 --> 00:03:15.500\n"
        "<v Sam Rivera (Northwind)>We are the <b>leader</b>.</v>\n\n"
        "00:03:16.000 --> 00:03:18.000\n<v.loud Dana>Okay.\n"
    )
    doc = read(write(tmp_path, "call.vtt", vtt))
    assert [(s.location, s.speaker, s.text, s.start, s.end) for s in doc] == [
        ("00:03:12", "Sam Rivera (Northwind)", "We are the leader.", 192.0, 195.5),
        ("00:03:16", "Dana", "Okay.", 196.0, 198.0),
    ]


def test_srt_with_speaker_prefixes(tmp_path: Path) -> None:
    srt = (
        "1\n00:00:01,000 --> 00:00:04,000\nSam: Thanks for joining.\n\n"
        "2\n00:00:05,000 --> 00:00:07,250\n[Dana] Happy to be here.\n"
    )
    doc = read(write(tmp_path, "call.srt", srt))
    assert [(s.speaker, s.text, s.end) for s in doc] == [
        ("Sam", "Thanks for joining.", 4.0),
        ("Dana", "Happy to be here.", 7.25),
    ]


def test_json_transcripts_plain_or_wrapped(tmp_path: Path) -> None:
    rows = [{"speaker": "A", "text": "Hi", "start": 0, "end": 1.5}, {"speaker": "B", "text": "Yo"}]
    for payload in (rows, {"utterances": rows}):
        doc = read(write(tmp_path, "call.json", json.dumps(payload)))
        assert [(s.speaker, s.start, s.location) for s in doc] == [
            ("A", 0.0, "00:00:00"),
            ("B", None, "turn 2"),
        ]


def test_email_subject_body_and_quoted_reply(tmp_path: Path) -> None:
    msg = EmailMessage()
    msg["From"] = "Sam <sam@acme.example>"
    msg["To"] = "dana@globex.example"
    msg["Subject"] = "Your renewal plan"
    msg.set_content(
        "Hi Dana,\n\nHow is your team handling renewals?\n\n-- \nSam\n\n"
        "On Tue, 3 Nov 2026 at 09:14, Dana <dana@globex.example> wrote:\n> We need you to call us.\n"
    )
    doc = read(write(tmp_path, "a.eml", msg.as_bytes()))
    assert doc.metadata["to"] == "dana@globex.example"
    kinds = [(s.location, s.kind) for s in doc]
    assert kinds[:3] == [("subject", "title"), ("paragraph 1", "body"), ("paragraph 2", "body")]
    quoted = [s for s in doc if s.kind == "quoted"]
    assert quoted and all(not s.scored for s in quoted)
    assert "We need you to call us." in " ".join(s.text for s in quoted)


def test_html_email_blockquote_is_quoted(tmp_path: Path) -> None:
    msg = EmailMessage()
    msg["From"], msg["Subject"] = "a@b.example", "Hi"
    msg.set_content("<p>Your plan</p><blockquote>Our old message</blockquote>", subtype="html")
    doc = read(write(tmp_path, "b.eml", msg.as_bytes()))
    assert [(s.kind, s.text) for s in doc][1:] == [
        ("body", "Your plan"),
        ("quoted", "Our old message"),
    ]


@pytest.fixture()
def deck(tmp_path: Path) -> Path:
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = "Why Globex"
    slide.placeholders[1].text_frame.text = "Your reps save hours"
    slide.placeholders[1].text_frame.add_paragraph().text = "Our engine is fast"
    slide.notes_slide.notes_text_frame.text = "Ask about renewals first."
    slide2 = prs.slides.add_slide(prs.slide_layouts[5])
    slide2.shapes.title.text = "ROI"
    table = slide2.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(4), Inches(1)).table
    table.cell(0, 0).text, table.cell(0, 1).text = "Metric", "Gain"
    table.cell(1, 0).text, table.cell(1, 1).text = "Hours", "5/week"
    group = slide2.shapes.add_group_shape()
    box = group.shapes.add_textbox(Inches(1), Inches(4), Inches(3), Inches(1))
    box.text_frame.text = "Grouped: your team wins"
    path = tmp_path / "deck.pptx"
    prs.save(str(path))
    return path


def test_pptx_titles_bodies_tables_groups_and_notes(deck: Path) -> None:
    assert where(deck) == [
        ("slide 1", "title", "Why Globex"),
        ("slide 1", "body", "Your reps save hours"),
        ("slide 1", "body", "Our engine is fast"),
        ("slide 1 notes", "notes", "Ask about renewals first."),
        ("slide 2", "title", "ROI"),
        ("slide 2 table 1 row 1", "table", "Metric | Gain"),
        ("slide 2 table 1 row 2", "table", "Hours | 5/week"),
        ("slide 2", "body", "Grouped: your team wins"),
    ]


def test_docx_headings_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_heading("Account plan: Initech", level=1)
    d.add_paragraph("Initech runs 40 clinics.")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "Name", "Role"
    t.cell(1, 0).text, t.cell(1, 1).text = "Marcus", "CFO"
    d.add_paragraph("")
    d.add_paragraph("Ask how budget is approved.")
    path = tmp_path / "plan.docx"
    d.save(str(path))
    assert where(path) == [
        ("paragraph 1", "heading", "Account plan: Initech"),
        ("paragraph 2", "body", "Initech runs 40 clinics."),
        ("table 1 row 1", "table", "Name | Role"),
        ("table 1 row 2", "table", "Marcus | CFO"),
        ("paragraph 3", "body", "Ask how budget is approved."),
    ]


def test_pdf_pages(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    for text in ("Your team saves time.", "We are the leader."):
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        pdf.cell(text=text)
    path = tmp_path / "one.pdf"
    pdf.output(str(path))
    assert [(s.location, s.text) for s in read(path)] == [
        ("page 1", "Your team saves time."),
        ("page 2", "We are the leader."),
    ]
