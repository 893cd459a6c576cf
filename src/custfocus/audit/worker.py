"""Scoring one file, and the loop a supervised worker process runs.

:func:`score_path` is the per-file work wherever it runs (in this process, a worker process,
a joblib backend). :func:`worker_main` is the child side of :mod:`custfocus.audit.pool`: it
caps its own address space, builds its Analyzer once, then scores the paths it is sent and
answers with one result per path, in order. Any exception in scoring a file becomes that
file's error row; running out of memory becomes a :class:`~custfocus.errors.WorkerMemoryError`
row, after which the worker retires (its heap may be in any state).
"""

from __future__ import annotations

import json
import signal
import sys
import traceback
from collections.abc import Callable
from dataclasses import replace
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..errors import CustfocusError, WorkerMemoryError, WorkerStartError
from ..plan import attach_plan
from .rows import AuditResult, AuditRow
from .statements import statements_line

if TYPE_CHECKING:
    from ..analyzer import Analyzer
    from ..context import FileContext
    from ..document import Document
    from ..results import Report

__all__ = ["Scorer", "guarded_score", "score_in_context", "score_path", "worker_main"]

#: What a worker runs per file: ``(path, settings, keep_report) -> AuditResult``. It must be
#: picklable by reference (a module-level function); tests substitute hostile ones.
Scorer = Callable[[str, Settings, bool], AuditResult]

_ANALYZERS: dict[str, Analyzer] = {}


def analyzer_for(settings: Settings) -> Analyzer:
    """One Analyzer per process and settings: built once, reused for every file."""
    from ..analyzer import Analyzer  # here, so a parent that only dispatches stays light

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


def _format_of(path: str) -> str | None:
    from ..readers import detect_format

    try:
        return detect_format(path)
    except CustfocusError:
        return None


def error_result(path: str, exc: BaseException, *, tb: str | None = None) -> AuditResult:
    """The error row for ``exc`` raised while scoring ``path``."""
    message = str(exc)
    if not isinstance(exc, CustfocusError) or path not in message:
        message = f"{path}: {message or type(exc).__name__}"
    return AuditResult(
        AuditRow(
            path,
            _format_of(path),
            "error",
            error_type=type(exc).__name__,
            error=message,
            traceback=tb,
        ),
        None,
    )


def score_path(path: str, settings: Settings, keep_report: bool = True) -> AuditResult:
    """Read and score one file in its context; a custfocus or OS error becomes an error row.

    The file's context (:mod:`custfocus.context`) comes from the manifest named in
    ``settings``, the names the settings give, and (unless ``settings.infer_context`` is
    off) the file itself; its seller and customer names are scored with the file, the row
    carries the context, and the result carries the file's team statements (one line of
    JSON, :func:`~custfocus.audit.statements.statements_line`). Settings errors (a
    tampered model, a bad lexicon) are not the file's fault and raise. With
    ``keep_report=False`` only the row and statements come back, which is what a worker
    process should send when nobody keeps the reports (a report is far bigger than its row).
    """
    from ..readers import read

    analyzer = analyzer_for(settings)
    try:
        document = read(path)
        report, context = score_in_context(analyzer, document, path, settings)
    except (CustfocusError, OSError) as exc:
        return error_result(path, exc)
    if keep_report:  # the row has the context already; only a kept report needs it in full
        report = replace(report, meta={**report.meta, "context": context.to_dict()})
    return AuditResult(
        AuditRow.from_report(path, report, context),
        report if keep_report else None,
        statements_line(path, report, context, document) if settings.team_statements else "",
    )


def score_in_context(
    analyzer: Analyzer, document: Document, path: str, settings: Settings
) -> tuple[Report, FileContext]:
    """Score ``document`` with the names its context gives, and return both.

    In a call, an organisation in a speaker label ("Sam Rivera (Northwind)") goes to the
    side that speaker's role puts it on, and the call is scored again with it when the name
    occurs in its text (a name only in the labels matches nothing); the rep is
    the seller speaker unless the manifest names one (a manifest rep who is a speaker is
    passed as the seller speaker).
    """
    from ..context import (
        ContextValue,
        Evidence,
        FileContext,
        infer_context,
        load_manifest,
        merge_context,
        speaker_orgs,
        with_speaker_orgs,
    )

    listed = load_manifest(settings.manifest).get(path) if settings.manifest else None
    if settings.infer_context:
        inferred = infer_context(
            document,
            sellers=settings.seller,
            customers=settings.customer,
            lexicons=analyzer.lexicons,
        )
    else:
        inferred = FileContext()
    context = merge_context(inferred, listed, sellers=settings.seller, customers=settings.customer)
    speakers = list(settings.seller_speakers or ())
    if not speakers and context.rep is not None and context.rep.source == "manifest":
        rep = context.rep.value.lower()
        speakers = [s for s in document.speakers if s.lower().startswith(rep)]

    def run(ctx: FileContext) -> Report:
        named = analyzer.with_names(ctx.seller_names, ctx.customer_names)
        return named.score_document(document, seller_speakers=speakers or None)

    report = run(context)
    if report.conversation is None:
        return report, context
    roles = {r.speaker: r.role for r in report.conversation.roles}
    if settings.infer_context:
        richer = with_speaker_orgs(context, speaker_orgs(document, analyzer.lexicons), roles)
        if richer is not context:
            known = {*context.seller_names, *context.customer_names}
            added = {*richer.seller_names, *richer.customer_names} - known
            text = report.text.lower()
            # A name only in the speaker labels matches nothing: keep the context, skip
            # scoring the call again (the costliest step of a team audit's calls).
            if any(name.lower() in text for name in added):
                report = run(richer)
                assert report.conversation is not None
            context = richer
    if context.rep is None and report.conversation is not None:
        sellers = [r for r in report.conversation.roles if r.role == "seller"]
        if sellers:
            top = max(sellers, key=lambda r: r.confidence)
            person = top.speaker.split("(")[0].strip() or top.speaker
            ev = Evidence(top.speaker, f"seller speaker ({top.method})")
            rep_value = ContextValue(person, "inferred", round(top.confidence, 2), (ev,),
                                     "call seller speaker")  # fmt: skip
            context = replace(context, rep=rep_value)
    if context.genre is not None:
        report = attach_plan(report, plan_genre_of(context.genre.value))
    return report, context


def plan_genre_of(genre: str) -> str:
    """A manifest genre as :func:`custfocus.plan.attach_plan` reads it: any spelling of
    "account plan" (or "plan") turns plan coverage on, any other genre turns it off."""
    words = genre.lower().replace("_", " ").replace("-", " ").split()
    return "plan" if words in (["plan"], ["account", "plan"], ["accountplan"]) else genre


def guarded_score(
    scorer: Scorer, path: str, settings: Settings, keep: bool, debug: bool
) -> tuple[AuditResult, bool]:
    """``scorer`` on one file with every exception turned into its row.

    Returns the result and whether the process ran out of memory (and should retire).
    """
    try:
        return scorer(path, settings, keep), False
    except MemoryError:
        reason = "ran out of memory (over the worker memory cap; see --max-memory)"
        return error_result(path, WorkerMemoryError(path, reason)), True
    except Exception as exc:
        return error_result(path, exc, tb=traceback.format_exc() if debug else None), False


def _cap_memory(max_memory_mb: int | None) -> None:
    """Cap this process's address space, so a runaway allocation raises MemoryError here."""
    if not max_memory_mb:
        return
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX: no cap
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = max_memory_mb * 2**20
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _die_with_parent() -> None:
    """On Linux, have the kernel kill this worker when its parent (the fork server, which
    exits with the audit) dies, so a worker stuck on a file never outlives a killed audit."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass


def _start_error(exc: BaseException, max_memory_mb: int | None) -> Exception:
    """What the parent raises when the worker cannot start: the error itself when it can
    cross processes, else a :class:`WorkerStartError` with its message."""
    import pickle

    if isinstance(exc, MemoryError):
        return WorkerStartError(
            f"a worker process ran out of memory while starting: --max-memory {max_memory_mb} MB "
            "is too low for the analyzer"
        )
    if isinstance(exc, CustfocusError):
        try:
            copy = pickle.loads(pickle.dumps(exc))
            if isinstance(copy, Exception):
                return copy
        except Exception:
            pass
    return WorkerStartError(f"a worker process could not start: {type(exc).__name__}: {exc}")


def worker_main(
    conn: Connection,
    settings: Settings,
    keep: bool,
    debug: bool,
    max_memory_mb: int | None,
    scorer: Scorer,
) -> None:
    """The worker process: say ``ready``, then score each ``[(index, path), ...]`` sent.

    Messages to the parent: ``("ready",)``, ``("start_error", exc)``, and per file
    ``("row", index, AuditResult, retire)``. ``None`` or a closed pipe ends the loop.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if sys.platform == "linux":
        _die_with_parent()
    try:
        _cap_memory(max_memory_mb)
        analyzer_for(settings)
    except BaseException as exc:
        conn.send(("start_error", _start_error(exc, max_memory_mb)))
        return
    conn.send(("ready",))
    while True:
        try:
            batch: Any = conn.recv()
        except (EOFError, OSError):
            return
        if batch is None:
            return
        for index, path in batch:
            result, retire = guarded_score(scorer, path, settings, keep, debug)
            try:
                conn.send(("row", index, result, retire))
            except MemoryError:
                conn.send(("row", index, AuditResult(result.row, None), True))
                retire = True
            except OSError:  # the parent is gone
                return
            except Exception as exc:  # the result would not pickle: the row says so
                conn.send(("row", index, error_result(path, exc), retire))
            if retire:
                return
