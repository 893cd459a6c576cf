"""HTML for notebooks and audit reports: self-contained, no network, no external scripts.

Customer mentions are highlighted in one colour and self mentions in another; every
sentence carries its label; suggestions come from what was found.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from .advice import suggestions
from .results import Report, Sentence, SpeakerRole
from .scoring import BANDS, band

if TYPE_CHECKING:
    from .audit import Audit, AuditRow

__all__ = ["audit_html", "audit_table_html", "report_html", "suggestions"]

STYLE = """
.cf{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;line-height:1.5;color:#1d2330}
.cf h1{font-size:1.5em}.cf h2{font-size:1.2em;margin-top:1.6em}.cf h3{font-size:1.05em}
.cf .m-customer{background:#c8f0d2;border-bottom:2px solid #1f9d55;border-radius:2px}
.cf .m-self{background:#fbd5d5;border-bottom:2px solid #c53030;border-radius:2px}
.cf .m-shared{background:#dbe7fb;border-bottom:2px solid #2b6cb0;border-radius:2px}
.cf .x{text-decoration:line-through;text-decoration-color:#999}
.cf .s{display:block;margin:.15em 0;padding:.1em .4em;border-left:4px solid #ddd}
.cf .s-discovery{border-color:#1f9d55}.cf .s-value{border-color:#2b6cb0}
.cf .s-pitch{border-color:#c53030}.cf .s-other{border-color:#cbd2d9}
.cf .s-unscored{opacity:.55}
.cf .lab{font-size:.72em;text-transform:uppercase;letter-spacing:.04em;color:#52606d;
 margin-right:.5em;white-space:nowrap}
.cf .loc{font-size:.72em;color:#7b8794;margin-right:.5em}
.cf table{border-collapse:collapse;font-size:.9em}.cf th,.cf td{padding:.3em .6em;
 border-bottom:1px solid #e4e7eb;text-align:left}.cf th{cursor:pointer;background:#f5f7fa}
.cf .score{font-weight:600}.cf .band-self-centred{color:#c53030}
.cf .band-mixed{color:#b7791f}.cf .band-customer-centred{color:#1f9d55}
.cf .legend span{margin-right:1em}.cf .file{border-top:1px solid #e4e7eb;margin-top:1.5em}
.cf .err{color:#c53030}.cf ul.sugg li{margin:.2em 0}
"""

SORT_JS = """
document.querySelectorAll('table.sortable th').forEach(function(th, col){
  th.addEventListener('click', function(){
    var tb = th.closest('table').tBodies[0], rows = Array.from(tb.rows);
    var asc = th.dataset.asc !== '1'; th.dataset.asc = asc ? '1' : '0';
    rows.sort(function(a, b){
      var x = a.cells[col].dataset.v || a.cells[col].textContent;
      var y = b.cells[col].dataset.v || b.cells[col].textContent;
      var nx = parseFloat(x), ny = parseFloat(y);
      var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return asc ? c : -c;
    });
    rows.forEach(function(r){ tb.appendChild(r); });
  });
});
"""

_LABEL_TITLE = {
    "discovery": "discovery: asks about the buyer",
    "value": "value: an outcome in the buyer's terms",
    "pitch": "pitch: about the seller or product",
    "other": "other",
}


def _fmt(x: float | None, pct: bool = False) -> str:
    if x is None:
        return "–"
    return f"{100 * x:.0f}%" if pct else f"{x:.1f}"


def _highlight(report: Report, sentence: Sentence) -> str:
    """The sentence text with mentions wrapped in coloured spans (offsets from the report)."""
    spans: list[tuple[int, int, str, str]] = []
    for m in report.mentions:
        if sentence.start <= m.start and m.end <= sentence.end:
            spans.append((m.start, m.end, f"m-{m.side}", f"{m.side} · {m.rule}"))
    for x in report.excluded:
        if sentence.start <= x.start and x.end <= sentence.end:
            spans.append((x.start, x.end, "x", f"not counted · {x.rule}: {x.reason}"))
    spans.sort()
    out, pos = [], sentence.start
    for s, e, cls, title in spans:
        if s < pos:
            continue
        out.append(html.escape(report.text[pos:s]))
        out.append(
            f'<span class="{cls}" title="{html.escape(title)}">'
            f"{html.escape(report.text[s:e])}</span>"
        )
        pos = e
    out.append(html.escape(report.text[pos : sentence.end]))
    return "".join(out)


def _sentence_html(report: Report, s: Sentence) -> str:
    classes = ["s", f"s-{s.label or 'other'}"]
    if not s.scored:
        classes.append("s-unscored")
    bits = []
    if s.location:
        who = f" · {s.speaker}" if s.speaker else ""
        bits.append(f'<span class="loc">{html.escape(s.location + who)}</span>')
    if s.label:
        extra = ""
        if s.is_question:
            extra = f" · {s.question_form or ''} question"
            if s.spin:
                extra += f" · {s.spin.replace('_', '-')}"
        if s.superlatives:
            extra += " · superlative"
        if s.rule:
            extra += f" · rule {s.rule}"
        title = _LABEL_TITLE.get(s.label, s.label)
        conf = f" ({s.confidence:.0%})" if s.confidence is not None else ""
        bits.append(
            f'<span class="lab" title="{html.escape(title + conf)}">'
            f"{html.escape(s.label + extra)}</span>"
        )
    if not s.scored:
        bits.append('<span class="lab">not scored</span>')
    return f'<span class="{" ".join(classes)}">{"".join(bits)}{_highlight(report, s)}</span>'


#: Bar colour of each band in the score histogram (text colours are in STYLE).
BAND_COLOURS = {"self-centred": "#c53030", "mixed": "#b7791f", "customer-centred": "#1f9d55"}


def _band_cls(score: float | None) -> str:
    return "" if score is None else f"band-{band(score)}"


def _sellers(roles: Sequence[SpeakerRole]) -> str:
    """ "Sam (label, 99%)", with "uncertain" when the roles are a flagged guess."""
    shown = [f"{r.speaker} ({r.method}, {r.confidence:.0%})" for r in roles if r.role == "seller"]
    text = ", ".join(shown) or "none"
    return text + (" · uncertain" if any(r.uncertain for r in roles) else "")


def _figures(report: Report) -> str:
    rows = [("Customer Focus Score", f"{report.score:.1f} / 100 · {report.band}")]
    for name, value in report.components.items():
        if value is not None:
            rows.append((f"{name} focus", f"{value:.2f}"))
    ci = report.customer_share_interval
    share = _fmt(report.customer_share, pct=True)
    if ci:
        share += f" (95% CI {ci.low:.0%}–{ci.high:.0%})"
    rows.append(("customer share of mentions", share))
    rows.append(("naive We-We (surface pronouns)", _fmt(report.naive_we_we, pct=True)))
    if report.content:
        c = report.content
        rows.append(
            (
                "discovery / value / pitch",
                f"{_fmt(c.discovery_share, True)} / {_fmt(c.value_share, True)} / "
                f"{_fmt(c.pitch_share, True)}",
            )
        )
        rows.append(("questions", str(c.questions)))
    if report.conversation:
        cv = report.conversation
        ratio = cv.seller_talk_ratio_time or cv.seller_talk_ratio_words
        rows.append(("seller(s)", _sellers(cv.roles)))
        rows.append(("seller talk ratio", _fmt(ratio, pct=True) + " (top performers ≈43%)"))
        rows.append(("seller questions", str(cv.seller_questions)))
    cells = []
    for i, (k, v) in enumerate(rows):
        cls = f" class='score {_band_cls(report.score)}'" if i == 0 else ""
        cells.append(f"<tr><th>{html.escape(k)}</th><td{cls}>{html.escape(v)}</td></tr>")
    return f"<table>{''.join(cells)}</table>"


def report_body_html(report: Report) -> str:
    legend = (
        '<p class="legend"><span class="m-customer">customer</span>'
        '<span class="m-self">self</span><span class="m-shared">shared</span>'
        '<span class="x">not counted</span></p>'
    )
    sugg = suggestions(report)
    sugg_html = (
        "<h3>Suggestions</h3><ul class='sugg'>"
        + "".join(f"<li>{html.escape(x)}</li>" for x in sugg)
        + "</ul>"
        if sugg
        else ""
    )
    voice = ""
    if report.customer_voice:
        items = "".join(
            f"<li><span class='loc'>{html.escape(q.location or '')} · "
            f"{html.escape(q.speaker or '')}</span> <b>{html.escape(q.kind)}</b>: "
            f"{html.escape(q.text)}</li>"
            for q in report.customer_voice
        )
        voice = f"<h3>Customer voice</h3><ul>{items}</ul>"
    sentences = "".join(_sentence_html(report, s) for s in report.sentences)
    return f"{_figures(report)}{sugg_html}{voice}<h3>Text</h3>{legend}<div>{sentences}</div>"


def report_html(report: Report) -> str:
    """A report as an HTML fragment (used by Jupyter through ``Report._repr_html_``)."""
    return f"<div class='cf'><style>{STYLE}</style>{report_body_html(report)}</div>"


def audit_table_html(rows: Sequence[AuditRow]) -> str:
    head = "".join(
        f"<th>{h}</th>"
        for h in ("file", "format", "score", "reference", "content", "customer share", "words",
                  "status")
    )  # fmt: skip
    body = []
    for i, r in enumerate(rows):
        cls = _band_cls(r.score)
        link = f"<a href='#f{i}'>{html.escape(r.path)}</a>"
        if r.status == "ok":
            status = "ok"
        elif r.status == "skipped":
            status = f"<span title='{html.escape(r.reason or '')}'>skipped</span>"
        else:
            status = (
                f"<span class='err' title='{html.escape(r.reason or '')}'>"
                f"{html.escape(r.error_type or 'error')}</span>"
            )
        body.append(
            f"<tr><td data-v='{html.escape(r.path)}'>{link}</td>"
            f"<td>{html.escape(r.format or '')}</td>"
            f"<td class='score {cls}' data-v='{'' if r.score is None else r.score}'>"
            f"{_fmt(r.score)}</td><td>{_fmt(r.reference and r.reference * 100)}</td>"
            f"<td>{_fmt(r.content and r.content * 100)}</td>"
            f"<td>{_fmt(r.customer_share, pct=True)}</td><td>{r.words or 0}</td>"
            f"<td>{status}</td></tr>"
        )
    return (
        f"<div class='cf'><style>{STYLE}</style><table class='sortable'><thead><tr>{head}</tr>"
        f"</thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def band_legend_html() -> str:
    """The bands and their cut points, in their colours (docs/METHOD.md)."""
    items = "".join(
        f"<span class='band-{b.name}'>{html.escape(b.name)} {b.low:g}–{b.high:g}</span>"
        for b in BANDS
    )
    return f"<p class='legend'>{items}</p>"


def _histogram_svg(scores: Iterable[float]) -> str:
    bins = [0] * 10
    for s in scores:
        bins[min(9, int(s // 10))] += 1
    top = max(bins) or 1
    bars = []
    for i, n in enumerate(bins):
        h = 120 * n / top
        colour = BAND_COLOURS[band(i * 10)]
        bars.append(
            f"<rect x='{i * 36 + 30}' y='{140 - h:.1f}' width='30' height='{h:.1f}' "
            f"fill='{colour}'><title>{i * 10}–{i * 10 + 10}: {n} file(s)</title></rect>"
            f"<text x='{i * 36 + 45}' y='156' font-size='10' text-anchor='middle'>{i * 10}</text>"
        )
    return (
        "<svg xmlns='http://www.w3.org/2000/svg' width='400' height='170' role='img' "
        "aria-label='score distribution'>" + "".join(bars) + "</svg>"
    )


def audit_html(audit: Audit) -> str:
    """The whole audit as one self-contained HTML page."""
    from .audit.discovery import REPORT_MARKER

    rows = audit.rows
    reports = audit.reports
    ok = [r for r in rows if r.score is not None]
    skipped = sum(r.status == "skipped" for r in rows)
    ranked = sorted(ok, key=lambda r: r.score or 0.0)
    worst = "".join(f"<li>{html.escape(r.path)}: {_fmt(r.score)}</li>" for r in ranked[:3])
    best = "".join(f"<li>{html.escape(r.path)}: {_fmt(r.score)}</li>" for r in ranked[::-1][:3])
    files = []
    for i, (row, report) in enumerate(zip(rows, reports, strict=True)):
        if report is None:
            detail = f"<p class='err'>{html.escape(row.error or 'not scored')}</p>"
        else:
            detail = report_body_html(report)
        files.append(
            f"<section class='file' id='f{i}'><h2>{html.escape(row.path)} "
            f"<small>{html.escape(row.format or '')} · {_fmt(row.score)}</small></h2>"
            f"{detail}</section>"
        )
    errors = len(rows) - len(ok) - skipped
    meta = json.dumps({"files": len(rows), "errors": errors, "skipped": skipped})
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"{REPORT_MARKER}<title>custfocus audit</title><style>{STYLE}</style></head>"
        "<body class='cf'>"
        f"<h1>custfocus audit</h1><script type='application/json' id='summary'>{meta}</script>"
        f"<p>{len(rows)} file(s), {len(ok)} scored, {errors} unreadable, {skipped} skipped "
        "(not a format custfocus reads).</p>"
        f"<h2>Score distribution</h2>{_histogram_svg(r.score or 0.0 for r in ok)}"
        f"{band_legend_html()}"
        f"<h2>Least customer-focused</h2><ol>{worst}</ol>"
        f"<h2>Most customer-focused</h2><ol>{best}</ol>"
        f"<h2>All files</h2>{audit_table_html(rows)}"
        f"{''.join(files)}<script>{SORT_JS}</script></body></html>"
    )
