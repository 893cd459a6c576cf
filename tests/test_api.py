"""The public API on awkward input: empty, whitespace, other languages, long, odd Unicode."""

from __future__ import annotations

import pytest

import custfocus
from custfocus import Analyzer


def test_module_level_score_takes_seller_and_customer_names() -> None:
    report = custfocus.score("Acme helps Globex.", seller=["Acme"], customer=["Globex"])
    assert [m.side for m in report.mentions] == ["self", "customer"]
    assert 0 <= report.score <= 100


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_and_whitespace_text_give_an_empty_report(analyzer: Analyzer, text: str) -> None:
    report = analyzer.score(text)
    assert report.mentions == () and report.sentences == ()
    assert report.words == 0
    assert report.customer_share is None
    assert report.insufficient_evidence
    assert report.score == 50.0


def test_non_english_text_finds_nothing_rather_than_false_pronouns(analyzer: Analyzer) -> None:
    report = analyzer.score("Nous aidons votre équipe. Wir helfen Ihrem Team. 我们帮助您的团队。")
    assert report.mentions == ()
    assert report.insufficient_evidence


def test_very_long_text_is_scored_whole(analyzer: Analyzer) -> None:
    text = "Your team saves time with our platform. " * 40_000  # 1.6 MB, over spaCy's default
    report = analyzer.score(text)
    assert report.counts["customer"] == 40_000
    assert report.counts["self"] == 40_000
    assert report.mentions[-1].end <= len(text)


def test_emoji_and_odd_unicode_keep_offsets_valid(analyzer: Analyzer) -> None:
    text = "🚀 Your\u00a0team\u200b saves 5×\u2009time — we’re proud 🎉. You’ll see. ﬁnance"
    report = analyzer.score(text)
    assert {m.text.lower() for m in report.mentions} >= {"you", "we"}
    for m in report.mentions:
        assert text[m.start : m.end] == m.text


def test_pipe_streams_in_order_and_matches_score(analyzer: Analyzer) -> None:
    texts = [f"Your team {i}. We ship {i}." if i % 2 else "Thank you." for i in range(50)]
    piped = list(analyzer.pipe(iter(texts), batch_size=7))
    assert [r.text for r in piped] == texts
    assert [r.score for r in piped] == [analyzer.score(t).score for t in texts]


def test_non_string_input_is_a_type_error(analyzer: Analyzer) -> None:
    with pytest.raises(TypeError, match="expected str"):
        analyzer.score(b"bytes")  # type: ignore[arg-type]


def test_a_single_name_string_is_refused_not_split_into_letters() -> None:
    with pytest.raises(TypeError, match="list of names"):
        Analyzer(seller="Acme")  # type: ignore[arg-type]


def test_a_loaded_pipeline_is_used_and_not_modified() -> None:
    import spacy

    nlp = spacy.blank("en")
    analyzer = Analyzer(nlp=nlp)
    assert (
        analyzer.score("Your team. Our team.").counts
        == analyzer.score("Your team. Our team.").counts
    )
    assert nlp.pipe_names == []


def test_bullets_and_lines_are_sentences_but_wrapped_lines_are_not(analyzer: Analyzer) -> None:
    deck = "Why Acme\n• Faster quotes\n• Happier reps"
    assert len(analyzer.score(deck).sentences) == 3
    email = "I wanted to follow up on\nour call about renewals.\n\nBest,\nSam"
    texts = [s.text for s in analyzer.score(email).sentences]
    assert texts[0] == "I wanted to follow up on\nour call about renewals."


def test_public_names_are_exported_and_sorted() -> None:
    assert custfocus.__all__ == sorted(custfocus.__all__)
    for name in custfocus.__all__:
        assert hasattr(custfocus, name)
