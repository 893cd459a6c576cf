"""Phrase tables find exactly what spaCy's PhraseMatcher finds, for a whole batch at once."""

from __future__ import annotations

import random

import numpy as np
import spacy
from spacy.matcher import PhraseMatcher

from custfocus.phrases import PhraseTable
from custfocus.tokens import TokenTable

_WORDS = ["you", "your", "team", "our", "we", "the", "US", "us", "Acme", "acme", "'s", "of"]
_TERMS = {
    "a": ["you", "your team", "your team 's", "team"],
    "b": ["your team", "our team of", "you you you you you you you"],  # shared, nested, long
    "c": ["US", "the", "the the"],  # overlapping runs of one word
    "d": ["Acme", "acme 's", "  "],  # names, a possessive, whitespace inside a term
    "empty": [""],
}


def _docs(nlp: spacy.Language, n: int, seed: int) -> list[spacy.tokens.Doc]:
    rng = random.Random(seed)
    texts = [
        rng.choice(["", " "]).join(rng.choices(_WORDS, k=rng.randint(0, 30)))
        + rng.choice(["", ".", "  you"])
        for _ in range(n)
    ]
    return list(nlp.pipe(texts))


def _expected(nlp: spacy.Language, column: str, docs: list[spacy.tokens.Doc]) -> set:
    matcher = PhraseMatcher(nlp.vocab, attr=column.upper())
    for rule, terms in _TERMS.items():
        matcher.add(rule, [nlp.make_doc(t) for t in terms])
    strings = nlp.vocab.strings
    return {(i, s, e, strings[k]) for i, d in enumerate(docs) for k, s, e in matcher(d)}


def test_phrase_table_matches_what_phrase_matcher_matches_in_every_doc() -> None:
    nlp = spacy.blank("en")
    docs = _docs(nlp, 300, seed=5)
    table = TokenTable(docs)
    for column in ("lower", "orth"):
        terms = [(rule, t) for rule, ts in _TERMS.items() for t in ts]
        phrases = PhraseTable.from_terms(nlp, column, terms)
        starts, ends, rules = phrases.find(table)
        doc_of = table.doc_of[starts].tolist()
        base = table.offsets[table.doc_of[starts]]
        found = list(
            zip(doc_of, (starts - base).tolist(), (ends - base).tolist(),
                [phrases.rules[r] for r in rules], strict=True)
        )  # fmt: skip
        assert len(found) == len(set(found))  # each (rule, start, end) once
        assert set(found) == _expected(nlp, column, docs)
        assert found  # the texts do hold matches


def test_phrase_table_never_matches_across_docs() -> None:
    nlp = spacy.blank("en")
    table = TokenTable([nlp("look at your"), nlp("team now")])
    phrases = PhraseTable.from_terms(nlp, "lower", [("a", "your team")])
    starts, _, _ = phrases.find(table)
    assert len(starts) == 0


def test_phrase_table_rejects_a_run_whose_key_collides_with_a_phrase() -> None:
    # Keys fold token ids into 64 bits, so two different runs can share a key; the tokens
    # are compared before a run counts. Phrases (a, b) and (a + 1, c); the run
    # (a + 1, b - multiplier) folds to the key of (a, b).
    nlp = spacy.blank("en")
    a, b, c = 1000, 2000, 3000
    phrases = PhraseTable("lower", [("x", [a, b]), ("y", [a + 1, c])])
    length = phrases._lengths[0]
    clash = (b - int(length.mult)) % 2**64
    table = TokenTable([nlp("one two"), nlp("one two")])
    table.lower = np.array([a + 1, clash, a, b], dtype=np.uint64)
    keys = length.fold([table.lower[[0, 2]], table.lower[[1, 3]]])
    assert keys[0] == keys[1]  # the collision is real
    starts, ends, rules = phrases.find(table)
    found = zip(starts.tolist(), ends.tolist(), rules.tolist(), strict=True)
    assert [(s, e, phrases.rules[r]) for s, e, r in found] == [(2, 4, "x")]
