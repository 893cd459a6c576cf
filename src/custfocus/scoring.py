"""The Customer Focus Score: pure formulas over evidence, no I/O, no spaCy.

The score is ``100 * sum(w_c * x_c) / sum(w_c)`` over the components ``x_c`` in [0, 1] that
apply to a text (``reference`` always; ``content`` when sentences carry labels; ``listening``
and ``questioning`` for call transcripts). Every formula is defined in ``docs/METHOD.md``.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from statistics import NormalDist
from types import MappingProxyType
from typing import Any

from .errors import ConfigError
from .results import ConversationMetrics, Interval, Mention, Sentence

__all__ = [
    "BANDS",
    "DEFAULT_COMPONENT_WEIGHTS",
    "DEFAULT_RULE_WEIGHTS",
    "Band",
    "ScoringConfig",
    "band",
    "content_focus",
    "listening_focus",
    "naive_we_we",
    "questioning_focus",
    "reference_focus",
    "score_evidence",
    "wilson_interval",
]


@dataclass(frozen=True)
class Band:
    """A named range ``[low, high)`` of the 0-100 score (the last band includes 100)."""

    name: str
    low: float
    high: float
    meaning: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "low": self.low, "high": self.high, "meaning": self.meaning}


#: What a score means. Cut points set from the per-file score distribution of the real
#: sales and marketing corpus and from the validity ladders (``benchmarks/bands.py`` prints
#: both; docs/METHOD.md, "What a score means").
BANDS: tuple[Band, ...] = (
    Band("self-centred", 0.0, 40.0, "mostly about the seller: pitch, features, claims"),
    Band("mixed", 40.0, 60.0, "some buyer outcomes, but generic or outweighed by pitch"),
    Band("customer-centred", 60.0, 100.0, "about the buyer: tailored value, discovery, playback"),
)


def band(score: float) -> str:
    """The name of the band ``score`` falls in.

    >>> band(12.0), band(50.0), band(100.0)
    ('self-centred', 'mixed', 'customer-centred')
    """
    for b in BANDS:
        if score < b.high:
            return b.name
    return BANDS[-1].name


#: Weight of each counted rule in the reference-focus formula.
DEFAULT_RULE_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "customer.pronoun": 1.0,
        "customer.noun": 1.0,
        "customer.name": 1.5,
        "self.pronoun": 1.0,
        "self.singular": 0.5,
        "self.noun": 1.5,
        "self.name": 1.5,
        "self.commitment": 0.0,
        "self.listening": 0.0,
        "self.social_proof": 1.0,
        "self.stuffing": 1.0,
        "shared.inclusive": 1.0,
    }
)

#: Weight of each score component. Content outweighs reference: what a text is about
#: matters more than its pronouns (Hussein & Tormala 2024; Rackham 1988).
DEFAULT_COMPONENT_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {"reference": 0.35, "content": 0.65, "listening": 0.35, "questioning": 0.35}
)

#: Credit a scored sentence earns toward content focus, by label (and SPIN type for
#: discovery questions). Rackham: implication and need-payoff questions track success in
#: large sales; situation questions are neutral when overused; features are neutral to
#: negative. ``other`` sentences are not counted at all.
DEFAULT_LABEL_CREDIT: Mapping[str, float] = MappingProxyType(
    {
        "discovery": 0.8,
        "discovery.situation": 0.6,
        "discovery.problem": 0.85,
        "discovery.implication": 1.0,
        "discovery.need_payoff": 1.0,
        "discovery.listening": 1.0,
        "value": 0.8,
        "value.generic": 0.6,
        "pitch": 0.0,
        "stuffing": 0.0,
    }
)


@dataclass(frozen=True)
class ScoringConfig:
    """Every tunable number of the score, with documented defaults.

    ``prior`` is the strength (in pseudo-mentions) of the neutral prior that keeps short
    texts from swinging to 0 or 100; ``min_mentions`` the count below which a report is
    flagged ``insufficient_evidence``; ``closed_question_factor`` multiplies the credit of
    closed discovery questions (open/closed matters less than SPIN type, Rackham 1988);
    ``sentence_cap`` bounds the reference weight one sentence gives each side, so stuffing
    "you/your" into a sentence cannot buy focus (the k-th mention of a side in a sentence
    counts ``1/k`` of its weight, up to the cap); ``pitch_reference_factor`` multiplies
    customer mentions inside a sentence labelled pitch (the "you" a pitch is aimed at is
    not what the sentence is about), so stuffing "you" into a pitch barely moves it.
    """

    rule_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_RULE_WEIGHTS))
    component_weights: Mapping[str, float] = field(
        default_factory=lambda: dict(DEFAULT_COMPONENT_WEIGHTS)
    )
    label_credit: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_LABEL_CREDIT))
    prior: float = 2.0
    min_mentions: int = 5
    confidence: float = 0.95
    closed_question_factor: float = 0.9
    sentence_cap: float = 1.5
    pitch_reference_factor: float = 0.25

    def __post_init__(self) -> None:
        for name in ("rule_weights", "component_weights", "label_credit"):
            merged = {**_defaults(name), **dict(getattr(self, name))}
            for key, value in merged.items():
                if not isinstance(value, (int, float)) or math.isnan(value) or value < 0:
                    raise ConfigError(f"{name}[{key!r}] must be a number >= 0, not {value!r}")
            object.__setattr__(self, name, MappingProxyType(merged))
        if not sum(self.component_weights.values()) > 0:
            raise ConfigError("component_weights must not all be 0")
        if self.sentence_cap <= 0 or not 0 <= self.pitch_reference_factor <= 1:
            raise ConfigError("sentence_cap must be > 0 and pitch_reference_factor in [0, 1]")
        if self.prior < 0 or self.min_mentions < 0 or not 0 < self.confidence < 1:
            raise ConfigError("prior and min_mentions must be >= 0 and confidence in (0, 1)")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScoringConfig:
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise ConfigError(f"unknown scoring settings {sorted(unknown)}; known: {sorted(known)}")
        return cls(**dict(data))

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_weights": dict(self.rule_weights),
            "component_weights": dict(self.component_weights),
            "label_credit": dict(self.label_credit),
            "prior": self.prior,
            "min_mentions": self.min_mentions,
            "confidence": self.confidence,
            "closed_question_factor": self.closed_question_factor,
            "sentence_cap": self.sentence_cap,
            "pitch_reference_factor": self.pitch_reference_factor,
        }

    def with_weights(self, **component_weights: float) -> ScoringConfig:
        return replace(self, component_weights={**self.component_weights, **component_weights})


def _defaults(name: str) -> Mapping[str, float]:
    return {
        "rule_weights": DEFAULT_RULE_WEIGHTS,
        "component_weights": DEFAULT_COMPONENT_WEIGHTS,
        "label_credit": DEFAULT_LABEL_CREDIT,
    }[name]


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> Interval | None:
    """Wilson score interval for ``successes / n``; ``None`` when ``n == 0``.

    >>> wilson_interval(1, 1).low < 0.25
    True
    """
    if n <= 0:
        return None
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # Clamp so rounding never puts the point estimate outside its own interval.
    low, high = max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half))
    return Interval(low, high, "wilson", confidence)


def naive_we_we(customer_words: int, self_words: int) -> float | None:
    """The classic We-We figure: second-person words over all first- and second-person words."""
    total = customer_words + self_words
    return customer_words / total if total else None


def reference_focus(
    mentions: Iterable[Mention], prior: float = 2.0, sentence_cap: float = 1.5
) -> float:
    """Weighted customer share of the mentions, pulled toward 0.5 by ``prior`` pseudo-mentions.

    Shared (inclusive) mentions count half to each side. Within one sentence the k-th
    mention of a side (in text order) counts ``1/k`` of its weight and a side gets at most
    ``sentence_cap``, so repeating "you" does not buy focus.
    """
    return reference_focus_pairs(
        ((m.side, m.weight, m.sentence) for m in mentions), prior, sentence_cap
    )


def reference_focus_pairs(
    pairs: Iterable[tuple[str, float, int]],
    prior: float = 2.0,
    sentence_cap: float = 1.5,
    pitch_sentences: Collection[int] = (),
    pitch_reference_factor: float = 0.25,
) -> float:
    """:func:`reference_focus` over ``(side, weight, sentence)`` rows (the formula lives here).

    Customer mentions in the sentences ``pitch_sentences`` count ``pitch_reference_factor``
    of their weight.

    >>> round(reference_focus_pairs([("customer", 1.0, 0)] * 6), 3)  # 6x "you", one sentence
    0.714
    """
    seen: dict[tuple[int, str], int] = {}
    totals: dict[tuple[int, str], float] = {}
    for side, weight, sentence in pairs:
        if weight <= 0:
            continue
        if side == "customer" and sentence in pitch_sentences:
            weight *= pitch_reference_factor
        if side == "shared":
            parts: tuple[tuple[str, float], ...] = (
                ("customer", weight / 2),
                ("self", weight / 2),
            )
        else:  # the common case, without building the parts
            key = (sentence, side)
            k = seen.get(key, 0) + 1  # the k-th mention of this side in this sentence
            seen[key] = k
            totals[key] = totals.get(key, 0.0) + weight / k
            continue
        for part, w in parts:
            key = (sentence, part)
            k = seen.get(key, 0) + 1
            seen[key] = k
            totals[key] = totals.get(key, 0.0) + w / k
    customer = selfw = 0.0
    for (_, side), total in totals.items():
        if side == "customer":
            customer += min(sentence_cap, total)
        else:
            selfw += min(sentence_cap, total)
    return (customer + prior / 2) / (customer + selfw + prior)


#: What content focus reads of a sentence: (scored, label, spin, question_form, rule,
#: customer_mentions, words); ``rule`` is the sentence rule that set the label, if any.
ContentRow = tuple[bool, "str | None", "str | None", "str | None", "str | None", int, int]


def content_focus(
    sentences: Iterable[Sentence],
    label_credit: Mapping[str, float] = DEFAULT_LABEL_CREDIT,
    prior: float = 2.0,
    closed_question_factor: float = 0.9,
) -> float | None:
    """Mean credit of the scored, labelled, non-``other`` sentences, with a neutral prior.

    ``None`` when no sentence carries a label (no content model ran).
    """
    rows = (
        (s.scored, s.label, s.spin, s.question_form, s.rule, s.customer_mentions, s.words)
        for s in sentences
    )
    return content_focus_rows(rows, label_credit, prior, closed_question_factor)


def content_focus_rows(
    rows: Iterable[ContentRow],
    label_credit: Mapping[str, float] = DEFAULT_LABEL_CREDIT,
    prior: float = 2.0,
    closed_question_factor: float = 0.9,
) -> float | None:
    """:func:`content_focus` over :data:`ContentRow` rows (the formula lives here).

    Credits: ``label.spin`` for typed discovery questions, ``discovery.listening`` for
    listening moves, ``value.generic`` for a value sentence that names no customer, and
    ``stuffing`` (0) for each word of a stuffing sentence (references with no clause).
    """
    total = credit = 0.0
    labelled = False
    for scored, label, spin, form, rule, customer, words in rows:
        if not scored or label is None:
            continue
        labelled = True
        if rule == "stuffing":
            n = max(1, words)
            credit += n * label_credit.get("stuffing", 0.0)
            total += n
            continue
        if label == "other":
            continue
        if rule == "listening" and label == "discovery" and not spin:
            c = label_credit.get("discovery.listening", label_credit.get(label, 0.0))
        elif label == "value" and customer == 0:
            c = label_credit.get("value.generic", label_credit.get(label, 0.0))
        else:
            c = label_credit.get(f"{label}.{spin}", label_credit.get(label, 0.0))
        if label == "discovery" and form == "closed":
            c *= closed_question_factor
        credit += c
        total += 1
    if not labelled:
        return None
    return (credit + prior / 2) / (total + prior)


def listening_focus(conversation: ConversationMetrics | None) -> float | None:
    """1 at a seller talk ratio of 43% or less (Gong Labs' top performers), 0 at 85%."""
    if conversation is None:
        return None
    ratio = conversation.seller_talk_ratio_time
    if ratio is None:
        ratio = conversation.seller_talk_ratio_words
    if ratio is None:
        return None
    return min(1.0, max(0.0, (0.85 - ratio) / (0.85 - 0.43)))


def questioning_focus(conversation: ConversationMetrics | None) -> float | None:
    """Discovery questioning on a call: 1 at 11 or more seller discovery questions.

    Gong Labs found 11-14 questions on successful discovery calls; fewer earns partial credit.
    """
    if conversation is None or conversation.seller_questions_by_spin is None:
        return None
    discovery = sum(conversation.seller_questions_by_spin.values())
    return min(1.0, discovery / 11)


@dataclass(frozen=True)
class ScoreResult:
    score: float
    components: Mapping[str, float | None]


def score_evidence(
    mentions: Iterable[Mention],
    sentences: Iterable[Sentence] = (),
    config: ScoringConfig | None = None,
    conversation: ConversationMetrics | None = None,
) -> ScoreResult:
    """The score as a pure function of the evidence: counted mentions and labelled sentences.

    Re-scoring ``report.mentions`` and ``report.sentences`` gives ``report.score`` back.
    """
    return score_rows(
        [(m.side, m.weight, m.sentence) for m in mentions],
        [
            (s.scored, s.label, s.spin, s.question_form, s.rule, s.customer_mentions, s.words)
            for s in sentences
        ],
        config,
        conversation,
    )


def score_rows(
    pairs: Sequence[tuple[str, float, int]],
    rows: Sequence[ContentRow],
    config: ScoringConfig | None = None,
    conversation: ConversationMetrics | None = None,
) -> ScoreResult:
    """:func:`score_evidence` over plain rows; the analyzer's fast path calls this directly."""
    cfg = config or ScoringConfig()
    content = content_focus_rows(rows, cfg.label_credit, cfg.prior, cfg.closed_question_factor)
    components: dict[str, float | None] = {
        "reference": reference_focus_pairs(
            pairs,
            cfg.prior,
            cfg.sentence_cap,
            {i for i, row in enumerate(rows) if row[0] and row[1] == "pitch"},
            cfg.pitch_reference_factor,
        ),
        "content": content,
        "listening": listening_focus(conversation),
        # Questions are only known when a content model labelled the sentences.
        "questioning": questioning_focus(conversation) if content is not None else None,
    }
    num = den = 0.0
    for name, value in components.items():
        w = cfg.component_weights.get(name, 0.0)
        if value is not None and w > 0:
            num += w * value
            den += w
    score = 100.0 * num / den if den else 50.0
    return ScoreResult(round(score, 6), components)
