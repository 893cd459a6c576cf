"""Sentence features for the content model, computed on spaCy token arrays.

Text features are hashed n-grams of spaCy's ``NORM`` (so "won't" and "will not" meet) and of
three-letter suffixes, plus the first and last words of the sentence after discourse
fillers ("so um how are you..." starts at "how"). Rule features come from the core: customer
and self mentions, superlatives, product vocabulary, question marks, wh-words, auxiliaries,
imperative requests, tags, and an auxiliary then a subject pronoun after the first word
(a question run on after a statement, as unpunctuated speech writes it). Everything is
vectorised per batch of Docs, so classifying costs a fraction of tokenising.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import scipy.sparse as sp
from spacy.language import Language

from .evidence import USER_DATA_KEY
from .lexicon import LexiconSet, load_lexicons
from .sentences import member
from .tokens import TokenTable

if TYPE_CHECKING:
    from .components import ReferenceComponent

__all__ = ["DENSE_FEATURES", "FEATURES_VERSION", "SentenceFeaturizer"]

#: Bumped whenever a feature's definition changes: a model trained on another version warns.
FEATURES_VERSION = 3


#: Names of the rule features, in column order after the hashed text features.
DENSE_FEATURES = (
    "question_mark",
    "starts_wh",
    "starts_aux",
    "starts_request",
    "ends_tag",
    "has_or",
    "customer_mentions",
    "self_mentions",
    "shared_mentions",
    "superlatives",
    "product_terms",
    "numbers",
    "percent_or_currency",
    "log_tokens",
    "starts_we",
    "starts_you",
    "inner_aux_subject",
)
_SALT = {"uni": 1, "bi": 2, "suf": 3, "bos": 4, "bos2": 5, "eos": 6, "eos2": 7}
_MULT = np.uint64(0x9E3779B97F4A7C15)


class SentenceFeaturizer:
    """Stateless featuriser: sentences (strings) in, a sparse matrix out.

    ``transform`` takes raw sentences (each treated as one sentence); ``transform_table``
    takes the sentences of a batch the Analyzer already annotated, which is the fast path.
    The spaCy pipeline used for raw strings is built lazily and dropped when pickled.
    It follows the transformer protocol (``fit`` is a no-op) without importing
    scikit-learn, which scoring does not need.
    """

    def __init__(self, n_features: int = 2**17) -> None:
        self.n_features = n_features

    def __repr__(self) -> str:
        return f"SentenceFeaturizer(n_features={self.n_features})"

    def fit(self, X: Any = None, y: Any = None) -> SentenceFeaturizer:
        return self

    def fit_transform(self, X: Iterable[str], y: Any = None) -> sp.csr_matrix:
        return self.transform(X)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        hashed = [f"hash_{i}" for i in range(self.n_features)]
        return np.asarray(hashed + list(DENSE_FEATURES), dtype=object)

    # -- raw strings ---------------------------------------------------------------
    def transform(
        self, X: Iterable[str], sellers: Sequence[Sequence[str]] | None = None
    ) -> sp.csr_matrix:
        """One row per string; ``sellers`` gives each string's seller names, if known."""
        texts = list(X)
        if sellers is None:
            return self._transform(texts, ())
        if len(sellers) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(sellers)} seller name lists")
        by_names: dict[tuple[str, ...], list[int]] = {}
        for i, names in enumerate(sellers):
            by_names.setdefault(tuple(names), []).append(i)
        order = [i for rows in by_names.values() for i in rows]
        blocks = [self._transform([texts[i] for i in rows], k) for k, rows in by_names.items()]
        stacked = sp.vstack(blocks, format="csr") if blocks else self._transform([], ())
        inverse = np.empty(len(order), dtype=np.int64)
        inverse[order] = np.arange(len(order))
        out: sp.csr_matrix = stacked[inverse]
        return out

    def _transform(self, texts: list[str], seller: tuple[str, ...]) -> sp.csr_matrix:
        nlp, references = self._pipeline()
        table = TokenTable(list(nlp.pipe(texts)))
        references.matcher = references.matcher.with_names(nlp, seller, ())
        references.process(table, span_groups=False)
        whole = np.stack([table.offsets[:-1], table.offsets[1:]], axis=1)
        return self.transform_table(table, whole, nlp)

    def _pipeline(self) -> tuple[Language, ReferenceComponent]:
        cached = getattr(self, "_nlp_cache", None)
        if cached is None:
            import spacy

            from .components import ReferenceComponent

            nlp = spacy.blank("en")
            nlp.max_length = 100_000_000
            cached = (nlp, ReferenceComponent(nlp))
            self._nlp_cache = cached
        return cached

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_nlp_cache", None)
        return state

    # -- annotated Docs ------------------------------------------------------------
    def transform_table(
        self,
        table: TokenTable,
        spans: np.ndarray,
        nlp: Language,
        lexicons: LexiconSet | None = None,
    ) -> sp.csr_matrix:
        """One row per sentence; columns: hashed text features then DENSE_FEATURES.

        ``spans`` holds each sentence's ``(start, end)`` rows of ``table`` (annotated by the
        references component); every numpy operation runs once for the whole batch.
        """
        hashed, dense = self.transform_parts(table, spans, nlp, lexicons)
        return sp.hstack([hashed, sp.csr_matrix(dense)], format="csr")

    def transform_parts(
        self,
        table: TokenTable,
        spans: np.ndarray,
        nlp: Language,
        lexicons: LexiconSet | None = None,
    ) -> tuple[sp.csr_matrix, np.ndarray]:
        """:meth:`transform_table` as its two blocks: the hashed text features (sparse)
        and the DENSE_FEATURES (a dense array), which a linear model can use apart."""
        cues = _Cues.get(nlp, lexicons)
        n_rows = len(spans)
        dense = np.zeros((n_rows, len(DENSE_FEATURES)), dtype=np.float32)
        rows_all: list[np.ndarray] = []
        cols_all: list[np.ndarray] = []
        offset = len(table)
        if offset == 0 or n_rows == 0:
            return self._assemble(rows_all, cols_all, dense)
        norm, suffix = table.norm, table.suffix
        punct, space, num = table.punct, table.space, table.num
        first, rest = _seller_name_tokens(table)
        if len(first):
            # The seller's name is one placeholder word, whatever the company is called,
            # so "<seller> now supports SSO" carries from one company's text to another's.
            norm, suffix, space = norm.copy(), suffix.copy(), space.copy()
            norm[first] = suffix[first] = cues.seller_hash
            space[rest] = True
        s_, e_ = spans[:, 0].astype(np.int64), spans[:, 1].astype(np.int64)
        row_ids = np.arange(n_rows)
        tok_row = np.full(offset, -1, dtype=np.int64)
        lengths = e_ - s_
        tok_row[np.repeat(s_, lengths) + _ranges(lengths)] = np.repeat(row_ids, lengths)

        nf = np.uint64(self.n_features)
        idx = np.flatnonzero((tok_row >= 0) & ~space)
        rows = tok_row[idx]
        same = rows[1:] == rows[:-1]
        bi = _hash(norm[idx][:-1] * _MULT + norm[idx][1:], _SALT["bi"])[same]
        rows_all += [rows, rows, rows[1:][same]]
        cols_all += [
            _hash(norm[idx], _SALT["uni"]) % nf,
            _hash(suffix[idx], _SALT["suf"]) % nf,
            bi % nf,
        ]
        counted = (idx, tok_row, row_ids, n_rows)
        dense[:, 0] = _per_row(norm == cues.qmark_hash, *counted) > 0
        dense[:, 5] = _per_row(norm == cues.or_hash, *counted) > 0
        dense[:, 11] = _per_row(num, *counted)
        dense[:, 12] = _per_row(member(norm, cues.money), *counted) > 0
        dense[:, 13] = np.log1p(lengths)

        # First word after fillers and punctuation; last word before final punctuation.
        content = np.flatnonzero(~(punct | space | member(norm, cues.fillers)))
        words = np.flatnonzero(~(punct | space))
        zero = np.uint64(0)
        f = np.searchsorted(content, s_)
        ok = f < len(content)
        fi = content[np.minimum(f, len(content) - 1)] if len(content) else s_ * 0
        ok &= fi < e_
        li = np.searchsorted(words, e_) - 1
        ok_last = li >= 0
        li = words[np.clip(li, 0, len(words) - 1)] if len(words) else li * 0
        ok_last &= (li >= s_) & (len(words) > 0)
        n0 = np.where(ok, norm[np.minimum(fi, offset - 1)], zero)
        n1 = np.where(ok & (fi + 1 < e_), norm[np.minimum(fi + 1, offset - 1)], zero)
        m = np.where(ok_last, norm[np.minimum(li, offset - 1)], zero)
        prev = np.where(ok_last & (li - 1 >= s_), norm[np.maximum(li - 1, 0)], zero)
        pair0, pair_end = n0 * _MULT + n1, prev * _MULT + m
        dense[:, 1] = ok & member(n0, cues.wh)
        dense[:, 2] = ok & (member(n0, cues.aux) | member(pair0, cues.aux_pairs))
        dense[:, 3] = ok & (member(n0, cues.request) | member(pair0, cues.requests))
        dense[:, 4] = ok_last & (member(m, cues.tag) | member(pair_end, cues.tags))
        dense[:, 14] = ok & member(n0, cues.we)
        dense[:, 15] = ok & member(n0, cues.you)
        _inner_question(norm, idx, rows, fi, ok, cues, dense)
        for values, salt, valid in (
            (n0, "bos", ok),
            (pair0, "bos2", ok),
            (m, "eos", ok_last),
            (pair_end, "eos2", ok_last),
        ):
            rows_all.append(row_ids[valid])
            cols_all.append(_hash(values[valid], _SALT[salt]) % nf)
        _span_counts(table, s_, e_, dense)
        return self._assemble(rows_all, cols_all, dense)

    def _assemble(
        self, rows_all: list[np.ndarray], cols_all: list[np.ndarray], dense: np.ndarray
    ) -> tuple[sp.csr_matrix, np.ndarray]:
        rows_cat = np.concatenate(rows_all) if rows_all else np.zeros(0, dtype=np.int64)
        cols_cat = np.concatenate(cols_all).astype(np.int64) if cols_all else rows_cat
        hashed = sp.csr_matrix(
            (np.ones(len(rows_cat), dtype=np.float32), (rows_cat, cols_cat)),
            shape=(dense.shape[0], self.n_features),
        )
        hashed.data = np.log1p(hashed.data)  # dampen repeated words
        return hashed, dense


_INNER = DENSE_FEATURES.index("inner_aux_subject")


def _inner_question(
    norm: np.ndarray,
    idx: np.ndarray,
    rows: np.ndarray,
    fi: np.ndarray,
    ok: np.ndarray,
    cues: _Cues,
    dense: np.ndarray,
) -> None:
    """A question clause after the sentence's first word, as unpunctuated speech runs them
    on ("i love rock songs could you find me some"): an auxiliary then a subject pronoun."""
    # Only the few auxiliaries are checked further (this runs on every token of a batch).
    k = np.flatnonzero(member(norm[idx[:-1]], cues.aux))
    a, head = idx[k], rows[k]
    hit = (head == rows[k + 1]) & ~(ok[head] & (a == fi[head]))
    hit &= member(norm[idx[k + 1]], cues.subject)
    n = len(dense)
    dense[:, _INNER] = np.bincount(head[hit], minlength=n)[:n] > 0


def _hash(values: np.ndarray, salt: int) -> np.ndarray:
    out: np.ndarray = (values.astype(np.uint64) ^ np.uint64(salt)) * _MULT >> np.uint64(20)
    return out


def _per_row(
    flags: np.ndarray, idx: np.ndarray, tok_row: np.ndarray, row_ids: np.ndarray, n: int
) -> np.ndarray:
    """How many flagged tokens each sentence row holds."""
    sel = idx[flags[idx]]
    counts = np.bincount(tok_row[sel], minlength=n)
    out: np.ndarray = counts[row_ids].astype(np.float32)
    return out


def _ranges(lengths: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(n)`` for each ``n`` in ``lengths``."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
    out: np.ndarray = np.arange(total) - starts
    return out


def _u64(values: Iterable[int]) -> np.ndarray:
    return np.array(sorted(set(values)), dtype=np.uint64)


def _span_counts(
    table: TokenTable, starts: np.ndarray, ends: np.ndarray, dense: np.ndarray
) -> None:
    """Mention, superlative and product-term counts per sentence row, from the stored
    evidence of every Doc at once (token positions shifted by each Doc's offset)."""
    positions: list[int] = []
    columns: list[int] = []
    per_doc: list[int] = []
    column_of = {"counted": _ColumnOf("counted"), "flags": _ColumnOf("flags")}
    for doc in table.docs:
        evidence = doc.user_data.get(USER_DATA_KEY, {}).get("evidence", {})
        n = len(positions)
        for group in ("counted", "flags"):
            span_starts, _, rules = evidence.get(group, ((), (), ()))
            positions += span_starts
            columns += map(column_of[group].__getitem__, rules)
        per_doc.append(len(positions) - n)
    if not positions:
        return
    cols = np.asarray(columns, dtype=np.int64)
    tok = np.asarray(positions, dtype=np.int64) + np.repeat(table.offsets[:-1], per_doc)
    counts = cols >= 0
    tok, columns_kept = tok[counts], cols[counts]
    if not len(tok):
        return
    order = np.argsort(starts, kind="stable")
    sorted_starts = starts[order]
    k = np.searchsorted(sorted_starts, tok, side="right") - 1
    inside = (k >= 0) & (tok < ends[order][np.maximum(k, 0)])
    rows = order[np.maximum(k, 0)]
    np.add.at(dense, (rows[inside], columns_kept[inside]), 1.0)


class _ColumnOf(dict[str, int]):
    """Rule -> DENSE_FEATURES column (or -1) for one evidence group, filled on first use."""

    def __init__(self, group: str) -> None:
        super().__init__()
        self.group = group

    def __missing__(self, rule: str) -> int:
        column = self[rule] = _count_column(self.group, rule)
        return column


def _seller_name_tokens(table: TokenTable) -> tuple[np.ndarray, np.ndarray]:
    """Token rows of the caller-given seller names: each name's first token, and the rest."""
    first: list[int] = []
    rest: list[int] = []
    for doc, off in zip(table.docs, table.offsets.tolist(), strict=False):
        evidence = doc.user_data.get(USER_DATA_KEY, {}).get("evidence", {})
        for s, e, rule in zip(*evidence.get("names", ((), (), ())), strict=True):
            if rule == "self.name":
                first.append(off + s)
                rest.extend(range(off + s + 1, off + e))
    return np.asarray(first, dtype=np.int64), np.asarray(rest, dtype=np.int64)


@lru_cache(maxsize=256)
def _count_column(group: str, rule: str) -> int:
    """The DENSE_FEATURES column a piece of evidence counts in, or -1."""
    if rule.endswith(".name"):
        # Names are given at run time but never in the training data: counting them
        # would make a sentence that names the customer look like value.
        return -1
    return _COUNT_COLUMNS.get(rule.split(".", 1)[0] if group == "counted" else rule, -1)


_COUNT_COLUMNS = {
    "customer": DENSE_FEATURES.index("customer_mentions"),
    "self": DENSE_FEATURES.index("self_mentions"),
    "shared": DENSE_FEATURES.index("shared_mentions"),
    "flag.superlative": DENSE_FEATURES.index("superlatives"),
    "feature.product": DENSE_FEATURES.index("product_terms"),
}


class _Cues:
    """Hashed cue-word sets for one vocabulary (cached per Vocab and lexicon version)."""

    _cache: ClassVar[dict[tuple[int, str], _Cues]] = {}

    def __init__(self, nlp: Language, lexicons: LexiconSet) -> None:
        strings = nlp.vocab.strings

        def norm_of(term: str) -> list[int]:
            return [int(strings.add(t.norm_)) for t in nlp.make_doc(term)]

        def split(rule: str, last: bool) -> tuple[set[int], set[tuple[int, int]]]:
            single, pairs = set(), set()
            for term in lexicons.terms(rule):
                hs = norm_of(term)
                if len(hs) == 1:
                    single.add(hs[0])
                elif len(hs) >= 2:
                    # An opener is matched on its first two words, a tag on its last two
                    # ("isn't it" reads is/not/it and ends a sentence on not/it).
                    pairs.add((hs[-2], hs[-1]) if last else (hs[0], hs[1]))
            return single, pairs

        def arrays(rule: str, last: bool = False) -> tuple[np.ndarray, np.ndarray]:
            single, pairs = split(rule, last)
            pair_hashes = [(a * int(_MULT) + b) & 0xFFFFFFFFFFFFFFFF for a, b in pairs]
            return _u64(single), _u64(pair_hashes)

        self.wh, _ = arrays("question.wh")
        self.aux, self.aux_pairs = arrays("question.aux")
        self.request, self.requests = arrays("question.request")
        self.tag, self.tags = arrays("question.tag", last=True)
        self.subject, _ = arrays("question.subject")
        self.fillers, _ = arrays("discourse.filler")
        self.we, _ = arrays("start.self")
        self.you, _ = arrays("start.customer")
        self.qmark_hash = np.uint64(strings.add("?"))
        self.seller_hash = np.uint64(strings.add("<seller>"))
        self.or_hash = np.uint64(strings.add("or"))
        self.money = _u64(strings.add(c) for c in ("%", "$", "€", "£"))

    @classmethod
    def get(cls, nlp: Language, lexicons: LexiconSet | None) -> _Cues:
        lex = lexicons or load_lexicons()
        key = (id(nlp.vocab), lex.version)
        if key not in cls._cache:
            cls._cache[key] = cls(nlp, lex)
        return cls._cache[key]
