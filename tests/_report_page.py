"""The bundled examples' audit page, built once per test session (static and browser tests)."""

from __future__ import annotations

import functools
from datetime import datetime, timezone
from pathlib import Path

import custfocus
from custfocus.audit import Audit

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
NAMES = {"seller": ["Northwind", "Northwind Forecast"], "customer": ["Globex", "Initech"]}
GENERATED = datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc)
TEAM = (
    "team-reps",
    "Reps",
    "<div class='cf-scroll'><table class='cf-table'><thead><tr><th>rep</th><th>score</th>"
    "</tr></thead><tbody><tr><td>Sam</td><td>42.0 <span class='cf-flag'>few files</span>"
    "</td></tr></tbody></table></div>",
)


@functools.cache
def examples_audit() -> Audit:
    """The README's main job (the bundled collateral, not the team library under it), in this
    process (the page is what is tested, not isolation)."""
    return custfocus.audit(EXAMPLES, recursive=False, isolate=False, **NAMES).run()  # type: ignore[arg-type]


@functools.cache
def examples_page() -> str:
    """The page with one extra (team-style) section, dated so it is reproducible."""
    from custfocus.report import audit_html

    return audit_html(examples_audit(), [TEAM], generated=GENERATED)
