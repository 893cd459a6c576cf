"""The audit as one self-contained page: worst files first, what to change, details on demand.

Layout: a summary (which files need work and the counts), the files table (worst first,
sortable, filterable), the score distribution, one card per file (figures, the sentences to
rewrite, the full text collapsed), errors and skipped files with reasons, extra sections
(team pages), the method (every figure defined, offline) and the footer (settings, names,
versions, date). Nothing is fetched: the stylesheet and script are inlined.
"""

from __future__ import annotations

import dataclasses
import html
import json
import platform
import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from importlib import metadata, resources
from typing import TYPE_CHECKING

from .._version import __version__
from ..advice import suggestions
from ..errors import ConfigError
from ..results import Report
from ..scoring import BANDS
from .chart import histogram_svg
from .formatting import figure
from .glossary import definition_link, method_html
from .table import file_anchor, files_table_html, short_paths, worst_first
from .text import band_class, report_body_html

if TYPE_CHECKING:
    from ..audit import Audit, AuditRow

__all__ = ["Section", "asset", "audit_html"]

#: An extra part of the page: (id, title, self-contained HTML fragment). Team pages
#: (``TeamReport.html_sections()``) come in this shape.
Section = tuple[str, str, str]

_SECTION_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")
_OWN_IDS = frozenset({"summary", "files", "distribution", "changes", "problems", "method",
                      "about"})  # fmt: skip


#: Footer labels of the settings a reader looks for first; other fields show as "Settings: x".
_SETTING_LABELS = {
    "seller": "Seller names (given)",
    "customer": "Customer names (given)",
    "seller_speakers": "Seller speakers (given)",
}


def asset(name: str) -> str:
    """A packaged stylesheet or script (``report.css``, ``report.js``) as text."""
    return resources.files("custfocus.report").joinpath(name).read_text(encoding="utf-8")


def _check_sections(sections: Sequence[Section]) -> list[Section]:
    seen: set[str] = set()
    for sid, _title, _body in sections:
        if not _SECTION_ID.match(sid) or sid in _OWN_IDS or sid.startswith(("file-", "m-")):
            raise ConfigError(
                f"report section id {sid!r}: use letters, digits, '-' or '_', starting with a "
                "letter, and none of the report's own ids"
            )
        if sid in seen:
            raise ConfigError(f"report section id {sid!r} is given twice")
        seen.add(sid)
    return list(sections)


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _first_fix(report: Report | None) -> str:
    """The one change most worth making in a file, for the summary."""
    if report is None:
        return ""
    tips = suggestions(report, limit=1)
    return f"<br><span class='cf-muted'>{html.escape(tips[0])}</span>" if tips else ""


def _summary_html(rows: Sequence[AuditRow], reports: Sequence[Report | None]) -> str:
    ok = [r for r in rows if r.score is not None]
    errors = [r for r in rows if r.status == "error"]
    skipped = [r for r in rows if r.status == "skipped"]
    counts = {b.name: sum(r.band == b.name for r in ok) for b in BANDS}
    order = worst_first(rows)
    names = short_paths(rows)
    needs = [i for i in order if rows[i].score is not None and rows[i].band != BANDS[-1].name]
    bands = " · ".join(
        f"<span class='cf-band cf-band-{b.name}'>{counts[b.name]} {html.escape(b.name)}</span>"
        f" <span class='cf-muted'>({figure(b.low)}–{figure(b.high)})</span>"
        for b in BANDS
    )
    lead = (
        f"<p class='cf-lead'>{len(rows)} file{'' if len(rows) == 1 else 's'}: {len(ok)} scored, "
        f"<a href='#problems'>{len(errors)} unreadable, {len(skipped)} skipped</a>.</p>"
        f"<p>{bands}</p>"
    )
    if needs:
        items = "".join(
            f"<li><a href='#{file_anchor(i)}'>{html.escape(names[i])}</a> "
            f"<span class='score {band_class(rows[i].score)}'>{figure(rows[i].score)}</span> "
            f"<span class='cf-muted'>{html.escape(rows[i].band or '')}</span>"
            f"{_first_fix(reports[i])}</li>"
            for i in needs
        )
        work = (
            f"<h3>Needs work first ({len(needs)} under {figure(BANDS[-1].low)})</h3>"
            f"<ol class='cf-needs'>{items}</ol>"
        )
    else:
        work = "<p>Every scored file is customer-centred.</p>"
    return lead + work


def _filters_html(rows: Sequence[AuditRow]) -> str:
    def select(key: str, label: str, values: list[str]) -> str:
        opts = "".join(f"<option value='{html.escape(v)}'>{html.escape(v)}</option>"
                       for v in values)  # fmt: skip
        return (
            f"<label>{label} <select data-filter='{key}'><option value=''>all</option>{opts}"
            "</select></label>"
        )

    formats = sorted({r.format for r in rows if r.format})
    statuses = [s for s in ("ok", "error", "skipped") if any(r.status == s for r in rows)]
    bands = [b.name for b in BANDS if any(r.band == b.name for r in rows)]
    return (
        "<div class='cf-filters' role='group' aria-label='Filter the files'>"
        + select("status", "Status", statuses)
        + select("format", "Format", formats)
        + select("band", "Band", bands)
        + "<output id='cf-shown' class='cf-muted' aria-live='polite'></output></div>"
    )


def _card_html(i: int, name: str, row: AuditRow, report: Report | None) -> str:
    attrs = (
        f"data-status='{html.escape(row.status)}' data-format='{html.escape(row.format or '')}' "
        f"data-band='{row.band or ''}'"
    )
    head = (
        f"<h3>{html.escape(name)} <span class='cf-badge {band_class(row.score)}'>"
        f"{figure(row.score)} · {html.escape(row.band or '')}</span></h3>"
    )
    if report is None:
        body = (
            "<p class='cf-muted'>Its full report was not kept (a resumed audit, or "
            "keep_reports=False): its figures are in the files table.</p>"
        )
    else:
        body = report_body_html(report, score=row.score)
    return f"<section class='cf-file' id='{file_anchor(i)}' {attrs}>{head}{body}</section>"


def _problems_html(rows: Sequence[AuditRow]) -> str:
    names = short_paths(rows)
    bad = [(i, r) for i, r in enumerate(rows) if r.status != "ok"]
    if not bad:
        return "<p>Every file was read and scored.</p>"
    items = "".join(
        f"<tr id='{file_anchor(i)}' data-status='{html.escape(r.status)}' "
        f"data-format='{html.escape(r.format or '')}' data-band=''>"
        f"<td class='cf-path'>{html.escape(names[i])}</td><td><span class='cf-flag'>"
        f"{html.escape(r.error_type or r.status)}</span></td>"
        f"<td>{html.escape(r.reason or '')}</td></tr>"
        for i, r in bad
    )
    return (
        "<div class='cf-scroll'><table class='cf-table'><thead><tr><th>File</th><th>Status</th>"
        f"<th>Reason</th></tr></thead><tbody>{items}</tbody></table></div>"
    )


def _about_html(audit: Audit, about: Mapping[str, str], generated: datetime) -> str:
    reports = [r for r in audit.reports if r is not None]
    items: list[tuple[str, str]] = [
        ("Generated", generated.strftime("%Y-%m-%d %H:%M UTC")),
        ("custfocus", __version__),
        ("Lexicons", ", ".join(sorted({r.lexicon_version for r in reports})) or "–"),
    ]
    models = sorted({str(r.meta["model"]) for r in reports if r.meta.get("model")})
    settings = audit.settings
    model = "none (reference focus only)" if settings.model is None else str(settings.model)
    items.append(("Model", model + (f" (sha256 {', '.join(models)}…)" if models else "")))
    for f in dataclasses.fields(settings):
        if f.name == "model":
            continue
        value = getattr(settings, f.name)
        if isinstance(value, (tuple, list)):
            shown = ", ".join(map(str, value)) or "none given"
        elif isinstance(value, Mapping):
            shown = json.dumps(dict(value), sort_keys=True, default=str) if value else "defaults"
        else:
            shown = "–" if value is None else str(value)
        items.append((_SETTING_LABELS.get(f.name, f"Settings: {f.name.replace('_', ' ')}"), shown))
    # Anything a stage recorded on the reports (inferred names, ...) beyond the model id.
    extra: dict[str, set[str]] = {}
    for r in reports:
        for k, v in r.meta.items():
            if k != "model" and v not in (None, "", (), []):
                vals = v if isinstance(v, (list, tuple, set)) else [v]
                extra.setdefault(k, set()).update(map(str, vals))
    for k, vals in sorted(extra.items()):
        items.append((k.replace("_", " ").capitalize(), ", ".join(sorted(vals))))
    items.extend(about.items())
    items.append(
        (
            "Packages",
            f"Python {platform.python_version()}, spaCy {_version('spacy')}, "
            f"numpy {_version('numpy')}, scipy {_version('scipy')}",
        )
    )
    paths = [str(p) for p in audit.paths]
    listed = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
    items.append(("Audited", f"{len(paths)} file{'' if len(paths) == 1 else 's'}: {listed}"))
    rows = audit.rows
    if rows and short_paths(rows)[0] != rows[0].path:
        folder = rows[0].path[: len(rows[0].path) - len(short_paths(rows)[0])]
        items.append(("File names relative to", folder.rstrip("/\\") or "/"))
    dl = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in items)
    return f"<dl>{dl}</dl>"


def audit_html(
    audit: Audit,
    sections: Sequence[Section] = (),
    *,
    about: Mapping[str, str] | None = None,
    generated: datetime | None = None,
) -> str:
    """The whole audit as one self-contained HTML page.

    ``sections`` adds parts to the page and its navigation, after the files (team pages:
    ``TeamReport.html_sections()``); each is ``(id, title, html)`` with a fragment that
    styles itself with ``table.cf-table``, ``div.cf-scroll`` and ``.cf-flag``. ``about`` adds
    lines to the footer (e.g. inferred names); ``generated`` fixes the date shown.
    """
    from ..audit.discovery import REPORT_MARKER

    extra = _check_sections(sections)
    rows, reports = audit.rows, audit.reports
    when = generated or datetime.now(timezone.utc)
    order = worst_first(rows)
    names = short_paths(rows)
    cards = "".join(
        _card_html(i, names[i], rows[i], reports[i]) for i in order if rows[i].status == "ok"
    )
    ok = [r for r in rows if r.score is not None]
    errors = sum(r.status == "error" for r in rows)
    meta = json.dumps(
        {"files": len(rows), "errors": errors, "skipped": sum(r.status == "skipped" for r in rows)}
    )
    nav = [("summary", "Summary"), ("files", "Files"), ("distribution", "Distribution"),
           ("changes", "What to change"), ("problems", "Errors & skipped"),
           *[(sid, title) for sid, title, _ in extra], ("method", "Method"),
           ("about", "About")]  # fmt: skip
    nav_html = "".join(f"<li><a href='#{sid}'>{html.escape(t)}</a></li>" for sid, t in nav)
    extra_html = "".join(
        f"<section class='cf-extra' id='{sid}'><h2>{html.escape(title)}</h2>{body}</section>"
        for sid, title, body in extra
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"{REPORT_MARKER}<title>custfocus audit</title><style>{asset('report.css')}</style>"
        f"</head><body class='cf'><nav class='cf-nav' aria-label='Sections'><ul>{nav_html}"
        "</ul></nav><main>"
        f"<script type='application/json' id='summary-data'>{meta}</script>"
        "<section id='summary'><h1>custfocus audit</h1>"
        f"{_summary_html(rows, reports)}</section>"
        "<section id='files'><h2>Files, worst first</h2>"
        f"<p class='cf-muted'>{definition_link('score', 'Score')}, "
        f"{definition_link('reference', 'reference')} and {definition_link('content', 'content')}"
        f" are 0-100; {definition_link('customer_share', 'customer share')} is a percentage. "
        "Click a column to sort; pick a status, format or band to filter.</p>"
        f"{_filters_html(rows)}{files_table_html(rows)}</section>"
        "<section id='distribution'><h2>Score distribution</h2>"
        f"{histogram_svg(r.score or 0.0 for r in ok)}"
        f"<p class='cf-muted'>Bars: files per 10 points of the "
        f"{definition_link('score', 'Customer Focus Score')}, coloured by "
        f"<a href='#m-bands'>band</a>.</p></section>"
        "<section id='changes'><h2>What to change, worst first</h2>"
        "<p class='cf-muted'>Per file: the sentences most worth rewriting (why, and how), "
        "other suggestions, its figures, then the full highlighted text, collapsed.</p>"
        f"{cards or '<p>No file was scored.</p>'}</section>"
        f"<section id='problems'><h2>Errors and skipped files</h2>{_problems_html(rows)}"
        f"</section>{extra_html}<section id='method'><h2>Method: what each figure means</h2>"
        f"{method_html()}</section></main>"
        f"<footer class='cf-about' id='about'><main><h2>About this report</h2>"
        f"{_about_html(audit, about or {}, when)}</main></footer>"
        f"<script>{asset('report.js')}</script></body></html>"
    )
