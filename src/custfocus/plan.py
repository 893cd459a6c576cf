"""Account-plan coverage: which parts of the customer's business context a plan covers.

A plan that knows the customer's business says what the customer struggles with and
wants, how its industry and finances push it, where it is going, who decides and how it
buys, and who else competes for it. Each part has a lexicon of cue phrases
(``plan_*.txt``; the buying part reuses ``buyer_process.txt``); a part is covered when a
sentence about the customer holds one of its cues. The sentences behind each part and the
gaps are in the result. Definitions: docs/METHOD.md, "Account-plan coverage".
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from .results import Cue, PlanCoverage, PlanPart, Report, Sentence
from .sentence_rules import FINAL_PUNCTUATION

__all__ = [
    "PART_RULES",
    "PLAN_PARTS",
    "PLAN_TITLE",
    "attach_plan",
    "is_heading_like",
    "plan_coverage",
    "plan_genre",
]

#: The parts of the customer's business context, in report order: id -> title.
PLAN_PARTS: Mapping[str, str] = {
    "challenges": "business challenges and priorities",
    "industry": "industry dynamics",
    "financial": "economic and financial drivers",
    "strategy": "strategy and direction",
    "stakeholders": "stakeholders and roles",
    "buying": "buying process and criteria",
    "competition": "competitive landscape",
}
#: The lexicon rule whose cues cover each part.
PART_RULES: Mapping[str, str] = {
    "challenges": "plan.challenges",
    "industry": "plan.industry",
    "financial": "plan.financial",
    "strategy": "plan.strategy",
    "stakeholders": "plan.stakeholders",
    "buying": "process.buyer",
    "competition": "plan.competition",
}
_PART_OF = {rule: part for part, rule in PART_RULES.items()}
ACCOUNT_RULE = "cue.account"
#: A heading or title that names an account plan.
PLAN_TITLE = re.compile(
    r"\b(?:account|customer)[ -](?:plan|plans|planning|strategy|overview)\b", re.IGNORECASE
)
#: Headings naming this many different parts make a text read as a plan without a title.
MIN_PART_HEADINGS = 3
#: A line this short without final punctuation is a heading when looking for a plan ...
HEADING_WORDS = 10
#: ... and never covers a part (it names the part; the sentences under it cover it).
LABEL_WORDS = 4
_GENRES = ("given", "title", "headings", "requested")


def is_heading_like(text: str, max_words: int = HEADING_WORDS) -> bool:
    """A short line without final punctuation: a title, heading or label.

    >>> is_heading_like("Account plan: Initech Health"), is_heading_like("They grow fast.")
    (True, False)
    """
    stripped = text.strip()
    return (
        bool(stripped)
        and stripped[-1] not in FINAL_PUNCTUATION
        and len(stripped.split()) <= max_words
    )


def plan_genre(headings: Iterable[tuple[str, Collection[str]]]) -> str | None:
    """``"title"`` when a heading names an account plan, ``"headings"`` when headings name
    :data:`MIN_PART_HEADINGS` different parts, else ``None``. ``headings`` are the text's
    heading-like lines, each with the cue rules found in it.

    >>> plan_genre([("Account plan: Initech Health", ())])
    'title'
    >>> plan_genre([("Stakeholders", {"plan.stakeholders"}), ("Competitors", {"plan.competition"})])
    """
    parts: set[str] = set()
    for text, rules in headings:
        if PLAN_TITLE.search(text):
            return "title"
        parts.update(_PART_OF[r] for r in rules if r in _PART_OF)
    return "headings" if len(parts) >= MIN_PART_HEADINGS else None


#: One sentence for :func:`coverage_of`: (index, text, customer mentions, self mentions,
#: is a heading, its cues).
PlanRow = tuple[int, str, int, int, bool, Sequence[Cue]]


def coverage_of(rows: Iterable[PlanRow], genre: str) -> PlanCoverage:
    """Coverage over plain sentence rows (the definition; :func:`plan_coverage` feeds it).

    A sentence covers a part when it holds one of the part's cues, is not a heading or label,
    and is about the customer: it refers to the customer (a customer reference or a
    third-person word for the account such as "their"), or, in a text read as a plan
    (``genre`` other than ``requested``), it is at least not about the seller alone.
    """
    if genre not in _GENRES:
        raise ValueError(f"genre is one of {_GENRES}, not {genre!r}")
    lenient = genre != "requested"
    found: dict[str, list[tuple[int, str, list[Cue]]]] = {p: [] for p in PLAN_PARTS}
    for index, text, n_customer, n_self, heading, cues in rows:
        if heading or not cues:
            continue
        about_customer = n_customer > 0 or any(c.rule == ACCOUNT_RULE for c in cues)
        if not about_customer and not (lenient and n_self == 0):
            continue
        by_part: dict[str, list[Cue]] = {}
        for c in cues:
            part = _PART_OF.get(c.rule)
            if part is not None:
                by_part.setdefault(part, []).append(c)
        for part, part_cues in by_part.items():
            found[part].append((index, text, part_cues))
    parts = tuple(
        PlanPart(
            name=name,
            title=title,
            sentences=tuple(i for i, _, _ in found[name]),
            texts=tuple(" ".join(t.split()) for _, t, _ in found[name]),
            cues=tuple(c for _, _, cs in found[name] for c in cs),
        )
        for name, title in PLAN_PARTS.items()
    )
    gaps = tuple(p.name for p in parts if not p.covered)
    return PlanCoverage(parts, (len(parts) - len(gaps)) / len(parts), gaps, genre)


def plan_coverage(
    obj: Any, genre: str | None = None, *, headings: Collection[int] | None = None
) -> PlanCoverage:
    """Account-plan coverage of a :class:`~custfocus.results.Report` or an annotated spaCy
    ``Doc``/``Span``, whatever its genre.

    ``genre="plan"`` (from a manifest) says the text is a plan; without it the text's own
    headings decide (:func:`plan_genre`), and a text that does not read as a plan is still
    measured, under the strict rule (``genre == "requested"`` on the result). ``headings``
    are the indices of the sentences the reader marked as headings or titles; without them a
    sentence is a heading when its rule says so or it is a short line without final
    punctuation.

    >>> from custfocus import Analyzer
    >>> report = Analyzer(model=None).score("Their CFO must cut costs before the budget cycle.")
    >>> plan_coverage(report).gaps
    ('challenges', 'industry', 'strategy', 'competition')
    """
    report = obj if isinstance(obj, Report) else _report_of(obj)
    sentences = report.sentences
    by_sentence: dict[int, list[Cue]] = {}
    for c in report.cues:
        if c.scored:
            by_sentence.setdefault(c.sentence, []).append(c)

    def heading(s: Sentence, max_words: int) -> bool:
        if headings is not None and s.index in headings:
            return True
        return s.rule == "heading" or is_heading_like(s.text, max_words)

    if genre == "plan":
        kind = "given"
    else:
        heads = (
            (s.text, {c.rule for c in by_sentence.get(s.index, ())})
            for s in sentences
            if heading(s, HEADING_WORDS)
        )
        kind = plan_genre(heads) or "requested"
    rows = (
        (
            s.index,
            s.text,
            s.customer_mentions,
            s.self_mentions,
            heading(s, LABEL_WORDS),
            by_sentence.get(s.index, ()),
        )
        for s in sentences
        if s.scored
    )
    return coverage_of(rows, kind)


def attach_plan(
    report: Report, genre: str | None = None, *, headings: Collection[int] | None = None
) -> Report:
    """``report`` with ``plan`` set when it reads as an account plan (or ``genre="plan"``);
    unchanged otherwise. A manifest genre other than ``"plan"`` means not a plan."""
    if genre is not None and genre != "plan":
        return report if report.plan is None else replace(report, plan=None)
    coverage = plan_coverage(report, genre, headings=headings)
    if coverage.genre == "requested":
        return report
    return replace(report, plan=coverage)


def _report_of(obj: Any) -> Report:
    from spacy.tokens import Doc, Span

    if not isinstance(obj, (Doc, Span)):
        raise TypeError(f"expected a Report, Doc or Span, not {type(obj).__name__}")
    from .evidence import build_report

    return build_report(obj)
