"""spaCy components: drop custfocus into any spaCy pipeline.

Registered through the ``spacy_factories`` entry points, so a saved pipeline loads in a fresh
process without importing custfocus first::

    nlp = spacy.blank("en")
    nlp.add_pipe("custfocus_sentences")
    nlp.add_pipe("custfocus_references", config={"seller": ["Acme"], "customer": ["Globex"]})
    doc = nlp("Thank you, Globex. Our platform saves your team hours.")
    doc._.custfocus.score              # a Report, built on demand
    list(doc.sents)[1]._.custfocus     # the same figures for one sentence (or any Span)

The components store only plain data on the Doc (the labelled span groups ``custfocus``,
``custfocus_excluded``, ``custfocus_flags``, ``custfocus_cues`` and a plain dict in
``doc.user_data["custfocus"]``), so Docs survive ``nlp.pipe(n_process=2)`` and ``DocBin``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span

from .evidence import (
    CUES_GROUP,
    EXCLUDED_GROUP,
    FLAGS_GROUP,
    SPAN_GROUP,
    USER_DATA_KEY,
    build_report,
)
from .lexicon import LexiconSet, load_lexicon_file, load_lexicons
from .matching import ReferenceMatcher
from .model import ContentModel, load_model
from .results import Report
from .scoring import ScoringConfig
from .sentences import SentenceSplitter
from .tokens import Bounds, TokenTable, batched

__all__ = [
    "ContentComponent",
    "ReferenceComponent",
    "SentenceSplitter",
    "make_content",
    "make_references",
    "make_sentences",
]


class ReferenceComponent:
    """Marks customer, self and shared references (and exclusions) on each Doc."""

    def __init__(
        self,
        nlp: Language,
        name: str = "custfocus_references",
        *,
        seller: Sequence[str] = (),
        customer: Sequence[str] = (),
        lexicons: Sequence[str] = (),
        extra_terms: Mapping[str, Sequence[str]] | None = None,
        scoring: Mapping[str, Any] | None = None,
    ) -> None:
        self.nlp = nlp
        self.name = name
        self.seller = list(seller)
        self.customer = list(customer)
        self.scoring = ScoringConfig.from_dict(scoring or {})
        self.extra_terms = {k: list(v) for k, v in (extra_terms or {}).items()}
        for path in lexicons:
            lex = load_lexicon_file(path)
            self.extra_terms.setdefault(lex.rule, []).extend(lex.terms)
        self._build()

    def _build(self) -> None:
        self.lexicons = load_lexicons(extra_terms=self.extra_terms)
        self.matcher = ReferenceMatcher(self.nlp, self.lexicons, self.seller, self.customer)
        self._data = {
            "lexicon_version": self.lexicons.version,
            "scoring": self.scoring.to_dict(),
        }

    def add_terms(self, rule: str, terms: Iterable[str]) -> None:
        """Extend a lexicon rule with more terms (e.g. ``"self.noun"``, ``["our widget"]``)."""
        self.extra_terms.setdefault(rule, []).extend(terms)
        self._build()

    def __call__(self, doc: Doc) -> Doc:
        return self.process(TokenTable([doc]))[0]

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for batch in batched(stream, batch_size):
            yield from self.process(TokenTable(batch))

    def process(self, table: TokenTable, *, span_groups: bool = True) -> list[Doc]:
        """Annotate every Doc of a batch; sentence starts come from ``table``.

        The evidence is kept as plain lists in ``doc.user_data`` (fast to read back and
        msgpack-friendly); ``span_groups`` also sets the labelled ``doc.spans`` groups,
        which only callers who see the Docs need.
        """
        starts = np.flatnonzero(table.read_sentence_starts())
        cuts = np.searchsorted(starts, table.offsets).tolist()
        offsets = table.offsets.tolist()
        naive = self.matcher.naive_flags(table.lower, table.offsets)
        sent_starts = [
            (starts[cuts[i] : cuts[i + 1]] - offsets[i]).tolist() for i in range(len(table.docs))
        ]
        results = self.matcher.match_table(table, sent_starts)  # lazily, Doc by Doc
        for i, (doc, result) in enumerate(zip(table.docs, results, strict=True)):
            if span_groups:
                doc.spans[SPAN_GROUP] = [Span(doc, s, e, r) for s, e, r in result.counted]
                doc.spans[EXCLUDED_GROUP] = [Span(doc, s, e, r) for s, e, r in result.excluded]
                doc.spans[FLAGS_GROUP] = [Span(doc, s, e, r) for s, e, r in result.flags]
                doc.spans[CUES_GROUP] = [Span(doc, s, e, r) for s, e, r in result.cues]
            data = dict(doc.user_data.get(USER_DATA_KEY, {}))
            data.update(self._data)
            data["naive"] = naive[i]
            data["evidence"] = {
                "counted": _columns(result.counted),
                "excluded": _columns(result.excluded),
                "flags": _columns(result.flags),
                "cues": _columns(result.cues),
                "names": _columns(result.names),
            }
            doc.user_data[USER_DATA_KEY] = data
        return table.docs

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "extra_terms.json").write_text(json.dumps(self.extra_terms, indent=1), "utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> ReferenceComponent:
        file = Path(path) / "extra_terms.json"
        if file.exists():
            self.extra_terms = json.loads(file.read_text("utf-8"))
            self._build()
        return self


class ContentComponent:
    """Labels every sentence (discovery/value/pitch/other, question, form, SPIN type).

    Runs after ``custfocus_references`` (it uses the mention counts as features) and
    classifies a whole batch of Docs with one featurisation and one prediction per head.
    """

    def __init__(
        self,
        nlp: Language,
        name: str = "custfocus_content",
        *,
        model: str | None = None,
        content_model: ContentModel | None = None,
        lexicons: LexiconSet | None = None,
    ) -> None:
        self.nlp = nlp
        self.name = name
        self.model = content_model or load_model(model)
        self.lexicons = lexicons
        self._model_id = str(self.model.metadata.get("model_sha256", "unknown"))[:12]

    def __call__(self, doc: Doc) -> Doc:
        return self.process([doc])[0]

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for batch in batched(stream, batch_size):
            yield from self.process(batch)

    def process(self, docs: Sequence[Doc], texts: Sequence[str] | None = None) -> list[Doc]:
        """Classify all sentences of ``docs`` at once (``texts`` = their texts, if known)."""
        table = TokenTable(docs, texts)
        return self.process_table(table, table.sentence_bounds())

    def process_table(self, table: TokenTable, bounds: Sequence[Sequence[Bounds]]) -> list[Doc]:
        """Classify the sentences ``bounds`` of every Doc in ``table``: one featurisation
        and one prediction for the batch. Stores labels and bounds in ``doc.user_data``."""
        offsets = table.offsets.tolist()
        spans = np.array(
            [(offsets[i] + b[0], offsets[i] + b[1]) for i, bs in enumerate(bounds) for b in bs],
            dtype=np.int64,
        ).reshape(-1, 2)
        preds = self.model.predict_table(table, spans, self.nlp, self.lexicons)
        pos = 0
        for doc, doc_bounds in zip(table.docs, bounds, strict=True):
            n = len(doc_bounds)
            data = dict(doc.user_data.get(USER_DATA_KEY, {}))
            data["sentences"] = preds[pos : pos + n]
            data["bounds"] = list(doc_bounds)
            data["model"] = self._model_id
            doc.user_data[USER_DATA_KEY] = data
            pos += n
        return table.docs


@Language.factory(
    "custfocus_sentences",
    assigns=["token.is_sent_start"],
)
def make_sentences(nlp: Language, name: str) -> SentenceSplitter:
    """Rule-based sentence boundaries at punctuation and line breaks (no model needed)."""
    return SentenceSplitter(nlp, name)


@Language.factory(
    "custfocus_references",
    assigns=["doc.spans", "doc._.custfocus", "span._.custfocus"],
    requires=["token.is_sent_start"],
    default_config={"seller": [], "customer": [], "scoring": {}},
)
def make_references(
    nlp: Language,
    name: str,
    seller: list[str],
    customer: list[str],
    scoring: dict[str, Any],
) -> ReferenceComponent:
    """Customer/self/shared references as the span group ``doc.spans["custfocus"]``.

    Sets ``Doc._.custfocus`` and ``Span._.custfocus`` (getters returning a Report).
    """
    return ReferenceComponent(nlp, name, seller=seller, customer=customer, scoring=scoring)


@Language.factory(
    "custfocus_content",
    assigns=["doc._.custfocus", "span._.custfocus"],
    requires=["token.is_sent_start"],
    default_config={"model": None},
)
def make_content(nlp: Language, name: str, model: str | None) -> ContentComponent:
    """Sentence labels from the packaged content model, or the model file you name.

    Add it after ``custfocus_references``. A joblib model runs code when loaded: only name
    files you trust.
    """
    return ContentComponent(nlp, name, model=model)


def _columns(spans: list[tuple[int, int, str]]) -> list[list[Any]]:
    """``[starts, ends, rules]`` of ``(start, end, rule)`` spans (transposed in C)."""
    return [list(c) for c in zip(*spans, strict=True)] if spans else [[], [], []]


def _report_getter(obj: Doc | Span) -> Report:
    return build_report(obj)


def _register_extensions() -> None:
    getter: Callable[[Any], Report] = _report_getter
    if not Doc.has_extension("custfocus"):
        Doc.set_extension("custfocus", getter=getter)
    if not Span.has_extension("custfocus"):
        Span.set_extension("custfocus", getter=getter)


_register_extensions()
