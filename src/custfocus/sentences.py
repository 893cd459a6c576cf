"""Sentence boundaries: a vectorised rule-based splitter, and fast access to boundaries.

spaCy's ``Sentencizer`` and ``doc.sents`` walk the tokens one Python object at a time, which
costs several times the tokenizer itself. Here boundaries are computed on the token arrays
with numpy, and read back the same way, so sentence splitting stays a small fraction of
tokenising.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from .tokens import Bounds, TokenTable, batched

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
        self.split(TokenTable([doc]))
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for batch in batched(stream, batch_size):
            self.split(TokenTable(batch))
            yield from batch

    def split(self, table: TokenTable, *, on_docs: bool = True) -> None:
        """Set sentence starts on every Doc of ``table`` (one numpy pass for the batch).

        ``on_docs=False`` keeps them in ``table`` only, for a caller whose Docs nobody sees
        (writing them into each Doc costs about a third of finding them)."""
        starts = self.starts(table)
        if on_docs:
            table.write_sentence_starts(starts)
        else:
            table.sent_start = starts

    def starts(self, table: TokenTable) -> np.ndarray:
        """A boolean per token of ``table``: does a sentence start here?"""
        n = len(table)
        starts = np.zeros(n, dtype=bool)
        firsts = table.offsets[:-1][table.offsets[:-1] < table.offsets[1:]]
        starts[firsts] = True
        words = np.flatnonzero(~table.space)
        if not n or not len(words):
            return starts
        doc_of = table.doc_of
        # The first word of each Doc.
        k = np.searchsorted(words, firsts)
        k = k[k < len(words)]
        first_words = words[k][doc_of[words[k]] == doc_of[firsts[: len(k)]]] if len(k) else k
        starts[first_words] = True
        # A word after end punctuation (and any closing quotes or brackets) in its own Doc.
        o = table.orth[words]
        end = member(o, self._end)
        closing = member(o, self._closing)
        doc_w = doc_of[words]
        after = np.zeros(len(words), dtype=bool)
        after[1:] = end[:-1] & (doc_w[1:] == doc_w[:-1])
        after[2:] |= closing[1:-1] & end[:-2] & (doc_w[2:] == doc_w[:-2])
        starts[words[after & ~table.punct[words]]] = True
        # Line breaks: whitespace tokens holding "\n" (few, so a Python loop is cheap).
        spaces = np.flatnonzero(table.space)
        texts, idx, tok_end = table.texts, table.idx, table.end
        for i, k_ in zip(spaces.tolist(), np.searchsorted(words, spaces).tolist(), strict=True):
            if k_ >= len(words):
                break
            d = doc_of[i]
            text = texts[d]
            ws = text[idx[i] : tok_end[i]]
            nxt = int(words[k_])
            if "\n" not in ws or doc_of[nxt] != d:
                continue
            if ws.count("\n") >= 2 or k_ == 0 or doc_of[words[k_ - 1]] != d:
                starts[nxt] = True
                continue
            prev_last = text[tok_end[words[k_ - 1]] - 1]
            if prev_last in _LINE_END or not text[idx[nxt]].islower():
                starts[nxt] = True
        return starts


def sentence_starts(doc: Doc) -> list[int]:
    """Token index of every sentence start, read from the array (not ``doc.sents``)."""
    return [int(i) for i in np.flatnonzero(TokenTable([doc]).read_sentence_starts())]


def sentence_bounds(doc: Doc, text: str | None = None) -> list[Bounds]:
    """``(token_start, token_end, char_start, char_end)`` per sentence, whitespace trimmed.

    Whitespace-only sentences are dropped. Character offsets run from the first to the end
    of the last non-whitespace token.
    """
    return TokenTable([doc], None if text is None else [text]).sentence_bounds()[0]
