"""Calls as conversations: roles, seller-only scoring, talk ratio, monologues, voice."""

from __future__ import annotations

import pytest

from custfocus import Analyzer, Document, Segment
from custfocus.errors import ConfigError


def call(turns: list[tuple[str, str, float | None, float | None]]) -> Document:
    segs = [
        Segment(text, f"turn {i + 1}", "utterance", speaker, start, end)
        for i, (speaker, text, start, end) in enumerate(turns)
    ]
    return Document(tuple(segs), path="call.txt", format="transcript")


DISCOVERY_CALL = call(
    [
        ("Priya", "Thanks for joining. How are you handling renewals today?", 0.0, 6.0),
        (
            "Marcus",
            "Honestly we struggle with it. Renewals are manual and we lose deals.",
            6.5,
            40.0,
        ),
        ("Priya", "Mm-hm.", 40.0, 40.5),
        ("Marcus", "We need a way to see every renewal ninety days out.", 40.6, 70.0),
        ("Priya", "What does a lost renewal cost you?", 71.0, 75.0),
        (
            "Marcus",
            "About forty thousand a month. Our goal is to halve churn this year.",
            76.0,
            110.0,
        ),
        ("Priya", "Your team would see every renewal ninety days out.", 111.0, 118.0),
    ]
)


def test_seller_is_inferred_from_questions_and_reported_with_confidence() -> None:
    report = Analyzer(model=None).score_document(DISCOVERY_CALL)
    assert report.conversation is not None
    roles = {r.speaker: r for r in report.conversation.roles}
    assert roles["Priya"].role == "seller" and roles["Marcus"].role == "buyer"
    assert roles["Priya"].method == "inferred"
    assert 0.5 <= roles["Priya"].confidence <= 1.0


def test_given_seller_speakers_win_and_unknown_names_are_an_error() -> None:
    analyzer = Analyzer(model=None)
    report = analyzer.score_document(DISCOVERY_CALL, seller_speakers=["marcus"])
    assert report.conversation is not None
    assert {r.speaker for r in report.conversation.roles if r.role == "seller"} == {"Marcus"}
    with pytest.raises(ConfigError, match="not found"):
        analyzer.score_document(DISCOVERY_CALL, seller_speakers=["Nobody"])


def test_only_seller_speech_counts_a_buyers_you_means_the_seller() -> None:
    report = Analyzer(model=None).score_document(DISCOVERY_CALL, seller_speakers=["Priya"])
    assert {m.speaker for m in report.mentions} == {"Priya"}
    assert any(e.rule == "exclude.unscored" for e in report.excluded)
    assert all(not s.scored for s in report.sentences if s.speaker == "Marcus")


def test_talk_ratio_by_time_and_words_and_backchannels_do_not_break_a_story() -> None:
    report = Analyzer(model=None).score_document(DISCOVERY_CALL, seller_speakers=["Priya"])
    conv = report.conversation
    assert conv is not None and conv.timed
    assert conv.seller_talk_ratio_time is not None and conv.seller_talk_ratio_time < 0.3
    assert conv.seller_talk_ratio_words is not None and conv.seller_talk_ratio_words < 0.5
    # Marcus's story runs 6.5 s to 70 s across Priya's "Mm-hm."
    assert conv.longest_buyer_story_seconds == pytest.approx(63.5)
    assert conv.switches == 6
    assert conv.patience_seconds == pytest.approx((0.0 + 1.0 + 1.0) / 3)
    assert conv.duration_seconds == pytest.approx(118.0)


def test_customer_voice_lists_needs_problems_and_goals_with_speaker() -> None:
    report = Analyzer(model=None).score_document(DISCOVERY_CALL, seller_speakers=["Priya"])
    kinds = {(q.kind, q.speaker) for q in report.customer_voice}
    assert ("implied_need", "Marcus") in kinds
    assert ("explicit_need", "Marcus") in kinds
    assert ("goal", "Marcus") in kinds
    assert report.conversation is not None
    assert report.conversation.explicit_needs == 1


def test_without_timestamps_time_figures_are_none_and_words_stand_in() -> None:
    untimed = call([(sp, text, None, None) for sp, text, _, _ in [
        ("A", "We at Acme are the leader. Our platform is great. We have 200 integrations.", 0, 0),
        ("B", "Okay.", 0, 0),
        ("A", "Our team built the best engine.", 0, 0),
    ]])  # fmt: skip
    report = Analyzer(seller=["Acme"], model=None).score_document(untimed)
    conv = report.conversation
    assert conv is not None and not conv.timed
    assert conv.seller_talk_ratio_time is None and conv.duration_seconds is None
    assert conv.seller_talk_ratio_words is not None and conv.seller_talk_ratio_words > 0.9
    assert conv.longest_seller_monologue_words == 20  # "Okay." does not break it
    assert report.components["listening"] == 0.0


def test_a_call_score_includes_listening_and_questioning_when_sentences_are_labelled() -> None:
    report = Analyzer().score_document(DISCOVERY_CALL, seller_speakers=["Priya"])
    assert report.components["listening"] is not None
    assert report.components["questioning"] is not None
    unlabelled = Analyzer(model=None).score_document(DISCOVERY_CALL, seller_speakers=["Priya"])
    assert unlabelled.components["questioning"] is None


def test_patience_needs_real_end_times() -> None:
    starts_only = call([("Priya", "How do you plan?", 0.0, None), ("Marcus", "By hand, mostly.", 5.0, None),
                        ("Priya", "What does that cost you?", 9.0, None)])  # fmt: skip
    report = Analyzer(model=None).score_document(starts_only, seller_speakers=["Priya"])
    assert report.conversation is not None and report.conversation.timed
    assert report.conversation.patience_seconds is None
