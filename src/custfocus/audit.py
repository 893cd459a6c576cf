"""Audit a collateral library: one row per file, lazily, in order, optionally in parallel.

A file that cannot be read becomes a row with its error; it never stops the audit. Local
worker processes fork from a fork server that has imported custfocus (and spaCy) once; each
builds its Analyzer once and then receives only chunks of paths. A worker that dies (a crash,
the OOM killer) costs one error row for the file that killed it, not the audit. The per-file
work is :func:`score_path`, a plain picklable function, so an explicit ``backend=`` or a
``joblib.parallel_config(...)`` runs the same audit through joblib instead (a Dask cluster
with ``joblib.parallel_config("dask")``).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from joblib import Parallel, cpu_count, delayed
from joblib.parallel import LokyBackend, get_active_backend

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
    sellers: str | None = None
    roles_uncertain: bool | None = None
    words: int | None = None
    insufficient_evidence: bool | None = None
    error_type: str | None = None
    error: str | None = None

    @property
    def band(self) -> str | None:
        """The score's band (:data:`custfocus.scoring.BANDS`); ``None`` for an error row."""
        from .scoring import band

        return None if self.score is None else band(self.score)

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in ROW_FIELDS}

    @classmethod
    def from_report(cls, path: str, report: Report) -> AuditRow:
        c, conv = report.content, report.conversation
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


#: Imported once by the fork server, so every worker forked from it starts with them loaded.
_PRELOAD = ("custfocus.audit", "custfocus.analyzer", "custfocus.readers")

#: A task: score a chunk of paths in a worker, one result per path, in order.
_Task = Callable[[list[str]], list[AuditResult]]

#: What :func:`_init_worker` gave this worker process: the settings and ``keep_reports``.
_WORKER_STATE: tuple[Settings, bool] | None = None


def _use_joblib() -> bool:
    """Whether parallel work must go through joblib rather than the local fork-server pool.

    It must when the caller configured joblib (``joblib.parallel_config("dask")``, threads...):
    an active backend other than loky, joblib's default, means someone chose it. It also must
    where there is no fork server (Windows).
    """
    backend, _ = get_active_backend()
    if not isinstance(backend, LokyBackend):
        return True
    return "forkserver" not in multiprocessing.get_all_start_methods()


def _resolve_n_jobs(n_jobs: int) -> int:
    """Worker count as joblib counts it: ``-1`` every core, ``-2`` all but one, and so on
    (cores as joblib sees them, container CPU limits included)."""
    if n_jobs == 0:
        raise ValueError("n_jobs=0 has no meaning: use 1 (no workers) or -1 (every core)")
    if n_jobs < 0:
        return max(1, int(cpu_count()) + 1 + n_jobs)
    return n_jobs


def _init_worker(settings: Settings, keep_reports: bool) -> None:
    """Runs once per worker: keep the settings and build the Analyzer, so tasks carry only paths."""
    global _WORKER_STATE
    _WORKER_STATE = (settings, keep_reports)
    # An initializer that raises breaks the pool; if the Analyzer cannot be built, each file
    # meets the error in score_path instead, as in a serial audit.
    with contextlib.suppress(Exception):
        _analyzer(settings)


def _score_chunk(paths: list[str]) -> list[AuditResult]:
    """The worker task: score consecutive files with this worker's settings."""
    assert _WORKER_STATE is not None, "_init_worker did not run in this process"
    settings, keep = _WORKER_STATE
    return [score_path(path, settings, keep_report=keep) for path in paths]


def _start_pool(n: int, settings: Settings, keep: bool) -> ProcessPoolExecutor:
    """``n`` workers forked from a fork server that has imported custfocus once.

    The preload list only counts before the fork server first starts (once per parent
    process). Forking from that single-threaded server is safe where forking a parent that
    runs threads is not.
    """
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(list(_PRELOAD))
    return ProcessPoolExecutor(
        max_workers=n, mp_context=ctx, initializer=_init_worker, initargs=(settings, keep)
    )


def _result_or_none(future: Future[list[AuditResult]]) -> list[AuditResult] | None:
    """The task's results, or ``None`` if its pool broke (a worker process died)."""
    try:
        return future.result()
    except BrokenProcessPool:
        return None


def _crashed(path: str) -> AuditResult:
    """The error row for a file that killed the worker process scoring it."""
    try:
        from .readers import detect_format

        fmt: str | None = detect_format(path)
    except CustfocusError:
        fmt = None
    message = (
        f"{path}: the worker process died while scoring this file "
        "(a crash, or killed for lack of memory)"
    )
    return AuditResult(
        AuditRow(path, fmt, "error", error_type="WorkerCrashedError", error=message), None
    )


def _pool_results(
    paths: Sequence[str],
    settings: Settings,
    keep: bool,
    n_jobs: int,
    task: _Task = _score_chunk,
) -> Iterator[AuditResult]:
    """Score ``paths`` on ``n_jobs`` local worker processes; results lazily, in input order.

    Tasks are chunks of consecutive paths, and at most ``2 * n_jobs`` are in flight, so memory
    stays flat however many files there are. ``task`` is a seam for tests (it must be
    picklable by reference).
    """
    if not paths:
        return
    size = max(1, min(8, len(paths) // (n_jobs * 16)))
    chunks = (list(paths[i : i + size]) for i in range(0, len(paths), size))
    workers = min(n_jobs, -(-len(paths) // size))  # no idle workers for a short list
    in_flight: deque[tuple[list[str], Future[list[AuditResult]]]] = deque()
    pool = _start_pool(workers, settings, keep)
    ran_a_task = False
    try:
        while True:
            while len(in_flight) < 2 * workers and (chunk := next(chunks, None)) is not None:
                in_flight.append((chunk, pool.submit(task, chunk)))
            if not in_flight:
                return
            chunk, future = in_flight.popleft()
            results = _result_or_none(future)
            if results is not None:
                ran_a_task = True
                yield from results
                continue
            # A worker died, and that breaks the whole pool: every chunk in flight that had not
            # finished failed with it, and we cannot tell which file did it. Reap the dead pool,
            # re-score those chunks' files one per task (which pins the crash on one file), then
            # carry on with the remaining chunks in a fresh pool.
            pool.shutdown(wait=True)  # also waits until every in-flight future is settled
            if not ran_a_task:
                _check_workers_start(settings, keep, task)  # else no file is to blame
                ran_a_task = True
            broken = [(chunk, future), *in_flight]
            in_flight.clear()
            finished = [_result_or_none(f) for _, f in broken]
            retry = [
                p for (c, _), done in zip(broken, finished, strict=True) if done is None for p in c
            ]
            rescored = iter(_rescore_one_by_one(retry, settings, keep, workers, task))
            pool = _start_pool(workers, settings, keep)
            for (c, _), done in zip(broken, finished, strict=True):
                yield from done if done is not None else islice(rescored, len(c))
    finally:
        # Also runs when the consumer stops early (the generator is closed): drop the queued
        # chunks and wait for the running ones, so no worker process outlives the audit.
        pool.shutdown(wait=True, cancel_futures=True)


def _check_workers_start(settings: Settings, keep: bool, task: _Task) -> None:
    """Raise unless a fresh worker can run an empty task; if it cannot, no file is to blame.

    Workers re-run the parent's ``__main__`` script (standard multiprocessing), so a script
    that starts an audit without a ``__main__`` guard kills every worker as it starts.
    """
    pool = _start_pool(1, settings, keep)
    try:
        pool.submit(task, []).result()
    except BrokenProcessPool as exc:
        raise RuntimeError(
            "custfocus could not start its worker processes (see the errors they printed). "
            "A script that audits with n_jobs != 1 needs an 'if __name__ == \"__main__\":' "
            "guard, as any multiprocessing code does; backend='loky' does without one."
        ) from exc
    finally:
        pool.shutdown(wait=True)


def _rescore_one_by_one(
    paths: list[str], settings: Settings, keep: bool, n_jobs: int, task: _Task
) -> list[AuditResult]:
    """Score files one per task after a worker died; a file that kills a worker is an error row.

    Files run ``n_jobs`` at a time in a fresh pool. When the pool breaks again, the files of
    that batch that did not finish are suspects, and each is retried as the only task in its
    pool: a suspect that still kills its worker is the culprit and becomes an error row.
    Every other file is scored.
    """
    results: dict[int, AuditResult] = {}
    todo = deque(range(len(paths)))
    suspects: deque[int] = deque()
    pool: ProcessPoolExecutor | None = None
    try:
        while todo or suspects:
            if pool is None:
                pool = _start_pool(n_jobs, settings, keep)
            alone = bool(suspects)  # suspects go first, one at a time
            batch = (
                [suspects.popleft()]
                if alone
                else [todo.popleft() for _ in range(min(n_jobs, len(todo)))]
            )
            futures = [pool.submit(task, [paths[i]]) for i in batch]
            broke = False
            for i, future in zip(batch, futures, strict=True):
                done = _result_or_none(future)
                if done is not None:
                    results[i] = done[0]
                    continue
                broke = True
                if alone:
                    results[i] = _crashed(paths[i])
                else:
                    suspects.append(i)
            if broke:
                pool.shutdown(wait=True)
                pool = None
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return [results[i] for i in range(len(paths))]


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
        if self.backend is not None or (self.n_jobs != 1 and _use_joblib()):
            parallel = Parallel(
                n_jobs=self.n_jobs, backend=self.backend, return_as="generator", batch_size="auto"
            )
            yield from parallel(
                delayed(score_path)(p, self.settings, keep_report=keep) for p in self.paths
            )
            return
        n_jobs = _resolve_n_jobs(self.n_jobs)
        if n_jobs == 1:
            for path in self.paths:
                yield score_path(path, self.settings, keep_report=keep)
            return
        yield from _pool_results(self.paths, self.settings, keep, n_jobs)

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

    ``n_jobs=-1`` uses every core: local processes fork from a fork server that imports
    custfocus once. ``backend`` (any joblib backend, ``"dask"`` with a Dask client) or an
    enclosing ``joblib.parallel_config(...)`` runs the audit through joblib instead. As with
    any multiprocessing code, a script needs an ``if __name__ == "__main__":`` guard.
    ``config`` is a :class:`~custfocus.config.Settings` or a TOML file path; ``seller`` and
    ``customer`` add to it. Nothing runs until you iterate or read ``rows``.
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
