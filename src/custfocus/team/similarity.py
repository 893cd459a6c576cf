"""How alike two short statements are: TF-IDF vectors and cosine similarity, numpy and scipy only.

Message matching compares a rep's claim with another rep's claim, or with a line of a message
house. Three text views are available and measured against each other in
``benchmarks/messages.py`` on real paraphrases: word n-grams of light-stemmed content words,
character n-grams inside word boundaries, and both averaged. The weights (IDF) are learned on
the statements being compared, so no vocabulary ships and nothing downloads. Scikit-learn is
not needed: scoring stays on numpy and scipy like the content model.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.sparse as sp

from ..lexicon import load_lexicons

__all__ = ["MAX_CHARS", "VIEWS", "Vectorizer", "content_words", "stem"]

#: The text views a :class:`Vectorizer` can build.
VIEWS = ("word", "char", "word+char")
#: Characters of a statement that are compared: a sentence is far shorter, and the cap keeps
#: time and memory bounded for a hostile one (a whole file without a full stop).
MAX_CHARS = 2_000

_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    terms = load_lexicons().terms
    return frozenset(
        t.lower() for r in ("conversation.stopword", "team.stopword") for t in terms(r)
    )


def stem(word: str) -> str:
    """A light suffix stripper, so "donations", "donated" and "donating" meet.

    >>> [stem(w) for w in ("donations", "donated", "countries", "helps", "running")]
    ['donation', 'donat', 'country', 'help', 'runn']
    """
    if len(word) <= 4:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def content_words(text: str) -> list[str]:
    """Lower-cased, stemmed words of ``text`` without function words.

    >>> content_words("Your donations go directly to the children.")
    ['donation', 'go', 'directly', 'children']
    """
    stop = _stopwords()
    out = []
    for w in _TOKEN.findall(text.lower()):
        w = w.replace("’", "'")
        if w in stop or w.split("'")[0] in stop:
            continue
        out.append(stem(w))
    return out


def _word_grams(text: str, n_max: int) -> list[str]:
    words = content_words(text)
    grams = list(words)
    for n in range(2, n_max + 1):
        grams += [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]
    return grams


@lru_cache(maxsize=1 << 16)
def _word_char_grams(word: str, n_min: int, n_max: int) -> tuple[str, ...]:
    padded = f" {word} "
    grams: list[str] = []
    for n in range(n_min, n_max + 1):
        grams += [padded[i : i + n] for i in range(max(1, len(padded) - n + 1))]
    return tuple(grams)


def _char_grams(text: str, n_min: int, n_max: int) -> list[str]:
    """A text's character grams in order: what :func:`_char_counts` counts, word by word (the
    tests hold the two to the same result)."""
    return [g for w in _TOKEN.findall(text.lower()) for g in _word_char_grams(w, n_min, n_max)]


_EMPTY = np.zeros(0, dtype=np.int64)


def _gram_counts(docs: Iterable[Sequence[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Each document's distinct grams and their counts: (grams per row, gram ids ascending
    within each row, counts, vocabulary size). Ids are handed out in order of first
    occurrence."""
    # One statement's grams at a time (all of them at once would be ten times the
    # matrix); ids and counts go into typed arrays, 8 bytes an entry.
    vocab: dict[str, int] = {}
    ids, tfs, lengths = array("q"), array("q"), array("q")
    for grams in docs:
        counts = Counter(grams)  # in order of first occurrence, as ids are handed out
        new = [g for g in counts if g not in vocab]
        if new:
            vocab.update(zip(new, range(len(vocab), len(vocab) + len(new)), strict=True))
        ids.extend(map(vocab.__getitem__, counts))
        tfs.extend(counts.values())
        lengths.append(len(counts))
    n = len(lengths)
    per_row = np.frombuffer(lengths, dtype=np.int64) if n else _EMPTY
    rows = np.repeat(np.arange(n), per_row)
    cols = np.frombuffer(ids, dtype=np.int64) if ids else _EMPTY
    order = np.lexsort((cols, rows))  # each row's columns ascending
    tf = np.frombuffer(tfs, dtype=np.int64)[order] if tfs else _EMPTY
    return per_row, cols[order], tf, len(vocab)


def _char_counts(
    texts: Sequence[str], n_min: int, n_max: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """:func:`_gram_counts` of the character grams of ``texts``, word by word.

    A text's grams are those of its words, so the counts are (texts x words) times (words x
    grams), two sparse matrices multiplied in C; only each distinct word's grams are made in
    Python. Walking the words in order of first occurrence hands out the gram ids in the
    order a text-by-text walk would, so the result is the same.
    """
    words: dict[str, int] = {}
    wids, lengths = array("q"), array("q")
    for t in texts:
        tokens = _TOKEN.findall(t[:MAX_CHARS].lower())
        wids.extend(words.setdefault(w, len(words)) for w in tokens)
        lengths.append(len(tokens))
    n = len(lengths)
    per_text = np.frombuffer(lengths, dtype=np.int64) if n else _EMPTY
    word_cols = np.frombuffer(wids, dtype=np.int64) if wids else _EMPTY
    ones = np.ones(len(word_cols), dtype=np.int64)
    text_rows = np.repeat(np.arange(n), per_text)
    by_text = sp.csr_matrix((ones, (text_rows, word_cols)), shape=(n, len(words)))
    grams = (_word_char_grams(w, n_min, n_max) for w in words)  # ids in first-seen order
    per_word, gram_ids, gram_tf, n_vocab = _gram_counts(grams)
    by_word = sp.csr_matrix(
        (gram_tf, gram_ids, np.concatenate([[0], np.cumsum(per_word)])), shape=(len(words), n_vocab)
    )
    counts = (by_text @ by_word).tocsr()
    counts.sort_indices()
    return (
        np.diff(counts.indptr),
        counts.indices.astype(np.int64),
        counts.data.astype(np.int64),
        n_vocab,
    )


@dataclass(frozen=True)
class Vectorizer:
    """TF-IDF settings for one text view; :meth:`fit_transform` returns unit-length rows.

    ``view`` is ``"word"`` (stemmed content words, 1 to ``word_n`` grams), ``"char"``
    (character ``char_min``..``char_max`` grams inside words) or ``"word+char"`` (both
    blocks, each unit length, scaled so a row's cosine is the mean of the two cosines).

    >>> v = Vectorizer("word")
    >>> m = v.fit_transform(["Any amount helps", "Even a small amount helps", "Founded 1919"])
    >>> round(float((m[0] @ m[1].T).toarray()[0, 0]), 2) > 0.5
    True
    """

    view: str = "word+char"
    word_n: int = 2
    char_min: int = 3
    char_max: int = 5
    sublinear: bool = True

    def __post_init__(self) -> None:
        if self.view not in VIEWS:
            raise ValueError(f"view must be one of {VIEWS}, got {self.view!r}")

    def fit_transform(
        self, texts: Sequence[str], copies: Sequence[int] | None = None
    ) -> sp.csr_matrix:
        """Unit-length TF-IDF rows of ``texts`` (first :data:`MAX_CHARS` characters of each),
        weights learned on ``texts`` themselves.

        ``copies[i]`` says how many times text ``i`` occurs where it came from: the weights
        are learned as if it were repeated that often, and the rows are those the repeated
        texts would get, without vectorising a copy twice (one deck sent to a hundred
        accounts is one row, not a hundred).
        """
        if copies is not None and len(copies) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(copies)} copy counts")
        blocks = []
        if self.view in ("word", "word+char"):
            grams = (_word_grams(t[:MAX_CHARS], self.word_n) for t in texts)
            blocks.append(self._weigh(*_gram_counts(grams), copies))
        if self.view in ("char", "word+char"):
            counts = _char_counts(texts, self.char_min, self.char_max)
            blocks.append(self._weigh(*counts, copies))
        if len(blocks) == 1:
            return blocks[0]
        return sp.hstack([b * (1 / math.sqrt(2)) for b in blocks], format="csr")

    def _weigh(
        self, per_row: np.ndarray, cols: np.ndarray, tf: np.ndarray, n_vocab: int,
        copies: Sequence[int] | None,
    ) -> sp.csr_matrix:  # fmt: skip
        """Unit TF-IDF rows from gram counts: ``per_row[i]`` grams in row ``i``, their ids
        ``cols`` (ascending within each row) and counts ``tf``."""
        n = len(per_row)
        rows = np.repeat(np.arange(n), per_row)
        # The same floats as ``1 + math.log(k)`` term by term (a table, not numpy's log).
        table = np.array([0.0, *(1 + math.log(k) if self.sublinear else float(k)
                                 for k in range(1, int(tf.max(initial=0)) + 1))])  # fmt: skip
        if copies is None:
            n_docs, df = n, np.bincount(cols, minlength=n_vocab).tolist()
        else:  # a text's grams count once per copy, as if the copies were there
            times = np.asarray(copies, dtype=np.int64)
            n_docs = int(times.sum())
            df = np.bincount(cols, weights=times[rows], minlength=n_vocab).astype(np.int64)
            df = df.tolist()
        idf_of = {d: math.log((1 + n_docs) / (1 + d)) + 1 for d in set(df)}
        idf = np.array([idf_of[d] for d in df], dtype=np.float64)
        data = table[tf] * idf[cols]
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(per_row, out=indptr[1:])
        # Unit rows, scaled in place (no intermediate matrices: memory stays near the result's).
        # Bit for bit the matrix the earlier scipy construction made: squares summed per row
        # as scipy's row sums do, then each row's columns in descending order, its layout,
        # so every later dot product sums in the same order.
        squares = np.zeros(n)
        filled = per_row > 0
        if filled.any():
            squares[filled] = np.add.reduceat(data * data, indptr[:-1][filled])
        norms = np.sqrt(squares)
        norms[norms == 0] = 1.0
        data *= (1 / norms)[rows]
        # Each row's columns are ascending and distinct: reversing each row's run gives the
        # descending order without a sort.
        starts = indptr[:-1][rows]
        desc = indptr[1:][rows] - 1 - (np.arange(len(cols)) - starts)
        data, cols = data[desc], cols[desc]
        return sp.csr_matrix((data, cols, indptr), shape=(n, n_vocab))
