"""Audit figures by group: per rep, account, offering, genre or month, from the rows alone.

:func:`group_rows` reads audit rows one at a time (never reports) and keeps, per group, the
figures' values and the paths behind them, so a group table over 10,000 files costs a few
floats and a path per file. Every figure lists the files it was computed from and the files
at its minimum and maximum, so each number in a group table traces back to files.
"""

from __future__ import annotations

import csv
import io
import json
import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigError, MissingExtraError
from .rows import AuditRow

__all__ = ["FIGURES", "GROUP_KEYS", "UNKNOWN", "Group", "Groups", "Spread", "group_rows"]

#: What rows can be grouped by (``month`` is ``YYYY-MM`` of the row's date).
GROUP_KEYS = ("rep", "account", "offering", "genre", "month", "format")
#: The figures summarised per group: the score and its components, and the customer share.
FIGURES = ("score", "reference", "content", "listening", "questioning", "customer_share")
#: The group of rows whose key is unknown (no manifest value, nothing inferred).
UNKNOWN = "(unknown)"
_BANDS = ("self-centred", "mixed", "customer-centred")


@dataclass(frozen=True, slots=True)
class Spread:
    """One figure over a group's files: ``n`` files had it; ``None`` where undefined (no
    file had it; ``std`` needs two). ``std`` is the sample standard deviation.
    ``files`` are the paths it was computed from; ``min_file``/``max_file`` where its
    extremes are."""

    n: int
    mean: float | None
    median: float | None
    min: float | None
    max: float | None
    std: float | None
    files: tuple[str, ...] = ()
    min_file: str | None = None
    max_file: str | None = None

    @classmethod
    def of(cls, pairs: list[tuple[float, str]]) -> Spread:
        if not pairs:
            return cls(0, None, None, None, None, None)
        values = [v for v, _ in pairs]
        lo = min(pairs, key=lambda p: p[0])
        hi = max(pairs, key=lambda p: p[0])
        return cls(
            n=len(values),
            mean=round(math.fsum(values) / len(values), 4),
            median=round(statistics.median(values), 4),
            min=lo[0],
            max=hi[0],
            std=round(statistics.stdev(values), 4) if len(values) > 1 else None,
            files=tuple(p for _, p in pairs),
            min_file=lo[1],
            max_file=hi[1],
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "mean": self.mean,
            "median": self.median,
            "min": self.min,
            "max": self.max,
            "std": self.std,
            "files": list(self.files),
            "min_file": self.min_file,
            "max_file": self.max_file,
        }


@dataclass(frozen=True, slots=True)
class Group:
    """The files of one group value (``key``; :data:`UNKNOWN` when unknown) and their figures.

    ``files`` counts every row (ok, error and skipped); ``bands`` counts the scored files
    per band; ``paths`` lists every file of the group.
    """

    key: str
    files: int
    ok: int
    errors: int
    skipped: int
    bands: Mapping[str, int]
    figures: Mapping[str, Spread]
    paths: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "files": self.files,
            "ok": self.ok,
            "errors": self.errors,
            "skipped": self.skipped,
            "bands": dict(self.bands),
            "figures": {k: v.to_dict() for k, v in self.figures.items()},
            "paths": list(self.paths),
        }

    def flat(self) -> dict[str, Any]:
        """One table row: counts, bands and ``<figure>_<stat>`` columns, paths ``;``-joined."""
        out: dict[str, Any] = {
            "group": self.key,
            "files": self.files,
            "ok": self.ok,
            "errors": self.errors,
            "skipped": self.skipped,
        }
        out.update({f"band_{b}": self.bands.get(b, 0) for b in _BANDS})
        for name, s in self.figures.items():
            for stat in ("n", "mean", "median", "min", "max", "std"):
                out[f"{name}_{stat}"] = getattr(s, stat)
            out[f"{name}_min_file"] = s.min_file
            out[f"{name}_max_file"] = s.max_file
        out["paths"] = "; ".join(self.paths)
        return out


@dataclass(frozen=True)
class Groups:
    """Audit figures per value of ``by`` (largest group first, the unknown group last).

    >>> from custfocus.audit.rows import AuditRow
    >>> rows = [AuditRow("a.txt", "text", "ok", score=80.0, rep="Sam"),
    ...         AuditRow("b.txt", "text", "ok", score=40.0, rep="Sam")]
    >>> g = group_rows(rows, "rep")["Sam"]
    >>> g.figures["score"].mean, g.figures["score"].min_file
    (60.0, 'b.txt')
    """

    by: str
    groups: tuple[Group, ...] = field(default_factory=tuple)

    def __getitem__(self, key: str) -> Group:
        for g in self.groups:
            if g.key == key:
                return g
        raise KeyError(key)

    def __iter__(self) -> Any:
        return iter(self.groups)

    def __len__(self) -> int:
        return len(self.groups)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(g.key for g in self.groups)

    def to_dict(self) -> dict[str, Any]:
        return {"by": self.by, "groups": [g.to_dict() for g in self.groups]}

    def records(self) -> list[dict[str, Any]]:
        """Flat table rows (:meth:`Group.flat`), each with a ``by`` column first."""
        return [{"by": self.by, **g.flat()} for g in self.groups]

    def to_frame(self) -> Any:
        """A pandas DataFrame, one row per group (needs ``pip install 'custfocus[pandas]'``)."""
        try:
            import pandas as pd
        except ImportError:
            raise MissingExtraError("pandas", "pandas", "Groups.to_frame()") from None
        return pd.DataFrame(self.records()).set_index("group")

    def to_csv(self, path: str | None = None) -> str:
        """One CSV row per group (:meth:`records`); written to ``path`` if given."""
        return write_groups([self], path, kind="csv")

    def to_json(self, path: str | None = None) -> str:
        """The groups as one JSON object (:meth:`to_dict`); written to ``path`` if given."""
        return write_groups([self], path, kind="json")

    def table(self) -> str:
        """A plain-text table: files, scored files, mean / median / min-max score, bands."""
        width = max([len(self.by), *(len(g.key) for g in self.groups)], default=5)
        width = min(width, 40)
        lines = [
            f"{self.by:<{width}}  files  scored  mean  median  min-max      "
            "self-centred/mixed/customer-centred"
        ]
        for g in self.groups:
            s = g.figures["score"]
            span = "" if s.min is None else f"{s.min:.1f}-{s.max:.1f}"
            bands = "/".join(str(g.bands.get(b, 0)) for b in _BANDS)
            lines.append(
                f"{g.key[:width]:<{width}}  {g.files:5d}  {s.n:6d}  {_num(s.mean)}  "
                f"{_num(s.median)}   {span:<11}  {bands}"
            )
        return "\n".join(lines)


def _num(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:5.1f}"


def _key_of(row: AuditRow, by: str) -> str:
    value = row.month if by == "month" else getattr(row, by)
    return value if value else UNKNOWN


def group_rows(rows: Iterable[AuditRow], by: str) -> Groups:
    """Group ``rows`` by ``by`` (one of :data:`GROUP_KEYS`), reading them once, in order.

    Raises :class:`~custfocus.errors.ConfigError` for an unknown key.
    """
    if by not in GROUP_KEYS:
        raise ConfigError(f"cannot group by {by!r}: use one of {', '.join(GROUP_KEYS)}")
    from ..scoring import band

    acc: dict[str, dict[str, Any]] = {}
    for row in rows:
        key = _key_of(row, by)
        g = acc.get(key)
        if g is None:  # a group's lists are made once, not for every row
            g = acc[key] = {"paths": [], "status": {}, "bands": {},
                            "values": {f: [] for f in FIGURES}}  # fmt: skip
        g["paths"].append(row.path)
        g["status"][row.status] = g["status"].get(row.status, 0) + 1
        if row.score is not None:
            b = band(row.score)
            g["bands"][b] = g["bands"].get(b, 0) + 1
        for f in FIGURES:
            v = getattr(row, f)
            if v is not None and not (isinstance(v, float) and math.isnan(v)):
                g["values"][f].append((float(v), row.path))
    groups = [
        Group(
            key=key,
            files=len(g["paths"]),
            ok=g["status"].get("ok", 0),
            errors=g["status"].get("error", 0),
            skipped=g["status"].get("skipped", 0),
            bands={b: g["bands"].get(b, 0) for b in _BANDS},
            figures={f: Spread.of(g["values"][f]) for f in FIGURES},
            paths=tuple(g["paths"]),
        )
        for key, g in acc.items()
    ]
    groups.sort(key=lambda g: (g.key == UNKNOWN, -g.files, g.key))
    return Groups(by, tuple(groups))


def write_groups(groups: Iterable[Groups], path: str | None = None, *, kind: str) -> str:
    """Several groupings as one CSV (a ``by`` column tells them apart) or one JSON document
    (``{"groups": [...]}``); written to ``path`` as UTF-8 if given."""
    from pathlib import Path

    from .rows import safe_text

    items = list(groups)
    if kind == "csv":
        records = [r for g in items for r in g.records()]
        fields = list(dict.fromkeys(k for r in records for k in r)) or ["by", "group"]
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for r in records:
            writer.writerow(r)
        text = buf.getvalue()
    elif kind == "json":
        text = json.dumps({"groupings": [g.to_dict() for g in items]}, indent=1) + "\n"
    else:
        raise ValueError(f"groups are written as csv or json, not {kind!r}")
    if path is not None:
        Path(path).write_text(safe_text(text), encoding="utf-8")
    return text


def groups_kind(path: str) -> str:
    """``csv`` or ``json`` from a file name; :class:`ConfigError` otherwise."""
    low = path.lower()
    if low.endswith(".csv"):
        return "csv"
    if low.endswith(".json"):
        return "json"
    raise ConfigError(f"{path}: groups are written to a .csv or .json file")
