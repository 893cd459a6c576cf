"""Supervised worker processes: every file scored in a child under a watchdog.

Modelled on Apache Tika's forked parsers. Each worker is a child process (forked from a fork
server that has imported custfocus and spaCy once) with its own pipe; the parent sends it
paths one or two at a time and it answers one result per path, in order, so the parent always
knows which file a worker is on. The parent is the watchdog:

- a file that runs past ``timeout`` seconds gets a :class:`~custfocus.errors.FileTimeoutError`
  row; its worker is killed and replaced;
- a worker that dies (a crash, ``SIGKILL``, the OOM killer) costs the file it was on a
  :class:`~custfocus.errors.WorkerCrashedError` row; it is replaced;
- each worker caps its address space at ``max_memory_mb``, so a runaway allocation raises
  ``MemoryError`` in the worker: a :class:`~custfocus.errors.WorkerMemoryError` row, and the
  worker retires.

Files queued behind a lost file go to the replacement worker, so nothing else is lost and
good files score exactly as they do alone. Results come back lazily, in input order.
"""

from __future__ import annotations

import multiprocessing
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

from joblib import cpu_count

from ..config import Settings
from ..errors import FileTimeoutError, WorkerCrashedError, WorkerStartError
from .rows import AuditResult
from .worker import Scorer, error_result, worker_main

__all__ = ["DEFAULT_MAX_MEMORY_MB", "DEFAULT_TIMEOUT", "Limits", "resolve_n_jobs", "supervised"]

#: Per-file time limit in seconds (``--timeout``): far above any real file (a 6,000-word
#: call scores in well under a second), low enough that a hang costs a minute, not the batch.
DEFAULT_TIMEOUT = 60.0

#: Address-space cap per worker in MB (``--max-memory``). A worker with spaCy and the model
#: loaded maps about 300 MB; a 200 MB file being parsed stays far below 2 GB.
DEFAULT_MAX_MEMORY_MB = 2048

#: Imported once by the fork server, so every worker forked from it starts with them loaded.
_PRELOAD = ("custfocus.audit", "custfocus.analyzer", "custfocus.readers")

#: Files sent ahead to each worker: one in hand and one waiting hides the pipe's latency
#: (well under a millisecond, against 10 ms or more per file), and at the end of an audit no
#: worker sits on a backlog while another is idle.
_QUEUED = 2

#: How long a worker may take to start (import, build its Analyzer) before it counts as stuck.
_START_LIMIT = 120.0


@dataclass(frozen=True, slots=True)
class Limits:
    """What the watchdog enforces per file and per worker; ``None`` switches a limit off."""

    timeout: float | None = DEFAULT_TIMEOUT
    max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB
    debug: bool = False


def resolve_n_jobs(n_jobs: int) -> int:
    """Worker count as joblib counts it: ``-1`` every core, ``-2`` all but one, and so on
    (cores as joblib sees them, container CPU limits included)."""
    if n_jobs == 0:
        raise ValueError("n_jobs=0 has no meaning: use 1 (one worker) or -1 (every core)")
    if n_jobs < 0:
        return max(1, int(cpu_count()) + 1 + n_jobs)
    return n_jobs


def _context() -> Any:
    """The fork server where there is one (safe to fork: single-threaded), else spawn.

    The preload list only counts before the fork server first starts (once per process).
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(list(_PRELOAD))
        return ctx
    return multiprocessing.get_context("spawn")  # pragma: no cover - Windows


@dataclass(eq=False)
class _Worker:
    """The parent's view of one worker: its process, pipe, and the files it was sent."""

    proc: BaseProcess
    conn: Connection
    born: float
    ready: bool = False
    queue: deque[tuple[int, str]] = field(default_factory=deque)
    started: float = 0.0  # when the file at the head of ``queue`` started

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join()
        self.conn.close()


class _Supervisor:
    """Hands out paths, watches the workers, and turns every loss into exactly one row."""

    def __init__(
        self,
        paths: Sequence[str],
        settings: Settings,
        keep: bool,
        n_jobs: int,
        limits: Limits,
        scorer: Scorer,
    ) -> None:
        self.paths = paths
        self.args = (settings, keep, limits.debug, limits.max_memory_mb, scorer)
        self.limits = limits
        self.ctx = _context()
        self.pending: deque[tuple[int, str]] = deque(enumerate(paths))
        self.results: dict[int, AuditResult] = {}
        self.n_workers = max(1, min(n_jobs, len(paths)))
        self.window = max(64, 32 * self.n_workers)  # bounds the reorder buffer
        self.workers: list[_Worker] = []
        self.ever_ready = False
        self.failed_starts = 0

    def spawn(self) -> _Worker:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=worker_main, args=(child, *self.args), daemon=True)
        proc.start()
        child.close()
        return _Worker(proc, parent, time.monotonic())

    def run(self) -> Iterator[AuditResult]:
        next_out = 0
        try:
            while len(self.workers) < self.n_workers:
                self.workers.append(self.spawn())
            while next_out < len(self.paths):
                while next_out in self.results:
                    yield self.results.pop(next_out)
                    next_out += 1
                if next_out >= len(self.paths):
                    break
                self.feed(next_out)
                self.step()
        finally:
            self.stop()

    def feed(self, next_out: int) -> None:
        for w in self.workers:
            while len(w.queue) < _QUEUED and self.pending:
                if self.pending[0][0] >= next_out + self.window:
                    return
                batch = [self.pending.popleft()]
                try:
                    w.conn.send(batch)
                except OSError:  # it died: step() replaces it; these files go elsewhere
                    self.pending.extendleft(reversed(batch))
                    break
                if not w.queue:
                    w.started = time.monotonic()
                w.queue.extend(batch)

    def step(self) -> None:
        """Wait for a message, a death or a deadline, and deal with whatever happened."""
        now = time.monotonic()
        deadlines = [d for d in map(self.deadline, self.workers) if d is not None]
        wait_for = max(0.0, min(deadlines) - now) if deadlines else None
        waitables: list[Any] = [w.conn for w in self.workers]
        waitables += [w.proc.sentinel for w in self.workers]
        wait(waitables, wait_for)
        for i, w in enumerate(self.workers):
            state = self.drain(w)
            if state == "alive":
                deadline = self.deadline(w)
                if deadline is None or time.monotonic() < deadline:
                    continue
                state = "timeout"
            self.lose(w, state)
            self.workers[i] = self.spawn()

    def deadline(self, w: _Worker) -> float | None:
        if not w.ready:
            return w.born + max(_START_LIMIT, self.limits.timeout or 0.0)
        if w.queue and self.limits.timeout is not None:
            return w.started + self.limits.timeout
        return None

    def drain(self, w: _Worker) -> str:
        """Take every message ``w`` sent: ``"alive"``, ``"dead"`` or ``"retired"``."""
        alive = w.proc.is_alive()  # first: a dead worker's last messages are all in the pipe
        while True:
            try:
                if not w.conn.poll():
                    break
                msg = w.conn.recv()
            except Exception:  # EOF, or a message cut short by the worker's death
                return "dead"
            if msg[0] == "ready":
                w.ready, self.ever_ready, self.failed_starts = True, True, 0
                w.started = time.monotonic()
            elif msg[0] == "start_error":
                raise msg[1]
            else:
                _, index, result, retire = msg
                head, _path = w.queue.popleft()
                assert head == index, "a worker answered out of order"
                self.results[index] = result
                w.started = time.monotonic()
                if retire:
                    return "retired"
        return "alive" if alive else "dead"

    def lose(self, w: _Worker, state: str) -> None:
        """Kill ``w``; a file it was on when it died or ran out of time gets its row."""
        w.kill()
        if not w.ready:  # stuck or dead before taking any file: no file is to blame
            self.failed_starts += 1
            if not self.ever_ready or self.failed_starts >= 3:
                raise WorkerStartError(
                    "custfocus could not start its worker processes (see the errors they "
                    "printed). A script that runs an audit needs an "
                    "'if __name__ == \"__main__\":' guard, as any multiprocessing code does."
                )
        elif w.queue and state != "retired":
            index, path = w.queue.popleft()
            exc: Exception
            if state == "timeout":
                exc = FileTimeoutError(
                    path, f"took longer than the {self.limits.timeout:g} s limit (--timeout)"
                )
            else:
                exc = WorkerCrashedError(
                    path,
                    "the worker process died while scoring this file "
                    "(a crash, or killed for lack of memory)",
                )
            self.results[index] = error_result(path, exc)
        self.pending.extendleft(reversed(w.queue))  # the files queued behind it go on
        w.queue.clear()

    def stop(self) -> None:
        """Ask idle workers to finish, then make sure none outlives the audit."""
        for w in self.workers:
            try:
                if w.proc.is_alive() and not w.queue:
                    w.conn.send(None)
            except OSError:
                pass
        deadline = time.monotonic() + 2.0
        for w in self.workers:
            if not w.queue:
                w.proc.join(max(0.0, deadline - time.monotonic()))
            w.kill()


def supervised(
    paths: Sequence[str],
    settings: Settings,
    *,
    keep: bool,
    n_jobs: int,
    limits: Limits,
    scorer: Scorer,
) -> Iterator[AuditResult]:
    """Score ``paths`` on ``n_jobs`` supervised worker processes; results lazily, in order.

    Raises :class:`~custfocus.errors.WorkerStartError` (or the settings error itself, such as
    a :class:`~custfocus.errors.ModelError`) when no worker can start: then no file is to
    blame. Stopping early (closing the generator) kills the workers.
    """
    if not paths:
        return iter(())
    return _Supervisor(paths, settings, keep, n_jobs, limits, scorer).run()
