"""Sentence boundaries: a vectorised rule-based splitter, and fast access to boundaries.

spaCy's ``Sentencizer`` and ``doc.sents`` walk the tokens one Python object at a time, which
costs several times the tokenizer itself. Here boundaries are computed on the token arrays
with numpy, and read back the same way, so sentence splitting stays a small fraction of
tokenising.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["SentenceSplitter", "member", "sentence_bounds", "sentence_starts"]

#: Tokens that end a sentence (a superset of the common cases of spaCy's Sentencizer).
END_PUNCT = (".", "!", "?", "…", "...", "?!", "!?", "!!", "??", "。", "！", "？", "‼", "⁇")
#: Closing quotes and brackets that may follow the end punctuation: 'He said "yes."'
CLOSING = (")", "]", "}", '"', "'", "”", "’", "»")
_LINE_END = frozenset(".!?…:;")


def member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """``np.isin(values, sorted_set)`` for a small sorted set, without isin's per-call cost."""
    if not len(sorted_set):
        return np.zeros(len(values), dtype=bool)
    idx = np.searchsorted(sorted_set, values)
    hit: np.ndarray = sorted_set[np.minimum(idx, len(sorted_set) - 1)] == values
    return hit


class SentenceSplitter:
    """Rule-based sentences at end punctuation and line breaks; no model needed.

    A blank line always ends a sentence; a single line break ends one unless the next line
    continues it (the previous line has no final punctuation and the next starts lower-case,
    as in hard-wrapped email). Bullets and deck lines become sentences of their own.
    Whitespace between sentences stays with the sentence before it.
    """

    def __init__(self, nlp: Language, name: str = "custfocus_sentences") -> None:
        self.name = name
        strings = nlp.vocab.strings
        self._end = np.sort(np.array([strings.add(p) for p in END_PUNCT], dtype=np.uint64))
        self._closing = np.sort(np.array([strings.add(p) for p in CLOSING], dtype=np.uint64))

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        arr = doc.to_array([ORTH, IS_PUNCT, IS_SPACE])
        orth, punct, space = arr[:, 0], arr[:, 1].astype(bool), arr[:, 2].astype(bool)
        starts = np.zeros(n, dtype=bool)
        starts[0] = True
        words = np.flatnonzero(~space)
        if len(words):
            starts[words[0]] = True
            o = orth[words]
            end = member(o, self._end)
            closing = member(o, self._closing)
            after = np.zeros(len(words), dtype=bool)
            after[1:] = end[:-1]
            after[2:] |= closing[1:-1] & end[:-2]
            starts[words[after & ~punct[words]]] = True
            # Line breaks: whitespace tokens holding "\n" (few, so a Python loop is cheap).
            pos = np.searchsorted(words, np.flatnonzero(space))
            for i, k in zip(np.flatnonzero(space).tolist(), pos.tolist(), strict=True):
                if k >= len(words):
                    break
                ws = doc[i].text
                if "\n" not in ws:
                    continue
                nxt = int(words[k])
                if ws.count("\n") >= 2 or k == 0:
                    starts[nxt] = True
                    continue
                prev = doc[int(words[k - 1])].text
                if prev[-1:] in _LINE_END or not doc[nxt].text[:1].islower():
                    starts[nxt] = True
        values: Any = np.where(starts, 1, -1).astype(np.uint64).reshape(-1, 1)
        doc.from_array([SENT_START], values)
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in stream:
            yield self(doc)


def sentence_starts(doc: Doc) -> list[int]:
    """Token index of every sentence start, read from the array (not ``doc.sents``)."""
    if len(doc) == 0:
        return []
    flags = doc.to_array([SENT_START]).reshape(-1).astype(np.int64)
    starts = np.flatnonzero(flags == 1)
    if not len(starts) or starts[0] != 0:
        starts = np.concatenate([[0], starts])
    return [int(i) for i in starts]


def sentence_bounds(doc: Doc, text: str | None = None) -> list[tuple[int, int, int, int]]:
    """``(token_start, token_end, char_start, char_end)`` per sentence, whitespace trimmed.

    Whitespace-only sentences are dropped. Character offsets run from the first to the end
    of the last non-whitespace token, computed on the token arrays (``text`` is accepted for
    callers that have it, and not needed).
    """
    n = len(doc)
    if n == 0:
        return []
    arr = doc.to_array([SENT_START, IDX, LENGTH, IS_SPACE]).astype(np.int64)
    starts = np.flatnonzero(arr[:, 0] == 1)
    if not len(starts) or starts[0] != 0:
        starts = np.concatenate([[0], starts])
    ends = np.append(starts[1:], n)
    words = np.flatnonzero(arr[:, 3] == 0)
    if not len(words):
        return []
    first = np.searchsorted(words, starts)
    last = np.searchsorted(words, ends) - 1
    ok = (first < len(words)) & (last >= first)
    first_tok = words[np.minimum(first, len(words) - 1)]
    last_tok = words[np.clip(last, 0, len(words) - 1)]
    c0 = arr[first_tok, 1]
    c1 = arr[last_tok, 1] + arr[last_tok, 2]
    keep = np.flatnonzero(ok)
    return list(
        zip(
            starts[keep].tolist(),
            ends[keep].tolist(),
            c0[keep].tolist(),
            c1[keep].tolist(),
            strict=True,
        )
    )
