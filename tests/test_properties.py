"""Invariants that hold for any text (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from custfocus import Analyzer

_ANALYZER = Analyzer(seller=["Acme"], customer=["Globex"])
WORDS = st.sampled_from(
    "you your we our I my us Acme Globex's team platform thank know never the US IT "
    "customer together let's mind see . , ? ! \n 🎉 — ’ é".split(" ")
)
TEXTS = st.one_of(
    st.text(max_size=200),
    st.lists(WORDS, max_size=60).map(" ".join),
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(TEXTS)
def test_score_is_always_in_range_and_shares_are_proportions(text: str) -> None:
    report = _ANALYZER.score(text)
    assert 0.0 <= report.score <= 100.0
    for value in report.components.values():
        assert value is None or 0.0 <= value <= 1.0
    if report.customer_share is not None:
        assert 0.0 <= report.customer_share <= 1.0
        assert report.customer_share_interval is not None
        assert report.customer_share_interval.low <= report.customer_share
        assert report.customer_share <= report.customer_share_interval.high


@SETTINGS
@given(TEXTS)
def test_every_offset_slices_back_to_its_text(text: str) -> None:
    report = _ANALYZER.score(text)
    for item in (*report.mentions, *report.excluded, *report.sentences):
        assert 0 <= item.start <= item.end <= len(text)
        assert text[item.start : item.end] == item.text


@SETTINGS
@given(TEXTS)
@example("YOU YOU.\r––0 0")  # stuffing was judged with the line break the thanks brought
def test_adding_thank_you_changes_no_count(text: str) -> None:
    before = _ANALYZER.score(text)
    after = _ANALYZER.score(text + "\n\nThank you.")
    for side in ("customer", "self", "shared"):
        assert before.counts[side] == after.counts[side]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TEXTS, min_size=1, max_size=6))
@example([".", "}0"])  # a closing bracket after the previous text's full stop
def test_a_batch_gives_the_same_reports_as_one_text_at_a_time(texts: list[str]) -> None:
    # The stages run once per batch on concatenated token arrays: no Doc may see another's.
    batched = [r.to_dict() for r in _ANALYZER.pipe(texts, batch_size=4)]
    alone = [_ANALYZER.score(t).to_dict() for t in texts]
    assert batched == alone
