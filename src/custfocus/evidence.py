"""Turn an annotated spaCy ``Doc`` (or ``Span``) into a :class:`~custfocus.results.Report`.

The components store only msgpack-friendly data on the Doc (span groups and plain lists in
``doc.user_data["custfocus"]``), so Docs cross processes and ``DocBin``; the rich result
objects are built here, on demand.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from spacy.tokens import Doc, Span

from ._version import __version__
from .document import Document, Segment
from .inward import inward_language
from .matching import EXCLUSION_REASONS, side_of
from .plan import attach_plan, is_heading_like, plan_genre
from .results import ContentSummary, Cue, Exclusion, LazyTuple, Mention, Report, Sentence
from .scoring import ScoringConfig, naive_we_we, score_rows, wilson_interval
from .sentence_rules import FINAL_PUNCTUATION, RULE_KINDS, apply_rules
from .sentences import sentence_bounds
from .tokens import DocTokens, TokenTable

__all__ = ["USER_DATA_KEY", "build_report", "summarize_content", "summarize_rows"]

#: Key of the plain dict the components keep in ``doc.user_data``.
USER_DATA_KEY = "custfocus"
SPAN_GROUP = "custfocus"
EXCLUDED_GROUP = "custfocus_excluded"
FLAGS_GROUP = "custfocus_flags"
CUES_GROUP = "custfocus_cues"
#: Segment kinds that are headings for account-plan detection.
_HEAD_KINDS = frozenset({"title", "heading"})

SpeakerFilter = Callable[[Segment], bool]


def build_report(
    doc: Doc | Span,
    *,
    config: ScoringConfig | None = None,
    document: Document | None = None,
    is_scored: SpeakerFilter | None = None,
    text: str | None = None,
    tokens: DocTokens | None = None,
) -> Report:
    """Collect the evidence the components left on ``doc`` and score it.

    ``document`` maps offsets to segments (locations, speakers); segments for which
    ``is_scored`` is False (quoted replies, buyer speech) keep their sentences, marked
    ``scored=False``, and their mentions move to ``excluded`` under ``exclude.unscored``.
    ``text`` is ``doc.text`` and ``tokens`` the Doc's token arrays when the caller has them
    (spaCy rebuilds the text on every access; the Analyzer reads the arrays once per batch).

    The score is computed from plain columns; the Mention and Sentence objects behind it
    are built the first time ``report.mentions`` or ``report.sentences`` is read.
    """
    whole = doc.doc if isinstance(doc, Span) else doc
    lo_tok, hi_tok = (doc.start, doc.end) if isinstance(doc, Span) else (0, len(doc))
    base = doc.start_char if isinstance(doc, Span) else 0
    data: Mapping[str, Any] = whole.user_data.get(USER_DATA_KEY, {})
    cfg = config or ScoringConfig.from_dict(data.get("scoring", {}))
    full_text = text if text is not None and isinstance(doc, Doc) else whole.text
    text = full_text[base : doc.end_char] if isinstance(doc, Span) else full_text
    if tokens is None:
        tokens = TokenTable([whole], [full_text]).doc_tokens(0)
    tok_start, tok_end, word_cum = tokens

    # Sentences (whitespace-only ones dropped) and the labels the content component stored
    # in the same order as sentence_bounds(doc).
    labels: Sequence[Sequence[Any] | None] = data.get("sentences", ())
    all_bounds = data.get("bounds") or sentence_bounds(whole, full_text)
    if isinstance(doc, Doc):
        bounds = list(all_bounds)
        picked = list(labels[: len(bounds)]) + [None] * (len(bounds) - len(labels))
    else:
        keep = [k for k, b in enumerate(all_bounds) if b[1] > lo_tok and b[0] < hi_tok]
        bounds = [all_bounds[k] for k in keep]
        picked = [labels[k] if k < len(labels) else None for k in keep]
    sent_labels = [
        lab if lab and len(lab) == 5 else (*(lab or ()), None, None, None, None, None)[:5]
        for lab in picked
    ]
    sent_token_starts: list[int]
    if isinstance(doc, Span):
        arr = np.array(bounds, dtype=np.int64).reshape(-1, 4)
        arr[:, :2] = arr[:, :2].clip(lo_tok, hi_tok)
        arr[:, 2] = arr[:, 2].clip(base, None)
        arr[:, 3] = arr[:, 3].clip(None, base + len(text))
        sent_words = (word_cum[arr[:, 1]] - word_cum[arr[:, 0]]).tolist()
        c_starts, c_ends = arr[:, 2].tolist(), arr[:, 3].tolist()
        sent_token_starts = [b[0] for b in bounds]
    elif bounds:  # a whole Doc: its bounds as they are, transposed (no array per Doc)
        sent_token_starts, tok_ends, c_starts, c_ends = map(list, zip(*bounds, strict=True))
        cum = word_cum.tolist()
        sent_words = [cum[e] - cum[s] for s, e in zip(sent_token_starts, tok_ends, strict=True)]
    else:
        sent_token_starts, c_starts, c_ends, sent_words = [], [], [], []

    def sentence_index(tok: int) -> int:
        return max(bisect_right(sent_token_starts, tok) - 1, 0)

    def segment(char: int) -> Segment | None:
        if document is None:
            return None
        i = document.segment_at(char)
        return None if i is None else document.segments[i]

    def scored(seg: Segment | None) -> bool:
        return seg is None or (seg.scored and (is_scored is None or is_scored(seg)))

    def columns(group: str) -> list[tuple[int, int, int, str]]:
        """(token start, char start, char end, rule) inside the doc or span."""
        starts, ends, rules = data.get("evidence", {}).get(group, ((), (), ()))
        if not isinstance(doc, Doc):
            inside = [
                (s, e, r) for s, e, r in zip(starts, ends, rules, strict=True)
                if lo_tok <= s and e <= hi_tok
            ]  # fmt: skip
            starts, ends, rules = ([c[k] for c in inside] for k in range(3))
        if not starts:
            return []
        c0 = tok_start[np.asarray(starts)].tolist()  # one numpy call per group, not per span
        c1 = tok_end[np.asarray(ends) - 1].tolist()
        return list(zip(starts, c0, c1, rules, strict=True))

    counted = columns("counted")
    if document is not None:  # mentions in text that is not the seller's are excluded
        unscored = [c for c in counted if not scored(segment(c[1]))]
        counted = [c for c in counted if scored(segment(c[1]))]
    else:
        unscored = []
    excluded_cols = columns("excluded")
    superlatives: dict[int, list[tuple[int, int]]] = {}
    sent_flags: dict[int, set[str]] = {}
    for s, c0, c1, rule in columns("flags"):
        if rule == "flag.superlative":
            superlatives.setdefault(sentence_index(s), []).append((c0, c1))
        elif rule != "feature.product":
            sent_flags.setdefault(sentence_index(s), set()).add(rule)
    segs = [segment(c) for c in c_starts] if document else [None] * len(bounds)
    sent_scored = [scored(seg) for seg in segs] if document else [True] * len(bounds)

    # Sentence rules correct the model where a rule decides (headings, instructions,
    # stuffing, listening moves); each corrected sentence names its rule.
    sent_rules: list[str | None] = [None] * len(bounds)
    for i, lab in enumerate(sent_labels):
        if lab[0] is None:
            continue
        seg = segs[i]
        if (
            i not in sent_flags
            and (seg is None or seg.kind not in RULE_KINDS)
            and full_text[c_ends[i] - 1 : c_ends[i]] in FINAL_PUNCTUATION
        ):
            continue  # the common case: a punctuated sentence no rule flagged
        fixed, rule_name = apply_rules(
            lab, full_text[c_starts[i] : c_ends[i]], seg.kind if seg else None,
            sent_flags.get(i, ()), i in superlatives,
        )  # fmt: skip
        if rule_name is not None:
            sent_labels[i] = tuple(fixed)
            sent_rules[i] = rule_name

    # The score, from columns.
    weights = cfg.rule_weights
    mention_sentence = (
        np.maximum(
            np.searchsorted(sent_token_starts, [c[0] for c in counted], side="right") - 1, 0
        ).tolist()
        if counted
        else []
    )
    # A few rules recur: look each one's side and weight up once.
    rule_info = {r: (side_of(r), float(weights.get(r, 1.0))) for r in {c[3] for c in counted}}
    pairs = [(*rule_info[c[3]], k) for c, k in zip(counted, mention_sentence, strict=True)]
    sides: dict[str, int] = {"customer": 0, "self": 0, "shared": 0}
    # Mentions with a weight above 0 per sentence, by side.
    per_sentence: dict[str, list[int]] = {"customer": [0] * len(bounds), "self": [0] * len(bounds)}
    for side, w, k in pairs:
        if w > 0:  # weight 0: evidence, not focus
            sides[side] = sides.get(side, 0) + 1
            if side in per_sentence and k < len(bounds):
                per_sentence[side][k] += 1
    n_sent = len(sent_labels)
    label_col, _, question_col, form_col, spin_col = (
        zip(*sent_labels, strict=True) if n_sent else ((),) * 5
    )
    rows = list(
        zip(
            sent_scored, label_col, spin_col, form_col, sent_rules, per_sentence["customer"],
            sent_words, strict=True,
        )
    )  # fmt: skip
    result = score_rows(pairs, rows, cfg)
    n_customer, n_self = sides["customer"], sides["self"]
    naive = data.get("naive", {})
    if isinstance(doc, Span):
        naive_c = _count_in(naive.get("customer", ()), lo_tok, hi_tok)
        naive_s = _count_in(naive.get("self", ()), lo_tok, hi_tok)
    else:  # every index is in the Doc
        naive_c, naive_s = len(naive.get("customer", ())), len(naive.get("self", ()))
    has_labels = any(label is not None for label in label_col)
    content = None
    if has_labels:
        n_superlatives = [0] * n_sent
        for k, found in superlatives.items():
            n_superlatives[k] = len(found)
        content = summarize_rows(
            zip(
                range(n_sent), sent_scored, label_col, sent_words, question_col, form_col,
                spin_col, n_superlatives, strict=True,
            )
        )  # fmt: skip

    # The objects behind the score, built on first use.
    def make_mentions() -> tuple[Mention, ...]:
        out = []
        for (_, c0, c1, rule), (side, weight, k) in zip(counted, pairs, strict=True):
            seg = segment(c0)
            out.append(
                Mention(
                    full_text[c0:c1], c0 - base, c1 - base, side, rule.split(".", 1)[1], rule,
                    weight, k, seg.location if seg else None,
                    seg.speaker if seg else None,
                )
            )  # fmt: skip
        return tuple(out)

    def make_excluded() -> tuple[Exclusion, ...]:
        out = []
        reason = EXCLUSION_REASONS["exclude.unscored"]
        for _, c0, c1, _ in unscored:
            seg = segment(c0)
            loc = seg.location if seg else None
            out.append(
                Exclusion(full_text[c0:c1], c0 - base, c1 - base, "exclude.unscored", reason, loc)
            )
        for _, c0, c1, rule in excluded_cols:
            seg = segment(c0)
            out.append(
                Exclusion(
                    full_text[c0:c1], c0 - base, c1 - base, rule,
                    EXCLUSION_REASONS.get(rule, rule), seg.location if seg else None,
                )
            )  # fmt: skip
        return tuple(sorted(out, key=lambda e: e.start))

    def make_sentences() -> tuple[Sentence, ...]:
        out = []
        for i, (c0, c1) in enumerate(zip(c_starts, c_ends, strict=True)):
            seg = segment(c0)
            label, conf, is_q, form, spin = sent_labels[i]
            in_customer = per_sentence["customer"][i]
            in_self = per_sentence["self"][i]
            sups = tuple(full_text[a:b] for a, b in superlatives.get(i, ()))
            out.append(
                Sentence(
                    i, full_text[c0:c1], c0 - base, c1 - base, sent_words[i], label, conf, is_q,
                    form, spin, sups, in_customer, in_self,
                    seg.location if seg else None, seg.speaker if seg else None, sent_scored[i],
                    sent_rules[i],
                )
            )  # fmt: skip
        return tuple(out)

    # Topic cues (process vocabulary, account-plan cues): inward-out figures always, plan
    # coverage when the headings say the text is an account plan.
    cue_cols = columns("cues")
    cue_sentence = [sentence_index(c[0]) for c in cue_cols]
    scored_words = sum(w for w, sc in zip(sent_words, sent_scored, strict=True) if sc)

    def make_cues() -> tuple[Cue, ...]:
        out = []
        for (_, c0, c1, rule), k in zip(cue_cols, cue_sentence, strict=True):
            seg = segment(c0)
            out.append(
                Cue(
                    full_text[c0:c1], c0 - base, c1 - base, rule, k,
                    full_text[c_starts[k] : c_ends[k]], seg.location if seg else None,
                    sent_scored[k],
                )
            )  # fmt: skip
        return tuple(out)

    cues = LazyTuple(make_cues)
    inward = inward_language(
        (c[3] for c, k in zip(cue_cols, cue_sentence, strict=True) if sent_scored[k]),
        scored_words,
        n_customer,
        LazyTuple(lambda: tuple(c for c in cues if c.scored and c.rule.startswith("process."))),
    )
    cue_rules: dict[int, set[str]] = {}
    for c, k in zip(cue_cols, cue_sentence, strict=True):
        cue_rules.setdefault(k, set()).add(c[3])
    head_idx: list[int] = []
    if document is not None:  # the reader knows its headings and titles, if any
        head_idx = [
            i
            for i, seg in enumerate(segs)
            if sent_rules[i] == "heading" or (seg is not None and seg.kind in _HEAD_KINDS)
        ]
    known_heads = bool(head_idx)
    if not known_heads:  # plain text: a short line without final punctuation
        head_idx = [
            i
            for i in range(len(bounds))
            if sent_rules[i] == "heading"
            or (sent_words[i] <= 10 and is_heading_like(full_text[c_starts[i] : c_ends[i]]))
        ]
    looks_like_plan = (
        plan_genre((full_text[c_starts[i] : c_ends[i]], cue_rules.get(i, ())) for i in head_idx)
        is not None
    )

    report = Report(
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
            "excluded": len(unscored) + len(excluded_cols),
            "naive_customer_words": naive_c,
            "naive_self_words": naive_s,
        },
        insufficient_evidence=n_customer + n_self < cfg.min_mentions,
        mentions=LazyTuple(make_mentions),
        excluded=LazyTuple(make_excluded),
        sentences=LazyTuple(make_sentences),
        lexicon_version=str(data.get("lexicon_version", "unknown")),
        version=__version__,
        content=content,
        path=document.path if document else None,
        format=document.format if document else None,
        words=int(word_cum[hi_tok] - word_cum[lo_tok]),
        meta={"model": data.get("model")} if data.get("model") else {},
        cues=cues,
        inward=inward,
    )
    if looks_like_plan:
        return attach_plan(report, headings=head_idx if known_heads else None)
    return report


def _count_in(indices: Sequence[int], lo: int, hi: int) -> int:
    if not len(indices):
        return 0
    arr = np.asarray(indices)
    return int(((arr >= lo) & (arr < hi)).sum())


def summarize_content(sentences: Sequence[Sentence]) -> ContentSummary:
    """Shares of each label (by sentence and by words) over scored, labelled sentences."""
    return summarize_rows(
        (s.index, s.scored, s.label, s.words, s.is_question, s.question_form, s.spin,
         len(s.superlatives))
        for s in sentences
    )  # fmt: skip


#: (index, scored, label, words, is_question, form, spin, superlatives) of one sentence.
SummaryRow = tuple[int, bool, "str | None", int, "bool | None", "str | None", "str | None", int]


def summarize_rows(rows: Iterable[SummaryRow]) -> ContentSummary:
    """:func:`summarize_content` over plain rows (the definitions live here)."""
    # Plain dicts, not Counters: this runs once per report, and Counter() costs more to
    # build than the loop below on a typical document.
    n = words = 0
    by_label: dict[str, int] = {}
    words_by_label: dict[str, int] = {}
    forms: dict[str, int] = {}
    spins: dict[str, int] = {}
    questions = superlatives = 0
    first_pitch = first_disc = None
    for index, scored, label, n_words, is_q, form, spin, n_sup in rows:
        if not scored or label is None:
            continue
        n += 1
        words += n_words
        by_label[label] = by_label.get(label, 0) + 1
        words_by_label[label] = words_by_label.get(label, 0) + n_words
        superlatives += n_sup
        if label == "pitch" and first_pitch is None:
            first_pitch = index
        if is_q:
            questions += 1
            if form:
                forms[form] = forms.get(form, 0) + 1
            if label == "discovery":
                if first_disc is None:
                    first_disc = index
                if spin:
                    spins[spin] = spins.get(spin, 0) + 1
    if first_pitch is None:
        before = None if first_disc is None else False
    else:
        before = first_disc is None or first_pitch < first_disc

    def share(label: str) -> float | None:
        return by_label.get(label, 0) / n if n else None

    def share_words(label: str) -> float | None:
        return words_by_label.get(label, 0) / words if words else None

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
