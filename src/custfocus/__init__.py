"""custfocus: measure how customer-centric sales material is.

>>> import custfocus
>>> report = custfocus.score("How is your team handling renewals?", seller=["Acme"])
>>> 0 <= report.score <= 100
True
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from ._version import __version__
from .analyzer import Analyzer, score
from .audit import Audit, AuditRow, audit
from .document import Document, Segment
from .readers import read
from .results import Exclusion, Interval, Mention, Report, Sentence
from .scoring import ScoringConfig

__all__ = [
    "Analyzer",
    "Audit",
    "AuditRow",
    "Document",
    "Exclusion",
    "Interval",
    "Mention",
    "Report",
    "ScoringConfig",
    "Segment",
    "Sentence",
    "__version__",
    "audit",
    "read",
    "score",
    "score_file",
]


def score_file(
    path: str | os.PathLike[str],
    seller: Sequence[str] = (),
    customer: Sequence[str] = (),
    *,
    seller_speakers: Sequence[str] | None = None,
) -> Report:
    """Read a file (any format :func:`read` takes) and score it with the default pipeline."""
    from .analyzer import _cached_analyzer

    return _cached_analyzer(tuple(seller), tuple(customer)).score_file(
        path, seller_speakers=seller_speakers
    )
