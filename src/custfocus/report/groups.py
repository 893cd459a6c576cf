"""Scores per rep, account, offering, genre or month as an HTML section of the audit page."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .formatting import figure

if TYPE_CHECKING:
    from ..audit.groups import Groups

__all__ = ["groups_section"]

_BANDS = ("self-centred", "mixed", "customer-centred")


def groups_section(groups: Groups) -> tuple[str, str, str]:
    """``(id, title, html)`` for one grouping: per group its files, score spread and bands,
    worst mean first, with the worst and best file named (the files behind the figure)."""
    rows: list[Sequence[str]] = []
    ordered = sorted(
        groups.groups,
        key=lambda g: (g.figures["score"].mean is None, g.figures["score"].mean or 0.0, g.key),
    )
    for g in ordered:
        s = g.figures["score"]
        worst = s.min_file.rsplit("/", 1)[-1] if s.min_file else ""
        best = s.max_file.rsplit("/", 1)[-1] if s.max_file else ""
        rows.append(
            (
                g.key,
                str(g.files),
                str(s.n),
                figure(s.mean),
                figure(s.median),
                "" if s.min is None else f"{figure(s.min)}–{figure(s.max)}",
                " / ".join(str(g.bands.get(b, 0)) for b in _BANDS),
                f"{worst} ({figure(s.min)})" if worst else "",
                f"{best} ({figure(s.max)})" if best else "",
            )
        )
    head = (groups.by, "files", "scored", "mean", "median", "range",
            "self-centred / mixed / customer-centred", "lowest file", "highest file")  # fmt: skip
    cells = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    table = (
        "<div class='cf-scroll'><table class='cf-table'><thead><tr>"
        + "".join(f"<th scope='col'>{html.escape(h)}</th>" for h in head)
        + f"</tr></thead><tbody>{cells}</tbody></table></div>"
    )
    note = (
        "<p class='cf-muted'>Scores are 0-100; lowest mean first. A group is the files whose "
        f"{html.escape(groups.by)} the manifest gives or custfocus inferred "
        "(docs/METHOD.md section 15).</p>"
    )
    return f"team-by-{groups.by}", f"Scores by {groups.by}", note + table
