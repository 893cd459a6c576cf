"""Message consistency across reps: the rules of custfocus.team.messages.

Every sentence here is written by the custfocus team; the paraphrases are our own.
"""

from __future__ import annotations

import math
import os
import random
from pathlib import Path

import pytest

from custfocus.errors import MessagingError
from custfocus.team import (
    Statement,
    analyse_messages,
    analyze_team,
    parse_messaging,
    read_messaging,
)
from custfocus.team.messages import core_min_reps


def claims(by_rep: dict[str, list[str]]) -> list[Statement]:
    out = []
    for rep, texts in by_rep.items():
        pos = 0
        for t in texts:
            out.append(Statement(t, "claim", f"{rep}.md", pos, pos + len(t), "value", rep=rep))
            pos += len(t) + 1
    return out


# Team-written paraphrases: two messages, each worded three ways by three reps.
ONBOARDING = [
    "Our platform cuts onboarding time from weeks to a single day.",
    "With us, onboarding takes a day instead of weeks.",
    "Onboarding drops from several weeks to one day.",
]
ENCRYPTION = [
    "Every report is encrypted at rest and in transit.",
    "All reports are encrypted in transit and at rest.",
    "Reports stay encrypted, at rest and in transit.",
]
TEAM = {
    "ann": [ONBOARDING[0], ENCRYPTION[0]],
    "bob": [ONBOARDING[1], ENCRYPTION[1], "We have won three industry awards."],
    "cy": [ONBOARDING[2], ENCRYPTION[2]],
    "dee": ["Our founders started the company in a garage.", "We sponsor the local football club."],
}


def test_paraphrased_claims_match_the_same_message() -> None:
    a = analyse_messages(claims(TEAM))
    group_of = {s.text: g.id for g in a.groups for s in g.statements}
    assert len({group_of[t] for t in ONBOARDING}) == 1
    assert len({group_of[t] for t in ENCRYPTION}) == 1
    assert group_of[ONBOARDING[0]] != group_of[ENCRYPTION[0]]


def test_unrelated_claims_stay_apart() -> None:
    a = analyse_messages(claims(TEAM))
    garage = next(g for g in a.groups if "garage" in g.text)
    assert [s.text for s in garage.statements] == [TEAM["dee"][0]]


def test_rep_who_never_uses_core_messages_is_flagged() -> None:
    report = analyze_team(claims(TEAM))
    dee = next(r for r in report.messages.reps if r.rep == "dee")
    assert dee.never_core and dee.core_share == 0.0 and dee.unmatched_share == 1.0
    flags = [f for f in report.flags if f.kind == "rep_never_uses_core_messages"]
    assert [f.subject for f in flags] == ["dee"]
    assert {s.text for s in flags[0].evidence} == set(TEAM["dee"])


def test_rep_carrying_every_core_message_has_core_share_one() -> None:
    a = analyse_messages(claims(TEAM))
    bob = next(r for r in a.reps if r.rep == "bob")
    assert bob.core_share == 1.0 and not bob.never_core
    assert [s.text for s in bob.unmatched] == ["We have won three industry awards."]
    assert bob.unmatched_share == pytest.approx(1 / 3)


def test_a_message_one_rep_repeats_is_not_core() -> None:
    a = analyse_messages(claims({"ann": ONBOARDING, "bob": ENCRYPTION[:1]}))
    assert [g.core for g in a.groups] == [False, False]
    assert math.isnan(a.reps[0].core_share) and not a.reps[0].never_core


def test_core_needs_two_reps_or_a_third_of_the_team() -> None:
    assert [core_min_reps(n) for n in (1, 2, 3, 6, 7, 12)] == [2, 2, 2, 2, 3, 4]


def test_consistency_is_one_when_every_rep_says_the_same_things() -> None:
    team = {r: [ONBOARDING[i], ENCRYPTION[i]] for i, r in enumerate(("ann", "bob", "cy"))}
    assert analyse_messages(claims(team)).consistency == 1.0


def test_consistency_is_zero_when_reps_share_nothing() -> None:
    team = {"ann": [ONBOARDING[0]], "bob": [ENCRYPTION[0]]}
    assert analyse_messages(claims(team)).consistency == 0.0


def test_consistency_of_one_rep_is_undefined() -> None:
    assert math.isnan(analyse_messages(claims({"ann": ONBOARDING})).consistency)


def test_result_does_not_depend_on_statement_order() -> None:
    items = claims(TEAM)
    shuffled = list(items)
    random.Random(7).shuffle(shuffled)
    assert analyse_messages(items).to_dict() == analyse_messages(reversed(shuffled)).to_dict()


def test_claims_without_a_rep_join_groups_but_no_rep() -> None:
    items = [*claims(TEAM), Statement(ONBOARDING[0], "claim", "x.md", 0, 10)]
    a = analyse_messages(items)
    assert a.unattributed == 1 and [r.rep for r in a.reps] == ["ann", "bob", "cy", "dee"]


HOUSE = """# Acme message house

Written for the tests.

## Onboarding takes one day, not weeks
- New teams are productive on day one.

## Reports are encrypted end to end
- At rest and in transit.

## We price per team, never per seat
"""


def test_reference_message_nobody_uses_is_listed() -> None:
    report = analyze_team(claims(TEAM), messaging=parse_messaging(HOUSE))
    assert [m.text for m in report.messages.unused_references] == [
        "We price per team, never per seat"
    ]
    flags = [f for f in report.flags if f.kind == "reference_message_unused"]
    assert [f.subject for f in flags] == ["R3"]


def test_reference_use_keeps_the_claims_behind_it() -> None:
    a = analyse_messages(claims(TEAM), parse_messaging(HOUSE))
    onboarding = a.references[0]
    assert {s.text for s, _ in onboarding.matches} == set(ONBOARDING)
    assert onboarding.reps == ("ann", "bob", "cy")
    assert all(s.path.endswith(".md") and s.end > s.start for s, _ in onboarding.matches)
    assert [r.references for r in a.reps if r.rep == "ann"] == [("R1", "R2")]


def test_message_house_headings_are_messages_and_bullets_their_points() -> None:
    house = parse_messaging(HOUSE)
    assert [m.text for m in house] == [
        "Onboarding takes one day, not weeks",
        "Reports are encrypted end to end",
        "We price per team, never per seat",
    ]
    assert house[0].points == ("New teams are productive on day one.",)
    assert house[0].line == 5


def test_message_house_without_headings_is_one_message_per_line() -> None:
    house = parse_messaging("Fast onboarding\n\n- **Encrypted** reports\n2. Team pricing\n")
    assert [m.text for m in house] == ["Fast onboarding", "Encrypted reports", "Team pricing"]
    assert [m.id for m in house] == ["R1", "R2", "R3"]


def test_messaging_file_is_read_from_a_path(tmp_path) -> None:
    p = tmp_path / "house.md"
    p.write_text(HOUSE, encoding="utf-8")
    assert len(analyze_team(claims(TEAM), messaging=str(p)).messaging) == 3
    assert read_messaging(p) == parse_messaging(HOUSE, str(p))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "file not found"),
        (b"", "no message"),
        (b"\n  \n# \n", "no message"),
        (b"\xff\xfe\x00bad", "not UTF-8"),
        (b"line\x00with nul", "binary"),
        (b"x" * 1_000_001, "more than"),
        (("\n".join(f"message {i}" for i in range(501))).encode(), "more than 500"),
    ],
)
def test_bad_messaging_file_raises_messaging_error_naming_it(tmp_path, content, reason) -> None:
    p = tmp_path / "house.md"
    if content is not None:
        p.write_bytes(content)
    with pytest.raises(MessagingError) as err:
        read_messaging(p)
    assert err.value.path == str(p) and reason in err.value.reason


def test_messaging_directory_raises_messaging_error(tmp_path) -> None:
    with pytest.raises(MessagingError, match="directory"):
        read_messaging(tmp_path)


def test_a_hostile_endless_claim_is_compared_on_its_first_characters_only() -> None:
    endless = "onboarding takes a day " * 50_000  # over a megabyte, no full stop
    a = analyse_messages(claims({"ann": [endless], "bob": [ONBOARDING[1]]}))
    assert [len(g.statements) for g in a.groups] == [2]  # matched on its opening words
    assert a.groups[0].core  # two reps carry it
    assert endless in {s.text for s in a.groups[0].statements}  # evidence keeps the full text


def test_copies_of_one_sentence_are_one_message_carried_by_every_rep() -> None:
    deck = {rep: [ONBOARDING[0], ENCRYPTION[0]] for rep in ("ann", "bob", "cy", "dee")}
    a = analyse_messages(claims(deck))
    assert [(len(g.statements), g.reps, g.core) for g in a.groups] == [
        (4, ("ann", "bob", "cy", "dee"), True),
        (4, ("ann", "bob", "cy", "dee"), True),
    ]
    assert a.consistency == 1.0


def test_neighbours_are_every_pair_at_the_threshold_whatever_the_tile_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import numpy as np

    from custfocus.team import messages

    texts = [*ONBOARDING, *ENCRYPTION, *(t for ts in TEAM.values() for t in ts), "Setup is fast."]
    items = claims({"ann": texts})
    m = messages.MATCHER.fit_transform(list(dict.fromkeys(texts)))
    brute = (m @ m.T).toarray() >= messages.CLAIM_THRESHOLD - 1e-12
    np.fill_diagonal(brute, True)
    expected = [list(np.flatnonzero(row)) for row in brute]
    one_tile = messages.group_claims(items)
    for tile in (1, 2, 3, 7):  # tiles of every shape, the diagonal ones and the ragged last
        monkeypatch.setattr(messages, "TILE", tile)
        # All sparse, or a few grams or every gram multiplied as dense arrays.
        for dense_from, common in ((math.inf, 0), (0.0, 5), (0.0, 10**6)):
            monkeypatch.setattr(messages, "DENSE_FROM", dense_from)
            monkeypatch.setattr(messages, "COMMON_GRAMS", common)
            for n_jobs in (1, 3):
                found = messages._neighbours(m, messages.CLAIM_THRESHOLD, n_jobs)
                assert [list(x) for x in found] == expected
        assert messages.group_claims(items, n_jobs=2) == one_tile


SHARED = Path(
    os.environ.get("CUSTFOCUS_SHARED") or Path(__file__).resolve().parents[1] / ".." / "shared"
)


def test_a_real_message_house_reads_its_leaf_headings_as_messages() -> None:
    # Fleet's "Why Fleet?" handbook page: two section titles over four headed bullet lists.
    path = SHARED / "data" / "sales_marketing" / "fleetdm__fleet" / "handbook" / "why-fleet.md"
    if not path.exists():
        pytest.skip(f"{path} not found (set CUSTFOCUS_SHARED)")
    house = read_messaging(path)
    assert len(house) == 4
    assert all(len(m.points) >= 5 for m in house)
    assert all(m.line is not None and m.line > 5 for m in house)


def test_a_repeated_statement_is_vectorised_once_and_weighs_as_its_copies():
    from custfocus.team.similarity import Vectorizer

    texts = ["Setup takes one day.", "We have offices in Oslo.", "Setup takes a day."]
    copies = [40, 1, 2]
    expanded = [t for t, k in zip(texts, copies, strict=True) for _ in range(k)]
    for view in ("word", "char", "word+char"):
        v = Vectorizer(view)
        once = v.fit_transform(texts, copies=copies)
        every = v.fit_transform(expanded)[[0, 40, 41]]
        assert once.shape == every.shape
        assert abs(once - every).max() == 0.0
    with pytest.raises(ValueError, match="copy counts"):
        Vectorizer("char").fit_transform(texts, copies=[1])


def test_char_grams_counted_word_by_word_are_those_of_each_text():
    from custfocus.team.similarity import MAX_CHARS, _char_counts, _char_grams, _gram_counts

    texts = [
        "We’re live in weeks, not months: weeks!",
        "",
        "a I ox",  # words shorter than a gram
        "Onboarding onboarding ONBOARDING takes one day.",
        "x" * (MAX_CHARS + 50) + " tail",  # cut at MAX_CHARS, as every view is
        "Live in weeks.",
    ]
    *by_word, n_grams = _char_counts(texts, 3, 5)
    *by_text, n_expected = _gram_counts(_char_grams(t[:MAX_CHARS], 3, 5) for t in texts)
    assert n_grams == n_expected
    # Grams per text, their ids (handed out in the same order) and their counts.
    for got, expected in zip(by_word, by_text, strict=True):
        assert got.tolist() == expected.tolist()


@pytest.mark.parametrize("dense_from", [math.inf, 0.0])  # all sparse, or common grams dense
def test_a_pair_a_hair_from_the_threshold_is_decided_as_in_double_precision(
    dense_from: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    import numpy as np

    from custfocus.team import messages

    texts = list(
        dict.fromkeys([*ONBOARDING, *ENCRYPTION, *(t for ts in TEAM.values() for t in ts)])
    )
    monkeypatch.setattr(messages, "DENSE_FROM", dense_from)
    m = messages.MATCHER.fit_transform(texts)
    cos = (m @ m.T).toarray()
    for i, j in zip(*np.triu_indices(len(texts), 1), strict=True):
        if cos[i, j] <= 0.05:
            continue
        # A hair (1e-11) either side: far finer than single precision's rounding (1e-8).
        at = messages._neighbours(m, cos[i, j] - 1e-11)
        above = messages._neighbours(m, cos[i, j] + 1e-11)
        assert j in at[i] and i in at[j]
        assert j not in above[i] and i not in above[j]
