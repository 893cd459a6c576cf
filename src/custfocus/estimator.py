"""The scikit-learn side of the content model, used to train it.

:class:`ContentClassifier` is an estimator on raw sentences (hashed text features plus the
core's rule features, a logistic regression, sigmoid-calibrated probabilities).
:func:`stack_heads` turns fitted classifiers into the plain arrays a
:class:`~custfocus.model.ContentModel` scores with, so scoring never imports scikit-learn.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.validation import check_is_fitted

from .features import SentenceFeaturizer
from .model import LinearHeads

__all__ = ["ContentClassifier", "stack_heads"]


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


def stack_heads(heads: Mapping[str, ContentClassifier]) -> LinearHeads:
    """The fitted heads' coefficients and calibration as one :class:`LinearHeads`.

    Handles the two shapes :class:`ContentClassifier` produces: sigmoid calibration over a
    logistic regression (``ensemble=False``), and a plain logistic regression when a class
    had too few examples to calibrate. A test checks the result against scikit-learn.
    """
    blocks, intercepts, cal_a, cal_b, kinds = [], [], [], [], []
    classes = {}
    for name, head in heads.items():
        check_is_fitted(head, "estimator_")
        est = head.estimator_
        if isinstance(est, CalibratedClassifierCV):
            (inner,) = est.calibrated_classifiers_  # one, because ensemble=False
            lr = inner.estimator
            a = [c.a_ for c in inner.calibrators]
            b = [c.b_ for c in inner.calibrators]
            kind = "sigmoid"
        elif isinstance(est, LogisticRegression):
            lr = est
            k = lr.coef_.shape[0]
            # Plain binary logistic regression is the sigmoid of the score: a=-1, b=0.
            a, b = [-1.0] * k, [0.0] * k
            kind = "sigmoid" if k == 1 else "softmax"
        else:
            raise TypeError(f"head {name!r}: cannot stack a {type(est).__name__}")
        blocks.append(lr.coef_.T)
        intercepts.append(lr.intercept_)
        cal_a += a
        cal_b += b
        kinds.append(kind)
        c = np.asarray(head.classes_)
        classes[name] = c.astype(str) if c.dtype == object else c
    return LinearHeads(
        names=tuple(heads),
        kinds=tuple(kinds),
        classes=classes,
        W=np.hstack(blocks).astype(np.float64),
        b=np.concatenate(intercepts).astype(np.float64),
        cal_a=np.asarray(cal_a, dtype=np.float64),
        cal_b=np.asarray(cal_b, dtype=np.float64),
    )
