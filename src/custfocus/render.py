"""HTML output, kept at its old import path: the code lives in :mod:`custfocus.report`."""

from __future__ import annotations

from .advice import suggestions
from .report import audit_html, audit_table_html, report_html

__all__ = ["audit_html", "audit_table_html", "report_html", "suggestions"]
