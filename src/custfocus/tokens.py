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
from spacy.vocab import Vocab

__all__ = ["Bounds", "DocTokens", "HashTable", "LexemeAttrs", "TokenTable", "batched"]

T = TypeVar("T")

_ATTRS = [ORTH, NORM, LOWER, SUFFIX, IDX, LENGTH, IS_PUNCT, IS_SPACE, LIKE_NUM]
#: What a Doc itself must give: NORM can differ by token (tokenizer exceptions set it).
_TOKEN_ATTRS = [ORTH, NORM, IDX]
#: The rest are the word type's (spaCy keeps them on the Lexeme), in ``_ATTRS`` order.
_LEXEME_ATTRS = ("lower", "suffix", "length", "is_punct", "is_space", "like_num")
_MIX = np.uint64(0x9E3779B97F4A7C15)


def _read(lexeme: Any, attr: str) -> int:
    # spaCy sets a Lexeme's LENGTH to the length of its text and offers no getter for it.
    return len(lexeme.orth_) if attr == "length" else int(getattr(lexeme, attr))


#: ``(token_start, token_end, char_start, char_end)`` of one sentence, whitespace trimmed.
Bounds = tuple[int, int, int, int]
#: What a report needs of one Doc: token start chars, token end chars, running word count.
DocTokens = tuple[np.ndarray, np.ndarray, np.ndarray]


class LexemeAttrs:
    """The word-type attributes of ``vocab`` (``LOWER``, ``SUFFIX``, ``LENGTH`` and the
    punctuation, space and number flags), one row per word seen, looked up for a batch.

    ``Doc.to_array`` reads these through every token's Lexeme, and the flags cost it as
    much as the tokenizer's own work; a word type holds the same values on every token, so
    they are read from the vocab once per type and found again through an open-addressing
    hash table of the orth ids (numpy, no Python per token). spaCy sets them when a word
    enters the vocabulary; a flag changed by hand on a Lexeme afterwards is not seen here.
    """

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        # (orth id per slot, row per slot or -1, rows): replaced as a whole, never changed
        # in place, so threads sharing the cache each see one consistent table.
        self._table = HashTable.empty(len(_LEXEME_ATTRS))

    def __len__(self) -> int:
        return len(self._table.values)

    def lookup(self, orths: np.ndarray) -> np.ndarray:
        """One row of ``LOWER, SUFFIX, LENGTH, IS_PUNCT, IS_SPACE, LIKE_NUM`` per value of ``orths``
        (as ``Doc.to_array`` gives them)."""
        table = self._table
        rows = table.find(orths)
        missing = rows < 0
        if missing.any():
            new = np.unique(orths[missing])
            lexemes = [self.vocab[o] for o in new.tolist()]
            values = [[_read(lex, a) for a in _LEXEME_ATTRS] for lex in lexemes]
            table = table.with_rows(new, np.array(values, dtype=np.uint64))
            self._table = table
            rows = table.find(orths)
        out: np.ndarray = np.take(table.values, rows, axis=0)  # much faster than values[rows]
        return out


class HashTable:
    """uint64 keys to rows of ``values``: linear probing, at most half full."""

    def __init__(self, keys: np.ndarray, rows: np.ndarray, values: np.ndarray) -> None:
        self.keys, self.rows, self.values = keys, rows, values
        self._shift = np.uint64(65 - len(keys).bit_length())  # top log2(size) bits
        self._mask = len(keys) - 1

    @classmethod
    def empty(cls, width: int, size: int = 1 << 12) -> HashTable:
        return cls(
            np.zeros(size, dtype=np.uint64),
            np.full(size, -1, dtype=np.int64),
            np.zeros((0, width), dtype=np.uint64),
        )

    def _slots(self, keys: np.ndarray) -> np.ndarray:
        out: np.ndarray = ((keys * _MIX) >> self._shift).astype(np.int64)
        return out

    def find(self, keys: np.ndarray) -> np.ndarray:
        """The row of every key, or -1 for a key not in the table."""
        slot = self._slots(keys)
        found: np.ndarray = self.rows[slot]
        todo = np.flatnonzero((found >= 0) & (self.keys[slot] != keys))
        while len(todo):  # collisions: probe the next slots
            slot[todo] = (slot[todo] + 1) & self._mask
            found[todo] = self.rows[slot[todo]]
            todo = todo[(found[todo] >= 0) & (self.keys[slot[todo]] != keys[todo])]
        return found

    def with_rows(self, keys: np.ndarray, values: np.ndarray) -> HashTable:
        """A new table that also holds the (distinct, absent) ``keys`` with their rows."""
        n_old = len(self.values)
        all_values = np.concatenate([self.values, values])
        size = len(self.keys)
        if 2 * len(all_values) <= size:
            table = HashTable(self.keys.copy(), self.rows.copy(), all_values)
            table._insert(keys, np.arange(n_old, len(all_values)))
            return table
        while 2 * len(all_values) > size:
            size *= 2
        old_keys = self.keys[self.rows >= 0]
        old_rows = self.rows[self.rows >= 0]
        table = HashTable(
            np.zeros(size, dtype=np.uint64), np.full(size, -1, dtype=np.int64), all_values
        )
        table._insert(
            np.concatenate([old_keys, keys]),
            np.concatenate([old_rows, np.arange(n_old, len(all_values))]),
        )
        return table

    def _insert(self, keys: np.ndarray, rows: np.ndarray) -> None:
        slot = self._slots(keys)
        todo = np.arange(len(keys))
        while len(todo):
            free = self.rows[slot[todo]] < 0
            cand = todo[free]
            # One key per free slot this round (the first); the others probe on.
            taken, first = np.unique(slot[cand], return_index=True)
            winners = cand[first]
            self.keys[taken] = keys[winners]
            self.rows[taken] = rows[winners]
            placed = np.zeros(len(keys), dtype=bool)
            placed[winners] = True
            todo = todo[~placed[todo]]
            slot[todo] = (slot[todo] + 1) & self._mask


class TokenTable:
    """Token arrays of ``docs`` concatenated; ``offsets[i]`` is Doc ``i``'s first row.

    ``sent_start`` (a boolean per token) is filled by the sentence splitter, or read from
    the Docs when a pipeline component (parser, senter) already set sentences.
    ``lexemes`` (the Docs' vocab's :class:`LexemeAttrs`) makes reading the arrays cheaper;
    the arrays are the same with or without it.
    """

    def __init__(
        self,
        docs: Sequence[Doc],
        texts: Sequence[str] | None = None,
        lexemes: LexemeAttrs | None = None,
    ) -> None:
        self.docs = list(docs)
        self._texts = list(texts) if texts is not None else None
        lengths = np.array([len(d) for d in self.docs], dtype=np.int64)
        self.offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        n = int(self.offsets[-1])
        if n and lexemes is not None:
            own = np.concatenate([d.to_array(_TOKEN_ATTRS).reshape(-1, 3) for d in self.docs])
            lex = lexemes.lookup(own[:, 0])
            orth, norm, idx = own.T
            lower, suffix, length, punct, space, num = lex.T
        else:
            arr = (
                np.concatenate([d.to_array(_ATTRS).reshape(-1, len(_ATTRS)) for d in self.docs])
                if n
                else np.zeros((0, len(_ATTRS)), dtype=np.uint64)
            )
            orth, norm, lower, suffix, idx, length, punct, space, num = arr.T
        self.orth, self.norm, self.lower, self.suffix = orth, norm, lower, suffix
        self.idx = idx.astype(np.int64)
        self.end = self.idx + length.astype(np.int64)
        self.punct = punct == 1
        self.space = space == 1
        self.num = num == 1
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
