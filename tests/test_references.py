"""Reference focus: what counts as a customer or self mention, and what does not.

Each exclusion rule has minimal pairs: the same words counted in one sentence and not in
the other.
"""

from __future__ import annotations

import pytest
from _helpers import excluded, rules

from custfocus import Analyzer


def test_second_person_is_customer_and_first_person_plural_is_self(analyzer: Analyzer) -> None:
    report = analyzer.score("We can show you how your renewals work.")
    assert rules(report) == [
        ("We", "self.pronoun"),
        ("you", "customer.pronoun"),
        ("your", "customer.pronoun"),
    ]


def test_offsets_slice_back_to_the_mention(analyzer: Analyzer) -> None:
    text = "  Héllo 👋 — Globex's team and Acme Cloud: you'll see our platform."
    report = analyzer.score(text)
    assert report.mentions
    for m in report.mentions:
        assert text[m.start : m.end] == m.text
    for s in report.sentences:
        assert text[s.start : s.end] == s.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Globex wants faster quotes.", [("Globex", "customer.name")]),
        ("GLOBEX wants faster quotes.", [("GLOBEX", "customer.name")]),
        ("Globex's reps want faster quotes.", [("Globex's", "customer.name")]),
        ("Acme Cloud scales.", [("Acme Cloud", "self.name")]),
        ("Acme's roadmap is public.", [("Acme's", "self.name")]),
    ],
)
def test_names_match_case_insensitively_with_possessives_and_longest_name(
    analyzer: Analyzer, text: str, expected: list[tuple[str, str]]
) -> None:
    assert rules(analyzer.score(text)) == expected


def test_a_phrase_counts_once_not_per_word(analyzer: Analyzer) -> None:
    report = analyzer.score("Our platform helps your team.")
    assert rules(report) == [("Our platform", "self.noun"), ("your team", "customer.noun")]


def test_our_customers_is_social_proof_on_the_self_side(analyzer: Analyzer) -> None:
    assert rules(analyzer.score("Our customers love it.")) == [("Our customers", "self.noun")]


@pytest.mark.parametrize(
    ("counted", "not_counted", "rule"),
    [
        ("I can help you.", "Thank you for the help.", "exclude.courtesy"),
        ("I will see your team.", "See you on Friday.", "exclude.courtesy"),
        ("Mind your budget.", "Mind you, budgets are tight.", "exclude.courtesy"),
        ("You know your numbers best.", "It is, you know, hard.", "exclude.filler"),
        ("You know the market.", "so you know it was hard", "exclude.filler"),
        ("You never said so.", "You never know.", "exclude.generic_you"),
        ("When you review it, call.", "When you think about it, it works.", "exclude.generic_you"),
        ("Call us today.", "US customers renew early.", "exclude.acronym"),
        ("Tell me more.", "Sales in the ME region grew.", "exclude.acronym"),
    ],
)
def test_exclusions_have_minimal_pairs(
    analyzer: Analyzer, counted: str, not_counted: str, rule: str
) -> None:
    kept = analyzer.score(counted)
    dropped = analyzer.score(not_counted)
    assert kept.mentions, counted
    assert rule in [r for _, r in excluded(dropped)], not_counted
    assert rule not in [r for _, r in excluded(kept)]


def test_all_caps_heading_keeps_us_as_a_pronoun(analyzer: Analyzer) -> None:
    assert rules(analyzer.score("CONTACT US")) == [("US", "self.pronoun")]


def test_the_it_team_is_not_a_mention(analyzer: Analyzer) -> None:
    assert analyzer.score("The IT team approved it.").mentions == ()


@pytest.mark.parametrize(
    "text",
    ["Together we could map your rollout.", "Let's map the rollout.", "You and I and we all win."],
)
def test_inclusive_we_is_shared(analyzer: Analyzer, text: str) -> None:
    sides = {m.side for m in analyzer.score(text).mentions}
    assert "shared" in sides
    assert not any(
        m.rule == "self.pronoun" for m in analyzer.score(text).mentions if m.text.lower() == "we"
    )


def test_exclusive_we_is_self(analyzer: Analyzer) -> None:
    report = analyzer.score("We at Acme work together with partners.")
    assert ("We", "self.pronoun") in rules(report)


def test_agentive_i_commitment_is_weightless_evidence(analyzer: Analyzer) -> None:
    report = analyzer.score("I'll make sure this ships Friday.")
    assert rules(report) == [("I", "self.commitment")]
    assert report.mentions[0].weight == 0
    assert report.counts["self"] == 0


def test_buyer_and_client_nouns_are_customer_side(analyzer: Analyzer) -> None:
    report = analyzer.score("The buyer decides; the client signs.")
    assert [m.side for m in report.mentions] == ["customer", "customer"]


def test_excluded_spans_say_why(analyzer: Analyzer) -> None:
    report = analyzer.score("Thank you!")
    assert report.excluded[0].reason.startswith("courtesy")
    assert report.mentions == ()


def test_thank_you_changes_no_count(analyzer: Analyzer) -> None:
    base = analyzer.score("Your team saves hours with our platform.")
    more = analyzer.score("Your team saves hours with our platform. Thank you!")
    assert base.counts["customer"] == more.counts["customer"]
    assert base.counts["self"] == more.counts["self"]
