"""Lexicons are data files: packaged, validated with file and line, extendable."""

from __future__ import annotations

from pathlib import Path

import pytest

from custfocus import Analyzer
from custfocus.errors import LexiconError
from custfocus.lexicon import RULES, load_lexicon_file, load_lexicons, parse_lexicon

HEADER = "@rule self.noun\n@description d\n@source s\n@license CC0-1.0\n"


def test_every_packaged_lexicon_loads_with_a_known_rule() -> None:
    lexicons = load_lexicons()
    assert set(lexicons.rules) <= set(RULES)
    assert "you" in lexicons.terms("customer.pronoun")
    assert "our platform" in lexicons.terms("self.noun")


def test_hash_one_is_a_term_not_a_comment() -> None:
    assert "#1" in load_lexicons().terms("flag.superlative")


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (HEADER + "our widget\n@case sensitive\n", 6, "directive after the first term"),
        (HEADER + "our widget\nOur  Widget\n", 6, "duplicate term"),
        ("@rule self.noun\n@bogus x\n", 2, "unknown directive @bogus"),
        (HEADER.replace("@license CC0-1.0\n", "") + "x\n", None, "missing required directive"),
        (HEADER.replace("self.noun", "self.nouns") + "x\n", None, "unknown rule"),
        (HEADER, None, "no terms"),
    ],
)
def test_a_broken_lexicon_names_the_file_and_line(
    tmp_path: Path, text: str, line: int | None, reason: str
) -> None:
    path = tmp_path / "mine.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LexiconError, match=reason) as info:
        load_lexicon_file(path)
    assert info.value.source == str(path)
    assert info.value.line == line
    assert str(path) in str(info.value)


def test_a_missing_lexicon_file_is_a_lexicon_error(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="file not found"):
        load_lexicon_file(tmp_path / "nope.txt")


def test_comments_and_trailing_comments_are_ignored() -> None:
    lex = parse_lexicon("# header\n" + HEADER + "\nour widget   # the main one\n#\n", "x")
    assert lex.terms == ("our widget",)


def test_users_extend_lexicons_with_a_file(tmp_path: Path) -> None:
    path = tmp_path / "ours.txt"
    path.write_text(HEADER + "our widget\n", encoding="utf-8")
    analyzer = Analyzer(lexicons=[path])
    report = analyzer.score("Our widget is fast.")
    assert [(m.text, m.rule) for m in report.mentions] == [("Our widget", "self.noun")]


def test_users_extend_lexicons_with_terms_and_the_version_changes() -> None:
    plain = Analyzer()
    extended = Analyzer(extra_terms={"customer.noun": ["the shipper"]})
    assert extended.score("The shipper pays.").mentions[0].rule == "customer.noun"
    assert plain.score("The shipper pays.").mentions == ()
    assert plain.lexicon_version != extended.lexicon_version


def test_unknown_rule_in_extra_terms_is_an_error() -> None:
    with pytest.raises(LexiconError, match="unknown rule"):
        Analyzer(extra_terms={"customer.nouns": ["x"]})


def test_lexicons_live_in_the_top_level_data_folder() -> None:
    root = Path(__file__).resolve().parents[1] / "data" / "lexicons"
    packaged = {p.name for p in root.glob("*.txt")}
    assert {"customer_pronouns.txt", "self_pronouns.txt", "courtesy.txt"} <= packaged
    for path in root.glob("*.txt"):
        load_lexicon_file(path)  # every file validates on its own
