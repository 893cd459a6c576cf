"""Turn an annotated spaCy ``Doc`` (or ``Span``) into a :class:`~custfocus.results.Report`.

The components store only msgpack-friendly data on the Doc (span groups and plain lists in
``doc.user_data["custfocus"]``), so Docs cross processes and ``DocBin``; the rich result
objects are built here, on demand.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH
from spacy.tokens import Doc, Span

from ._version import __version__
from .document import Document, Segment
from .matching import EXCLUSION_REASONS, side_of
from .results import ContentSummary, Exclusion, Mention, Report, Sentence
from .scoring import ScoringConfig, naive_we_we, score_evidence, wilson_interval
from .sentences import sentence_bounds

__all__ = ["USER_DATA_KEY", "build_report", "summarize_content"]

#: Key of the plain dict the components keep in ``doc.user_data``.
USER_DATA_KEY = "custfocus"
SPAN_GROUP = "custfocus"
EXCLUDED_GROUP = "custfocus_excluded"
FLAGS_GROUP = "custfocus_flags"

SpeakerFilter = Callable[[Segment], bool]
_NONE5: tuple[None, None, None, None, None] = (None, None, None, None, None)


def build_report(
    doc: Doc | Span,
    *,
    config: ScoringConfig | None = None,
    document: Document | None = None,
    is_scored: SpeakerFilter | None = None,
    text: str | None = None,
) -> Report:
    """Collect the evidence the components left on ``doc`` and score it.

    ``document`` maps offsets to segments (locations, speakers); segments for which
    ``is_scored`` is False (quoted replies, buyer speech) keep their sentences, marked
    ``scored=False``, and their mentions move to ``excluded`` under ``exclude.unscored``.
    ``text`` is ``doc.text`` when the caller has it (spaCy rebuilds it on every access).
    """
    whole = doc.doc if isinstance(doc, Span) else doc
    lo_tok, hi_tok = (doc.start, doc.end) if isinstance(doc, Span) else (0, len(doc))
    base = doc.start_char if isinstance(doc, Span) else 0
    data: Mapping[str, Any] = whole.user_data.get(USER_DATA_KEY, {})
    cfg = config or ScoringConfig.from_dict(data.get("scoring", {}))
    full_text = text if text is not None and isinstance(doc, Doc) else whole.text
    text = full_text[base : doc.end_char] if isinstance(doc, Span) else full_text
    arr = whole.to_array([IDX, LENGTH, IS_PUNCT, IS_SPACE]).reshape(-1, 4)
    tok_start = arr[:, 0].astype(np.int64)
    tok_end = tok_start + arr[:, 1]
    is_word = (arr[:, 2] == 0) & (arr[:, 3] == 0)
    word_cum = np.concatenate([[0], np.cumsum(is_word)])

    def seg_of(char: int) -> Segment | None:
        if document is None:
            return None
        i = document.segment_at(char)
        return None if i is None else document.segments[i]

    def scored(seg: Segment | None) -> bool:
        if seg is None:
            return True
        return seg.scored and (is_scored is None or is_scored(seg))

    # Sentences (whitespace-only ones dropped), with the labels the content component
    # stored in the same order as sentence_bounds(doc).
    labels: Sequence[Sequence[Any] | None] = data.get("sentences", ())
    bounds = [
        (k, b)
        for k, b in enumerate(data.get("bounds") or sentence_bounds(whole, full_text))
        if b[1] > lo_tok and b[0] < hi_tok
    ]
    sent_token_starts = [b[0] for _, b in bounds]

    def sentence_index(tok: int) -> int:
        return max(bisect_right(sent_token_starts, tok) - 1, 0)

    def spans(group: str) -> Iterator[tuple[int, int, int, int, str]]:
        """(token start, token end, char start, char end, rule) inside the doc or span."""
        starts, ends, rules = data.get("evidence", {}).get(group, ((), (), ()))
        for s, e, r in zip(starts, ends, rules, strict=True):
            if lo_tok <= s and e <= hi_tok:
                yield s, e, int(tok_start[s]), int(tok_end[e - 1]), r

    rule_weights = cfg.rule_weights
    mentions: list[Mention] = []
    excluded: list[Exclusion] = []
    for s, _, c0, c1, rule in spans("counted"):
        seg = seg_of(c0)
        loc = seg.location if seg else None
        if not scored(seg):
            reason = EXCLUSION_REASONS["exclude.unscored"]
            excluded.append(
                Exclusion(full_text[c0:c1], c0 - base, c1 - base, "exclude.unscored", reason, loc)
            )
            continue
        mentions.append(
            Mention(
                text=full_text[c0:c1],
                start=c0 - base,
                end=c1 - base,
                side=side_of(rule),
                category=rule.split(".", 1)[1],
                rule=rule,
                weight=float(rule_weights.get(rule, 1.0)),
                sentence=sentence_index(s),
                location=loc,
                speaker=seg.speaker if seg else None,
            )
        )
    for _, _, c0, c1, rule in spans("excluded"):
        seg = seg_of(c0)
        excluded.append(
            Exclusion(
                full_text[c0:c1],
                c0 - base,
                c1 - base,
                rule,
                EXCLUSION_REASONS.get(rule, rule),
                seg.location if seg else None,
            )
        )
    excluded.sort(key=lambda e: e.start)

    superlatives: dict[int, list[str]] = {}
    for s, _, c0, c1, rule in spans("flags"):
        if rule == "flag.superlative":
            superlatives.setdefault(sentence_index(s), []).append(full_text[c0:c1])
    per_sentence = Counter((m.sentence, m.side) for m in mentions)

    sentences: list[Sentence] = []
    end_text = base + len(text)
    t_starts = np.array([b[0] for _, b in bounds], dtype=np.int64).clip(lo_tok, hi_tok)
    t_ends = np.array([b[1] for _, b in bounds], dtype=np.int64).clip(lo_tok, hi_tok)
    word_counts = (word_cum[t_ends] - word_cum[t_starts]).tolist() if bounds else []
    no_segment = document is None
    for i, (k, (_, _, c0, c1)) in enumerate(bounds):
        c0, c1 = max(c0, base), min(c1, end_text)
        seg = None if no_segment else seg_of(c0)
        lab = labels[k] if k < len(labels) else None
        label, conf, is_q, form, spin = (*lab, None, None, None, None, None)[:5] if lab else _NONE5
        sup = superlatives.get(i)
        sentences.append(
            Sentence(
                i,
                full_text[c0:c1],
                c0 - base,
                c1 - base,
                word_counts[i],
                label,
                conf,
                is_q,
                form,
                spin,
                tuple(sup) if sup else (),
                per_sentence[(i, "customer")],
                per_sentence[(i, "self")],
                seg.location if seg else None,
                seg.speaker if seg else None,
                True if seg is None else scored(seg),
            )
        )

    # Zero-weight mentions (agentive "I'll make sure...") are evidence, not self-focus.
    sides = Counter(m.side for m in mentions if m.weight > 0)
    n_customer, n_self = sides["customer"], sides["self"]
    naive = data.get("naive", {})
    naive_c = _count_in(naive.get("customer", ()), lo_tok, hi_tok)
    naive_s = _count_in(naive.get("self", ()), lo_tok, hi_tok)
    result = score_evidence(mentions, sentences, cfg)
    has_labels = any(s.label is not None for s in sentences)
    return Report(
        text=text,
        score=result.score,
        components=result.components,
        customer_share=n_customer / (n_customer + n_self) if n_customer + n_self else None,
        customer_share_interval=wilson_interval(n_customer, n_customer + n_self, cfg.confidence),
        naive_we_we=naive_we_we(naive_c, naive_s),
        counts={
            "customer": n_customer,
            "self": n_self,
            "shared": sides["shared"],
            "excluded": len(excluded),
            "naive_customer_words": naive_c,
            "naive_self_words": naive_s,
        },
        insufficient_evidence=n_customer + n_self < cfg.min_mentions,
        mentions=tuple(mentions),
        excluded=tuple(excluded),
        sentences=tuple(sentences),
        lexicon_version=str(data.get("lexicon_version", "unknown")),
        version=__version__,
        content=summarize_content(sentences) if has_labels else None,
        path=document.path if document else None,
        format=document.format if document else None,
        words=int(word_cum[hi_tok] - word_cum[lo_tok]),
        meta={"model": data.get("model")} if data.get("model") else {},
    )


def _count_in(indices: Sequence[int], lo: int, hi: int) -> int:
    if not len(indices):
        return 0
    arr = np.asarray(indices)
    return int(((arr >= lo) & (arr < hi)).sum())


def summarize_content(sentences: Sequence[Sentence]) -> ContentSummary:
    """Shares of each label (by sentence and by words) over scored, labelled sentences."""
    n = words = 0
    by_label: Counter[str] = Counter()
    words_by_label: Counter[str] = Counter()
    forms: Counter[str] = Counter()
    spins: Counter[str] = Counter()
    questions = superlatives = 0
    first_pitch = first_disc = None
    for s in sentences:
        if not s.scored or s.label is None:
            continue
        n += 1
        words += s.words
        by_label[s.label] += 1
        words_by_label[s.label] += s.words
        superlatives += len(s.superlatives)
        if s.label == "pitch" and first_pitch is None:
            first_pitch = s.index
        if s.is_question:
            questions += 1
            if s.question_form:
                forms[s.question_form] += 1
            if s.label == "discovery":
                if first_disc is None:
                    first_disc = s.index
                if s.spin:
                    spins[s.spin] += 1
    if first_pitch is None:
        before = None if first_disc is None else False
    else:
        before = first_disc is None or first_pitch < first_disc

    def share(label: str) -> float | None:
        return by_label[label] / n if n else None

    def share_words(label: str) -> float | None:
        return words_by_label[label] / words if words else None

    return ContentSummary(
        sentences=n,
        discovery_share=share("discovery"),
        value_share=share("value"),
        pitch_share=share("pitch"),
        discovery_share_words=share_words("discovery"),
        value_share_words=share_words("value"),
        pitch_share_words=share_words("pitch"),
        questions=questions,
        questions_by_form=dict(forms),
        questions_by_spin=dict(spins),
        superlatives=superlatives,
        first_pitch=first_pitch,
        first_discovery_question=first_disc,
        pitch_before_discovery=before,
    )
