"""The validity benchmark (benchmarks/validity/): well-formed, and the issue's six-text
ladder rises step by step. Re-check after the content model is retrained."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from custfocus import Analyzer

HERE = Path(__file__).resolve().parents[1] / "benchmarks" / "validity"
GENRES = {"email", "deck", "web", "plan", "call"}
STEPS = [
    "pitch", "feature_list", "generic_benefit", "tailored_value", "spin_discovery",
    "playback_implication",
]  # fmt: skip


def load(name: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    lines = [json.loads(x) for x in (HERE / name).read_text("utf-8").splitlines() if x.strip()]
    return lines[0]["_meta"], lines[1:]


def test_the_pairs_are_team_written_split_by_id_and_cover_every_genre() -> None:
    meta, pairs = load("pairs.jsonl")
    assert "custfocus team" in meta["written_by"]
    assert len(pairs) >= 60
    assert set(Counter(p["genre"] for p in pairs)) == GENRES
    assert len({p["id"] for p in pairs}) == len(pairs)
    for p in pairs:
        assert p["split"] == ("dev" if int(p["id"][1:]) % 2 else "heldout")
        assert p["guidance"] and p["before"] != p["after"]


def test_there_are_at_least_eight_six_step_ladders_besides_the_issue_ladder() -> None:
    meta, ladders = load("ladders.jsonl")
    assert "custfocus team" in meta["written_by"] and meta["steps"] == STEPS
    others = [x for x in ladders if x["id"] != "issue-six"]
    assert len(others) >= 8
    for ladder in ladders:
        assert [s["step"] for s in ladder["steps"]] == STEPS


@pytest.fixture(scope="module")
def issue_ladder() -> dict[str, Any]:
    return next(x for x in load("ladders.jsonl")[1] if x["id"] == "issue-six")


def test_the_issue_ladder_rises_step_by_step(issue_ladder: dict[str, Any]) -> None:
    analyzer = Analyzer(customer=issue_ladder["customer"])
    scores = [analyzer.score(s["text"]).score for s in issue_ladder["steps"]]
    assert all(b > a for a, b in itertools.pairwise(scores)), scores


def test_the_bag_of_words_scores_no_higher_than_the_stuffed_pitch(
    issue_ladder: dict[str, Any],
) -> None:
    analyzer = Analyzer(customer=issue_ladder["customer"])
    bag = analyzer.score(issue_ladder["bag_of_words"])
    assert bag.score <= analyzer.score(issue_ladder["stuffed_pitch"]).score
    assert bag.band == "self-centred"
