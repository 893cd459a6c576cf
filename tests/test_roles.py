"""Speaker roles: label role words, given names and sellers, behaviour, and the uncertain flag."""

from __future__ import annotations

from pathlib import Path

import pytest

from custfocus import Analyzer, Document, Segment
from custfocus.audit import AuditRow
from custfocus.render import suggestions
from custfocus.results import SpeakerRole
from custfocus.roles import label_side, roles_note

ANALYZER = Analyzer(model=None)


def call(*turns: tuple[str, str]) -> Document:
    segs = [
        Segment(text, f"turn {i + 1}", "utterance", speaker, None, None)
        for i, (speaker, text) in enumerate(turns)
    ]
    return Document(tuple(segs), path="call.txt", format="transcript")


def roles_of(document: Document, **kw: object) -> dict[str, SpeakerRole]:
    report = ANALYZER.score_document(document, **kw)  # type: ignore[arg-type]
    assert report.conversation is not None
    return {r.speaker: r for r in report.conversation.roles}


# The customer asks every question and says "you" about the vendor; the rep mostly answers.
QUESTIONING_CUSTOMER = call(
    ("Sales Rep", "Thanks for taking the call."),
    ("Customer", "What does your platform cost? How do you handle renewals? Can you integrate?"),
    ("Sales Rep", "It starts at ten thousand a year and integrates with most CRMs."),
    ("Customer", "Do you have references? Who else do you work with? When could you start?"),
    ("Sales Rep", "Yes, three. We could start next month."),
)


def test_sales_rep_and_customer_labels_win_even_when_the_customer_asks_more_questions() -> None:
    roles = roles_of(QUESTIONING_CUSTOMER)
    assert roles["Sales Rep"].role == "seller" and roles["Customer"].role == "buyer"
    assert roles["Sales Rep"].method == "label" and not roles["Sales Rep"].uncertain


def test_a_speaker_labelled_customer_is_never_scored_as_the_seller() -> None:
    report = ANALYZER.score_document(QUESTIONING_CUSTOMER)
    assert {m.speaker for m in report.mentions} <= {"Sales Rep"}
    assert all(not s.scored for s in report.sentences if s.speaker == "Customer")
    conv = report.conversation
    assert conv is not None and conv.seller_questions == 0  # the customer's questions
    assert conv.seller_talk_ratio_words is not None and conv.seller_talk_ratio_words < 0.5


def test_persuader_and_persuadee_labels_name_the_seller_and_the_buyer() -> None:
    roles = roles_of(
        call(
            ("Persuadee", "Hi! What is this about? Who are they?"),
            ("Persuader", "Hello. Would you like to donate to a children's charity?"),
            ("Persuadee", "How much do I have to give? I am not sure I can afford it."),
        )
    )
    assert roles["Persuader"].role == "seller" and roles["Persuadee"].role == "buyer"


@pytest.mark.parametrize(
    ("label", "side"),
    [
        ("Sam Rivera (AE)", "seller"),
        ("Rep - Sam", "seller"),
        ("SALES REP", "seller"),
        ("Account Executive", "seller"),
        ("Customer Success Manager", "seller"),  # the longest term wins over "customer"
        ("Dana (Prospect)", "buyer"),
        ("Caller 2", "buyer"),
        ("customer", "buyer"),
        ("Rafael", None),  # "AE" only as a whole word
        ("Leader", None),  # "lead" only as a whole word
        ("Speaker 1", None),
        ("SPEAKER_00", None),
        ("Agent / Customer", None),  # a label naming both sides names neither
    ],
)
def test_role_words_match_whole_words_on_the_label(label: str, side: str | None) -> None:
    assert label_side(label)[0] == side


def test_seller_and_customer_names_in_labels_match_as_whole_words_and_outrank_role_words() -> None:
    assert label_side("Sam (Acme)", seller_names=["Acme"])[0] == "seller"
    assert label_side("Dana (Globex)", customer_names=["Globex"])[0] == "buyer"
    assert label_side("Acmeville Dan", seller_names=["Acme"])[0] is None
    assert label_side("Team Lead (Acme)", seller_names=["Acme"])[0] == "seller"


def test_one_labelled_speaker_settles_the_other_in_a_two_speaker_call() -> None:
    roles = roles_of(call(("Customer", "So what do you do?"), ("Sam", "We help your team.")))
    assert roles["Sam"].role == "seller" and roles["Sam"].method == "label"
    assert not roles["Sam"].uncertain


def test_given_seller_speakers_override_the_labels() -> None:
    roles = roles_of(QUESTIONING_CUSTOMER, seller_speakers=["customer"])
    assert roles["Customer"].role == "seller" and roles["Customer"].method == "given"
    assert roles["Sales Rep"].role == "buyer"


def test_roles_are_flagged_uncertain_when_nothing_tells_the_speakers_apart() -> None:
    same = call(("Speaker 1", "Okay, sounds good."), ("Speaker 2", "Okay, sounds good."))
    report = ANALYZER.score_document(same)
    conv = report.conversation
    assert conv is not None and conv.roles_uncertain
    assert all(r.uncertain and r.method == "inferred" for r in conv.roles)
    assert [r.role for r in conv.roles].count("seller") == 1  # a best guess, said so
    note = roles_note(conv.roles)
    assert note is not None and "unclear" in note
    assert suggestions(report)[0] == note
    row = AuditRow.from_report("call.txt", report)
    assert row.roles_uncertain is True and row.to_dict()["sellers"] in ("Speaker 1", "Speaker 2")


def test_when_every_label_names_a_buyer_nobody_is_scored_as_the_seller() -> None:
    report = ANALYZER.score_document(
        call(("Customer 1", "We need this fixed."), ("Customer 2", "Our team agrees."))
    )
    conv = report.conversation
    assert conv is not None and conv.roles_uncertain
    assert all(r.role == "buyer" for r in conv.roles)
    assert not report.mentions
    assert "No speaker is the seller" in (roles_note(conv.roles) or "")


def test_behaviour_alone_finds_a_seller_who_talks_to_the_customer_about_the_offer() -> None:
    roles = roles_of(
        call(
            ("Speaker 2", "Hi."),
            (
                "Speaker 1",
                "Thanks for your time today. You told me your team loses renewals, so you "
                "would see every renewal ninety days out, and you can act before it slips.",
            ),
            ("Speaker 2", "I see. I think I would need to check with my boss."),
            (
                "Speaker 1",
                "Of course. You could share this with your boss, and you and your team can "
                "try it free for a month before you decide.",
            ),
        )
    )
    assert roles["Speaker 1"].role == "seller" and roles["Speaker 1"].method == "inferred"
    assert roles["Speaker 1"].confidence >= 0.75 and not roles["Speaker 1"].uncertain


def test_a_clear_call_is_not_flagged_and_has_no_roles_note() -> None:
    roles = list(roles_of(QUESTIONING_CUSTOMER).values())
    assert roles_note(roles) is None
    assert all("uncertain" in r.to_dict() and r.to_dict()["uncertain"] is False for r in roles)


def test_roles_come_out_right_from_text_vtt_with_voice_tags_and_srt_transcripts(
    tmp_path: Path,
) -> None:
    txt = tmp_path / "call.txt"
    txt.write_text(
        "Customer: How much is it? Do you integrate with our CRM? Who else uses it?\n"
        "Rep - Sam: It integrates with most CRMs.\n"
        "Customer: What about support? Is onboarding included?\n"
        "Rep - Sam: Yes, onboarding is included.\n",
        encoding="utf-8",
    )
    vtt = tmp_path / "call.vtt"
    vtt.write_text(
        "WEBVTT\n\n"
        "1\n00:00:01.000 --> 00:00:04.000\n<v Dana (Prospect)>What does it cost? Why you?\n\n"
        "2\n00:00:04.500 --> 00:00:08.000\n<v Sam Rivera (AE)>It depends on seats.\n\n"
        "3\n00:00:08.500 --> 00:00:12.000\n<v Dana (Prospect)>Can we try it? How long?\n",
        encoding="utf-8",
    )
    srt = tmp_path / "call.srt"
    srt.write_text(
        "1\n00:00:01,000 --> 00:00:04,000\nClient: What does it cost? Who else uses it?\n\n"
        "2\n00:00:04,500 --> 00:00:08,000\nAgent: It depends on seats.\n\n"
        "3\n00:00:08,500 --> 00:00:12,000\nClient: Can we try it? How long is the trial?\n",
        encoding="utf-8",
    )
    cases = [
        (txt, "Rep - Sam", "Customer"),
        (vtt, "Sam Rivera (AE)", "Dana (Prospect)"),
        (srt, "Agent", "Client"),
    ]
    for path, seller, buyer in cases:
        report = ANALYZER.score_file(path)
        assert report.conversation is not None, path
        roles = {r.speaker: r.role for r in report.conversation.roles}
        assert roles == {seller: "seller", buyer: "buyer"}, path


def test_a_huge_speaker_label_is_read_in_bounded_time() -> None:
    side, _ = label_side("Rep " + "x " * 200_000)
    assert side == "seller"
