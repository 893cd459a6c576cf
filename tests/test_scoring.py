"""The score: evidence first, configurable weights, honest about short texts."""

from __future__ import annotations

import itertools
import json

import pytest

from custfocus import Analyzer, ScoringConfig
from custfocus.errors import ConfigError
from custfocus.scoring import reference_focus, score_evidence, wilson_interval

SELF_CENTRED = (
    "We are the industry leader. Our platform has 200 integrations. "
    "We were founded in 2009 and our team is world-class. Acme Cloud is our flagship."
)
CUSTOMER_CENTRED = (
    "How does your team handle renewals today? What happens when your reps miss a quote? "
    "Your finance team closes the books two days sooner. Globex's buyers get answers faster."
)


def test_rescoring_the_evidence_gives_the_same_score(analyzer: Analyzer) -> None:
    report = analyzer.score(CUSTOMER_CENTRED + " " + SELF_CENTRED)
    again = score_evidence(report.mentions, report.sentences, analyzer.config)
    assert again.score == report.score
    assert dict(again.components) == dict(report.components)


def test_customer_centred_text_outscores_self_centred_text(analyzer: Analyzer) -> None:
    assert analyzer.score(CUSTOMER_CENTRED).score > 60 > analyzer.score(SELF_CENTRED).score


def test_one_word_does_not_swing_the_score_to_an_extreme(analyzer: Analyzer) -> None:
    report = analyzer.score("You.")
    assert report.customer_share == 1.0
    assert 50 < report.score < 80
    assert report.insufficient_evidence
    assert report.customer_share_interval is not None
    assert report.customer_share_interval.low < 0.25


def test_enough_mentions_clear_the_insufficient_evidence_flag(analyzer: Analyzer) -> None:
    assert not analyzer.score(CUSTOMER_CENTRED).insufficient_evidence


def test_no_mentions_means_no_customer_share_and_a_neutral_score(analyzer: Analyzer) -> None:
    report = analyzer.score("The weather was mild in March.")
    assert report.customer_share is None
    assert report.customer_share_interval is None
    assert report.naive_we_we is None
    assert report.score == 50.0


def test_naive_we_we_counts_surface_words_including_thank_you(analyzer: Analyzer) -> None:
    report = analyzer.score("Thank you. We help.")
    assert report.customer_share == 0.0  # 'thank you' is not a reference
    assert report.naive_we_we == 0.5  # but a We-We calculator counts it


def test_wilson_interval_matches_a_known_value() -> None:
    interval = wilson_interval(8, 10)
    assert interval is not None
    assert interval.low == pytest.approx(0.4902, abs=1e-4)
    assert interval.high == pytest.approx(0.9433, abs=1e-4)
    assert wilson_interval(0, 0) is None


def test_reference_focus_pulls_small_counts_toward_half() -> None:
    assert reference_focus([], prior=2.0) == 0.5


def test_rule_weights_are_configurable() -> None:
    text = "Acme Cloud helps you."
    light = Analyzer(seller=["Acme Cloud"], config={"rule_weights": {"self.name": 0.0}})
    heavy = Analyzer(seller=["Acme Cloud"], config={"rule_weights": {"self.name": 5.0}})
    assert light.score(text).score > heavy.score(text).score
    assert light.score(text).mentions[0].weight == 0.0


def test_bad_configuration_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="rule_weights"):
        ScoringConfig(rule_weights={"self.name": -1})
    with pytest.raises(ConfigError, match="unknown scoring settings"):
        ScoringConfig.from_dict({"wieghts": {}})


def test_report_to_dict_is_json_with_stable_keys(analyzer: Analyzer) -> None:
    data = analyzer.score(CUSTOMER_CENTRED).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert {
        "version",
        "lexicon_version",
        "score",
        "components",
        "customer_share",
        "customer_share_interval",
        "naive_we_we",
        "counts",
        "insufficient_evidence",
        "mentions",
        "excluded",
        "sentences",
        "text",
    } <= set(data)
    assert set(data["mentions"][0]) == {
        "text", "start", "end", "side", "category", "rule", "weight", "sentence", "location",
        "speaker",
    }  # fmt: skip


def test_every_result_names_its_lexicon_version(analyzer: Analyzer) -> None:
    report = analyzer.score("Your team.")
    assert report.lexicon_version == analyzer.lexicon_version
    assert len(report.lexicon_version) == 12


def test_bands_cover_the_scale_without_gaps() -> None:
    from custfocus.scoring import BANDS

    assert BANDS[0].low == 0 and BANDS[-1].high == 100
    assert all(a.high == b.low for a, b in itertools.pairwise(BANDS))


@pytest.mark.parametrize(
    ("score", "name"),
    [(0.0, "self-centred"), (39.9, "self-centred"), (40.0, "mixed"), (59.9, "mixed"),
     (60.0, "customer-centred"), (100.0, "customer-centred")],
)  # fmt: skip
def test_a_score_falls_in_exactly_one_band(score: float, name: str) -> None:
    from custfocus.scoring import band

    assert band(score) == name


def test_the_report_states_its_band_in_to_dict(analyzer: Analyzer) -> None:
    report = analyzer.score(SELF_CENTRED)
    assert report.band == "self-centred"
    assert report.to_dict()["band"] == "self-centred"
