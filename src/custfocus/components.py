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
``custfocus_excluded``, ``custfocus_flags`` and a plain dict in ``doc.user_data["custfocus"]``),
so Docs survive ``nlp.pipe(n_process=2)`` and ``DocBin``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from .evidence import EXCLUDED_GROUP, FLAGS_GROUP, SPAN_GROUP, USER_DATA_KEY, build_report
from .lexicon import LexiconSet, load_lexicon_file, load_lexicons
from .matching import ReferenceMatcher
from .model import ContentModel, load_model
from .results import Report
from .scoring import ScoringConfig
from .sentences import SentenceSplitter, sentence_bounds

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
        result = self.matcher(doc)
        doc.spans[SPAN_GROUP] = [Span(doc, s, e, label=r) for s, e, r in result.counted]
        doc.spans[EXCLUDED_GROUP] = [Span(doc, s, e, label=r) for s, e, r in result.excluded]
        doc.spans[FLAGS_GROUP] = [Span(doc, s, e, label=r) for s, e, r in result.flags]
        data = dict(doc.user_data.get(USER_DATA_KEY, {}))
        data.update(self._data)
        data["naive"] = self.matcher.naive_positions(doc)
        # The same evidence as plain lists: fast to read back, and msgpack-friendly.
        data["evidence"] = {
            "counted": _columns(result.counted),
            "excluded": _columns(result.excluded),
            "flags": _columns(result.flags),
        }
        doc.user_data[USER_DATA_KEY] = data
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in stream:
            yield self(doc)

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

    def process(self, docs: Sequence[Doc], texts: Sequence[str] | None = None) -> Sequence[Doc]:
        """Classify all sentences of ``docs`` at once (``texts`` = their texts, if known)."""
        refs: list[tuple[Doc, int, int]] = []
        counts = []
        bounds_per_doc = []
        for i, doc in enumerate(docs):
            bounds = sentence_bounds(doc, texts[i] if texts is not None else None)
            bounds_per_doc.append(bounds)
            counts.append(len(bounds))
            refs.extend((doc, s, e) for s, e, _, _ in bounds)
        preds = self.model.predict_refs(refs, self.nlp, self.lexicons)
        pos = 0
        for i, (doc, n) in enumerate(zip(docs, counts, strict=True)):
            data = dict(doc.user_data.get(USER_DATA_KEY, {}))
            data["sentences"] = preds[pos : pos + n]
            data["bounds"] = bounds_per_doc[i]
            data["model"] = self._model_id
            doc.user_data[USER_DATA_KEY] = data
            pos += n
        return docs

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        batch: list[Doc] = []
        for doc in stream:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self.process(batch)
                batch = []
        if batch:
            yield from self.process(batch)


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
    return [[s for s, _, _ in spans], [e for _, e, _ in spans], [r for _, _, r in spans]]


def _report_getter(obj: Doc | Span) -> Report:
    return build_report(obj)


def _register_extensions() -> None:
    getter: Callable[[Any], Report] = _report_getter
    if not Doc.has_extension("custfocus"):
        Doc.set_extension("custfocus", getter=getter)
    if not Span.has_extension("custfocus"):
        Span.set_extension("custfocus", getter=getter)


_register_extensions()
