"""The content model: sentence labels, questions, question form and SPIN type.

A :class:`ContentModel` is four linear heads (label, is-question, open/closed, SPIN) over one
featuriser, stacked into one coefficient matrix so a whole batch of sentences is classified
with one sparse product. Scoring needs numpy and scipy only; scikit-learn is used to train
(:class:`~custfocus.estimator.ContentClassifier`, ``custfocus train``).

A model file is plain arrays (``.npz``, read with ``allow_pickle=False``, so nothing in it can
run code) next to a JSON metadata file. custfocus checks the file's SHA-256 against that
metadata before reading it, for the packaged model and for one you name
(``Analyzer(model="path/to/model.npz")``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import warnings
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from ._version import __version__
from .errors import ModelError
from .features import DENSE_FEATURES, FEATURES_VERSION, SentenceFeaturizer

if TYPE_CHECKING:
    from spacy.language import Language

    from .estimator import ContentClassifier
    from .lexicon import LexiconSet
    from .tokens import TokenTable

__all__ = [
    "HEADS",
    "LABELS",
    "SPIN_TYPES",
    "ContentClassifier",
    "ContentModel",
    "LinearHeads",
    "ModelVersionWarning",
    "SentencePrediction",
    "load_model",
]

LABELS = ("discovery", "value", "pitch", "other")
SPIN_TYPES = ("situation", "problem", "implication", "need_payoff")
#: The four heads every model has, in storage order.
HEADS = ("label", "question", "form", "spin")
#: Version 1 was a joblib pickle of scikit-learn objects; 2 is plain arrays.
FORMAT_VERSION = 2
DEFAULT_MODEL = "content.npz"
#: The question head's decision threshold for a model file saved before it stored one.
DEFAULT_QUESTION_THRESHOLD = 0.5
_QMARK_COLUMN = DENSE_FEATURES.index("question_mark")


class ModelVersionWarning(UserWarning):
    """The model was trained on another version of the features; retrain it."""


def __getattr__(name: str) -> Any:
    # The estimator imports scikit-learn, which scoring never needs: load it on first use.
    if name == "ContentClassifier":
        from .estimator import ContentClassifier

        return ContentClassifier
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True, slots=True)
class SentencePrediction:
    label: str
    confidence: float
    is_question: bool
    question_form: str | None
    spin: str | None


@dataclass(frozen=True)
class LinearHeads:
    """Linear heads stacked column-wise: ``scores = M @ W + b``, then per head either
    per-class sigmoid calibration normalised to 1 (``kind="sigmoid"``, what scikit-learn's
    ``CalibratedClassifierCV(method="sigmoid", ensemble=False)`` computes) or a softmax.
    """

    names: tuple[str, ...]
    kinds: tuple[str, ...]
    classes: Mapping[str, np.ndarray]
    W: np.ndarray
    b: np.ndarray
    cal_a: np.ndarray
    cal_b: np.ndarray

    @property
    def slices(self) -> dict[str, slice]:
        out, pos = {}, 0
        for name in self.names:
            k = 1 if len(self.classes[name]) == 2 else len(self.classes[name])
            out[name] = slice(pos, pos + k)
            pos += k
        return out

    def predict_proba(self, M: sp.csr_matrix) -> dict[str, np.ndarray]:
        """Probabilities per head, one row per row of ``M``, columns in ``classes`` order."""
        return self.proba_from_scores(np.asarray(M @ self.W) + self.b)

    def predict_proba_parts(
        self, hashed: sp.csr_matrix, dense: np.ndarray
    ) -> dict[str, np.ndarray]:
        """:meth:`predict_proba` of ``[hashed, dense]`` without building that matrix."""
        n = hashed.shape[1]
        return self.proba_from_scores(np.asarray(hashed @ self.W[:n]) + dense @ self.W[n:] + self.b)

    def proba_from_scores(self, scores: np.ndarray) -> dict[str, np.ndarray]:
        out = {}
        for (name, cols), kind in zip(self.slices.items(), self.kinds, strict=True):
            z = scores[:, cols]
            if kind == "softmax":
                e = np.exp(z - z.max(axis=1, keepdims=True))
                out[name] = e / e.sum(axis=1, keepdims=True)
                continue
            # Clipped so an extreme score (a huge run-on "sentence") saturates, not overflows.
            t = np.clip(self.cal_a[cols] * z + self.cal_b[cols], -500.0, 500.0)
            cal = 1.0 / (1.0 + np.exp(t))
            if z.shape[1] == 1:
                pos = cal[:, 0]
                out[name] = np.column_stack([1.0 - pos, pos])
                continue
            total = cal.sum(axis=1, keepdims=True)
            uniform = np.full_like(cal, 1.0 / cal.shape[1])
            out[name] = np.clip(np.divide(cal, total, out=uniform, where=total != 0), 0.0, 1.0)
        return out

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Plain arrays for ``np.savez`` (only the non-zero rows of ``W`` are kept)."""
        rows = np.flatnonzero(np.any(self.W != 0, axis=1))
        arrays = {
            "head_names": np.array(self.names),
            "head_kinds": np.array(self.kinds),
            "W_shape": np.array(self.W.shape, dtype=np.int64),
            "W_rows": rows.astype(np.int64),
            "W_values": self.W[rows],
            "b": self.b,
            "cal_a": self.cal_a,
            "cal_b": self.cal_b,
        }
        for name in self.names:
            arrays[f"classes_{name}"] = self.classes[name]
        return arrays

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> LinearHeads:
        names = tuple(str(n) for n in arrays["head_names"])
        W = np.zeros(tuple(int(x) for x in arrays["W_shape"]), dtype=np.float64)
        W[arrays["W_rows"]] = arrays["W_values"]
        heads = cls(
            names=names,
            kinds=tuple(str(k) for k in arrays["head_kinds"]),
            classes={n: arrays[f"classes_{n}"] for n in names},
            W=W,
            b=np.asarray(arrays["b"], dtype=np.float64),
            cal_a=np.asarray(arrays["cal_a"], dtype=np.float64),
            cal_b=np.asarray(arrays["cal_b"], dtype=np.float64),
        )
        width = sum(s.stop - s.start for s in heads.slices.values())
        if not (W.shape[1] == width == len(heads.b) == len(heads.cal_a) == len(heads.cal_b)):
            raise ValueError("head arrays do not line up")
        return heads


class ContentModel:
    """Four heads over one featuriser: ``label``, ``question``, ``form`` and ``spin``.

    ``estimators`` holds the fitted scikit-learn heads when the model was trained in this
    process (empty for a loaded model, which needs only its arrays). A sentence is a question
    when it has a ``?`` or its calibrated question probability reaches ``question_threshold``
    (saved in the model file: training chooses it, see ``training.QUESTION_THRESHOLD``).
    """

    def __init__(
        self,
        heads: LinearHeads,
        *,
        n_features: int,
        metadata: Mapping[str, Any] | None = None,
        estimators: Mapping[str, ContentClassifier] | None = None,
        question_threshold: float = DEFAULT_QUESTION_THRESHOLD,
    ) -> None:
        if not 0.0 < question_threshold < 1.0:
            raise ModelError(f"question threshold {question_threshold} is not between 0 and 1")
        missing = set(HEADS) - set(heads.names)
        if missing:
            raise ModelError(f"model is missing heads {sorted(missing)}")
        expected = n_features + len(DENSE_FEATURES)
        if heads.W.shape[0] != expected:
            raise ModelError(f"model has {heads.W.shape[0]} feature rows, expected {expected}")
        self.linear = heads
        self.featurizer = SentenceFeaturizer(n_features=n_features)
        self.metadata = dict(metadata or {})
        self.estimators = dict(estimators or {})
        self.question_threshold = float(question_threshold)

    def classes(self, head: str) -> np.ndarray:
        return self.linear.classes[head]

    def head_proba(self, M: sp.csr_matrix) -> dict[str, np.ndarray]:
        """Calibrated probabilities of every head for every row of ``M``."""
        return self.linear.predict_proba(M)

    def predict_table(
        self,
        table: TokenTable,
        spans: np.ndarray,
        nlp: Language,
        lexicons: LexiconSet | None = None,
    ) -> list[list[Any]]:
        """Classify the sentences ``spans`` (row ranges) of an annotated batch."""
        if not len(spans):
            return []
        hashed, dense = self.featurizer.transform_parts(table, spans, nlp, lexicons)
        proba = self.linear.predict_proba_parts(hashed, dense)
        return self._rows(proba, dense[:, _QMARK_COLUMN] > 0)

    def predict_texts(self, texts: Sequence[str]) -> list[SentencePrediction]:
        """Classify raw sentences (each string is one sentence)."""
        return self.predict_matrix(self.featurizer.transform(list(texts)))

    def predict_matrix(self, M: sp.csr_matrix) -> list[SentencePrediction]:
        return [SentencePrediction(*row) for row in self.predict_rows(M)]

    def predict_rows(self, M: sp.csr_matrix) -> list[list[Any]]:
        """``[label, confidence, is_question, form, spin]`` per row (the stored format)."""
        if M.shape[0] == 0:
            return []
        has_qmark = M[:, M.shape[1] - len(DENSE_FEATURES) + _QMARK_COLUMN].toarray().ravel() > 0
        return self._rows(self.head_proba(M), has_qmark)

    def _rows(self, proba: Mapping[str, np.ndarray], has_qmark: np.ndarray) -> list[list[Any]]:
        labels = self.classes("label")[proba["label"].argmax(axis=1)]
        conf = proba["label"].max(axis=1).round(4)
        q_col = list(self.classes("question")).index(True)
        is_q = (proba["question"][:, q_col] >= self.question_threshold) | has_qmark
        spin_ok = is_q & (labels == "discovery")
        form_names = [str(c) for c in self.classes("form")]
        spin_names = [str(c) for c in self.classes("spin")]
        return [
            [str(lab), c, q, form_names[f] if q else None, spin_names[s] if ok else None]
            for lab, c, q, f, ok, s in zip(
                labels.tolist(), conf.tolist(), is_q.tolist(),
                proba["form"].argmax(axis=1).tolist(), spin_ok.tolist(),
                proba["spin"].argmax(axis=1).tolist(),
                strict=True,
            )
        ]  # fmt: skip

    # -- persistence ---------------------------------------------------------------
    def save(self, path: str | os.PathLike[str], metadata: Mapping[str, Any] | None = None) -> Path:
        """Write the arrays to ``path`` atomically and the metadata next to it (``.json``)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                arrays = self.linear.to_arrays()
                arrays["n_features"] = np.array(self.featurizer.n_features, dtype=np.int64)
                arrays["question_threshold"] = np.array(self.question_threshold)
                np.savez_compressed(fh, **arrays)  # type: ignore[arg-type]
            digest = _sha256(Path(tmp))
            os.chmod(tmp, 0o644)  # mkstemp makes files private; a model is meant to be shared
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        meta = {
            **self.metadata,
            **dict(metadata or {}),
            "format_version": FORMAT_VERSION,
            "features_version": FEATURES_VERSION,
            "custfocus_version": __version__,
            "numpy_version": np.__version__,
            "labels": list(LABELS),
            "model_file": path.name,
            "model_sha256": digest,
            "question_threshold": self.question_threshold,
        }
        _atomic_write(metadata_path(path), json.dumps(meta, indent=2, sort_keys=True) + "\n")
        self.metadata = meta
        return path


def metadata_path(path: Path) -> Path:
    return path.with_suffix(".json")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


@contextlib.contextmanager
def _packaged_path() -> Iterator[Path]:
    ref = resources.files("custfocus.models").joinpath(DEFAULT_MODEL)
    with resources.as_file(ref) as p:
        yield Path(p)


def load_model(path: str | os.PathLike[str] | None = None) -> ContentModel:
    """Load the packaged model (``path=None``) or the model file you name.

    Both need their ``.json`` metadata next to them, and the file's SHA-256 must match it
    before anything is read. A model trained on another version of the features warns with
    :class:`ModelVersionWarning`.
    """
    if path is None:
        with _packaged_path() as p:
            return _load_checked(p, packaged=True)
    return _load_checked(Path(path), packaged=False)


def _load_checked(path: Path, *, packaged: bool) -> ContentModel:
    what = "the packaged content model" if packaged else f"model {path}"
    meta_file = metadata_path(path)
    if not path.is_file():
        raise ModelError(f"{what}: file not found at {path}")
    if not meta_file.is_file():
        raise ModelError(
            f"{what}: no metadata file {meta_file.name}; custfocus only loads a model saved "
            "with its metadata (`custfocus train` writes both)"
        )
    try:
        meta = json.loads(meta_file.read_text("utf-8"))
        expected = meta["model_sha256"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"{what}: unreadable metadata {meta_file} ({exc})") from None
    actual = _sha256(path)
    if actual != expected:
        raise ModelError(
            f"{what}: SHA-256 {actual[:12]}... does not match its metadata "
            f"({str(expected)[:12]}...); refusing to load a file that may have been altered"
        )
    if meta.get("format_version") != FORMAT_VERSION:
        raise ModelError(
            f"{what}: format version {meta.get('format_version')} is not supported (this "
            f"custfocus reads version {FORMAT_VERSION}); retrain it with `custfocus train`"
        )
    saved = meta.get("features_version")
    if saved != FEATURES_VERSION:
        warnings.warn(
            f"{what} was trained on features version {saved} and this custfocus computes "
            f"version {FEATURES_VERSION}; predictions may be off. Retrain with `custfocus train`.",
            ModelVersionWarning,
            stacklevel=3,
        )
    try:
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        heads = LinearHeads.from_arrays(arrays)
        n_features = int(arrays["n_features"])
        threshold = float(arrays.get("question_threshold", DEFAULT_QUESTION_THRESHOLD))
        if not 0.0 < threshold < 1.0:
            raise ValueError(f"question threshold {threshold} is not between 0 and 1")
    except (OSError, ValueError, KeyError, IndexError, TypeError, zipfile.BadZipFile) as exc:
        raise ModelError(f"{what}: not a custfocus content model ({exc})") from None
    return ContentModel(heads, n_features=n_features, metadata=meta, question_threshold=threshold)
