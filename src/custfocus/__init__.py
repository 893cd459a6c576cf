"""custfocus: measure how customer-centric sales material is.

>>> import custfocus
>>> report = custfocus.score("How is your team handling renewals?", seller=["Acme"])
>>> 0 <= report.score <= 100
True
"""

from ._version import __version__
from .analyzer import Analyzer, score
from .document import Document, Segment
from .results import Exclusion, Interval, Mention, Report, Sentence
from .scoring import ScoringConfig

__all__ = [
    "Analyzer",
    "Document",
    "Exclusion",
    "Interval",
    "Mention",
    "Report",
    "ScoringConfig",
    "Segment",
    "Sentence",
    "__version__",
    "score",
]
