"""The score histogram as inline SVG: bars in band colours, both axes labelled, counts shown."""

from __future__ import annotations

from collections.abc import Iterable

from ..scoring import band

__all__ = ["BAND_COLOURS", "histogram_svg"]

#: Colour of each band (bars, badges and score text use the same three).
BAND_COLOURS = {"self-centred": "#c53030", "mixed": "#975a16", "customer-centred": "#1f7a45"}


def histogram_svg(scores: Iterable[float]) -> str:
    """Files per 10-point score bin, with a labelled x axis (score) and y axis (files).

    >>> svg = histogram_svg([4.2, 10.4, 88.0])
    >>> "<title>0–10: 1 file</title>" in svg and ">files</text>" in svg
    True
    """
    bins = [0] * 10
    for s in scores:
        bins[min(9, max(0, int(s // 10)))] += 1
    top = max(max(bins), 1)
    left, bottom, width, height = 44, 150, 340, 120  # plot area
    bar_w = width / 10
    parts = [
        f"<line x1='{left}' y1='{bottom}' x2='{left + width}' y2='{bottom}' stroke='#52606d'/>",
        f"<line x1='{left}' y1='{bottom}' x2='{left}' y2='{bottom - height}' stroke='#52606d'/>",
    ]
    step = max(1, -(-top // 4))
    for t in range(0, top + 1, step):
        y = bottom - height * t / top
        parts.append(
            f"<line x1='{left - 4}' y1='{y:.1f}' x2='{left}' y2='{y:.1f}' stroke='#52606d'/>"
            f"<text x='{left - 7}' y='{y + 4:.1f}' text-anchor='end'>{t}</text>"
        )
    for i in range(11):
        x = left + i * bar_w
        parts.append(
            f"<line x1='{x:.1f}' y1='{bottom}' x2='{x:.1f}' y2='{bottom + 4}' stroke='#52606d'/>"
            f"<text x='{x:.1f}' y='{bottom + 16}' text-anchor='middle'>{i * 10}</text>"
        )
    for i, n in enumerate(bins):
        h = height * n / top
        x = left + i * bar_w + 2
        label = f"{i * 10}–{i * 10 + 10}: {n} file{'' if n == 1 else 's'}"
        parts.append(
            f"<rect x='{x:.1f}' y='{bottom - h:.1f}' width='{bar_w - 4:.1f}' height='{h:.1f}' "
            f"fill='{BAND_COLOURS[band(i * 10)]}'><title>{label}</title></rect>"
        )
        if n:
            parts.append(
                f"<text x='{x + (bar_w - 4) / 2:.1f}' y='{bottom - h - 4:.1f}' "
                f"text-anchor='middle' font-weight='600'>{n}</text>"
            )
    parts.append(
        f"<text x='{left + width / 2}' y='{bottom + 34}' text-anchor='middle'>"
        "Customer Focus Score (0-100)</text>"
        f"<text x='12' y='{bottom - height / 2}' text-anchor='middle' "
        f"transform='rotate(-90 12 {bottom - height / 2})'>files</text>"
    )
    return (
        "<svg class='cf-hist' viewBox='0 0 400 195' "
        "role='img' aria-label='Number of files per score range' font-size='12' "
        "font-family='system-ui,sans-serif' fill='#1d2330'>" + "".join(parts) + "</svg>"
    )
