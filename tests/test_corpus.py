"""Our labels keyed to real corpora: extraction, keys, the join, the label mappings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from custfocus.corpus import (
    CASINO_LABELS,
    PFG_LABELS,
    _file_sentences,
    corpora_root,
    dialogue_questions,
    join_labels,
    pfg_sentences,
    sentence_key,
)
from custfocus.evaluation import wh_rule_form
from custfocus.training import Example, train

REAL = Path(__file__).resolve().parents[1] / "data" / "training" / "real"
ROOT = corpora_root()
needs_corpora = pytest.mark.skipif(ROOT is None, reason="real corpora (../shared/data) absent")


def test_label_files_hold_keys_and_labels_but_never_third_party_text() -> None:
    for path in REAL.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            assert "text" not in row, path.name
            assert {"source", "path", "start", "end", "sha", "label"} <= row.keys()


def test_markdown_sentences_point_back_to_their_characters(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    raw = (
        "---\ntitle: Ours\n---\n# Why teams switch\n\n"
        "Your reviewers see every change in one place. See the [docs](https://x.y) first!\n\n"
        "```\ncode here is dropped\n```\n- **Faster** onboarding for new hires.\n"
    )
    page.write_text(raw, encoding="utf-8")
    found = _file_sentences("ours", "page.md", str(page))
    texts = [s.text for s in found]
    assert texts == [
        "Why teams switch",
        "Your reviewers see every change in one place.",
        "See the docs first!",
        "Faster onboarding for new hires.",
    ]
    for s in found:
        assert raw[s.start : s.end].startswith(s.text.split()[0].strip("*"))


def test_a_label_whose_sentence_changed_is_reported_not_joined(tmp_path: Path) -> None:
    corpus = tmp_path / "sales_marketing" / "ours"
    corpus.mkdir(parents=True)
    (corpus / "a.md").write_text("Your team ships twice as often.\n", encoding="utf-8")
    (s,) = _file_sentences("ours", "a.md", str(corpus / "a.md"))
    good = {"source": "ours", "path": "a.md", "start": s.start, "end": s.end, "sha": s.sha}
    bad = dict(good, sha=sentence_key("Something else entirely."))
    labels = tmp_path / "labels.jsonl"
    labels.write_text(
        "\n".join(json.dumps(dict(r, label="value")) for r in (good, bad)), encoding="utf-8"
    )
    joined, problems = join_labels([labels], tmp_path)
    assert [j.text for j in joined] == ["Your team ships twice as often."]
    assert len(problems) == 1 and "not found" in problems[0]


@needs_corpora
def test_every_stored_label_still_joins_to_its_corpus_sentence() -> None:
    assert ROOT is not None
    joined, problems = join_labels(sorted(REAL.glob("*.jsonl")), ROOT)
    assert problems == []
    assert len(joined) == sum(len(p.read_text().splitlines()) for p in REAL.glob("*.jsonl"))


@needs_corpora
def test_every_persuader_strategy_in_the_corpus_has_a_mapping() -> None:
    assert ROOT is not None
    seen = {s.strategy for s in pfg_sentences(ROOT) if s.speaker == "persuader" and s.strategy}
    assert seen <= PFG_LABELS.keys()


def test_mappings_only_use_our_labels() -> None:
    assert set(PFG_LABELS.values()) | set(CASINO_LABELS.values()) <= {
        "discovery",
        "value",
        "pitch",
        "other",
    }


@pytest.mark.parametrize(
    ("question", "form"),
    [
        ("What does your review process look like?", "open"),
        ("so how are you handling renewals today", "open"),
        ("Walk me through a typical week.", "open"),
        ("Do you have kids?", "closed"),
        ("Is Tuesday better or Wednesday?", "closed"),
    ],
)
def test_the_wh_word_baseline_reads_only_the_opening(question: str, form: str) -> None:
    assert wh_rule_form(question) == form


def test_questions_without_a_form_teach_only_the_question_head() -> None:
    examples = [
        Example("How do you plan renewals today?", "discovery", True, "open", "situation"),
        Example("Is the quarterly review hard to run?", "discovery", True, "closed", "problem"),
        Example("Would you like to donate today?", "other", True, None, None),
        Example("Our platform has 200 integrations.", "pitch", False, None, None),
        Example("Thanks for your time.", "other", False, None, None),
        Example("Your reps get five hours back.", "value", False, None, None),
    ] * 6
    model = train(examples, question_examples=[("is it raining there", True)] * 10)
    assert model.metadata["question_only_examples"] == 10
    assert set(model.classes("form")) == {"open", "closed"}


def test_dialogue_sentences_without_end_punctuation_carry_no_question_label(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "dialogues" / "chat"
    folder.mkdir(parents=True)
    turns = [
        {"text": "Sure. Do you need firewood? how much water do you need"},
        {"text": "I need two."},
    ]
    (folder / "dialogues.jsonl").write_text(
        json.dumps({"dialog_id": "d1", "turns": turns}) + "\n", encoding="utf-8"
    )
    got = [(text, q) for _, text, q in dialogue_questions(tmp_path, "chat")]
    # "Sure." has one word; the unpunctuated question has no label, so it is not a negative.
    assert got == [("Do you need firewood?", True), ("I need two.", False)]


def test_a_whole_turn_is_labelled_only_when_every_sentence_in_it_is(tmp_path: Path) -> None:
    from custfocus.corpus import dialogue_turns

    folder = tmp_path / "dialogues" / "chat"
    folder.mkdir(parents=True)
    turns = [
        {"text": "I need food. Could you spare two?"},  # holds a question
        {"text": "I need food. You take the water."},  # two statements
        {"text": "I need food. could you spare two"},  # the question carries no label
        {"text": "I need two."},  # one sentence: the sentence pairs already hold it
    ]
    (folder / "dialogues.jsonl").write_text(
        json.dumps({"dialog_id": "d1", "turns": turns}) + "\n", encoding="utf-8"
    )
    got = [(text, q) for _, text, q in dialogue_turns(tmp_path, "chat")]
    assert got == [
        ("I need food. Could you spare two?", True),
        ("I need food. You take the water.", False),
    ]


def test_every_labelled_seller_source_names_its_seller() -> None:
    # The model reads a named seller as one placeholder word; a source without names would
    # teach it that sentences about the seller never name one.
    from custfocus.corpus import SALES_SOURCES
    from custfocus.evaluation import seller_names

    names = seller_names()
    assert set(SALES_SOURCES) | {"persuasion_for_good"} <= set(names)
    assert all(names[s] and all(n.strip() for n in names[s]) for s in names)
