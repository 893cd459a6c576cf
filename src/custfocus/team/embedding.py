"""Matching by meaning: static token embeddings averaged over a statement (``embed`` extra).

The character-gram view (:mod:`custfocus.team.similarity`) only meets statements that share
spelling: "we have kids with us" and "my children are coming" share none. WordLlama ships
256-dimensional token embeddings and their tokenizer inside its wheel, so a statement's mean
token vector gives a similarity by meaning with nothing downloaded. It is optional
(``pip install 'custfocus[embed]'``) and chosen explicitly (``matcher="embed"``); measured
against the char grams in ``benchmarks/themes.py`` and ``benchmarks/messages.py``
(``docs/METHOD.md`` §11).
"""

from __future__ import annotations

import importlib.util
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..errors import MissingExtraError, ModelError
from .similarity import MAX_CHARS, Vectorizer

__all__ = ["EMBED_VIEWS", "Embedder", "load_model"]

#: The views an :class:`Embedder` builds: the embedding alone, or averaged with char grams.
EMBED_VIEWS = ("embed", "embed+char")
#: Width of WordLlama's bundled embeddings (``l2_supercat_256``).
DIM = 256


@lru_cache(maxsize=1)
def load_model() -> Any:
    """WordLlama's bundled model, read from the installed package's own files, never a hub.

    Raises :class:`~custfocus.errors.MissingExtraError` (extra ``embed``) when wordllama is
    not installed, :class:`~custfocus.errors.ModelError` when its bundled files are unusable.
    """
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        raise MissingExtraError("wordllama", "embed", "matching by meaning (matcher='embed')")
    root = Path(next(iter(spec.submodule_search_locations)))
    # Importing wordllama calls logging.basicConfig (a handler on the root logger at INFO);
    # the application's logging is its own, so the root logger is put back as it was.
    logger = logging.getLogger()
    handlers, level = list(logger.handlers), logger.level
    try:
        from wordllama import WordLlama
    except ImportError as exc:
        raise MissingExtraError(
            "wordllama", "embed", f"matching by meaning (matcher='embed'; {exc})"
        ) from None
    finally:
        for h in logger.handlers[:]:
            if h not in handlers:
                logger.removeHandler(h)
        logger.setLevel(level)
    # WordLlama.load looks for its tokenizer in "<package>/tokenizer/" but the wheel ships it
    # in "<package>/tokenizers/", and would then download it. Its cache layout is the
    # package's own, so the package folder as the cache finds both files; downloads refused.
    try:
        model = WordLlama.load(cache_dir=root, disable_download=True)
    except (OSError, ValueError) as exc:
        raise ModelError(f"wordllama's bundled model under {root} cannot be read: {exc}") from None
    if model.embedding.shape[1] != DIM:
        raise ModelError(f"wordllama's bundled model has width {model.embedding.shape[1]}")
    return model


@dataclass(frozen=True)
class Embedder:
    """Unit rows whose dot products are cosines by meaning; used like a
    :class:`~custfocus.team.similarity.Vectorizer`.

    ``view`` is ``"embed"`` (the mean of WordLlama's token vectors, unit length) or
    ``"embed+char"`` (that and the char 3-5 gram rows, each unit length and scaled so a
    row's cosine is the mean of the two cosines). Two options, measured and not shipped:
    ``idf`` weighs each token by its IDF over the statements, ``centre`` subtracts the
    statements' mean vector (what every statement shares says nothing about which belong
    together). Without them a statement's row depends on its text alone.

    >>> m = Embedder().dense(["We have kids with us.", "My children are coming."])  # doctest: +SKIP
    >>> float(m[0] @ m[1]) > 0.42                                                 # doctest: +SKIP
    True
    """

    view: str = "embed"
    idf: bool = False
    centre: bool = False
    char: Vectorizer = field(default_factory=lambda: Vectorizer("char", char_min=3, char_max=5))

    def __post_init__(self) -> None:
        if self.view not in EMBED_VIEWS:
            raise ValueError(f"view must be one of {EMBED_VIEWS}, got {self.view!r}")

    def dense(self, texts: Sequence[str], copies: Sequence[int] | None = None) -> np.ndarray:
        """Unit-length embedding rows (float64) of ``texts`` (first :data:`MAX_CHARS`
        characters of each); a text without a token is a zero row. ``copies`` as for
        :meth:`Vectorizer.fit_transform` (they only matter with ``idf`` or ``centre``).
        """
        if copies is not None and len(copies) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(copies)} copy counts")
        if not texts:
            return np.zeros((0, DIM))
        model = load_model()
        enc = model.tokenizer.encode_batch([t[:MAX_CHARS] for t in texts], add_special_tokens=False)
        # Token counts per text times the embedding table: the mean pooling wordllama does,
        # without padding every text to the longest, in double precision.
        ids = [np.asarray(e.ids, dtype=np.int64)[np.asarray(e.attention_mask) > 0] for e in enc]
        rows = np.repeat(np.arange(len(texts)), [len(x) for x in ids])
        table = model.embedding
        flat = np.clip(np.concatenate(ids), 0, len(table) - 1)
        counts = sp.csr_matrix((np.ones(len(flat)), (rows, flat)), shape=(len(texts), len(table)))
        w = np.ones(len(texts)) if copies is None else np.asarray(copies, dtype=np.float64)
        if self.idf:
            df = (counts > 0).T @ w
            counts = counts @ sp.diags(np.log((1 + w.sum()) / (1 + df)) + 1)
        vecs: np.ndarray = np.asarray(counts @ table.astype(np.float64))
        if self.centre:
            vecs -= (w @ vecs) / w.sum()
        norms = np.linalg.norm(vecs, axis=1)
        norms[norms == 0] = 1.0
        unit: np.ndarray = vecs / norms[:, None]
        return unit

    def rows(
        self, texts: Sequence[str], copies: Sequence[int] | None = None
    ) -> np.ndarray | sp.csr_matrix:
        """The rows the team grouping compares: :meth:`dense` for ``"embed"``, else
        :meth:`fit_transform`."""
        if self.view == "embed":
            return self.dense(texts, copies)
        return self.fit_transform(texts, copies)

    def fit_transform(
        self, texts: Sequence[str], copies: Sequence[int] | None = None
    ) -> sp.csr_matrix:
        """The rows as a sparse matrix, for code written for :class:`Vectorizer` (the team
        grouping uses :meth:`dense`)."""
        emb = sp.csr_matrix(self.dense(texts, copies))
        if self.view == "embed":
            return emb
        chars = self.char.fit_transform(texts, copies)
        return sp.hstack([emb * (1 / math.sqrt(2)), chars * (1 / math.sqrt(2))], format="csr")
