"""custfocus: measure how customer-centric sales material is.

>>> import custfocus
>>> report = custfocus.score("How is your team handling renewals?", seller=["Acme"])
>>> 0 <= report.score <= 100
True

The public names load on first use, so ``import custfocus`` (and the command line when it
only dispatches work to other processes) does not pay for spaCy and scikit-learn up front.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._version import __version__

# Eager: the function shares its name with the custfocus.audit module, and the module is
# light (it imports the analyzer only when it scores).
from .audit import Audit, AuditRow, audit

if TYPE_CHECKING:
    from .analyzer import Analyzer, score, score_file
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

_HOME = {
    "Analyzer": ".analyzer",
    "score": ".analyzer",
    "score_file": ".analyzer",
    "Document": ".document",
    "Segment": ".document",
    "read": ".readers",
    "Exclusion": ".results",
    "Interval": ".results",
    "Mention": ".results",
    "Report": ".results",
    "Sentence": ".results",
    "ScoringConfig": ".scoring",
}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        value = getattr(import_module(_HOME[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'custfocus' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
