"""Result objects: typed, immutable, JSON-ready through ``to_dict()``.

A :class:`Report` is evidence first: the score is a pure function of ``report.mentions`` and
``report.sentences`` (see :func:`custfocus.scoring.score_evidence`), and every mention and
sentence carries character offsets into ``report.text`` and, for documents, the location
(slide, page, paragraph, timestamp) it came from. ``None`` means "not defined" (for example a
customer share when there are no mentions) and is documented per field in ``docs/METHOD.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, overload

__all__ = [
    "ContentSummary",
    "ConversationMetrics",
    "Cue",
    "Exclusion",
    "Interval",
    "InwardLanguage",
    "LazyTuple",
    "Mention",
    "PlanCoverage",
    "PlanPart",
    "Report",
    "Sentence",
    "SpeakerRole",
    "VoiceQuote",
]


T = TypeVar("T")


class LazyTuple(Sequence[T], Generic[T]):
    """A read-only sequence built on first use; compares, pickles and prints as a tuple.

    Reports build their thousands of Mention and Sentence objects only when you look at
    them: the score itself is computed from plain columns, so streaming a corpus for scores
    alone stays fast.
    """

    __slots__ = ("_factory", "_items")

    def __init__(self, factory: Callable[[], tuple[T, ...]]) -> None:
        self._factory: Callable[[], tuple[T, ...]] | None = factory
        self._items: tuple[T, ...] | None = None

    def _get(self) -> tuple[T, ...]:
        if self._items is None:
            assert self._factory is not None
            self._items = tuple(self._factory())
            self._factory = None  # drop the columns it was built from
        return self._items

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...
    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        return self._get()[index]

    def __len__(self) -> int:
        return len(self._get())

    def __iter__(self) -> Iterator[T]:
        return iter(self._get())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (tuple, LazyTuple)):
            return self._get() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._get())

    def __repr__(self) -> str:
        return repr(self._get())

    def __reduce__(self) -> tuple[Any, ...]:
        return (tuple, (self._get(),))


@dataclass(frozen=True, slots=True)
class Mention:
    """A counted reference to the customer, the seller, or both (``side="shared"``).

    ``text == report.text[start:end]``; ``rule`` names the lexicon rule that matched and
    ``weight`` its weight in the reference-focus formula.
    """

    text: str
    start: int
    end: int
    side: str
    category: str
    rule: str
    weight: float
    sentence: int
    location: str | None = None
    speaker: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "side": self.side,
            "category": self.category,
            "rule": self.rule,
            "weight": self.weight,
            "sentence": self.sentence,
            "location": self.location,
            "speaker": self.speaker,
        }


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A pronoun-like span that was *not* counted, and the rule that says why."""

    text: str
    start: int
    end: int
    rule: str
    reason: str
    location: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "rule": self.rule,
            "reason": self.reason,
            "location": self.location,
        }


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence (or utterance part) with its content label when a model ran.

    ``label`` is ``discovery``, ``value``, ``pitch`` or ``other`` (``None`` without a model);
    ``scored`` is False for text that is not the seller's (quoted replies, buyer speech);
    ``rule`` names the sentence rule that set the label (``heading``, ``instruction``,
    ``stuffing``, ``listening``; ``None`` when the content model's label stands).
    ``customer_mentions`` / ``self_mentions`` count mentions with a weight above 0.
    """

    index: int
    text: str
    start: int
    end: int
    words: int = 0
    label: str | None = None
    confidence: float | None = None
    is_question: bool | None = None
    question_form: str | None = None
    spin: str | None = None
    superlatives: tuple[str, ...] = ()
    customer_mentions: int = 0
    self_mentions: int = 0
    location: str | None = None
    speaker: str | None = None
    scored: bool = True
    rule: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "words": self.words,
            "label": self.label,
            "confidence": self.confidence,
            "is_question": self.is_question,
            "question_form": self.question_form,
            "spin": self.spin,
            "superlatives": list(self.superlatives),
            "customer_mentions": self.customer_mentions,
            "self_mentions": self.self_mentions,
            "location": self.location,
            "speaker": self.speaker,
            "scored": self.scored,
            "rule": self.rule,
        }


@dataclass(frozen=True, slots=True)
class Interval:
    """A confidence interval for a proportion."""

    low: float
    high: float
    method: str = "wilson"
    confidence: float = 0.95

    def to_dict(self) -> dict[str, Any]:
        return {
            "low": self.low,
            "high": self.high,
            "method": self.method,
            "confidence": self.confidence,
        }


@dataclass(frozen=True, slots=True)
class ContentSummary:
    """Content-focus figures over the scored sentences (needs the content model)."""

    sentences: int
    discovery_share: float | None
    value_share: float | None
    pitch_share: float | None
    discovery_share_words: float | None
    value_share_words: float | None
    pitch_share_words: float | None
    questions: int
    questions_by_form: Mapping[str, int]
    questions_by_spin: Mapping[str, int]
    superlatives: int
    first_pitch: int | None
    first_discovery_question: int | None
    pitch_before_discovery: bool | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "sentences": self.sentences,
            "discovery_share": self.discovery_share,
            "value_share": self.value_share,
            "pitch_share": self.pitch_share,
            "discovery_share_words": self.discovery_share_words,
            "value_share_words": self.value_share_words,
            "pitch_share_words": self.pitch_share_words,
            "questions": self.questions,
            "questions_by_form": dict(self.questions_by_form),
            "questions_by_spin": dict(self.questions_by_spin),
            "superlatives": self.superlatives,
            "first_pitch": self.first_pitch,
            "first_discovery_question": self.first_discovery_question,
            "pitch_before_discovery": self.pitch_before_discovery,
        }


@dataclass(frozen=True, slots=True)
class SpeakerRole:
    """Who custfocus took to be seller or buyer in a conversation, and how sure it is.

    ``method`` is ``given`` (the caller named the sellers), ``label`` (a role word or a
    seller or customer name in the speaker label) or ``inferred`` (behaviour only).
    ``uncertain`` is True when nothing clearly tells the speakers apart: the role is a
    best guess that the report flags, and ``seller_speakers`` should settle it.
    """

    speaker: str
    role: str
    confidence: float
    method: str
    evidence: str
    uncertain: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "speaker": self.speaker,
            "role": self.role,
            "confidence": self.confidence,
            "method": self.method,
            "evidence": self.evidence,
            "uncertain": self.uncertain,
        }


@dataclass(frozen=True, slots=True)
class VoiceQuote:
    """A buyer utterance that states a need, problem, goal, like or dislike."""

    text: str
    kind: str
    speaker: str | None
    location: str | None
    start: float | None
    need: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind,
            "speaker": self.speaker,
            "location": self.location,
            "start": self.start,
            "need": self.need,
        }


@dataclass(frozen=True)
class ConversationMetrics:
    """Call figures; ``None`` where undefined (e.g. time figures without timestamps)."""

    roles: tuple[SpeakerRole, ...]
    seller_talk_ratio_words: float | None
    seller_talk_ratio_time: float | None
    longest_seller_monologue_seconds: float | None
    longest_seller_monologue_words: int
    longest_buyer_story_seconds: float | None
    longest_buyer_story_words: int
    seller_questions: int
    seller_questions_per_10_min: float | None
    seller_open_question_share: float | None
    seller_discovery_question_share: float | None
    seller_questions_by_spin: Mapping[str, int]
    interactivity_per_minute: float | None
    switches: int
    patience_seconds: float | None
    time_to_first_pitch_seconds: float | None
    duration_seconds: float | None
    explicit_needs: int
    implied_needs: int
    benefits_after_stated_need: int
    benefits_without_stated_need: int
    timed: bool

    @property
    def roles_uncertain(self) -> bool:
        """True when a role is a flagged guess (see :class:`SpeakerRole`)."""
        return any(r.uncertain for r in self.roles)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if name == "roles":
                value = [r.to_dict() for r in value]
            elif isinstance(value, Mapping):
                value = dict(value)
            out[name] = value
        return out


@dataclass(frozen=True, slots=True)
class Cue:
    """A topic cue found in the text: a seller- or buyer-process term, or an account-plan cue.

    ``text == report.text[start:end]``; ``rule`` is the lexicon rule (``process.seller``,
    ``process.buyer``, ``plan.financial``, ``cue.account``...); ``context`` is the text of
    sentence ``sentence``. ``scored`` is False in text that is not the seller's.
    """

    text: str
    start: int
    end: int
    rule: str
    sentence: int
    context: str
    location: str | None = None
    scored: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "rule": self.rule,
            "sentence": self.sentence,
            "context": self.context,
            "location": self.location,
            "scored": self.scored,
        }


@dataclass(frozen=True)
class InwardLanguage:
    """Inward-out language: the seller's own process versus the buyer's buying process.

    ``inward_share`` = seller-process terms / (seller + buyer-process terms), ``None`` when
    there are none; the rates are per 1,000 scored words (``None`` without words).
    ``selling_without_customer`` flags a document about selling (at least
    :data:`custfocus.inward.MIN_SELLER_TERMS` seller-process terms) that never refers to a
    customer or buyer: no customer reference and no buyer-process term. ``evidence`` holds
    the process cues behind the counts (docs/METHOD.md, "Inward-out language").
    """

    seller_process: int
    buyer_process: int
    inward_share: float | None
    seller_process_per_1k: float | None
    buyer_process_per_1k: float | None
    customer_references: int
    selling_without_customer: bool
    evidence: Sequence[Cue] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "seller_process": self.seller_process,
            "buyer_process": self.buyer_process,
            "inward_share": self.inward_share,
            "seller_process_per_1k": self.seller_process_per_1k,
            "buyer_process_per_1k": self.buyer_process_per_1k,
            "customer_references": self.customer_references,
            "selling_without_customer": self.selling_without_customer,
            "evidence": [c.to_dict() for c in self.evidence],
        }


@dataclass(frozen=True)
class PlanPart:
    """One part of the customer's business context and the plan sentences that cover it."""

    name: str
    title: str
    sentences: tuple[int, ...]
    texts: tuple[str, ...]
    cues: tuple[Cue, ...]

    @property
    def covered(self) -> bool:
        return bool(self.sentences)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "covered": self.covered,
            "sentences": list(self.sentences),
            "texts": list(self.texts),
            "cues": [c.to_dict() for c in self.cues],
        }


@dataclass(frozen=True)
class PlanCoverage:
    """Which parts of the customer's business context an account plan covers.

    ``coverage`` = covered parts / all parts (:data:`custfocus.plan.PLAN_PARTS`); ``gaps``
    names the parts no sentence covers, in that order. ``genre`` says why the text was read
    as a plan (``given``, ``title``, ``headings`` or ``requested``; docs/METHOD.md,
    "Account-plan coverage").
    """

    parts: tuple[PlanPart, ...]
    coverage: float
    gaps: tuple[str, ...]
    genre: str

    def part(self, name: str) -> PlanPart:
        """The part called ``name`` (``KeyError`` if there is none)."""
        for p in self.parts:
            if p.name == name:
                return p
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "coverage": self.coverage,
            "gaps": list(self.gaps),
            "genre": self.genre,
            "parts": [p.to_dict() for p in self.parts],
        }


@dataclass(frozen=True)
class Report:
    """The analysis of one text or document.

    ``score`` is the 0-100 Customer Focus Score; ``components`` holds each component in
    [0, 1] (``None`` when a component does not apply, e.g. ``content`` without a model).
    ``inward`` holds the inward-out language figures, ``plan`` the account-plan coverage
    when the text reads as an account plan (``None`` otherwise; see
    :func:`custfocus.plan.plan_coverage`), and ``cues`` every topic cue behind both.
    """

    text: str
    score: float
    components: Mapping[str, float | None]
    customer_share: float | None
    customer_share_interval: Interval | None
    naive_we_we: float | None
    counts: Mapping[str, int]
    insufficient_evidence: bool
    mentions: Sequence[Mention]
    excluded: Sequence[Exclusion]
    sentences: Sequence[Sentence]
    lexicon_version: str
    version: str
    content: ContentSummary | None = None
    conversation: ConversationMetrics | None = None
    customer_voice: tuple[VoiceQuote, ...] = ()
    path: str | None = None
    format: str | None = None
    words: int = 0
    meta: Mapping[str, Any] = field(default_factory=dict)
    cues: Sequence[Cue] = ()
    inward: InwardLanguage | None = None
    plan: PlanCoverage | None = None

    @property
    def band(self) -> str:
        """What the score means: ``self-centred``, ``mixed`` or ``customer-centred``
        (:data:`custfocus.scoring.BANDS`)."""
        from .scoring import band

        return band(self.score)

    def to_dict(self, *, include_text: bool = True) -> dict[str, Any]:
        """Plain JSON-serialisable dict with stable keys (documented in docs/METHOD.md)."""
        return {
            "version": self.version,
            "lexicon_version": self.lexicon_version,
            "path": self.path,
            "format": self.format,
            "score": self.score,
            "band": self.band,
            "components": dict(self.components),
            "customer_share": self.customer_share,
            "customer_share_interval": (
                self.customer_share_interval.to_dict() if self.customer_share_interval else None
            ),
            "naive_we_we": self.naive_we_we,
            "counts": dict(self.counts),
            "insufficient_evidence": self.insufficient_evidence,
            "words": self.words,
            "content": self.content.to_dict() if self.content else None,
            "conversation": self.conversation.to_dict() if self.conversation else None,
            "customer_voice": [q.to_dict() for q in self.customer_voice],
            "mentions": [m.to_dict() for m in self.mentions],
            "excluded": [e.to_dict() for e in self.excluded],
            "sentences": [s.to_dict() for s in self.sentences],
            "meta": dict(self.meta),
            "inward": self.inward.to_dict() if self.inward else None,
            "plan": self.plan.to_dict() if self.plan else None,
            **({"text": self.text} if include_text else {}),
        }

    def _repr_html_(self) -> str:
        from .render import report_html

        html: str = report_html(self)
        return html

    def __repr__(self) -> str:
        share = "None" if self.customer_share is None else f"{self.customer_share:.2f}"
        return (
            f"Report(score={self.score:.1f}, band={self.band!r}, customer_share={share}, "
            f"mentions={len(self.mentions)}, sentences={len(self.sentences)})"
        )
