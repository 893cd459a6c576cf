"""Every format reads into segments that keep where the text came from."""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

import pytest

from custfocus import Document, read


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


def test_a_teams_transcript_saved_as_word_is_a_conversation(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("Renewals sync")
    for line in (
        "Sam Rivera   0:03", "How do you track renewals today?",
        "Dana Lee   0:09", "We use spreadsheets, and we missed two last quarter.",
        "Sam Rivera   0:16", "What did that cost you?",
    ):  # fmt: skip
        d.add_paragraph(line)
    path = tmp_path / "call.docx"
    d.save(str(path))
    doc = read(path)
    assert doc.format == "docx" and doc.is_conversation
    assert [(s.speaker, s.start) for s in doc if s.speaker] == [
        ("Sam Rivera", 3.0),
        ("Dana Lee", 9.0),
        ("Sam Rivera", 16.0),
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


# Header-line transcripts: a line naming the speaker (and when) introduces each turn.

OTTER = """Sam Rivera  0:00
Thanks for making time, Dana. How are you handling renewals today?

Dana Lee  0:07
Honestly, we track them in a spreadsheet and we miss a few every quarter.
Can you show us how your tool would flag them?

Sam Rivera  0:21
Sure. What does a missed renewal cost your team?

Dana Lee  0:26
We lost two accounts last year, so you can guess.
"""


def turns(doc: Document) -> list[tuple[str | None, str, float | None, float | None]]:
    return [(s.speaker, s.text, s.start, s.end) for s in doc]


def test_otter_name_then_time_header_lines_introduce_turns(tmp_path: Path) -> None:
    doc = read(write(tmp_path, "otter.txt", OTTER))
    assert doc.format == "transcript" and doc.speakers == ("Sam Rivera", "Dana Lee")
    assert [s.location for s in doc] == ["00:00:00", "00:00:07", "00:00:21", "00:00:26"]
    assert turns(doc)[1] == (
        "Dana Lee",
        "Honestly, we track them in a spreadsheet and we miss a few every quarter. "
        "Can you show us how your tool would flag them?",
        7.0,
        21.0,
    )
    assert turns(doc)[-1][3] is None


TEAMS_TURNS = [
    ("Sam Rivera", "0:03", "Hi Dana, can you hear me?"),
    ("Dana Lee", "0:05", "Yes. We have about twenty minutes, so tell us what you found."),
    ("Sam Rivera", "0:12", "Your team spends two days a month on renewals."),
]


@pytest.mark.parametrize(
    "layout",
    ["{name}   {time}\n{text}\n\n", "{time} {name}\n{text}\n", "{name}\n{time}\n{text}\n"],
    ids=["name-time", "time-name", "name-over-time"],
)
def test_teams_header_lines_in_any_of_its_layouts(tmp_path: Path, layout: str) -> None:
    text = "".join(layout.format(name=n, time=t, text=x) for n, t, x in TEAMS_TURNS)
    doc = read(write(tmp_path, "teams.txt", text))
    assert turns(doc) == [
        ("Sam Rivera", TEAMS_TURNS[0][2], 3.0, 5.0),
        ("Dana Lee", TEAMS_TURNS[1][2], 5.0, 12.0),
        ("Sam Rivera", TEAMS_TURNS[2][2], 12.0, None),
    ]


def test_rev_headers_with_parenthesised_time_and_colon(tmp_path: Path) -> None:
    text = (
        "Sam Rivera (Acme) (00:00:05):\nWhat made you look at this now?\n\n"
        "Speaker 1 (00:11):\nOur CFO asked why we keep paying for tools you never use.\n"
        "We need an answer by June.\n\n"
        "Sam Rivera (Acme) (00:01:02):\nThat helps. Who else weighs in on the decision?\n"
    )
    doc = read(write(tmp_path, "rev.txt", text))
    assert turns(doc) == [
        ("Sam Rivera (Acme)", "What made you look at this now?", 5.0, 11.0),
        (
            "Speaker 1",
            "Our CFO asked why we keep paying for tools you never use. We need an answer by June.",
            11.0,
            62.0,
        ),
        ("Sam Rivera (Acme)", "That helps. Who else weighs in on the decision?", 62.0, None),
    ]


@pytest.mark.parametrize(
    "header",
    ["[{t}] {n}", "{t} - {n}", "{n} | {t}", "{n} - {t}"],
    ids=["bracketed-time-first", "time-dash-name", "name-bar-time", "name-dash-time"],
)
def test_bracketed_or_separated_time_headers(tmp_path: Path, header: str) -> None:
    rows = [
        ("SPEAKER_00", "00:00:05", "How do you approve new vendors?"),
        ("SPEAKER_01", "00:00:09", "We send everything through procurement, you know how it is."),
        ("SPEAKER_00", "00:00:16", "How long does that take?"),
    ]
    text = "".join(f"{header.format(t=t, n=n)}\n{x}\n" for n, t, x in rows)
    doc = read(write(tmp_path, "call.txt", text))
    assert [(s.speaker, s.start, s.text) for s in doc] == [
        ("SPEAKER_00", 5.0, rows[0][2]),
        ("SPEAKER_01", 9.0, rows[1][2]),
        ("SPEAKER_00", 16.0, rows[2][2]),
    ]


def test_untimed_name_colon_headers_when_clearly_a_dialogue(tmp_path: Path) -> None:
    text = (
        "Sam Rivera:\nHow are renewals going?\n\nDana Lee:\nWe are behind, and you know why.\n\n"
        "Sam Rivera:\nTell me more.\n\nDana Lee:\nWe have no alerts.\n"
    )
    doc = read(write(tmp_path, "call.txt", text))
    assert [(s.location, s.speaker) for s in doc] == [
        ("turn 1", "Sam Rivera"),
        ("turn 2", "Dana Lee"),
        ("turn 3", "Sam Rivera"),
        ("turn 4", "Dana Lee"),
    ]


def test_title_lines_before_the_first_header_are_unscored_metadata(tmp_path: Path) -> None:
    doc = read(write(tmp_path, "otter.txt", "Globex discovery call\nMarch 3, 2026\n\n" + OTTER))
    first = doc.segments[0]
    assert (first.location, first.kind, first.text) == (
        "preamble",
        "metadata",
        "Globex discovery call March 3, 2026",
    )
    assert not first.scored and doc.speakers == ("Sam Rivera", "Dana Lee")


@pytest.mark.parametrize(
    "agenda",
    [
        "Intro 10:00\nWelcome and goals for the day.\nDemo 10:15\nLive tour of renewals.\n"
        "Q&A 10:45\nYour questions, our answers.\n",
        "Intro 10:00\nWelcome.\nDemo 10:15\nRenewals module.\nBreak 10:45\nCoffee.\n"
        "Demo 11:00\nReporting module.\n",
    ],
    ids=["distinct-items", "repeated-item"],
)
def test_an_agenda_with_times_stays_a_text_document(tmp_path: Path, agenda: str) -> None:
    doc = read(write(tmp_path, "agenda.txt", agenda))
    assert doc.format == "text" and not doc.is_conversation


def test_prose_with_times_and_labels_stays_a_text_document(tmp_path: Path) -> None:
    prose = (
        "Kickoff is at 9:30 sharp.\nSam Rivera will open at 9:45 and hand over to Dana.\n\n"
        "Problem:\nYour team loses renewals.\nSolution:\nWe flag them early.\n"
        "Problem:\nReports take days.\nSolution:\nWe build them for you.\n\n"
        "Lunch 12:00\nTerrace.\n"
    )
    doc = read(write(tmp_path, "plan.txt", prose))
    assert doc.format == "text" and not doc.is_conversation


def test_score_file_treats_an_otter_export_as_a_conversation(tmp_path: Path) -> None:
    from custfocus import score_file

    report = score_file(write(tmp_path, "otter.txt", OTTER), seller=["Acme"])
    assert report.conversation is not None
    assert {r.speaker for r in report.conversation.roles} == {"Sam Rivera", "Dana Lee"}


# JSON from speech-to-text services.


def read_json_doc(
    tmp_path: Path, payload: object
) -> list[tuple[str | None, str, float | None, float | None]]:
    doc = read(write(tmp_path, "call.json", json.dumps(payload)))
    assert doc.format == "json"
    return turns(doc)


def test_deepgram_results_utterances_with_numeric_speakers(tmp_path: Path) -> None:
    payload = {
        "metadata": {"duration": 9.4},
        "results": {
            "channels": [{"alternatives": [{"transcript": "whole call"}]}],
            "utterances": [
                {
                    "speaker": 0,
                    "transcript": "What slows your renewals down?",
                    "start": 0.5,
                    "end": 2.1,
                },
                {
                    "speaker": 1,
                    "transcript": "We chase signatures for weeks.",
                    "start": 2.4,
                    "end": 4.0,
                },
            ],
        },
    }
    assert read_json_doc(tmp_path, payload) == [
        ("0", "What slows your renewals down?", 0.5, 2.1),
        ("1", "We chase signatures for weeks.", 2.4, 4.0),
    ]


def test_aws_transcribe_audio_segments_with_string_times(tmp_path: Path) -> None:
    payload = {
        "jobName": "call",
        "results": {
            "transcripts": [{"transcript": "whole call"}],
            "audio_segments": [
                {"id": 0, "transcript": "How do you report on churn?", "start_time": "0.0",
                 "end_time": "2.1", "speaker_label": "spk_0", "items": [0, 1]},
                {"id": 1, "transcript": "We export to Excel, you know.", "start_time": "2.5",
                 "end_time": "4.75", "speaker_label": "spk_1", "items": [2, 3]},
            ],
        },
    }  # fmt: skip
    assert read_json_doc(tmp_path, payload) == [
        ("spk_0", "How do you report on churn?", 0.0, 2.1),
        ("spk_1", "We export to Excel, you know.", 2.5, 4.75),
    ]


def test_rev_monologues_join_elements_and_prefer_speaker_name(tmp_path: Path) -> None:
    def words(*items: tuple[str, float, float] | str) -> list[dict[str, object]]:
        return [
            {"type": "punct", "value": i} if isinstance(i, str)
            else {"type": "text", "value": i[0], "ts": i[1], "end_ts": i[2]}
            for i in items
        ]  # fmt: skip

    payload = {
        "monologues": [
            {
                "speaker": 0,
                "speaker_name": "Sam",
                "elements": words(("Hi", 0.5, 0.8), " ", ("Dana", 0.9, 1.2), "."),
            },
            {
                "speaker": 1,
                "elements": words(
                    ("We", 1.5, 1.6), " ", ("need", 1.7, 1.9), " ", ("you", 2.0, 2.2), "!"
                ),
            },
        ]
    }
    assert read_json_doc(tmp_path, payload) == [
        ("Sam", "Hi Dana.", 0.5, 1.2),
        ("1", "We need you!", 1.5, 2.2),
    ]


def test_assemblyai_integer_milliseconds_become_seconds(tmp_path: Path) -> None:
    # All times are integers and the largest (31,250) exceeds 20,000: milliseconds.
    payload = {
        "text": "whole call",
        "utterances": [
            {"speaker": "A", "text": "Where do you lose the most time?", "start": 250, "end": 2100},
            {
                "speaker": "B",
                "text": "We rebuild the forecast every Monday.",
                "start": 29000,
                "end": 31250,
            },
        ],
    }
    assert read_json_doc(tmp_path, payload) == [
        ("A", "Where do you lose the most time?", 0.25, 2.1),
        ("B", "We rebuild the forecast every Monday.", 29.0, 31.25),
    ]


@pytest.mark.parametrize(
    ("start", "end", "second_start", "second_end"),
    [
        ("start", "end", 1500, 1800),  # integers, but under 20,000: a 30-minute call in seconds
        ("start", "end", 25000.5, 25003.0),  # fractional: seconds, however large
        ("start_seconds", "end_seconds", 25000, 25003),  # the key names say seconds
    ],
    ids=["integers-under-threshold", "fractional", "keys-say-seconds"],
)
def test_times_in_seconds_are_left_alone(
    tmp_path: Path, start: str, end: str, second_start: float, second_end: float
) -> None:
    rows = [
        {"speaker": "Sam", "text": "What would you change first?", start: 0, end: 3},
        {"speaker": "Dana", "text": "We would fix handoffs.", start: second_start, end: second_end},
    ]
    assert [(t[2], t[3]) for t in read_json_doc(tmp_path, rows)] == [
        (0.0, 3.0),
        (float(second_start), float(second_end)),
    ]


@pytest.mark.parametrize(
    "row",
    [
        {
            "speaker_label": "Sam",
            "content": "How big is your team?",
            "start_time": 1,
            "end_time": 2.5,
        },
        {
            "participant": "Sam",
            "utterance": "How big is your team?",
            "startTime": "0:01",
            "endTime": 2.5,
        },
        {"name": "Sam", "text": "How big is your team?", "from": "00:00:01", "to": "2.5"},
    ],
    ids=["snake-case", "camel-case-clock", "from-to"],
)
def test_json_alternative_text_speaker_and_time_keys(
    tmp_path: Path, row: dict[str, object]
) -> None:
    assert read_json_doc(tmp_path, [row]) == [("Sam", "How big is your team?", 1.0, 2.5)]


def test_unrecognised_json_shape_lists_the_accepted_ones(tmp_path: Path) -> None:
    from custfocus.errors import FormatMismatchError

    legacy_aws = {"results": {"transcripts": [{"transcript": "Hi"}], "items": []}}
    with pytest.raises(FormatMismatchError, match=r"monologues.*audio_segments.*results"):
        read(write(tmp_path, "aws.json", json.dumps(legacy_aws)))
