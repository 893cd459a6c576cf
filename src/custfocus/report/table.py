"""The files table: worst first, every column a figure with its meaning, sortable, filterable.

Sortable headers are buttons (keyboard-usable); cells carry their raw value in ``data-v`` so
the inline script sorts numbers as numbers. Without the script the table still reads worst
first.
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .formatting import figure
from .glossary import FIGURES
from .text import band_class

if TYPE_CHECKING:
    from ..audit import AuditRow

__all__ = ["COLUMNS", "file_anchor", "files_table_html", "short_paths", "worst_first"]

#: (figure key, header) of every column, in order.
COLUMNS = (
    ("file", "File"),
    ("score", "Score"),
    ("band", "Band"),
    ("reference", "Reference"),
    ("content", "Content"),
    ("customer_share", "Customer share"),
    ("words", "Words"),
    ("format", "Format"),
    ("status", "Status"),
)

_STATUS_ORDER = {"ok": 0, "error": 1, "skipped": 2}


def worst_first(rows: Sequence[AuditRow]) -> list[int]:
    """Row indices: scored files lowest score first, then errors, then skipped, by path."""
    return sorted(
        range(len(rows)),
        key=lambda i: (
            _STATUS_ORDER.get(rows[i].status, 3),
            rows[i].score if rows[i].score is not None else 0.0,
            rows[i].path,
        ),
    )


def short_paths(rows: Sequence[AuditRow]) -> list[str]:
    """Each row's path without the folder all of them share (the footer names that folder).

    >>> from custfocus.audit import AuditRow
    >>> short_paths([AuditRow("/x/lib/a.pdf", "pdf", "ok"), AuditRow("/x/lib/b/c.txt", None, "ok")])
    ['a.pdf', 'b/c.txt']
    """
    paths = [r.path for r in rows]
    if not paths:
        return []
    try:
        common = os.path.commonpath([os.path.dirname(p) for p in paths])
    except ValueError:  # absolute and relative mixed, or different drives
        return paths
    if not common:
        return paths
    return [os.path.relpath(p, common) for p in paths]


def file_anchor(i: int) -> str:
    """The id of row ``i``'s section on the audit page."""
    return f"file-{i}"


def _header(key: str, title: str, link: bool) -> str:
    d = FIGURES.get(key)
    tip = f" title='{html.escape(d.meaning)}'" if d else ""
    # The definition link sits beside the sort button, not inside it: one control each.
    ref = f" <a class='cf-q' href='#{d.anchor}' aria-label='what {title} means'>?</a>" if (
        d and link
    ) else ""  # fmt: skip
    return (
        f"<th scope='col' aria-sort='none' data-key='{key}'><button type='button'{tip}>"
        f"{html.escape(title)}<span class='cf-arrow' aria-hidden='true'></span></button>"
        f"{ref}</th>"
    )


def _cell(value: str, sort: object, cls: str = "") -> str:
    c = f" class='{cls}'" if cls else ""
    v = "" if sort is None else html.escape(str(sort))
    return f"<td{c} data-v='{v}'>{value}</td>"


def files_table_html(rows: Sequence[AuditRow], *, link: bool = True) -> str:
    """One row per file, worst first; ``link`` makes file names link to their sections.

    A notebook (``link=False``) gets plain file names: it has no sections to land on.
    """
    head = "".join(_header(k, t, link) for k, t in COLUMNS)
    body = []
    names = short_paths(rows)
    for i in worst_first(rows):
        r = rows[i]
        name = html.escape(names[i])
        shown = f"<a href='#{file_anchor(i)}'>{name}</a>" if link else name
        status = html.escape(r.status)
        if r.status != "ok":
            tip = html.escape(f"{r.error_type or r.status}: {r.reason or ''}")
            status = f"<span class='cf-flag' title='{tip}'>{html.escape(r.status)}</span>"
        b = r.band or ""
        band_html = f"<span class='cf-band {band_class(r.score)}'>{b}</span>" if b else "–"
        body.append(
            f"<tr data-status='{html.escape(r.status)}' data-format='{html.escape(r.format or '')}'"
            f" data-band='{b}'>"
            + _cell(shown, names[i], "cf-path")
            + _cell(figure(r.score), r.score, f"score {band_class(r.score)}")
            + _cell(band_html, r.score)
            + _cell(figure(r.reference, "component"), r.reference)
            + _cell(figure(r.content, "component"), r.content)
            + _cell(figure(r.customer_share, "share"), r.customer_share)
            + _cell(figure(r.words, "count"), r.words)
            + _cell(html.escape(r.format or "–"), r.format or "")
            + _cell(status, f"{_STATUS_ORDER.get(r.status, 3)}{r.status}")
            + "</tr>"
        )
    return (
        "<div class='cf-scroll'><table class='cf-table cf-sortable'>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )
