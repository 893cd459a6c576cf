"""The team report: one pass over the statements, flags with evidence, safe HTML fragments."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator

from _helpers import HTMLCollector

from custfocus.team import FLAG_KINDS, Statement, TeamReport, analyze_team, parse_messaging

HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


def team() -> list[Statement]:
    rows = [
        ("ann", "acme", "claim", "Onboarding takes a day instead of weeks."),
        ("bob", "bolt", "claim", "With us, onboarding takes one day, not weeks."),
        ("cy", "core", "claim", "Our founders started the company in a garage."),
        ("ann", "acme", "customer", "We need faster onboarding for new hires."),
        ("bob", "bolt", "customer", "We're looking for quicker onboarding of new hires."),
        ("cy", "core", "customer", "Onboarding new hires takes too long."),
        (HOSTILE, HOSTILE, "claim", HOSTILE),
        (HOSTILE, HOSTILE, "customer", "We need " + HOSTILE),
    ]
    return [
        Statement(
            t,
            kind,
            f"{acc}/{i}.vtt",
            0,
            len(t),
            "value" if kind == "claim" else None,
            rep=rep,
            account=acc,
        )
        for i, (rep, acc, kind, t) in enumerate(rows)
    ]


HOUSE = parse_messaging("## Onboarding in one day\n## Priced per team, never per seat\n")


def report() -> TeamReport:
    return analyze_team(team(), accounts=["acme", "bolt", "core", "dyn"], messaging=HOUSE)


def test_statements_are_read_once_from_an_iterator() -> None:
    consumed = []

    def stream() -> Iterator[Statement]:
        for s in team():
            consumed.append(s)
            yield s

    r = analyze_team(stream(), messaging=HOUSE)
    assert len(consumed) == len(team())
    assert r.to_dict() == analyze_team(team(), messaging=HOUSE).to_dict()


def test_report_does_not_depend_on_statement_order() -> None:
    items = team()
    random.Random(3).shuffle(items)
    shuffled = analyze_team(items, accounts=["dyn", "core", "bolt", "acme"], messaging=HOUSE)
    assert shuffled.to_dict() == report().to_dict()


def test_every_flag_has_a_known_kind_a_subject_and_evidence_or_a_reason() -> None:
    r = report()
    kinds = {f.kind for f in r.flags}
    assert kinds == set(FLAG_KINDS)
    for f in r.flags:
        assert f.subject and f.detail
        if f.kind in ("rep_never_uses_core_messages", "theme_rests_on_few_accounts"):
            assert f.evidence and all(s.path and s.end >= s.start for s in f.evidence)


def test_to_dict_is_json() -> None:
    d = json.loads(json.dumps(report().to_dict(), allow_nan=False))
    assert set(d) == {"messages", "voice", "flags", "accounts"}
    assert d["voice"]["silent_accounts"] == ["dyn"]


def test_html_sections_are_the_five_team_pages() -> None:
    ids = [s[0] for s in report().html_sections()]
    assert ids == ["team-reps", "team-accounts", "team-messages", "team-themes", "team-flags"]


def test_html_fragments_escape_all_text_and_carry_no_script() -> None:
    for _, title, fragment in report().html_sections():
        page = HTMLCollector(fragment)
        assert "script" not in page.tags and "img" not in page.tags, title
        assert not page.external
        assert "<script" not in fragment and "<img" not in fragment
    flags = dict((s[0], s[2]) for s in report().html_sections())["team-flags"]
    assert "&lt;script&gt;" in flags


def test_html_tables_scroll_inside_a_wrapper() -> None:
    for _, _, fragment in report().html_sections():
        assert fragment.count("<table class='cf-table'>") == fragment.count(
            "<div class='cf-scroll'><table class='cf-table'>"
        )
    matrix = dict((s[0], s[2]) for s in report().html_sections())["team-messages"]
    assert "cf-table" in matrix and "unused" in matrix


def test_empty_input_gives_an_empty_but_valid_report() -> None:
    r = analyze_team(iter(()))
    assert r.flags == ()
    assert all(fragment for _, _, fragment in r.html_sections())


def test_matrices_show_at_most_thirty_account_columns_and_say_so() -> None:
    many = [
        Statement("We need faster onboarding.", "customer", f"{i}.vtt", 0, 26, account=f"a{i:02}")
        for i in range(40)
    ]
    themes = dict((s[0], s[2]) for s in analyze_team(many).html_sections())["team-themes"]
    header = themes.split("</thead>")[0]
    assert header.count("<th scope='col'>") == 2 + 30
    assert "30 most-heard of 40" in themes
