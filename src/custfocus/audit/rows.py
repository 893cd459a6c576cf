"""Audit rows: one per file, their columns, and writers that stream them to CSV or JSON Lines.

A row is small and plain (numbers and strings), so it crosses processes cheaply and is written
the moment it exists: a killed or interrupted audit keeps every row it finished, and
:func:`read_rows` picks those rows up again to resume.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from ..context import FileContext
from ..results import Report

__all__ = [
    "CONTEXT_COLUMNS",
    "OUTPUT_SUFFIXES",
    "ROW_FIELDS",
    "STATUSES",
    "AuditResult",
    "AuditRow",
    "RowWriter",
    "context_columns",
    "read_rows",
    "safe_text",
]

#: Columns of every audit row, in order (CSV header, DataFrame columns, JSONL keys).
ROW_FIELDS = (
    "path",
    "format",
    "status",
    "score",
    "band",
    "reference",
    "content",
    "listening",
    "questioning",
    "customer_share",
    "naive_we_we",
    "discovery_share",
    "value_share",
    "pitch_share",
    "questions",
    "seller_talk_ratio",
    "sellers",
    "roles_uncertain",
    "words",
    "insufficient_evidence",
    "rep",
    "account",
    "offering",
    "date",
    "genre",
    "seller_names",
    "customer_names",
    "context",
    "error_type",
    "error",
    "traceback",
    "seller_process",
    "buyer_process",
    "inward_share",
    "seller_process_per_1k",
    "buyer_process_per_1k",
    "selling_without_customer",
    "plan_coverage",
    "plan_gaps",
)

#: ``ok``: scored; ``error``: a file custfocus reads failed (corrupt, time limit, crash...);
#: ``skipped``: not something custfocus reads (unsupported format, symlink loop, no permission).
STATUSES = ("ok", "error", "skipped")

#: Output suffixes and what each holds. ``.csv`` and ``.jsonl`` are streamed row by row;
#: ``.html``/``.htm`` is written once, at the end.
OUTPUT_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".html": "html", ".htm": "html"}

_INTS = {"questions", "words", "seller_process", "buyer_process"}
#: The per-file context columns (:mod:`custfocus.context`): ``context`` says where each
#: value came from (``"rep=manifest; customers=inferred"``); names are ``;``-separated.
CONTEXT_COLUMNS = (
    "rep", "account", "offering", "date", "genre", "seller_names", "customer_names", "context",
)  # fmt: skip
_BOOLS = {"insufficient_evidence", "roles_uncertain", "selling_without_customer"}
_STRS = {"path", "format", "status", "sellers", "error_type", "error", "traceback", "plan_gaps",
         *CONTEXT_COLUMNS}  # fmt: skip
_COMPUTED = {"band"}


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One file's figures (``status == "ok"``), its error, or why it was skipped.

    ``traceback`` is filled only for an unexpected exception in a debug audit. The inward-out
    columns come from ``report.inward``; ``plan_coverage`` and ``plan_gaps`` (part names
    joined by ``;``, ``""`` for none) only for a file read as an account plan.
    """

    path: str
    format: str | None
    status: str
    score: float | None = None
    reference: float | None = None
    content: float | None = None
    listening: float | None = None
    questioning: float | None = None
    customer_share: float | None = None
    naive_we_we: float | None = None
    discovery_share: float | None = None
    value_share: float | None = None
    pitch_share: float | None = None
    questions: int | None = None
    seller_talk_ratio: float | None = None
    sellers: str | None = None
    roles_uncertain: bool | None = None
    words: int | None = None
    insufficient_evidence: bool | None = None
    seller_process: int | None = None
    buyer_process: int | None = None
    inward_share: float | None = None
    seller_process_per_1k: float | None = None
    buyer_process_per_1k: float | None = None
    selling_without_customer: bool | None = None
    plan_coverage: float | None = None
    plan_gaps: str | None = None
    rep: str | None = None
    account: str | None = None
    offering: str | None = None
    date: str | None = None
    genre: str | None = None
    seller_names: str | None = None
    customer_names: str | None = None
    context: str | None = None
    error_type: str | None = None
    error: str | None = None
    traceback: str | None = None

    @property
    def band(self) -> str | None:
        """The score's band (:data:`custfocus.scoring.BANDS`); ``None`` without a score."""
        from ..scoring import band

        return None if self.score is None else band(self.score)

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in ROW_FIELDS}

    @property
    def reason(self) -> str | None:
        """The error message without the leading path (the table shows the path already)."""
        if self.error is None:
            return None
        prefix = f"{self.path}: "
        return self.error[len(prefix) :] if self.error.startswith(prefix) else self.error

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AuditRow:
        """A row back from a CSV or JSON Lines record (CSV cells are strings; ``""`` is None)."""
        values: dict[str, Any] = {}
        for name in ROW_FIELDS:
            if name in _COMPUTED:
                continue
            v = data.get(name)
            if v == "" or v is None:
                values[name] = None if name not in ("path", "status") else (v or "")
            elif name in _STRS:
                values[name] = str(v)
            elif name in _BOOLS:
                values[name] = v if isinstance(v, bool) else str(v) == "True"
            elif name in _INTS:
                values[name] = int(v)
            else:
                values[name] = float(v)
        if values.get("plan_coverage") is not None and values.get("plan_gaps") is None:
            values["plan_gaps"] = ""  # a plan with no gaps: CSV cannot tell "" from None
        return cls(**values)

    @property
    def month(self) -> str | None:
        """``YYYY-MM`` of :attr:`date` (the key of monthly groups)."""
        return self.date[:7] if self.date and len(self.date) >= 7 else None

    def with_context(self, context: FileContext) -> AuditRow:
        """This row with the context columns filled from ``context``."""
        return replace(self, **context_columns(context))

    @classmethod
    def from_report(cls, path: str, report: Report, context: FileContext | None = None) -> AuditRow:
        c, conv = report.content, report.conversation
        inward, plan = report.inward, report.plan
        ratio = sellers = None
        if conv is not None:
            sellers = "; ".join(r.speaker for r in conv.roles if r.role == "seller")
            ratio = conv.seller_talk_ratio_time
            if ratio is None:
                ratio = conv.seller_talk_ratio_words
        return cls(
            path=path,
            format=report.format,
            status="ok",
            score=round(report.score, 2),
            reference=report.components.get("reference"),
            content=report.components.get("content"),
            listening=report.components.get("listening"),
            questioning=report.components.get("questioning"),
            customer_share=report.customer_share,
            naive_we_we=report.naive_we_we,
            discovery_share=c.discovery_share if c else None,
            value_share=c.value_share if c else None,
            pitch_share=c.pitch_share if c else None,
            questions=c.questions if c else None,
            seller_talk_ratio=ratio,
            sellers=sellers,
            roles_uncertain=conv.roles_uncertain if conv else None,
            words=report.words,
            insufficient_evidence=report.insufficient_evidence,
            seller_process=inward.seller_process if inward else None,
            buyer_process=inward.buyer_process if inward else None,
            inward_share=inward.inward_share if inward else None,
            seller_process_per_1k=inward.seller_process_per_1k if inward else None,
            buyer_process_per_1k=inward.buyer_process_per_1k if inward else None,
            selling_without_customer=inward.selling_without_customer if inward else None,
            plan_coverage=plan.coverage if plan else None,
            plan_gaps=";".join(plan.gaps) if plan else None,
            **(context_columns(context) if context is not None else {}),
        )


def context_columns(context: FileContext) -> dict[str, Any]:
    """The row columns of a :class:`~custfocus.context.FileContext`."""
    return {
        "rep": context.value("rep"),
        "account": context.value("account"),
        "offering": context.value("offering"),
        "date": context.value("date"),
        "genre": context.value("genre"),
        "seller_names": "; ".join(context.seller_names) or None,
        "customer_names": "; ".join(context.customer_names) or None,
        "context": context.sources() or None,
    }


@dataclass(frozen=True, slots=True)
class AuditResult:
    """A row and, when the file was read and the caller keeps reports, its full report."""

    row: AuditRow
    report: Report | None
    #: The file's team statements as one line of JSON
    #: (:func:`custfocus.audit.statements.encode_statements`), ``""`` for none. An audit
    #: writes the line to disk as it comes and yields the result without it.
    statements: str = ""


def safe_text(text: str) -> str:
    """``text`` as valid UTF-8: a file name's undecodable bytes (lone surrogates) as ``\\udcxx``.

    Python spells undecodable bytes of a file name as lone surrogates, which no UTF-8 file
    or terminal takes; every report and printout goes through this.

    >>> safe_text("caf\\udce9.txt")
    'caf\\\\udce9.txt'
    """
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _record(row: AuditRow) -> dict[str, Any]:
    return {k: safe_text(v) if isinstance(v, str) else v for k, v in row.to_dict().items()}


class RowWriter:
    """Write rows to ``path`` as CSV or JSON Lines, one flushed line per row.

    ``append=True`` adds to a file :func:`read_rows` has checked (``--resume``). The file is
    opened without following a symlink, so a link planted at the output path is refused
    rather than written through.
    """

    def __init__(self, path: str | os.PathLike[str], *, append: bool = False) -> None:
        self.path = Path(path)
        self.kind = OUTPUT_SUFFIXES.get(self.path.suffix.lower())
        if self.kind not in ("csv", "jsonl"):
            raise ValueError(f"{self.path}: rows stream only to .csv or .jsonl")
        flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
        flags |= os.O_APPEND if append else os.O_TRUNC
        fd = os.open(self.path, flags, 0o644)
        self._file: IO[str] = open(fd, "w", encoding="utf-8", newline="")  # noqa: SIM115
        self._csv = csv.DictWriter(self._file, fieldnames=list(ROW_FIELDS), lineterminator="\n")
        if self.kind == "csv" and not append:
            self._csv.writeheader()
            self._file.flush()

    def write(self, row: AuditRow) -> None:
        if self.kind == "csv":
            self._csv.writerow(_record(row))
        else:  # JSON escapes a lone surrogate as \udcxx, which reads back as the same path
            self._file.write(json.dumps(row.to_dict()) + "\n")
        self._file.flush()

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> RowWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_rows(path: str | os.PathLike[str]) -> list[AuditRow]:
    """The complete rows of an audit report written by :class:`RowWriter`.

    A last line cut short (the audit was killed while writing it) is dropped, and the file
    is rewritten without it so appending continues cleanly. ``ValueError`` if the file is
    not a custfocus audit report.
    """
    p = Path(path)
    kind = OUTPUT_SUFFIXES.get(p.suffix.lower())
    text = p.read_text(encoding="utf-8", errors="backslashreplace")
    if not text:
        return []  # killed before the first line: nothing to keep
    complete = text if text.endswith("\n") or not text else text[: text.rfind("\n") + 1]
    rows: list[AuditRow] = []
    if kind == "csv":
        records = list(csv.DictReader(io.StringIO(complete)))
        header = complete.split("\n", 1)[0]
        if header.split(",") != list(ROW_FIELDS):
            raise ValueError(f"{p}: not a custfocus audit CSV (header differs)")
        rows = [AuditRow.from_dict(r) for r in records]
    elif kind == "jsonl":
        for n, line in enumerate(complete.splitlines(), 1):
            try:
                data = json.loads(line)
            except json.JSONDecodeError:
                raise ValueError(f"{p}:{n}: not a custfocus audit row") from None
            if not isinstance(data, dict) or list(data)[:3] != ["path", "format", "status"]:
                raise ValueError(f"{p}:{n}: not a custfocus audit row")
            rows.append(AuditRow.from_dict(data))
    else:
        raise ValueError(f"{p}: only a .csv or .jsonl report can be resumed")
    if complete != text:
        with RowWriter(p) as writer:
            for row in rows:
                writer.write(row)
    return rows
