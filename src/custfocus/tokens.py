"""The token attributes of a batch of Docs, read once into one set of arrays.

Every stage (sentences, references, content features, reports) needs a few token attributes.
``Doc.to_array`` and every numpy call cost about as much for a short Doc as for a long one,
so the Analyzer reads each Doc once, concatenates the batch, and each stage runs its numpy
work once per batch rather than once per Doc (or per sentence).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, TypeVar

import numpy as np
from spacy.attrs import (
    IDX,
    IS_PUNCT,
    IS_SPACE,
    LENGTH,
    LIKE_NUM,
    LOWER,
    NORM,
    ORTH,
    SENT_START,
    SUFFIX,
)
from spacy.tokens import Doc

__all__ = ["Bounds", "DocTokens", "TokenTable", "batched"]

T = TypeVar("T")

_ATTRS = [ORTH, NORM, LOWER, SUFFIX, IDX, LENGTH, IS_PUNCT, IS_SPACE, LIKE_NUM]

#: ``(token_start, token_end, char_start, char_end)`` of one sentence, whitespace trimmed.
Bounds = tuple[int, int, int, int]
#: What a report needs of one Doc: token start chars, token end chars, running word count.
DocTokens = tuple[np.ndarray, np.ndarray, np.ndarray]


class TokenTable:
    """Token arrays of ``docs`` concatenated; ``offsets[i]`` is Doc ``i``'s first row.

    ``sent_start`` (a boolean per token) is filled by the sentence splitter, or read from
    the Docs when a pipeline component (parser, senter) already set sentences.
    """

    def __init__(self, docs: Sequence[Doc], texts: Sequence[str] | None = None) -> None:
        self.docs = list(docs)
        self._texts = list(texts) if texts is not None else None
        lengths = np.array([len(d) for d in self.docs], dtype=np.int64)
        self.offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        n = int(self.offsets[-1])
        arr = (
            np.concatenate([d.to_array(_ATTRS).reshape(-1, len(_ATTRS)) for d in self.docs])
            if n
            else np.zeros((0, len(_ATTRS)), dtype=np.uint64)
        )
        self.orth = arr[:, 0]
        self.norm = arr[:, 1]
        self.lower = arr[:, 2]
        self.suffix = arr[:, 3]
        self.idx = arr[:, 4].astype(np.int64)
        self.end = self.idx + arr[:, 5].astype(np.int64)
        self.punct = arr[:, 6] == 1
        self.space = arr[:, 7] == 1
        self.num = arr[:, 8] == 1
        self.doc_of = np.repeat(np.arange(len(self.docs)), lengths)
        self.word_cum = np.concatenate([[0], np.cumsum(~self.punct & ~self.space)])
        self.sent_start: np.ndarray | None = None

    def __len__(self) -> int:
        return int(self.offsets[-1])

    @property
    def texts(self) -> list[str]:
        """The Docs' texts: given by the caller, or rebuilt by spaCy on first use."""
        if self._texts is None:
            self._texts = [d.text for d in self.docs]
        return self._texts

    def read_sentence_starts(self) -> np.ndarray:
        """Sentence starts as the Docs hold them (a Doc's first token always starts one)."""
        if self.sent_start is None:
            flags = [d.to_array([SENT_START]).reshape(-1) for d in self.docs if len(d)]
            starts = np.concatenate(flags).astype(np.int64) == 1 if flags else np.zeros(0, bool)
            starts[self.offsets[:-1][self.offsets[:-1] < len(self)]] = True
            self.sent_start = starts
        return self.sent_start

    def write_sentence_starts(self, starts: np.ndarray) -> None:
        """Keep ``starts`` and set them on every Doc (so ``doc.sents`` agrees)."""
        self.sent_start = starts
        values: Any = np.where(starts, 1, -1).astype(np.uint64).reshape(-1, 1)
        for i, doc in enumerate(self.docs):
            lo, hi = self.offsets[i], self.offsets[i + 1]
            if hi > lo:
                doc.from_array([SENT_START], values[lo:hi])

    def sentence_bounds(self) -> list[list[Bounds]]:
        """Per Doc, its sentences' bounds (Doc-local); whitespace-only sentences dropped."""
        out: list[list[Bounds]] = [[] for _ in self.docs]
        starts = np.flatnonzero(self.read_sentence_starts())
        words = np.flatnonzero(~self.space)
        if not len(starts) or not len(words):
            return out
        ends = np.append(starts[1:], len(self))
        doc = self.doc_of[starts]
        ends = np.minimum(ends, self.offsets[doc + 1])
        first = np.searchsorted(words, starts)
        last = np.searchsorted(words, ends) - 1
        keep = np.flatnonzero((first < len(words)) & (last >= first))
        first_tok = words[first[keep]]
        last_tok = words[last[keep]]
        doc = doc[keep]
        base = self.offsets[doc]
        rows = zip(
            doc.tolist(),
            (starts[keep] - base).tolist(),
            (ends[keep] - base).tolist(),
            self.idx[first_tok].tolist(),
            self.end[last_tok].tolist(),
            strict=True,
        )
        for d, s, e, c0, c1 in rows:
            out[d].append((s, e, c0, c1))
        return out

    def doc_tokens(self, i: int) -> DocTokens:
        """Doc ``i``'s token start and end characters and running word count (views)."""
        lo, hi = int(self.offsets[i]), int(self.offsets[i + 1])
        return self.idx[lo:hi], self.end[lo:hi], self.word_cum[lo : hi + 1]


def batched(items: Iterable[T], n: int) -> Iterator[list[T]]:
    """Lists of up to ``n`` consecutive items."""
    it = iter(items)
    while batch := list(islice(it, n)):
        yield batch
