"""The content model: sentence labels, questions, question form and SPIN type.

:class:`ContentClassifier` is a scikit-learn estimator (hashed text features plus the core's
rule features, a logistic regression, sigmoid-calibrated probabilities). A
:class:`ContentModel` bundles four of them (label, is-question, open/closed, SPIN) sharing
one featuriser, and is saved as a joblib file next to a JSON metadata file.

Security: a joblib file runs code when loaded. custfocus loads the packaged model only after
checking its SHA-256 against the metadata shipped with it, and loads a model from any other
path only when you name that path yourself (``Analyzer(model="path/to/model.joblib")``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.validation import check_is_fitted
from spacy.language import Language

from ._version import __version__
from .errors import ModelError
from .features import DENSE_FEATURES, SentenceFeaturizer, SentenceRef
from .lexicon import LexiconSet

__all__ = [
    "LABELS",
    "ContentClassifier",
    "ContentModel",
    "ModelVersionWarning",
    "SentencePrediction",
    "load_model",
]

LABELS = ("discovery", "value", "pitch", "other")
SPIN_TYPES = ("situation", "problem", "implication", "need_payoff")
FORMAT_VERSION = 1
DEFAULT_MODEL = "content.joblib"
_QMARK_COLUMN = DENSE_FEATURES.index("question_mark")


class ModelVersionWarning(UserWarning):
    """The model was saved with another scikit-learn version; predictions may differ."""


class ContentClassifier(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Classify sentences (strings) with calibrated probabilities.

    >>> clf = ContentClassifier().fit(["How do you plan?", "Our tool is fast."] * 10,
    ...                               ["discovery", "pitch"] * 10)
    >>> str(clf.predict(["What do you plan?"])[0])
    'discovery'
    """

    def __init__(
        self,
        C: float = 2.0,
        n_features: int = 2**17,
        calibration: str = "sigmoid",
        cv: int = 5,
        class_weight: str | None = "balanced",
        max_iter: int = 1000,
        random_state: int = 0,
        solver: str = "newton-cg",
    ) -> None:
        self.C = C
        self.n_features = n_features
        self.calibration = calibration
        self.cv = cv
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.random_state = random_state
        self.solver = solver

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags

    def _featurizer(self) -> SentenceFeaturizer:
        return SentenceFeaturizer(n_features=self.n_features)

    def fit(self, X: Iterable[str], y: Sequence[Any]) -> ContentClassifier:
        texts = list(X)
        labels = np.asarray(list(y))
        if len(texts) != len(labels):
            raise ValueError(f"X has {len(texts)} samples but y has {len(labels)}")
        self.featurizer_ = self._featurizer()
        return self.fit_matrix(self.featurizer_.transform(texts), labels)

    def fit_matrix(self, M: sp.csr_matrix, y: np.ndarray) -> ContentClassifier:
        """Fit on features already computed by :class:`SentenceFeaturizer`."""
        if not hasattr(self, "featurizer_"):
            self.featurizer_ = self._featurizer()
        classes, counts = np.unique(y, return_counts=True)
        if len(classes) < 2:
            raise ValueError("need at least two classes to fit")
        # newton-cg: lbfgs spends most of its time in its own bookkeeping over the
        # 2**17 hashed columns; Newton-CG's cost is the sparse products (about 20x faster).
        base = LogisticRegression(
            C=self.C,
            class_weight=self.class_weight,
            max_iter=self.max_iter,
            random_state=self.random_state,
            solver=self.solver,
        )
        folds = int(min(self.cv, counts.min()))
        if folds >= 2:
            cv = StratifiedKFold(folds, shuffle=True, random_state=self.random_state)
            self.estimator_: Any = CalibratedClassifierCV(
                base, method=self.calibration, cv=cv, ensemble=False
            ).fit(M, y)
        else:  # too few examples of a class to calibrate: plain logistic probabilities
            self.estimator_ = base.fit(M, y)
        self.classes_ = self.estimator_.classes_
        return self

    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        check_is_fitted(self, "estimator_")
        return self.predict_proba_matrix(self.featurizer_.transform(list(X)))

    def predict_proba_matrix(self, M: sp.csr_matrix) -> np.ndarray:
        check_is_fitted(self, "estimator_")
        proba: np.ndarray = self.estimator_.predict_proba(M)
        return proba

    def predict(self, X: Iterable[str]) -> np.ndarray:
        proba = self.predict_proba(X)
        out: np.ndarray = self.classes_[proba.argmax(axis=1)]
        return out


@dataclass(frozen=True, slots=True)
class SentencePrediction:
    label: str
    confidence: float
    is_question: bool
    question_form: str | None
    spin: str | None


class _LinearHeads:
    """All heads' logistic regressions stacked into one matrix, for one sparse product.

    Reproduces ``CalibratedClassifierCV(method="sigmoid", ensemble=False)`` on a
    ``LogisticRegression``: decision values, per-class sigmoid calibration, normalisation.
    Built only when every head has that shape; otherwise the model uses scikit-learn's own
    ``predict_proba`` (a test checks both agree).
    """

    def __init__(self, heads: Mapping[str, ContentClassifier]) -> None:
        blocks, intercepts = [], []
        self.slices: dict[str, tuple[slice, np.ndarray, np.ndarray, np.ndarray]] = {}
        pos = 0
        for name, head in heads.items():
            cal = head.estimator_
            (inner,) = cal.calibrated_classifiers_  # raises if ensemble=True
            lr = inner.estimator
            coef, b = lr.coef_, lr.intercept_
            a = np.array([c.a_ for c in inner.calibrators], dtype=np.float64)
            bb = np.array([c.b_ for c in inner.calibrators], dtype=np.float64)
            blocks.append(coef.T)
            intercepts.append(b)
            self.slices[name] = (slice(pos, pos + coef.shape[0]), a, bb, head.classes_)
            pos += coef.shape[0]
        self.W = np.hstack(blocks).astype(np.float64)
        self.b = np.concatenate(intercepts)

    def predict_proba(self, M: sp.csr_matrix) -> dict[str, np.ndarray]:
        scores = np.asarray(M @ self.W) + self.b
        out = {}
        for name, (cols, a, b, classes) in self.slices.items():
            z = scores[:, cols]
            cal = 1.0 / (1.0 + np.exp(a * z + b))
            if len(classes) == 2:
                pos = cal[:, -1]
                out[name] = np.column_stack([1.0 - pos, pos])
                continue
            total = cal.sum(axis=1, keepdims=True)
            uniform = np.full_like(cal, 1.0 / len(classes))
            out[name] = np.clip(np.divide(cal, total, out=uniform, where=total != 0), 0.0, 1.0)
        return out


class ContentModel:
    """Four heads over one featuriser: ``label``, ``question``, ``form`` and ``spin``."""

    def __init__(
        self, heads: Mapping[str, ContentClassifier], metadata: Mapping[str, Any] | None = None
    ) -> None:
        missing = {"label", "question", "form", "spin"} - set(heads)
        if missing:
            raise ModelError(f"model is missing heads {sorted(missing)}")
        self.heads = dict(heads)
        self.metadata = dict(metadata or {})
        self.featurizer = self.heads["label"].featurizer_
        try:
            self._linear: _LinearHeads | None = _LinearHeads(self.heads)
        except (AttributeError, ValueError, TypeError):
            self._linear = None  # another estimator shape: use scikit-learn's predict_proba

    def head_proba(self, M: sp.csr_matrix) -> dict[str, np.ndarray]:
        """Calibrated probabilities of every head for every row of ``M``."""
        if self._linear is not None:
            return self._linear.predict_proba(M)
        return {name: h.predict_proba_matrix(M) for name, h in self.heads.items()}

    def predict_refs(
        self, refs: Sequence[SentenceRef], nlp: Language, lexicons: LexiconSet | None = None
    ) -> list[list[Any]]:
        """Classify sentences inside annotated Docs, featurising the whole batch once."""
        if not refs:
            return []
        M = self.featurizer.transform_refs(refs, nlp, lexicons)
        return self.predict_rows(M)

    def predict_texts(self, texts: Sequence[str]) -> list[SentencePrediction]:
        return self.predict_matrix(self.featurizer.transform(list(texts)))

    def predict_matrix(self, M: sp.csr_matrix) -> list[SentencePrediction]:
        return [SentencePrediction(*row) for row in self.predict_rows(M)]

    def predict_rows(self, M: sp.csr_matrix) -> list[list[Any]]:
        """``[label, confidence, is_question, form, spin]`` per row (the stored format)."""
        if M.shape[0] == 0:
            return []
        proba = self.head_proba(M)
        heads = self.heads
        labels = heads["label"].classes_[proba["label"].argmax(axis=1)]
        conf = proba["label"].max(axis=1).round(4)
        q_col = list(heads["question"].classes_).index(True)
        has_qmark = M[:, M.shape[1] - len(DENSE_FEATURES) + _QMARK_COLUMN].toarray().ravel() > 0
        is_q = (proba["question"][:, q_col] >= 0.5) | has_qmark
        forms = np.full(len(labels), None, dtype=object)
        forms[is_q] = heads["form"].classes_[proba["form"].argmax(axis=1)][is_q]
        spin_ok = is_q & (labels == "discovery")
        spins = np.full(len(labels), None, dtype=object)
        spins[spin_ok] = heads["spin"].classes_[proba["spin"].argmax(axis=1)][spin_ok]
        return [
            [str(lab), float(c), bool(q), f, sp_]
            for lab, c, q, f, sp_ in zip(
                labels.tolist(),
                conf.tolist(),
                is_q.tolist(),
                forms.tolist(),
                spins.tolist(),
                strict=True,
            )
        ]

    # -- persistence ---------------------------------------------------------------
    def save(self, path: str | os.PathLike[str], metadata: Mapping[str, Any] | None = None) -> Path:
        """Write ``path`` atomically and its metadata to ``path`` with a ``.json`` suffix."""
        import sklearn

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        os.close(fd)
        try:
            joblib.dump({"format_version": FORMAT_VERSION, "heads": self.heads}, tmp, compress=3)
            digest = _sha256(Path(tmp))
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        meta = {
            **self.metadata,
            **dict(metadata or {}),
            "format_version": FORMAT_VERSION,
            "custfocus_version": __version__,
            "sklearn_version": sklearn.__version__,
            "numpy_version": np.__version__,
            "labels": list(LABELS),
            "model_file": path.name,
            "model_sha256": digest,
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
    os.chmod(tmp, 0o644)  # mkstemp makes files private; a model is meant to be shared
    os.replace(tmp, path)


@contextlib.contextmanager
def _packaged_path() -> Iterator[Path]:
    ref = resources.files("custfocus.models").joinpath(DEFAULT_MODEL)
    with resources.as_file(ref) as p:
        yield Path(p)


def load_model(path: str | os.PathLike[str] | None = None) -> ContentModel:
    """Load the packaged model (``path=None``) or the model file you name.

    Both need their ``.json`` metadata next to them; the file's SHA-256 must match it
    before anything is unpickled. A scikit-learn version mismatch warns with
    :class:`ModelVersionWarning`.
    """
    if path is None:
        with _packaged_path() as p:
            return _load_checked(p, packaged=True)
    return _load_checked(Path(path), packaged=False)


def _load_checked(path: Path, *, packaged: bool) -> ContentModel:
    import sklearn

    what = "the packaged content model" if packaged else f"model {path}"
    meta_file = metadata_path(path)
    if not path.is_file():
        raise ModelError(f"{what}: file not found at {path}")
    if not meta_file.is_file():
        raise ModelError(
            f"{what}: no metadata file {meta_file.name}; a joblib file runs code when "
            "loaded, so custfocus only loads models saved with their metadata"
        )
    try:
        meta = json.loads(meta_file.read_text("utf-8"))
        expected = meta["model_sha256"]
    except (ValueError, KeyError) as exc:
        raise ModelError(f"{what}: unreadable metadata {meta_file} ({exc})") from None
    actual = _sha256(path)
    if actual != expected:
        raise ModelError(
            f"{what}: SHA-256 {actual[:12]}... does not match its metadata "
            f"({str(expected)[:12]}...); refusing to load a file that may have been altered"
        )
    if meta.get("format_version") != FORMAT_VERSION:
        raise ModelError(f"{what}: format version {meta.get('format_version')} is not supported")
    saved = meta.get("sklearn_version")
    if saved != sklearn.__version__:
        warnings.warn(
            f"{what} was saved with scikit-learn {saved} and this is {sklearn.__version__}; "
            "predictions may differ. Retrain with `custfocus train` to silence this.",
            ModelVersionWarning,
            stacklevel=3,
        )
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*Trying to unpickle estimator.*")
        try:
            bundle = joblib.load(path)
        except Exception as exc:  # a corrupt pickle can raise almost anything
            raise ModelError(f"{what}: cannot be loaded ({type(exc).__name__}: {exc})") from exc
    if not isinstance(bundle, dict) or "heads" not in bundle:
        raise ModelError(f"{what}: not a custfocus content model")
    return ContentModel(bundle["heads"], meta)
