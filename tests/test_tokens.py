"""Token arrays: the fast paths the Analyzer takes give exactly what spaCy gives."""

from __future__ import annotations

import random

import numpy as np
import spacy

from custfocus.tokens import HashTable, LexemeAttrs, TokenTable, batched

_ARRAYS = ("orth", "norm", "lower", "suffix", "idx", "end", "punct", "space", "num", "word_cum")


def _texts(n: int, seed: int = 3) -> list[str]:
    """Many word types (so the cache grows several times), numbers, punctuation, spaces,
    tokenizer exceptions (whose NORM is the token's, not the word type's) and emoji."""
    rng = random.Random(seed)
    extras = ["won't", "can't", "U.S.", "3.5", "1,000", "$20", "—", "🙂", "\n\n", "  ", "e-mail"]
    out = []
    for _ in range(n):
        words = [
            "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABC") for _ in range(rng.randint(1, 9)))
            for _ in range(rng.randint(0, 60))
        ]
        words += rng.choices(extras, k=rng.randint(0, 6))
        rng.shuffle(words)
        out.append(" ".join(words) + rng.choice([".", "?", "", "!"]))
    return out


def test_lexeme_cache_gives_the_arrays_to_array_gives() -> None:
    nlp = spacy.blank("en")
    lexemes = LexemeAttrs(nlp.vocab)
    docs = list(nlp.pipe(_texts(400)))
    for _ in range(2):  # filling the cache, then reading it
        for batch in batched(docs, 37):
            plain, cached = TokenTable(batch), TokenTable(batch, None, lexemes)
            for name in _ARRAYS:
                a, b = getattr(plain, name), getattr(cached, name)
                assert a.dtype == b.dtype and np.array_equal(a, b), name
    assert len(lexemes) > 4096  # grew past its first table


def test_lexeme_cache_handles_empty_batches_and_empty_docs() -> None:
    nlp = spacy.blank("en")
    lexemes = LexemeAttrs(nlp.vocab)
    assert len(TokenTable([], None, lexemes)) == 0
    table = TokenTable([nlp(""), nlp("Hi."), nlp("")], None, lexemes)
    assert table.offsets.tolist() == [0, 0, 2, 2] and table.punct.tolist() == [False, True]


def test_hash_table_finds_every_key_despite_colliding_slots() -> None:
    table = HashTable.empty(1, size=16)
    candidates = np.arange(1, 2000, dtype=np.uint64) * np.uint64(7919)
    home = table._slots(candidates)
    colliding = candidates[home == home[0]][:5]  # one home slot: each must probe on
    assert len(colliding) == 5
    table = table.with_rows(colliding, colliding.reshape(-1, 1) + np.uint64(1))
    more = np.array([2**64 - 1, 0, 12345, 5], dtype=np.uint64)
    table = table.with_rows(more, more.reshape(-1, 1) + np.uint64(1))  # grows to 32 slots
    assert len(table.keys) == 32
    every = np.concatenate([colliding, more])
    rows = table.find(every)
    assert np.array_equal(table.values[rows, 0], every + np.uint64(1))
    absent = np.setdiff1d(candidates, every)[:50]
    assert (table.find(absent) == -1).all()


def test_sentence_starts_can_stay_in_the_table_and_agree_with_the_docs() -> None:
    from custfocus.sentences import SentenceSplitter

    nlp = spacy.blank("en")
    splitter = SentenceSplitter(nlp)
    texts = ["One here. Two there!\n\nThree", "Hello", ""]
    kept, written = TokenTable(list(nlp.pipe(texts))), TokenTable(list(nlp.pipe(texts)))
    splitter.split(kept, on_docs=False)
    splitter.split(written)
    assert not kept.docs[0].has_annotation("SENT_START")  # the Docs were left alone
    assert np.array_equal(kept.read_sentence_starts(), written.read_sentence_starts())
    assert kept.sentence_bounds() == written.sentence_bounds()
    assert [s.text for s in written.docs[0].sents] == ["One here.", "Two there!\n\n", "Three"]
