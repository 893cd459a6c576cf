"""Inward-out language and account-plan coverage: the rules, on small team-written texts."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from custfocus import Analyzer
from custfocus.audit.rows import AuditRow
from custfocus.inward import MIN_SELLER_TERMS
from custfocus.plan import PLAN_PARTS, attach_plan, plan_coverage

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# Team-written: an internal note about our selling that never names a customer or buyer.
INWARD = (
    "Q3 pipeline review. Our pipeline is thin and quota attainment sits at 61 percent. "
    "Every AE must update the CRM before the forecast call on Friday. "
    "Close rate fell to 18 percent, so the team will push upsell and cross-sell motions."
)
# Team-written: the same deal seen from the buyer's side.
OUTWARD = (
    "Before their budget cycle closes in March, Globex runs its evaluation against "
    "three decision criteria. Their procurement process needs a security review and "
    "sign-off from the CFO, and the business case goes to the board."
)


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(model=None)


def test_sales_document_that_never_mentions_customer_is_flagged(analyzer: Analyzer) -> None:
    inward = analyzer.score(INWARD).inward
    assert inward is not None
    assert inward.selling_without_customer
    assert inward.buyer_process == 0 and inward.customer_references == 0
    assert inward.inward_share == 1.0
    assert inward.seller_process >= 6


def test_sales_document_that_mentions_the_customer_is_not_flagged(analyzer: Analyzer) -> None:
    inward = analyzer.score(INWARD + " Ask the customer what they need first.").inward
    assert inward is not None and not inward.selling_without_customer
    assert inward.customer_references >= 1


def test_one_stray_seller_term_does_not_make_a_text_about_selling(analyzer: Analyzer) -> None:
    inward = analyzer.score("The funnel chart on page two is out of date.").inward
    assert inward is not None and inward.seller_process == 1 < MIN_SELLER_TERMS
    assert not inward.selling_without_customer


def test_buyer_process_terms_count_outward(analyzer: Analyzer) -> None:
    inward = analyzer.score(OUTWARD).inward
    assert inward is not None
    assert inward.seller_process == 0
    assert inward.buyer_process >= 6
    assert inward.inward_share == 0.0
    mixed = analyzer.score(INWARD + " " + OUTWARD).inward
    assert mixed is not None and not mixed.selling_without_customer
    assert 0 < mixed.inward_share < 1  # type: ignore[operator]


def test_rates_are_per_thousand_scored_words(analyzer: Analyzer) -> None:
    report = analyzer.score(INWARD)
    inward = report.inward
    assert inward is not None
    assert inward.seller_process_per_1k == pytest.approx(
        1000 * inward.seller_process / report.words
    )
    assert analyzer.score("").inward.seller_process_per_1k is None  # type: ignore[union-attr]


def test_a_multiword_seller_phrase_counts_once(analyzer: Analyzer) -> None:
    inward = analyzer.score("We explained our sales process.").inward
    assert inward is not None
    assert [c.text for c in inward.evidence] == ["our sales process"]


def test_user_can_extend_seller_process_lexicon(tmp_path: Path) -> None:
    text = "RevOps wants the SPIFF board updated."
    assert Analyzer(model=None).score(text).inward.seller_process == 0  # type: ignore[union-attr]
    by_terms = Analyzer(model=None, extra_terms={"process.seller": ["SPIFF board", "RevOps"]})
    assert by_terms.score(text).inward.seller_process == 2  # type: ignore[union-attr]
    lexicon = tmp_path / "ours.txt"
    lexicon.write_text(
        "# our own seller-process terms\n@rule process.seller\n@description ours\n"
        "@source us\n@license CC0-1.0\n\nspiff board\n",
        encoding="utf-8",
    )
    by_file = Analyzer(model=None, lexicons=[lexicon]).score(text).inward
    assert by_file is not None and [c.text for c in by_file.evidence] == ["SPIFF board"]


def test_evidence_offsets_point_at_the_words(analyzer: Analyzer) -> None:
    report = analyzer.score(INWARD + " " + OUTWARD)
    assert report.cues and report.inward is not None and report.inward.evidence
    for cue in report.cues:
        assert report.text[cue.start : cue.end] == cue.text
        assert cue.text in cue.context
        assert report.sentences[cue.sentence].text == cue.context
    rules = {c.rule for c in report.inward.evidence}
    assert rules == {"process.seller", "process.buyer"}


def test_evidence_of_a_document_carries_its_location(analyzer: Analyzer) -> None:
    from custfocus.document import Document, Segment

    doc = Document(
        (Segment("Weekly notes", "slide 1", "title"), Segment(INWARD, "slide 2", "body"))
    )
    report = analyzer.score_document(doc)
    assert report.inward is not None
    assert {c.location for c in report.inward.evidence} == {"slide 2"}
    for cue in report.inward.evidence:
        assert report.text[cue.start : cue.end] == cue.text


def test_only_the_sellers_speech_counts_in_a_call(analyzer: Analyzer) -> None:
    from custfocus.document import Document, Segment

    call = Document(
        (
            Segment("What does your approval process look like?", "00:00:01", "utterance", "Rep"),
            Segment(
                "Our budget cycle closes in March and procurement needs a security review.",
                "00:00:09",
                "utterance",
                "Buyer",
            ),
            Segment(
                "I will update the CRM and the deal stage tonight.", "00:00:20", "utterance", "Rep"
            ),
        )
    )
    report = analyzer.score_document(call, seller_speakers=["Rep"])
    inward = report.inward
    assert inward is not None
    assert (inward.seller_process, inward.buyer_process) == (2, 1)
    assert all(c.location != "00:00:09" for c in inward.evidence)
    assert any(not c.scored for c in report.cues)  # the buyer's words stay as evidence


def test_a_span_has_its_own_inward_figures() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("custfocus_sentences")
    nlp.add_pipe("custfocus_references")
    doc = nlp(INWARD + " " + OUTWARD)
    sents = list(doc.sents)
    first, last = sents[0], sents[-1]
    assert first._.custfocus.inward.seller_process >= 1
    assert first._.custfocus.inward.buyer_process == 0
    assert last._.custfocus.inward.buyer_process >= 1
    for cue in last._.custfocus.cues:
        assert last.text[cue.start : cue.end] == cue.text


def test_report_and_row_carry_the_figures(analyzer: Analyzer) -> None:
    report = analyzer.score(INWARD)
    data = report.to_dict()
    assert data["inward"]["selling_without_customer"] is True
    assert data["inward"]["evidence"][0]["text"] == report.inward.evidence[0].text  # type: ignore[union-attr]
    row = AuditRow.from_report("notes.txt", report)
    assert row.selling_without_customer is True and row.plan_gaps is None
    back = AuditRow.from_dict({k: "" if v is None else str(v) for k, v in row.to_dict().items()})
    assert back == row


# -- account plans ---------------------------------------------------------------------------

# Team-written: a plan that knows the account's problems, plans, people, buying and rivals,
# but says nothing about its industry or its finances.
PLAN_NO_MONEY_OR_MARKET = """Account plan: Globex Logistics

Overview
Globex struggles with late shipment data: their biggest challenge is a nightly batch that fails twice a week.
Their strategy for 2027 is to move every depot onto one platform.
Their CIO, Dana Ortiz, is the executive sponsor; the operations director is the champion.
Their procurement process needs a security review and the decision criteria are set by the CIO.
They currently use a homegrown tool, and two competitors are also talking to them.
"""


def test_plan_without_financial_or_industry_context_lists_those_gaps(analyzer: Analyzer) -> None:
    plan = analyzer.score(PLAN_NO_MONEY_OR_MARKET).plan
    assert plan is not None and plan.genre == "title"
    assert plan.gaps == ("industry", "financial")
    assert plan.coverage == pytest.approx(5 / 7)
    stakeholders = plan.part("stakeholders")
    assert stakeholders.covered and stakeholders.texts[0].startswith("Their CIO")
    with_context = PLAN_NO_MONEY_OR_MARKET + (
        "Their revenue fell 8 percent last year and margins are under pressure.\n"
        "The logistics industry is consolidating as new entrants undercut them on price.\n"
    )
    assert analyzer.score(with_context).plan.gaps == ()  # type: ignore[union-attr]


def test_headings_alone_do_not_cover_a_plan(analyzer: Analyzer) -> None:
    template = "Account plan: Globex\n\nStakeholders\n\nCompetitors\n\nFinancials\n\nStrategy\n"
    plan = analyzer.score(template).plan
    assert plan is not None
    assert plan.gaps == tuple(PLAN_PARTS)
    assert plan.coverage == 0.0


def test_a_sentence_about_the_seller_alone_covers_nothing(analyzer: Analyzer) -> None:
    report = analyzer.score("Our strategy is to win the renewal with our new roadmap.")
    assert plan_coverage(report, "plan").part("strategy").covered is False
    about_them = analyzer.score("Their strategy is to open two new markets.")
    assert plan_coverage(about_them).part("strategy").covered


def test_plan_coverage_is_only_attached_to_plans_but_always_available(analyzer: Analyzer) -> None:
    report = analyzer.score(OUTWARD)
    assert report.plan is None
    coverage = plan_coverage(report)
    assert coverage.genre == "requested" and "buying" not in coverage.gaps
    given = attach_plan(report, "plan")
    assert given.plan is not None and given.plan.genre == "given"
    assert attach_plan(given, "email").plan is None


def test_plan_coverage_of_an_annotated_spacy_doc() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("custfocus_sentences")
    nlp.add_pipe("custfocus_references")
    coverage = plan_coverage(nlp(PLAN_NO_MONEY_OR_MARKET))
    assert coverage.gaps == ("industry", "financial")
    with pytest.raises(TypeError):
        plan_coverage("not a report")


def test_plan_row_round_trips_a_plan_with_no_gaps(analyzer: Analyzer) -> None:
    full = PLAN_NO_MONEY_OR_MARKET + "Their revenue fell. The industry is consolidating.\n"
    row = AuditRow.from_report("plan.txt", analyzer.score(full))
    assert row.plan_coverage == 1.0 and row.plan_gaps == ""
    back = AuditRow.from_dict({k: "" if v is None else str(v) for k, v in row.to_dict().items()})
    assert back == row
    partial = AuditRow.from_report("p.txt", analyzer.score(PLAN_NO_MONEY_OR_MARKET))
    assert partial.plan_gaps == "industry;financial"


def test_the_initech_example_reads_as_a_plan(analyzer: Analyzer) -> None:
    pytest.importorskip("docx")
    plan = analyzer.score_file(EXAMPLES / "account_plan_initech.docx").plan
    assert plan is not None and plan.genre == "title"
    for part in ("financial", "stakeholders", "buying", "competition"):
        assert part not in plan.gaps
