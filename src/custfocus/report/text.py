"""One report as HTML: its figures (each with its meaning), what to rewrite, the marked text.

Customer mentions are highlighted in one colour and self mentions in another; every
sentence carries its label; suggestions come from what was found (:mod:`custfocus.advice`).
"""

from __future__ import annotations

import bisect
import html
from collections.abc import Sequence

from ..advice import most_self_centred, rewrite_hint, suggestions
from ..results import Report, Sentence, SpeakerRole
from ..scoring import band
from .formatting import figure
from .glossary import FIGURES, definition_link

__all__ = ["figures_html", "highlight", "marks", "report_body_html", "rewrites_html", "text_html"]

_LABEL_TITLE = {
    "discovery": "discovery: asks about the buyer",
    "value": "value: an outcome in the buyer's terms",
    "pitch": "pitch: about the seller or product",
    "other": "other",
}

LEGEND = (
    "<p class='cf-legend'><span class='m-customer'>customer</span> "
    "<span class='m-self'>self</span> <span class='m-shared'>shared</span> "
    "<span class='x'>not counted</span> · left border: "
    "<span class='cf-key s-discovery'>discovery</span> "
    "<span class='cf-key s-value'>value</span> <span class='cf-key s-pitch'>pitch</span> "
    "<span class='cf-key s-other'>other</span></p>"
)


def band_class(score: float | None) -> str:
    """The CSS class colouring ``score`` by its band (``""`` without a score)."""
    return "" if score is None else f"cf-band-{band(score)}"


Span = tuple[int, int, str, str]


def marks(report: Report) -> list[Span]:
    """Every mention and exclusion as (start, end, class, title), sorted by position."""
    spans: list[Span] = [(m.start, m.end, f"m-{m.side}", f"{m.side} · {m.rule}")
                         for m in report.mentions]  # fmt: skip
    spans.extend(
        (x.start, x.end, "x", f"not counted · {x.rule}: {x.reason}") for x in report.excluded
    )
    spans.sort()
    return spans


def highlight(report: Report, sentence: Sentence, spans: Sequence[Span] | None = None) -> str:
    """The sentence text with mentions wrapped in coloured spans (offsets from the report).

    Pass ``spans`` (:func:`marks`) when highlighting many sentences of one report: each
    sentence then finds its marks by bisection instead of scanning them all.
    """
    every = marks(report) if spans is None else spans
    lo = bisect.bisect_left(every, (sentence.start,))
    out, pos = [], sentence.start
    for s, e, cls, title in every[lo:]:
        if s >= sentence.end:
            break
        if e > sentence.end or s < pos:
            continue
        out.append(html.escape(report.text[pos:s]))
        out.append(
            f'<span class="{cls}" title="{html.escape(title)}">'
            f"{html.escape(report.text[s:e])}</span>"
        )
        pos = e
    out.append(html.escape(report.text[pos : sentence.end]))
    return "".join(out)


def _sentence_html(report: Report, s: Sentence, spans: Sequence[Span]) -> str:
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
        conf = f" ({figure(s.confidence, 'share')})" if s.confidence is not None else ""
        bits.append(
            f'<span class="lab" title="{html.escape(title + conf)}">'
            f"{html.escape(s.label + extra)}</span>"
        )
    if not s.scored:
        bits.append('<span class="lab">not scored</span>')
    return f'<span class="{" ".join(classes)}">{"".join(bits)}{highlight(report, s, spans)}</span>'


def text_html(report: Report) -> str:
    """Every sentence, labelled, with its mentions marked."""
    spans = marks(report)
    return LEGEND + "<div class='cf-text'>" + "".join(
        _sentence_html(report, s, spans) for s in report.sentences
    ) + "</div>"  # fmt: skip


def _sellers(roles: Sequence[SpeakerRole]) -> str:
    """ "Sam (label, 99%)", with "uncertain" when the roles are a flagged guess."""
    shown = [
        f"{r.speaker} ({r.method}, {figure(r.confidence, 'share')})"
        for r in roles
        if r.role == "seller"
    ]
    text = ", ".join(shown) or "none"
    return text + (" · uncertain" if any(r.uncertain for r in roles) else "")


def figures_html(report: Report, *, score: float | None = None, link: bool = True) -> str:
    """The report's figures, each named with its one-sentence meaning.

    ``score`` overrides the shown score (an audit page shows every file's score from its row,
    so the same number appears everywhere); ``link=False`` for a fragment without a Method
    section (a notebook).
    """
    shown = report.score if score is None else score
    rows: list[tuple[str, str, str]] = [
        ("score", f"{figure(shown)} / 100 · {band(shown)}", band_class(shown))
    ]
    for name, part in report.components.items():
        if part is not None and name in FIGURES:
            rows.append((name, figure(part, "component"), ""))
    ci = report.customer_share_interval
    share = figure(report.customer_share, "share")
    if ci:
        share += f" (95% interval {figure(ci.low, 'share')}–{figure(ci.high, 'share')})"
    rows.append(("customer_share", share, ""))
    rows.append(("naive_we_we", figure(report.naive_we_we, "share"), ""))
    if report.content:
        c = report.content
        rows.append(
            (
                "shares",
                f"{figure(c.discovery_share, 'share')} / {figure(c.value_share, 'share')} / "
                f"{figure(c.pitch_share, 'share')}",
                "",
            )
        )
        rows.append(("questions", figure(c.questions, "count"), ""))
    if report.conversation:
        cv = report.conversation
        ratio = cv.seller_talk_ratio_time
        if ratio is None:
            ratio = cv.seller_talk_ratio_words
        rows.append(("sellers", _sellers(cv.roles), ""))
        rows.append(("talk_ratio", figure(ratio, "share"), ""))
    rows.append(("words", figure(report.words, "count"), ""))
    cells = []
    for key, value, cls in rows:
        meaning = html.escape(FIGURES[key].meaning)
        td = f" class='score {cls}'" if cls else ""
        cells.append(
            f"<tr><th scope='row'>{definition_link(key, link=link)}"
            f"<small class='cf-muted'>{meaning}</small></th>"
            f"<td{td}>{html.escape(value)}</td></tr>"
        )
    return f"<table class='cf-table cf-figs'>{''.join(cells)}</table>"


def rewrites_html(report: Report, limit: int = 3) -> str:
    """The sentences most worth rewriting (worst first), each with its reason and a fix."""
    items = []
    for s in most_self_centred(report, limit=limit):
        reason, tip = rewrite_hint(s)
        where = f"<span class='loc'>{html.escape(s.location)}</span>" if s.location else ""
        items.append(
            f"<li><blockquote>{where}{highlight(report, s)}</blockquote>"
            f"<p><b>Why:</b> {html.escape(reason)}. <b>Try:</b> {html.escape(tip)}</p></li>"
        )
    if not items:
        return "<p class='cf-muted'>No sentence names the seller more than the customer.</p>"
    return f"<ol class='cf-rewrites'>{''.join(items)}</ol>"


def _voice_html(report: Report) -> str:
    if not report.customer_voice:
        return ""
    items = "".join(
        f"<li><span class='loc'>{html.escape(q.location or '')} · "
        f"{html.escape(q.speaker or '')}</span> <b>{html.escape(q.kind)}</b>: "
        f"{html.escape(q.text)}</li>"
        for q in report.customer_voice
    )
    return f"<h4>Customer voice</h4><ul>{items}</ul>"


def report_body_html(
    report: Report, *, score: float | None = None, link: bool = True, collapse: bool = True
) -> str:
    """What to rewrite and other suggestions, the figures, customer voice, then the full text.

    Actions come first: on a phone the figures follow them rather than push them down.

    ``collapse`` puts the full highlighted text in a closed ``<details>``.
    """
    others = suggestions(report, limit=4, rewrites=False)
    sugg = (
        "<h4>Also</h4><ul class='cf-sugg'>"
        + "".join(f"<li>{html.escape(x)}</li>" for x in others)
        + "</ul>"
        if others
        else ""
    )
    n = len(report.sentences)
    text = text_html(report)
    if collapse:
        text = (
            f"<details class='cf-full'><summary>Full highlighted text ({n} sentence"
            f"{'' if n == 1 else 's'})</summary>{text}</details>"
        )
    else:
        text = f"<h4>Text</h4>{text}"
    return (
        f"<div class='cf-card-grid'><div><h4>Sentences to rewrite</h4>{rewrites_html(report)}"
        f"{sugg}</div><div><h4>Figures</h4>{figures_html(report, score=score, link=link)}</div>"
        "</div>"
        f"{_voice_html(report)}{text}"
    )
