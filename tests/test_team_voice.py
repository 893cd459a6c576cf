"""Customer voice across accounts: the rules of custfocus.team.voice.

Every buyer sentence here is written by the custfocus team.
"""

from __future__ import annotations

import math

import pytest

from custfocus.team import Statement, analyse_voice, analyze_team, effective_accounts, voice_kinds


def voices(by_account: dict[str | None, list[str]]) -> list[Statement]:
    out = []
    for acc, texts in by_account.items():
        pos = 0
        for t in texts:
            path = f"{acc or 'unknown'}-call.vtt"
            out.append(Statement(t, "customer", path, pos, pos + len(t), account=acc))
            pos += len(t) + 1
    return out


ONBOARDING = {
    "acme": ["We need a faster way to onboard new hires."],
    "bolt": ["We're looking for quicker onboarding of new hires."],
    "core": ["Onboarding new hires takes too long for us."],
}


def test_theme_heard_from_one_account_is_flagged() -> None:
    report = analyze_team(voices({**ONBOARDING, "dyn": ["We're expanding into Germany."]}))
    thin = [f for f in report.flags if f.kind == "theme_rests_on_few_accounts"]
    assert len(thin) == 1 and "Germany" in thin[0].evidence[0].text
    assert "1 account (dyn)" in thin[0].detail


def test_a_thin_theme_flag_warns_that_themes_group_by_wording() -> None:
    # Measured on real buyer speech, most flagged themes were voiced by more accounts in
    # other words (benchmarks/themes.py), so the flag says how its themes were made.
    report = analyze_team(voices({"dyn": ["We're expanding into Germany."]}))
    (thin,) = [f for f in report.flags if f.kind == "theme_rests_on_few_accounts"]
    assert "by wording" in thin.detail and "read the statements" in thin.detail


def test_theme_heard_from_two_accounts_is_flagged() -> None:
    v = analyse_voice(voices({k: ONBOARDING[k] for k in ("acme", "bolt")}))
    assert [(t.accounts, t.thin) for t in v.themes] == [(("acme", "bolt"), True)]


def test_theme_heard_from_three_accounts_is_not_flagged() -> None:
    v = analyse_voice(voices(ONBOARDING))
    assert [(len(t.accounts), t.thin) for t in v.themes] == [(3, False)]
    assert v.themes[0].kinds == ("need",)
    assert {s.account for s in v.themes[0].statements} == {"acme", "bolt", "core"}


def test_one_account_repeating_itself_is_still_one_account() -> None:
    v = analyse_voice(voices({"acme": ONBOARDING["acme"] * 1 + ONBOARDING["bolt"]}))
    assert [(t.accounts, t.thin, len(t.statements)) for t in v.themes] == [(("acme",), True, 2)]


def test_effective_number_of_accounts_of_equal_voices_is_their_count() -> None:
    assert effective_accounts([3, 3, 3]) == pytest.approx(3.0)
    v = analyse_voice(voices({a: ["We need X.", "We want Y."] for a in "abcd"}))
    assert v.effective_accounts == pytest.approx(4.0)


def test_effective_number_of_accounts_of_one_dominant_voice_is_near_one() -> None:
    assert effective_accounts([97, 1, 1, 1]) < 1.1
    assert math.isnan(effective_accounts([]))


def test_top_two_share_counts_the_two_loudest_accounts() -> None:
    v = analyse_voice(voices({"a": ["We need X."] * 6, "b": ["We need Y."] * 2, "c": ["Z."] * 2}))
    assert v.top2_share == pytest.approx(0.8)
    assert v.statements_by_account == (("a", 6), ("b", 2), ("c", 2))


def test_accounts_never_heard_from_are_listed_and_flagged() -> None:
    report = analyze_team(voices(ONBOARDING), accounts=["acme", "bolt", "core", "echo", "fox"])
    assert report.voice.silent_accounts == ("echo", "fox")
    silent = [f.subject for f in report.flags if f.kind == "account_never_heard"]
    assert silent == ["echo", "fox"]


def test_statements_without_an_account_are_counted_apart() -> None:
    v = analyse_voice(voices({**ONBOARDING, None: ["We need faster onboarding of hires."]}))
    assert v.unattributed == 1 and v.accounts_heard == 3
    assert v.themes[0].accounts == ("acme", "bolt", "core")


def test_no_customer_statement_gives_undefined_concentration() -> None:
    v = analyse_voice([], accounts=["acme"])
    assert v.themes == () and math.isnan(v.effective_accounts) and math.isnan(v.top2_share)
    assert v.silent_accounts == ("acme",)


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("We need a single view of every customer.", ("need",)),
        ("It's a nightmare to reconcile the invoices by hand.", ("need",)),
        ("I love how quickly the dashboard loads.", ("like",)),
        ("We're worried about the migration.", ("dislike",)),
        ("Our goal is to halve churn.", ("goal",)),
        ("Next year we open three stores in Spain.", ("direction",)),
        ("We’re migrating everything to the cloud.", ("direction",)),  # curly apostrophe
        ("We\nneed   it soon.", ("need",)),  # a cue across line breaks
        ("The weather was nice.", ()),
        ("Weneed is not a word.", ()),  # a cue inside a word does not count
    ],
)
def test_voice_kinds_from_lexicon_cues(text: str, kinds: tuple[str, ...]) -> None:
    assert voice_kinds(text) == kinds


def test_the_longest_cue_phrase_is_taken_out_and_a_cut_off_one_is_not() -> None:
    from custfocus.lexicon import Lexicon, LexiconSet
    from custfocus.team.voice import _topic

    terms = ("we need", "we need more", "we’d want")
    lex = LexiconSet((Lexicon("voice.explicit_need", terms, "test cues", "ours", "ours"),))
    assert _topic("We need more seats.", lex) == "seats."  # not "more seats."
    assert _topic("We need moreover seats.", lex) == "moreover seats."  # "more" is cut off
    assert _topic("We'd want seats.", lex) == "seats."  # a curly apostrophe in the lexicon
    assert voice_kinds("We need", lex) == ("need",) and voice_kinds("We needed", lex) == ()


def test_themes_compare_topics_not_cue_phrases() -> None:
    # Same cue ("we need"), different topics: two themes, not one.
    v = analyse_voice(
        voices({"a": ["We need cheaper shipping."], "b": ["We need better payroll."]})
    )
    assert len(v.themes) == 2


def test_voice_ignores_claims() -> None:
    claim = Statement("We need nothing.", "claim", "x.md", 0, 16, rep="ann")
    assert analyse_voice([claim]).themes == ()
