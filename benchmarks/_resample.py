"""A statistic two benchmarks share: how sure is a gain in pair F1 between two groupings?

``messages.py`` and ``themes.py`` both score a grouping over pairs of rows from different
clusters (dialogues, accounts) and compare two groupings. The interval resamples whole
clusters, not pairs, since a cluster's rows are not independent of each other.
"""

from __future__ import annotations

import numpy as np


def pair_f1(weight: np.ndarray, same: np.ndarray, pred: np.ndarray) -> float:
    """F1 of ``pred`` ("in one group") against ``same`` ("share a label"), pairs weighted."""
    tp, n_pred, n_true = weight[same & pred].sum(), weight[pred].sum(), weight[same].sum()
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_true if n_true else 0.0
    return float(2 * p * r / (p + r)) if p + r else 0.0


def gain_interval(
    cluster: np.ndarray,
    i: np.ndarray,
    j: np.ndarray,
    same: np.ndarray,
    base: list[int],
    other: list[int],
    n: int = 1000,
) -> tuple[float, float]:
    """95% interval of pair F1(``other``) - F1(``base``) over the pairs (``i[k]``, ``j[k]``),
    resampling the clusters (``cluster[row]``, numbered 0..m-1) with replacement, seeded.

    ``base`` and ``other`` give each row's group; ``same`` says whether a pair shares a label.
    """
    m = int(cluster.max()) + 1
    preds = [np.asarray(t)[i] == np.asarray(t)[j] for t in (base, other)]
    rng = np.random.default_rng(11)
    gains = []
    for _ in range(n):
        w = rng.multinomial(m, np.full(m, 1 / m))
        weight = (w[cluster[i]] * w[cluster[j]]).astype(float)
        f = [pair_f1(weight, same, pred) for pred in preds]
        gains.append(f[1] - f[0])
    lo, hi = np.percentile(gains, [2.5, 97.5])
    return float(lo), float(hi)
