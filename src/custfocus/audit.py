"""Audit a collateral library: one row per file, lazily, in order, optionally in parallel.

A file that cannot be read becomes a row with its error; it never stops the audit. The
per-file work is :func:`score_path`, a plain picklable function, so the same audit runs on
joblib's local processes or on a Dask cluster (``joblib.parallel_config("dask")``).
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from joblib import Parallel, delayed

from .config import Settings
from .errors import CustfocusError
from .results import Report

if TYPE_CHECKING:
    from .analyzer import Analyzer

__all__ = ["ROW_FIELDS", "Audit", "AuditResult", "AuditRow", "audit", "discover", "score_path"]

#: Columns of every audit row, in order (CSV header, DataFrame columns, JSONL keys).
ROW_FIELDS = (
    "path",
    "format",
    "status",
    "score",
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
    "words",
    "insufficient_evidence",
    "error_type",
    "error",
)


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One file's figures, or its error (``status == "error"``)."""

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
    words: int | None = None
    insufficient_evidence: bool | None = None
    error_type: str | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in ROW_FIELDS}

    @classmethod
    def from_report(cls, path: str, report: Report) -> AuditRow:
        c, conv = report.content, report.conversation
        ratio = None
        if conv is not None:
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
            words=report.words,
            insufficient_evidence=report.insufficient_evidence,
        )


@dataclass(frozen=True, slots=True)
class AuditResult:
    """A row and, when the file was read, its full report."""

    row: AuditRow
    report: Report | None


_ANALYZERS: dict[str, Analyzer] = {}


def _analyzer(settings: Settings) -> Analyzer:
    """One Analyzer per worker process and settings: built once, reused for every file."""
    from .analyzer import Analyzer  # here, so a parent that only dispatches stays light

    key = json.dumps(settings.__dict__, sort_keys=True, default=list)
    if key not in _ANALYZERS:
        if len(_ANALYZERS) > 4:
            _ANALYZERS.clear()
        _ANALYZERS[key] = Analyzer(
            seller=settings.seller,
            customer=settings.customer,
            lexicons=settings.lexicons,
            config=settings.scoring_config(),
            model=settings.model,
        )
    return _ANALYZERS[key]


def score_path(path: str, settings: Settings, *, keep_report: bool = True) -> AuditResult:
    """Read and score one file; any custfocus or OS error becomes an error row.

    With ``keep_report=False`` only the row comes back, which is what a worker process
    should send when nobody keeps the reports (a report is far bigger than its row).
    """
    from .readers import detect_format

    try:
        fmt: str | None = detect_format(path)
    except CustfocusError:
        fmt = None
    try:
        report = _analyzer(settings).score_file(
            path, seller_speakers=list(settings.seller_speakers or ()) or None
        )
    except (CustfocusError, OSError) as exc:
        row = AuditRow(path, fmt, "error", error_type=type(exc).__name__, error=str(exc))
        return AuditResult(row, None)
    return AuditResult(AuditRow.from_report(path, report), report if keep_report else None)


def discover(paths: Iterable[str | os.PathLike[str]], *, recursive: bool = True) -> list[str]:
    """Files to audit: files as given, folders expanded to the formats custfocus reads.

    Sorted within each folder, so the order (and so the report) is deterministic.
    """
    from .readers import SUPPORTED_FORMATS

    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            pattern = "**/*" if recursive else "*"
            found = sorted(
                f
                for f in path.glob(pattern)
                if f.is_file()
                and f.suffix.lower() in SUPPORTED_FORMATS
                and not any(part.startswith(".") for part in f.relative_to(path).parts)
            )
            out.extend(str(f) for f in found)
        else:
            out.append(str(path))  # missing or unsupported files become error rows
    return out


class Audit:
    """The results of auditing many files, streamed in input order.

    Iterating yields :class:`AuditResult` objects as they finish (memory stays flat);
    ``rows`` and the writers materialise the rows, which are small.
    """

    def __init__(
        self,
        paths: Sequence[str],
        settings: Settings,
        *,
        n_jobs: int = 1,
        backend: str | None = None,
        keep_reports: bool = False,
    ) -> None:
        self.paths = list(paths)
        self.settings = settings
        self.n_jobs = n_jobs
        self.backend = backend
        self.keep_reports = keep_reports
        self._rows: list[AuditRow] | None = None
        self._reports: list[Report | None] | None = None

    def __len__(self) -> int:
        return len(self.paths)

    def __iter__(self) -> Iterator[AuditResult]:
        if self._rows is not None and self._reports is not None:
            for row, report in zip(self._rows, self._reports, strict=True):
                yield AuditResult(row, report)
            return
        yield from self._run()

    def _run(self) -> Iterator[AuditResult]:
        keep = self.keep_reports
        if self.n_jobs == 1 and self.backend is None:
            for path in self.paths:
                yield score_path(path, self.settings, keep_report=keep)
            return
        parallel = Parallel(
            n_jobs=self.n_jobs, backend=self.backend, return_as="generator", batch_size="auto"
        )
        yield from parallel(
            delayed(score_path)(p, self.settings, keep_report=keep) for p in self.paths
        )

    def run(self) -> Audit:
        """Score every file now and keep the rows (and reports if ``keep_reports``)."""
        if self._rows is None:
            rows, reports = [], []
            for result in self._run():
                rows.append(result.row)
                reports.append(result.report if self.keep_reports else None)
            self._rows, self._reports = rows, reports
        return self

    @property
    def rows(self) -> list[AuditRow]:
        self.run()
        assert self._rows is not None
        return self._rows

    @property
    def reports(self) -> list[Report | None]:
        """Per-file reports (``None`` for errors, or all ``None`` unless ``keep_reports``)."""
        self.run()
        assert self._reports is not None
        return self._reports

    @property
    def errors(self) -> list[AuditRow]:
        return [r for r in self.rows if r.status == "error"]

    def to_frame(self) -> Any:
        """A pandas DataFrame, one row per file (needs ``pip install 'custfocus[pandas]'``)."""
        try:
            import pandas as pd
        except ImportError:
            from .errors import MissingExtraError

            raise MissingExtraError("pandas", "pandas", "Audit.to_frame()") from None
        return pd.DataFrame([r.to_dict() for r in self.rows], columns=list(ROW_FIELDS))

    def to_csv(self, path: str | os.PathLike[str] | None = None) -> str:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(ROW_FIELDS), lineterminator="\n")
        writer.writeheader()
        for row in self.rows:
            writer.writerow(row.to_dict())
        return _maybe_write(buf.getvalue(), path)

    def to_json(self, path: str | os.PathLike[str] | None = None) -> str:
        """JSON Lines: one object per file."""
        text = "".join(json.dumps(r.to_dict()) + "\n" for r in self.rows)
        return _maybe_write(text, path)

    def to_html(self, path: str | os.PathLike[str] | None = None) -> str:
        """One self-contained HTML file: overview, sortable table, highlighted files."""
        from .render import audit_html

        return _maybe_write(audit_html(self), path)

    def _repr_html_(self) -> str:
        from .render import audit_table_html

        return audit_table_html(self.rows)

    def __repr__(self) -> str:
        done = "" if self._rows is None else f", errors={len(self.errors)}"
        return f"Audit(files={len(self.paths)}{done})"


def _maybe_write(text: str, path: str | os.PathLike[str] | None) -> str:
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text


def audit(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    recursive: bool = True,
    n_jobs: int = 1,
    seller: Sequence[str] = (),
    customer: Sequence[str] = (),
    config: Settings | str | os.PathLike[str] | None = None,
    backend: str | None = None,
    keep_reports: bool = True,
) -> Audit:
    """Audit files and folders of sales material.

    >>> result = audit("examples/", seller=["Northwind"])      # doctest: +SKIP
    >>> result.to_frame().sort_values("score").head()           # doctest: +SKIP

    ``n_jobs=-1`` uses every core; ``backend`` is any joblib backend (``"dask"`` with a
    Dask client). ``config`` is a :class:`~custfocus.config.Settings` or a TOML file path;
    ``seller`` and ``customer`` add to it. Nothing runs until you iterate or read ``rows``.
    """
    from .config import load_settings

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if isinstance(config, Settings):
        settings = config
    else:
        settings = load_settings(config) if config is not None else Settings()
    settings = settings.merged(
        seller=tuple(dict.fromkeys((*settings.seller, *seller))),
        customer=tuple(dict.fromkeys((*settings.customer, *customer))),
    )
    return Audit(
        discover(paths, recursive=recursive),
        settings,
        n_jobs=n_jobs,
        backend=backend,
        keep_reports=keep_reports,
    )
