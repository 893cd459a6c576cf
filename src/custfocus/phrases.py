"""Find phrases (lexicon terms, names) in a batch's token arrays: a vectorised PhraseMatcher.

spaCy's PhraseMatcher walks every Doc token by token through a trie. Here each phrase
length is looked up for a whole batch at once: every run of ``n`` tokens inside one Doc
that starts with a phrase's first token is hashed into one key, the key is found in a
hash table of the phrases' keys, and each hit is compared token by token. The matches are
exactly the PhraseMatcher's: every phrase of every rule at every position, overlapping
ones included, each ``(rule, start, end)`` once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from spacy.attrs import LOWER, ORTH
from spacy.language import Language

from .tokens import HashTable, TokenTable

__all__ = ["PhraseTable"]

#: Multipliers that fold a run of token ids into one key; the next is tried if two
#: phrases of one length ever shared a key.
_MULTIPLIERS = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93)
_COLUMNS = {"lower": LOWER, "orth": ORTH}


class _Length:
    """The phrases of one length: their tokens, key table and rules."""

    def __init__(self, n: int, phrases: dict[tuple[int, ...], set[int]]) -> None:
        self.n = n
        ordered = sorted(phrases)
        self.tokens = np.array(ordered, dtype=np.uint64).reshape(-1, n)
        for mult in _MULTIPLIERS:
            self.mult = np.uint64(mult)
            keys = self.fold([self.tokens[:, j] for j in range(n)])
            if len(np.unique(keys)) == len(keys):
                break
        else:  # pragma: no cover - four 64-bit multipliers all colliding
            raise ValueError(f"phrases of {n} tokens collide under every multiplier")
        self.table = HashTable.empty(0, _size(len(keys))).with_rows(
            keys, np.zeros((len(keys), 0), np.uint64)
        )
        rule_lists = [sorted(phrases[p]) for p in ordered]
        self.counts = np.array([len(r) for r in rule_lists], dtype=np.int64)
        self.first_rule = np.concatenate([[0], np.cumsum(self.counts)[:-1]]).astype(np.int64)
        self.rules = np.array([r for rs in rule_lists for r in rs], dtype=np.int64)

    def fold(self, columns: Sequence[np.ndarray]) -> np.ndarray:
        key = columns[0].astype(np.uint64)  # a copy: folded in place below
        for col in columns[1:]:
            key *= self.mult
            key += col
        return key


class PhraseTable:
    """Phrases as sequences of token ids of one column (``"lower"`` or ``"orth"``), each
    under one or more rules.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> from custfocus.tokens import TokenTable
    >>> phrases = PhraseTable.from_terms(nlp, "lower", [("team", "your team"), ("you", "you")])
    >>> starts, ends, rules = phrases.find(TokenTable([nlp("Your team and you.")]))
    >>> sorted((s, e, phrases.rules[r]) for s, e, r in zip(starts.tolist(), ends.tolist(), rules))
    [(0, 2, 'team'), (3, 4, 'you')]
    """

    def __init__(self, column: str, phrases: Iterable[tuple[str, Sequence[int]]]) -> None:
        if column not in _COLUMNS:
            raise ValueError(f"column must be one of {sorted(_COLUMNS)}, not {column!r}")
        self.column = column
        rule_ids: dict[str, int] = {}
        by_length: dict[int, dict[tuple[int, ...], set[int]]] = {}
        for rule, values in phrases:
            rid = rule_ids.setdefault(rule, len(rule_ids))
            if len(values):  # PhraseMatcher ignores empty patterns too
                key = tuple(int(v) for v in values)
                by_length.setdefault(len(key), {}).setdefault(key, set()).add(rid)
        self.rules: tuple[str, ...] = tuple(rule_ids)
        self._lengths = [_Length(n, found) for n, found in sorted(by_length.items())]
        # Every phrase's first token, with a bit per length of the phrases it starts.
        lengths_of: dict[int, int] = {}
        for k, length in enumerate(self._lengths):
            for p in length.tokens[:, 0].tolist():
                lengths_of[p] = lengths_of.get(p, 0) | (1 << k)
        first = np.array(sorted(lengths_of), dtype=np.uint64)
        masks = np.array([[lengths_of[p]] for p in first.tolist()], dtype=np.uint64)
        self._first = HashTable.empty(1, _size(len(first))).with_rows(first, masks.reshape(-1, 1))

    @classmethod
    def from_terms(
        cls, nlp: Language, column: str, terms: Iterable[tuple[str, str]]
    ) -> PhraseTable:
        """``(rule, term)`` pairs, each term tokenised by ``nlp`` as PhraseMatcher patterns are."""
        attr = _COLUMNS.get(column, ORTH)
        make = nlp.make_doc
        return cls(column, ((rule, make(term).to_array([attr]).tolist()) for rule, term in terms))

    def __len__(self) -> int:
        return len(self.rules)

    def find(self, table: TokenTable) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(start row, end row, rule index)`` of every match in ``table`` (batch rows;
        a match never crosses from one Doc into the next)."""
        values: np.ndarray = getattr(table, self.column)
        empty = np.zeros(0, dtype=np.int64)
        if not len(values) or not self._lengths:
            return empty, empty, empty
        row = self._first.find(values)
        cand = np.flatnonzero(row >= 0)
        masks = self._first.values[row[cand], 0]
        room = table.offsets[1:][table.doc_of[cand]] - cand  # tokens left in the Doc
        starts, ends, rules = [empty], [empty], [empty]
        for k, length in enumerate(self._lengths):
            n = length.n
            at = cand[(room >= n) & ((masks >> np.uint64(k)) & np.uint64(1) == 1)]
            phrase = length.table.find(length.fold([values[at + j] for j in range(n)]))
            hit = phrase >= 0
            at, phrase = at[hit], phrase[hit]
            for j in range(n):  # a key is a hash: compare the tokens themselves
                same = values[at + j] == length.tokens[phrase, j]
                at, phrase = at[same], phrase[same]
            counts = length.counts[phrase]
            first = np.repeat(at, counts)
            starts.append(first)
            ends.append(first + n)
            picks = np.repeat(length.first_rule[phrase], counts) + _ranges(counts)
            rules.append(length.rules[picks])
        return np.concatenate(starts), np.concatenate(ends), np.concatenate(rules)


def _size(n: int) -> int:
    """Slots for ``n`` keys: at most a quarter full, so a lookup rarely probes twice."""
    return max(8, 1 << (4 * n).bit_length())


def _ranges(lengths: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(n)`` for each ``n`` in ``lengths``."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    out: np.ndarray = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return out
