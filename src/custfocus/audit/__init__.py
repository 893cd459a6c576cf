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
from collections.abc import Collection, Generator, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from joblib import Parallel, delayed
from joblib.parallel import LokyBackend, get_active_backend

from ..config import Settings
from ..context import Manifest, read_manifest
from ..results import Report
from . import worker as _worker
from .discovery import discover, skip_row
from .groups import GROUP_KEYS, Group, Groups, group_rows
from .pool import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT, Limits, resolve_n_jobs, supervised
from .rows import ROW_FIELDS, AuditResult, AuditRow, safe_text
from .spill import StatementSpill
from .worker import Scorer, analyzer_for, guarded_score, score_path

if TYPE_CHECKING:
    from ..team.inputs import Statement

__all__ = [
    "DEFAULT_MAX_MEMORY_MB",
    "DEFAULT_TIMEOUT",
    "GROUP_KEYS",
    "ROW_FIELDS",
    "Audit",
    "AuditResult",
    "AuditRow",
    "Group",
    "Groups",
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
        manifest: str | os.PathLike[str] | None = None,
        team: bool = True,
        statements_file: str | os.PathLike[str] | None = None,
        kept_paths: Collection[str] | None = None,
    ) -> None:
        self.paths = list(paths)
        self.manifest: Manifest | None = None
        if manifest is not None:
            self.manifest = read_manifest(manifest)  # a bad row raises here, before any work
            settings = settings.merged(manifest=str(Path(manifest).resolve()))
        elif settings.manifest:
            self.manifest = read_manifest(settings.manifest)
        if not team:
            settings = settings.merged(team_statements=False)
        self.settings = settings
        self.team_enabled = team
        #: Marketing's reference messaging for :meth:`team` (a path), if any.
        self.messaging: str | os.PathLike[str] | None = None
        #: Where the team statements go (:mod:`.spill`): ``None`` for a temporary file, or a
        #: file kept after the audit; ``kept_paths`` resumes it, keeping those files' lines.
        self.statements_file = statements_file
        self.kept_paths = kept_paths
        self._spill: StatementSpill | None = None
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
            return (AuditResult(row, report)
                    for row, report in zip(self._rows, self._reports, strict=True))  # fmt: skip
        return self._run()

    def _run(self) -> Iterator[AuditResult]:
        """Open the statements file now (a resumed one that is not ours raises
        ``ValueError`` here, before any work), then stream the results."""
        if self._spill is not None:
            self._spill.close()
        self._spill = None
        if self.team_enabled:
            self._spill = StatementSpill(self.statements_file, keep=self.kept_paths)
        return self._stream(self._spill)

    def _stream(self, spill: StatementSpill | None) -> Generator[AuditResult, None, None]:
        skips = [skip_row(p) for p in self.paths]
        todo = [p for p, s in zip(self.paths, skips, strict=True) if s is None]
        scored = self._score(todo)
        try:
            for skip in skips:
                result = AuditResult(skip, None) if skip is not None else next(scored)
                if result.row.status != "ok" and self.manifest is not None:
                    listed = self.manifest.get(result.row.path)
                    if listed is not None:  # a file that failed still counts for its group
                        result = AuditResult(result.row.with_context(listed), result.report)
                if result.statements:
                    if spill is not None:
                        spill.write(result.statements)
                    result = AuditResult(result.row, result.report)  # kept once, on disk
                yield result
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

    def statements(self) -> Iterator[Statement]:
        """The team statements of every scored file, in file order, read back from disk.

        Each file's claims (value and pitch sentences of its seller) and customer statements
        (:mod:`custfocus.audit.statements`) were written to a JSON Lines file (:mod:`.spill`)
        as its row came in, so memory stays flat in the number of files; a resumed audit
        (``kept_paths``) also reads those of the files kept from the earlier run. Runs the
        audit if it has not run.
        """
        self.run()
        if self._spill is None:
            return iter(())
        return self._spill.read()

    def by(self, key: str) -> Groups:
        """Scores and components per ``key`` (:data:`~custfocus.audit.groups.GROUP_KEYS`:
        rep, account, offering, genre, month, format), with counts, spread and the files
        behind each figure. Computed from the rows alone.

        >>> team = audit("examples/team", manifest="examples/team/manifest.csv")  # doctest: +SKIP
        >>> print(team.by("rep").table())                                         # doctest: +SKIP
        """
        return group_rows(self.rows, key)

    def team(
        self, messaging: str | os.PathLike[str] | None = None, *, theme_matcher: str = "word"
    ) -> Any:
        """The team analyses over this audit (:func:`custfocus.team.analyze_team`): message
        consistency across reps and customer voice across accounts.

        ``messaging`` is marketing's reference messaging (one message per line or heading).
        The manifest's accounts are passed, so accounts never heard from are named, and the
        grouping uses as many threads as the audit had workers.
        ``theme_matcher`` says how customer themes are matched: ``"word"`` (content words,
        the default), ``"char"`` (char grams) or ``"embed"`` (by meaning, the ``embed``
        extra).
        """
        from ..team import analyze_team

        accounts = self.manifest.accounts if self.manifest is not None else ()
        if messaging is None:
            messaging = self.messaging
        return analyze_team(
            self.statements(),
            accounts=accounts,
            messaging=messaging,
            theme_matcher=theme_matcher,
            n_jobs=resolve_n_jobs(self.n_jobs),
        )

    def team_sections(self, team: Any = None) -> list[tuple[str, str, str]]:
        """The team pages of the HTML report: scores by rep and by account, then the team
        analyses' reps, accounts, message and theme matrices and flags (``team``, or
        :meth:`team` computed now)."""
        from ..report.groups import groups_section

        sections = [groups_section(self.by(key)) for key in ("rep", "account")]
        return sections + list((team if team is not None else self.team()).html_sections())

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

    def to_html(self, path: str | os.PathLike[str] | None = None, *, team: bool = False) -> str:
        """One self-contained HTML file: worst files first, a sortable table, each file's
        text; ``team=True`` adds the team pages (:meth:`team_sections`)."""
        from ..render import audit_html

        sections = self.team_sections() if team else ()
        return _maybe_write(audit_html(self, sections), path)

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
    manifest: str | os.PathLike[str] | None = None,
    infer_context: bool = True,
    team: bool = True,
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

    ``manifest`` is a CSV giving files their rep, account, offering, date, genre and names
    (:func:`custfocus.context.read_manifest`); where it says nothing, the context is
    inferred from each file unless ``infer_context=False``. ``team=False`` skips collecting
    the team statements (:meth:`Audit.statements`).
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
    if not infer_context:
        settings = settings.merged(infer_context=False)
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
        manifest=manifest,
        team=team,
    )
