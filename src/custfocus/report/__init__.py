"""Reports as HTML: the audit page, notebook views, and what each figure means.

One concept per module: :mod:`.formatting` (one number format), :mod:`.glossary` (every
figure's meaning), :mod:`.text` (one report: figures, rewrites, marked text), :mod:`.table`
(the files table), :mod:`.chart` (the histogram), :mod:`.page` (the whole audit page).
Every page is self-contained: its stylesheet and script are inlined, nothing is fetched.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .formatting import figure
from .glossary import FIGURES, Definition
from .page import Section, asset, audit_html
from .table import files_table_html
from .text import report_body_html

if TYPE_CHECKING:
    from ..audit import AuditRow
    from ..results import Report

__all__ = [
    "FIGURES",
    "Definition",
    "Section",
    "audit_html",
    "audit_table_html",
    "figure",
    "report_html",
]


def report_html(report: Report) -> str:
    """A report as an HTML fragment (used by Jupyter through ``Report._repr_html_``)."""
    body = report_body_html(report, link=False, collapse=False)
    return f"<div class='cf'><style>{asset('report.css')}</style>{body}</div>"


def audit_table_html(rows: Sequence[AuditRow]) -> str:
    """The files table for a notebook (``Audit._repr_html_``): worst first, sortable.

    File names are plain text (a notebook has no sections to link to); the sort script is
    inline and does nothing where a notebook front end does not run scripts.
    """
    return (
        f"<div class='cf'><style>{asset('report.css')}</style>"
        f"{files_table_html(rows, link=False)}<script>{asset('report.js')}</script></div>"
    )
