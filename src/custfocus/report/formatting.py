"""One number format for every page: scores 0-100 with one decimal, shares as percentages.

Every figure a report shows goes through :func:`figure`, so a value never reads 9.8 in one
place and 9.9 in another: rounding is half-up on the decimal value (not on the binary float),
and a page formats each file's score from one source (its audit row).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

__all__ = ["KINDS", "figure"]

#: What each kind of figure is: ``score`` (already 0-100), ``component`` (0-1 shown as
#: 0-100), ``share`` (0-1 shown as a percentage), ``count``, ``seconds``, ``minutes``.
KINDS = ("score", "component", "share", "count", "seconds", "minutes")

_MISSING = "–"


def _half_up(value: float, places: int) -> Decimal:
    quantum = Decimal(1).scaleb(-places)
    return Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP)


def figure(value: float | None, kind: str = "score") -> str:
    """``value`` as the report shows it; ``"–"`` when it is undefined (``None`` or NaN).

    >>> figure(9.85), figure(0.4567, "component"), figure(0.425, "share"), figure(None)
    ('9.9', '45.7', '43%', '–')
    >>> figure(12, "count"), figure(150.0, "minutes")
    ('12', '2.5 min')
    """
    if kind not in KINDS:
        raise ValueError(f"unknown figure kind {kind!r}; one of {', '.join(KINDS)}")
    if value is None or value != value:
        return _MISSING
    if kind == "score":
        return str(_half_up(value, 1))
    if kind == "component":
        return str(_half_up(100 * value, 1))
    if kind == "share":
        return f"{_half_up(100 * value, 0)}%"
    if kind == "count":
        return str(int(value))
    if kind == "seconds":
        return f"{_half_up(value, 0)} s"
    return f"{_half_up(value / 60, 1)} min"
