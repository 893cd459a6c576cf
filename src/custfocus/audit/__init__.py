"""Audit a collateral library: one row per file, lazily, in order, every file isolated.

Every file under the audited paths gets a row (:mod:`.discovery`): ``ok`` with its figures,
``error`` with a typed reason, or ``skipped`` with why custfocus does not read it. Each file
is scored in a supervised worker process (:mod:`.pool`, as Apache Tika runs its parsers),
serial audits included, so an unexpected exception, a hang past the per-file time limit, a
runaway allocation or a killed worker costs that file one error row and the audit goes on.
Rows are small (:mod:`.rows`) and stream to CSV or JSON Lines as they come.

``isolate=False`` scores in this process (no time limit, no memory cap) for callers who want
that; an explicit ``backend=`` or an enclosing ``joblib.parallel_config(...)`` runs the
per-file function :func:`score_path` through joblib (a Dask cluster with
``joblib.parallel_config("dask")``), with joblib's own failure handling.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from joblib import Parallel, delayed
from joblib.parallel import LokyBackend, get_active_backend

from ..config import Settings
from ..results import Report
from . import worker as _worker
from .discovery import discover, skip_row
from .pool import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT, Limits, resolve_n_jobs, supervised
from .rows import ROW_FIELDS, AuditResult, AuditRow, safe_text
from .worker import Scorer, analyzer_for, guarded_score, score_path

__all__ = [
    "DEFAULT_MAX_MEMORY_MB",
    "DEFAULT_TIMEOUT",
    "ROW_FIELDS",
    "Audit",
    "AuditResult",
    "AuditRow",
    "audit",
    "discover",
    "score_path",
]


def _use_joblib() -> bool:
    """Whether parallel work must go through joblib rather than the supervised workers.

    It must when the caller configured joblib (``joblib.parallel_config("dask")``, threads...):
    an active backend other than loky, joblib's default, means someone chose it.
    """
    backend, _ = get_active_backend()
    return not isinstance(backend, LokyBackend)


class Audit:
    """The results of auditing many files, streamed in input order.

    Iterating yields :class:`AuditResult` objects as they finish (memory stays flat);
    ``rows`` and the writers materialise the rows, which are small. ``timeout`` (seconds per
    file) and ``max_memory_mb`` (address space per worker) bound every file; ``None`` lifts
    a bound. ``debug=True`` keeps the traceback of an unexpected exception in its row.
    """

    def __init__(
        self,
        paths: Sequence[str],
        settings: Settings,
        *,
        n_jobs: int = 1,
        backend: str | None = None,
        keep_reports: bool = False,
        isolate: bool = True,
        timeout: float | None = DEFAULT_TIMEOUT,
        max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB,
        debug: bool = False,
    ) -> None:
        self.paths = list(paths)
        self.settings = settings
        self.n_jobs = n_jobs
        self.backend = backend
        self.keep_reports = keep_reports
        self.isolate = isolate
        self.limits = Limits(timeout=timeout, max_memory_mb=max_memory_mb, debug=debug)
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
        skips = [skip_row(p) for p in self.paths]
        todo = [p for p, s in zip(self.paths, skips, strict=True) if s is None]
        scored = self._score(todo)
        try:
            for skip in skips:
                yield AuditResult(skip, None) if skip is not None else next(scored)
        finally:
            scored.close()  # stopping early stops the workers now, not at garbage collection

    def _score(self, paths: list[str]) -> Generator[AuditResult, None, None]:
        keep, debug = self.keep_reports, self.limits.debug
        scorer: Scorer = _worker.score_path  # looked up now: a seam tests can patch
        if self.backend is not None or (self.n_jobs != 1 and _use_joblib()):
            parallel = Parallel(
                n_jobs=self.n_jobs, backend=self.backend, return_as="generator", batch_size="auto"
            )
            for result, _ in parallel(
                delayed(guarded_score)(scorer, p, self.settings, keep, debug) for p in paths
            ):
                yield result
            return
        n_jobs = resolve_n_jobs(self.n_jobs)
        if not self.isolate:
            if paths:
                analyzer_for(self.settings)  # a settings error raises once, not per file
            for path in paths:
                yield guarded_score(scorer, path, self.settings, keep, debug)[0]
            return
        yield from supervised(
            paths, self.settings, keep=keep, n_jobs=n_jobs, limits=self.limits, scorer=scorer
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

    def keep(self, rows: list[AuditRow], reports: list[Report | None]) -> Audit:
        """Adopt rows (and reports) gathered by a caller that streamed this audit itself."""
        self._rows, self._reports = list(rows), list(reports)
        return self

    @property
    def rows(self) -> list[AuditRow]:
        self.run()
        assert self._rows is not None
        return self._rows

    @property
    def reports(self) -> list[Report | None]:
        """Per-file reports (``None`` unless scored, or all ``None`` unless ``keep_reports``)."""
        self.run()
        assert self._reports is not None
        return self._reports

    @property
    def errors(self) -> list[AuditRow]:
        return [r for r in self.rows if r.status == "error"]

    @property
    def skipped(self) -> list[AuditRow]:
        return [r for r in self.rows if r.status == "skipped"]

    def to_frame(self) -> Any:
        """A pandas DataFrame, one row per file (needs ``pip install 'custfocus[pandas]'``)."""
        try:
            import pandas as pd
        except ImportError:
            from ..errors import MissingExtraError

            raise MissingExtraError("pandas", "pandas", "Audit.to_frame()") from None
        return pd.DataFrame([r.to_dict() for r in self.rows], columns=list(ROW_FIELDS))

    def to_csv(self, path: str | os.PathLike[str] | None = None) -> str:
        import csv
        import io

        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(ROW_FIELDS), lineterminator="\n")
        writer.writeheader()
        for row in self.rows:
            writer.writerow({k: safe_text(v) if isinstance(v, str) else v
                             for k, v in row.to_dict().items()})  # fmt: skip
        return _maybe_write(buf.getvalue(), path)

    def to_json(self, path: str | os.PathLike[str] | None = None) -> str:
        """JSON Lines: one object per file."""
        import json

        text = "".join(json.dumps(r.to_dict()) + "\n" for r in self.rows)
        return _maybe_write(text, path)

    def to_html(self, path: str | os.PathLike[str] | None = None) -> str:
        """One self-contained HTML file: overview, sortable table, highlighted files."""
        from ..render import audit_html

        return _maybe_write(audit_html(self), path)

    def _repr_html_(self) -> str:
        from ..render import audit_table_html

        return audit_table_html(self.rows)

    def __repr__(self) -> str:
        done = "" if self._rows is None else f", errors={len(self.errors)}"
        return f"Audit(files={len(self.paths)}{done})"


def _maybe_write(text: str, path: str | os.PathLike[str] | None) -> str:
    """Write ``text`` as valid UTF-8 (a file name's undecodable bytes escaped) and return it."""
    if path is not None:
        Path(path).write_text(safe_text(text), encoding="utf-8")
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
    isolate: bool = True,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB,
    debug: bool = False,
) -> Audit:
    """Audit files and folders of sales material.

    >>> result = audit("examples/", seller=["Northwind"])      # doctest: +SKIP
    >>> result.to_frame().sort_values("score").head()           # doctest: +SKIP

    Each file is scored in a supervised worker process (``n_jobs`` of them; ``-1`` every
    core), under ``timeout`` seconds and ``max_memory_mb`` of address space, so no file can
    hang or sink the audit; ``isolate=False`` scores in this process instead. ``backend``
    (any joblib backend, ``"dask"`` with a Dask client) or an enclosing
    ``joblib.parallel_config(...)`` runs the audit through joblib. As with any
    multiprocessing code, a script needs an ``if __name__ == "__main__":`` guard.
    ``config`` is a :class:`~custfocus.config.Settings` or a TOML file path; ``seller`` and
    ``customer`` add to it. Nothing runs until you iterate or read ``rows``.
    """
    from ..config import load_settings

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
        isolate=isolate,
        timeout=timeout,
        max_memory_mb=max_memory_mb,
        debug=debug,
    )
