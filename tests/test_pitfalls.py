"""Pitfalls a new user finds: each test states a rule the score keeps whatever the content
model predicts (the rules live in matching, lexicons, sentence rules and scoring)."""

from __future__ import annotations

import numpy as np
import pytest

from custfocus import Analyzer, Document, Segment
from custfocus.advice import most_self_centred, suggestions
from custfocus.features import DENSE_FEATURES
from custfocus.model import HEADS, LABELS, SPIN_TYPES, ContentModel, LinearHeads
from custfocus.scoring import score_evidence

BAG = "customer customer your your you you client client buyer buyer"
PITCH = (
    "Acme Cloud is the industry's leading analytics platform. We were founded in 2012 and our "
    "award-winning engine is trusted by the world's top brands. Our team of experts has built "
    "the most powerful reporting suite on the market."
)
STUFFED_PITCH = (
    "Acme Cloud is the industry's leading analytics platform for you. We were founded in 2012 "
    "for customers like you and your business, and our award-winning engine is trusted by the "
    "world's top brands and you. Our team of experts has built the most powerful reporting "
    "suite on the market for your team, your customers and you."
)
GOOD = (
    "How does your team build the board pack today? When the pack is late, what does that "
    "cost your board in deferred decisions? Your analysts would get those four days back."
)


# -- a bag of customer words ------------------------------------------------------------
def test_a_bag_of_customer_words_with_no_clause_is_stuffing_not_value(analyzer: Analyzer) -> None:
    report = analyzer.score(BAG)
    (sentence,) = report.sentences
    assert sentence.label == "other" and sentence.rule == "stuffing"
    assert report.counts["customer"] == 0
    assert {m.rule for m in report.mentions} == {"self.stuffing"}


def test_a_bag_of_customer_words_scores_no_higher_than_a_stuffed_pitch(analyzer: Analyzer) -> None:
    assert analyzer.score(BAG).score <= analyzer.score(STUFFED_PITCH).score


@pytest.mark.parametrize("text", [PITCH, GOOD])
def test_adding_a_bag_of_customer_words_never_lifts_a_score(analyzer: Analyzer, text: str) -> None:
    assert analyzer.score(text + "\n\n" + BAG).score <= analyzer.score(text).score


def test_stuffing_you_and_your_into_a_pitch_barely_moves_it(analyzer: Analyzer) -> None:
    pitch, stuffed = analyzer.score(PITCH).score, analyzer.score(STUFFED_PITCH).score
    assert abs(stuffed - pitch) < 6
    assert stuffed < 40  # still self-centred (scoring.BANDS)


def test_repeating_you_in_one_sentence_has_diminishing_returns(analyzer: Analyzer) -> None:
    once = analyzer.score("Acme helps you.").components["reference"]
    many = analyzer.score("Acme helps you, you, you, you and you.").components["reference"]
    assert many is not None and once is not None
    assert many - once < 0.1


# -- social proof is the seller talking about itself ------------------------------------
@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("We have over 2,000 customers.", "self.social_proof"),
        ("We serve customers in thirty countries.", "self.social_proof"),
        ("Clients like Initech renew every year.", "self.social_proof"),
        ("Thousands of customers rely on it.", "self.social_proof"),
        ("Our customer success team will call.", "self.noun"),
    ],
)
def test_social_proof_is_not_a_reference_to_this_customer(
    analyzer: Analyzer, text: str, rule: str
) -> None:
    report = analyzer.score(text)
    assert report.counts["customer"] == 0
    assert rule in {m.rule for m in report.mentions}


def test_trusted_by_companies_names_no_customer(analyzer: Analyzer) -> None:
    assert analyzer.score("Trusted by 500 companies.").counts["customer"] == 0


def test_the_buyers_own_customers_stay_customer_references(analyzer: Analyzer) -> None:
    report = analyzer.score("How do your 40 customers renew today?")
    assert report.counts["customer"] >= 1
    assert "self.social_proof" not in {m.rule for m in report.mentions}


# -- listening moves are customer-centred -----------------------------------------------
LISTENING = [
    "Let me play back what I've heard.",
    "Correct me where I'm wrong.",
    "Before I say anything about pricing, I'd like to understand how things work at Globex.",
]


@pytest.mark.parametrize("text", LISTENING)
def test_a_listening_move_is_discovery_and_its_first_person_weighs_nothing(
    analyzer: Analyzer, text: str
) -> None:
    report = analyzer.score(text)
    (sentence,) = report.sentences
    assert sentence.label == "discovery" and sentence.rule == "listening"
    assert sentence.self_mentions == 0
    assert report.counts["self"] == 0


def test_listening_moves_are_never_among_the_most_self_centred_sentences(
    analyzer: Analyzer,
) -> None:
    report = analyzer.score(" ".join(LISTENING) + " We built our platform for our team.")
    worst = [s.text for s in most_self_centred(report)]
    assert worst == ["We built our platform for our team."]
    rewrites = [t for t in suggestions(report, limit=10) if t.startswith("Rewrite")]
    assert not any(move in t for move in LISTENING for t in rewrites)


# -- headings, bylines, dates and speaker-note instructions -----------------------------
@pytest.mark.parametrize(
    "text",
    ["What we heard from your team on 2 November", "Northwind Analytics, 10 November 2026"],
)
def test_headings_bylines_and_dates_are_neither_questions_nor_pitches(
    analyzer: Analyzer, text: str
) -> None:
    report = analyzer.score(text + "\n\nYour analysts would get four days back.")
    first = report.sentences[0]
    assert (first.label, first.is_question, first.rule) == ("other", False, "heading")


def test_a_heading_segment_is_not_a_question_unless_it_asks() -> None:
    doc = Document(
        (
            Segment("How Acme helps finance teams", "slide 1", "title"),
            Segment("What are your goals for next year?", "slide 2", "title"),
        )
    )
    first, second = Analyzer().score_document(doc).sentences
    assert (first.label, first.is_question, first.rule) == ("other", False, "heading")
    assert second.is_question and second.rule is None


def test_instructions_in_speaker_notes_are_guidance_not_discovery() -> None:
    notes = ["Ask them about their renewal process.", "Pause here and let them answer."]
    doc = Document(tuple(Segment(t, f"slide {i} notes", "notes") for i, t in enumerate(notes)))
    report = Analyzer().score_document(doc)
    for s in report.sentences:
        assert (s.label, s.is_question, s.rule) == ("other", False, "instruction")
    assert report.content is not None and report.content.questions == 0


# -- suggestions quote what was found ---------------------------------------------------
def test_the_superlative_suggestion_quotes_the_superlatives_in_the_text() -> None:
    doc = Document((Segment("Our award-winning platform is world-class.", "slide 4", "body"),))
    (tip,) = [t for t in suggestions(Analyzer().score_document(doc), 10) if "superlative" in t]
    assert "“award-winning” (slide 4)" in tip and "“world-class” (slide 4)" in tip
    assert "#1" not in tip and "best-in-class" not in tip


def test_a_rewrite_suggestion_quotes_the_sentence_and_its_location() -> None:
    doc = Document((Segment("We built our engine for our own team.", "slide 2", "body"),))
    tips = suggestions(Analyzer().score_document(doc), 10)
    assert any("“We built our engine for our own team.” (slide 2)" in t for t in tips)


def test_the_rules_keep_the_score_a_pure_function_of_the_evidence(analyzer: Analyzer) -> None:
    report = analyzer.score(" ".join([BAG + ".", *LISTENING, PITCH, GOOD]))
    assert score_evidence(report.mentions, report.sentences, analyzer.config).score == report.score


# -- the rules hold whatever the content model predicts ---------------------------------
def constant_model(label: str) -> ContentModel:
    """A content model that calls every sentence ``label`` and no sentence a question."""
    n_features = 2**8
    classes = {
        "label": np.array(LABELS),
        "question": np.array([False, True]),
        "form": np.array(["closed", "open"]),
        "spin": np.array(SPIN_TYPES),
    }
    width = len(LABELS) + 1 + 1 + len(SPIN_TYPES)
    b = np.zeros(width)
    b[LABELS.index(label)] = 10.0
    b[len(LABELS)] = -10.0  # is_question: no
    heads = LinearHeads(
        names=HEADS,
        kinds=("softmax", "sigmoid", "sigmoid", "softmax"),
        classes=classes,
        W=np.zeros((n_features + len(DENSE_FEATURES), width)),
        b=b,
        cal_a=np.full(width, -1.0),
        cal_b=np.zeros(width),
    )
    return ContentModel(heads, n_features=n_features)


@pytest.mark.parametrize("label", LABELS)
def test_the_sentence_rules_do_not_depend_on_the_model(label: str) -> None:
    analyzer = Analyzer(model=constant_model(label))
    text = "\n\n".join(
        [
            "What we heard from your team on 2 November",
            "Let me play back what I've heard.",
            BAG,
            "We have over 2,000 customers.",
        ]
    )
    rules = [(s.rule, s.label) for s in analyzer.score(text).sentences]
    assert rules[:3] == [("heading", "other"), ("listening", "discovery"), ("stuffing", "other")]
    assert analyzer.score("We have over 2,000 customers.").counts["customer"] == 0
    for good in (PITCH, GOOD):
        assert analyzer.score(good + "\n\n" + BAG).score <= analyzer.score(good).score
