"""The scoring API: configure an :class:`Analyzer` once, score many texts.

The Analyzer runs the caller's spaCy pipeline (or a blank English one) for tokens and
sentences, then custfocus's own stages on the resulting Docs. It never adds components to a
pipeline it was given.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .components import ContentComponent, ReferenceComponent
from .conversation import analyse_conversation, infer_roles
from .document import Document
from .evidence import USER_DATA_KEY, build_report
from .lexicon import LexiconSet
from .model import ContentModel, load_model
from .results import Report
from .scoring import ScoringConfig, score_evidence
from .sentences import SentenceSplitter
from .tokens import DocTokens, LexemeAttrs, TokenTable, batched

__all__ = ["Analyzer", "score", "score_file"]

_SENTENCE_PIPES = ("parser", "senter", "sentencizer", "custfocus_sentences")
#: Blank pipelines hold no parser, so long texts are safe to tokenise whole.
_BLANK_MAX_LENGTH = 100_000_000
#: Analyzers with a file's own names kept by :meth:`Analyzer.with_names` (one per account).
_NAMED_CACHE = 64


class Analyzer:
    """Score texts for customer focus with one configuration.

    >>> analyzer = Analyzer(seller=["Acme"], customer=["Globex"])
    >>> report = analyzer.score("We at Acme help your team. Globex's reps save hours.")
    >>> report.counts["customer"], report.counts["self"]
    (2, 2)

    ``nlp`` is ``None`` (a blank English pipeline with rule-based sentences: no model
    download), a loaded :class:`spacy.Language`, or an installed pipeline's name.
    ``lexicons`` are extra lexicon files and ``extra_terms`` maps rule ids to extra terms.
    ``model`` is ``"default"`` (the packaged content model, hash-checked), ``None``
    (reference focus only, no sentence labels), a loaded :class:`ContentModel`, or the path of
    a model you trained: a joblib file runs code when loaded, so name only files you trust.
    """

    def __init__(
        self,
        seller: Sequence[str] = (),
        customer: Sequence[str] = (),
        *,
        nlp: Language | str | None = None,
        lexicons: Sequence[str | os.PathLike[str]] = (),
        extra_terms: Mapping[str, Sequence[str]] | None = None,
        config: ScoringConfig | Mapping[str, Any] | None = None,
        model: str | os.PathLike[str] | ContentModel | None = "default",
    ) -> None:
        if isinstance(seller, str) or isinstance(customer, str):
            raise TypeError("seller and customer take a list of names, not a single string")
        self.seller = tuple(seller)
        self.customer = tuple(customer)
        if config is None:
            config = ScoringConfig()
        elif not isinstance(config, ScoringConfig):
            config = ScoringConfig.from_dict(config)
        self.config: ScoringConfig = config
        self.nlp = _resolve_nlp(nlp)
        self._lexemes = LexemeAttrs(self.nlp.vocab)
        needs_sentences = not any(p in self.nlp.pipe_names for p in _SENTENCE_PIPES)
        self._sentences = SentenceSplitter(self.nlp) if needs_sentences else None
        self._references = ReferenceComponent(
            self.nlp,
            seller=self.seller,
            customer=self.customer,
            lexicons=[os.fspath(p) for p in lexicons],
            extra_terms=extra_terms,
            scoring=self.config.to_dict(),
        )
        self._content: ContentComponent | None = None
        if model is not None:
            if isinstance(model, ContentModel):
                loaded = model
            else:
                loaded = load_model(None if model == "default" else os.fspath(model))
            self._content = ContentComponent(
                self.nlp, content_model=loaded, lexicons=self._references.lexicons
            )

    def with_names(self, seller: Sequence[str] = (), customer: Sequence[str] = ()) -> Analyzer:
        """This analyzer with more seller and customer names (a file's own, say).

        The copy shares the pipeline, lexicons, lexicon matchers and content model; only a
        small matcher of the names is built (well under a millisecond), and the last 64
        copies are kept, so an audit over many files of a few accounts builds each once.

        >>> base = Analyzer(model=None)
        >>> base.with_names(customer=["Initech"]).score("Initech grows.").counts["customer"]
        1
        """
        seller = tuple(n for n in dict.fromkeys(seller) if n not in self.seller)
        customer = tuple(n for n in dict.fromkeys(customer) if n not in self.customer)
        if not seller and not customer:
            return self
        key = (seller, customer)
        cache: dict[tuple[tuple[str, ...], tuple[str, ...]], Analyzer] = self.__dict__.setdefault(
            "_named", {}
        )
        hit = cache.get(key)  # no reordering: safe when threads share this analyzer
        if hit is not None:
            return hit
        named = copy.copy(self)
        named.__dict__.pop("_named", None)
        named.seller = (*self.seller, *seller)
        named.customer = (*self.customer, *customer)
        named._references = copy.copy(self._references)
        named._references.seller = list(named.seller)
        named._references.customer = list(named.customer)
        named._references.matcher = self._references.matcher.with_names(
            self.nlp, named.seller, named.customer
        )
        if len(cache) >= _NAMED_CACHE:
            cache.pop(next(iter(cache)), None)  # the oldest
        cache[key] = named
        return named

    @property
    def lexicons(self) -> LexiconSet:
        """The lexicons in use: the packaged ones plus the files and terms this analyzer was
        given. Pass them on to :func:`custfocus.context.infer_context`, so the user's
        ``context.*`` word lists reach context inference too."""
        return self._references.lexicons

    @property
    def lexicon_version(self) -> str:
        return self._references.lexicons.version

    def annotate(self, texts: Iterable[str], batch_size: int = 64) -> Iterator[Doc]:
        """Annotated spaCy Docs (custfocus span groups set), streamed through ``nlp.pipe``."""
        for doc, _, _ in self._annotate(((t, None) for t in texts), batch_size, spans=True):
            yield doc

    @property
    def content_model(self) -> ContentModel | None:
        return self._content.model if self._content is not None else None

    def _annotate(
        self, items: Iterable[tuple[str, Any]], batch_size: int, *, spans: bool = False
    ) -> Iterator[tuple[Doc, DocTokens, Any]]:
        """Docs with custfocus's stages run, each with its token arrays and context.

        The stages run once per batch on one :class:`TokenTable`. ``spans`` also sets the
        ``doc.spans`` groups, which only callers who see the Docs need.
        """
        pairs = self.nlp.pipe(
            ((t, (t, c)) for t, c in items), batch_size=batch_size, as_tuples=True
        )
        for batch in batched(pairs, batch_size):
            table = TokenTable(
                [doc for doc, _ in batch], [ctx[0] for _, ctx in batch], self._lexemes
            )
            if self._sentences is not None:  # only annotate() hands the Docs out
                self._sentences.split(table, on_docs=spans)
            self._references.process(table, span_groups=spans)
            bounds = table.sentence_bounds()
            if self._content is not None:
                self._content.process_table(table, bounds)
            else:
                for doc, doc_bounds in zip(table.docs, bounds, strict=True):
                    doc.user_data[USER_DATA_KEY]["bounds"] = doc_bounds
            for i, (doc, ctx) in enumerate(batch):
                yield doc, table.doc_tokens(i), ctx

    def score(self, text: str) -> Report:
        """Analyse one text. See :class:`custfocus.results.Report` for what comes back."""
        _check_text(text)
        return next(self.pipe([text]))

    def pipe(self, texts: Iterable[str], batch_size: int = 64) -> Iterator[Report]:
        """Analyse a stream of texts lazily, in order, batching through ``nlp.pipe``."""
        items = ((_check_text(t), None) for t in texts)
        for doc, tokens, (text, _) in self._annotate(items, batch_size):
            yield build_report(doc, config=self.config, text=text, tokens=tokens)

    def score_document(
        self, document: Document, *, seller_speakers: Sequence[str] | None = None
    ) -> Report:
        """Analyse a :class:`Document`: findings carry their segment's location.

        For a conversation (segments with speakers), ``seller_speakers`` names the sellers;
        without it they are inferred (``report.conversation.roles`` says who and how sure).
        Only seller speech is scored; buyer speech feeds listening and customer voice.
        """
        text = document.text
        doc, tokens, _ = next(self._annotate([(text, None)], 1))
        report = build_report(doc, config=self.config, document=document, text=text, tokens=tokens)
        if not document.is_conversation:
            return report
        roles = infer_roles(
            document,
            report.mentions,
            report.sentences,
            seller_speakers=seller_speakers,
            seller_names=self.seller,
            customer_names=self.customer,
            lexicons=self._references.lexicons,
        )
        sellers = {r.speaker for r in roles if r.role == "seller"}
        report = build_report(
            doc,
            config=self.config,
            document=document,
            text=text,
            is_scored=lambda seg: seg.speaker is None or seg.speaker in sellers,
            tokens=tokens,
        )
        metrics, voice = analyse_conversation(
            document, report.sentences, roles, self.nlp, self._references.lexicons
        )
        result = score_evidence(report.mentions, report.sentences, self.config, metrics)
        return replace(
            report,
            score=result.score,
            components=result.components,
            conversation=metrics,
            customer_voice=voice,
        )

    def score_file(
        self,
        path: str | os.PathLike[str],
        *,
        format: str | None = None,
        seller_speakers: Sequence[str] | None = None,
    ) -> Report:
        """Read a file (see :func:`custfocus.read`) and score it."""
        from .readers import read

        return self.score_document(read(path, format=format), seller_speakers=seller_speakers)

    def __repr__(self) -> str:
        return (
            f"Analyzer(seller={list(self.seller)!r}, customer={list(self.customer)!r}, "
            f"nlp={self.nlp.meta.get('name', 'blank')!r})"
        )


def _resolve_nlp(nlp: Language | str | None) -> Language:
    if nlp is None:
        blank = spacy.blank("en")
        blank.max_length = _BLANK_MAX_LENGTH
        return blank
    if isinstance(nlp, str):
        return spacy.load(nlp)
    if isinstance(nlp, Language):
        return nlp
    raise TypeError(f"nlp must be None, a spacy.Language or a pipeline name, not {type(nlp)!r}")


def _check_text(text: Any) -> str:
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")
    return text


@lru_cache(maxsize=8)
def _cached_analyzer(seller: tuple[str, ...], customer: tuple[str, ...]) -> Analyzer:
    return Analyzer(seller=seller, customer=customer)


def score(text: str, seller: Sequence[str] = (), customer: Sequence[str] = ()) -> Report:
    """Score one text with the default pipeline.

    >>> score("How is your team handling renewals today?").counts["customer"]
    1
    """
    if isinstance(seller, str) or isinstance(customer, str):
        raise TypeError("seller and customer take a list of names, not a single string")
    return _cached_analyzer(tuple(seller), tuple(customer)).score(text)


def score_file(
    path: str | os.PathLike[str],
    seller: Sequence[str] = (),
    customer: Sequence[str] = (),
    *,
    seller_speakers: Sequence[str] | None = None,
) -> Report:
    """Read a file (any format :func:`custfocus.read` takes) and score it with the default
    pipeline; see :meth:`Analyzer.score_file`."""
    if isinstance(seller, str) or isinstance(customer, str):
        raise TypeError("seller and customer take a list of names, not a single string")
    return _cached_analyzer(tuple(seller), tuple(customer)).score_file(
        path, seller_speakers=seller_speakers
    )
