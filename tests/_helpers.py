"""Small assertion helpers shared by the tests."""

from __future__ import annotations

import custfocus


def rules(report: custfocus.Report) -> list[tuple[str, str]]:
    """(text, rule) of every counted mention, for compact assertions."""
    return [(m.text, m.rule) for m in report.mentions]


def excluded(report: custfocus.Report) -> list[tuple[str, str]]:
    return [(e.text, e.rule) for e in report.excluded]
