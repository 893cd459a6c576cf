"""Run a function on one file at a time in a child process, under a time and memory limit.

The tests and benchmarks use it to prove every reader returns or raises a typed error in
bounded time and memory: one persistent worker (started once, restarted only after a hang
or a crash), a wall-clock limit per call and an address-space cap in the worker.
Not the audit's isolation (that is ``custfocus.audit``); this is a test tool.
"""

from __future__ import annotations

import multiprocessing as mp
import resource
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

#: Default limits per call: a reader that needs more is a bug.
TIMEOUT = 20.0
MEMORY = 3 * 1024**3


@dataclass(frozen=True)
class Outcome:
    """What one call did: ``ok``, ``typed`` (a custfocus error), ``untyped``, ``timeout``
    or ``crash``; ``error`` is the exception class name, ``detail`` its message."""

    status: str
    error: str = ""
    detail: str = ""
    seconds: float = 0.0
    value: Any = None


def _serve(conn: Connection, memory: int, setup: Callable[[], Any] | None) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    from custfocus.errors import CustfocusError

    state = setup() if setup is not None else None
    conn.send("ready")
    while True:
        try:
            func, args = conn.recv()
        except EOFError:
            return
        try:
            value = func(state, *args) if setup is not None else func(*args)
            conn.send(("ok", "", "", value))
        except CustfocusError as exc:
            conn.send(("typed", type(exc).__name__, str(exc)[:500], None))
        except BaseException as exc:
            tb = traceback.format_exc(limit=-3)
            conn.send(("untyped", type(exc).__name__, f"{exc!s:.300}\n{tb}", None))


class Isolated:
    """A worker process that runs ``func(*args)`` (or ``func(setup(), *args)``) per call.

    >>> with Isolated() as worker:                              # doctest: +SKIP
    ...     worker.call(read_path, "examples/deck_globex.pptx").status
    'ok'
    """

    def __init__(
        self,
        *,
        timeout: float = TIMEOUT,
        memory: int = MEMORY,
        setup: Callable[[], Any] | None = None,
    ) -> None:
        self.timeout = timeout
        self.memory = memory
        self.setup = setup
        self._ctx = mp.get_context("spawn")
        self._proc: Any = None
        self._conn: Connection | None = None

    def _start(self) -> None:
        parent, child = self._ctx.Pipe()
        self._proc = self._ctx.Process(
            target=_serve, args=(child, self.memory, self.setup), daemon=True
        )
        self._proc.start()
        child.close()
        self._conn = parent
        if not parent.poll(300) or parent.recv() != "ready":
            raise RuntimeError("the worker did not start")

    def _stop(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.join()
            self._proc = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def call(self, func: Callable[..., Any], *args: Any) -> Outcome:
        if self._proc is None or not self._proc.is_alive():
            self._stop()
            self._start()
        assert self._conn is not None
        began = time.perf_counter()
        self._conn.send((func, args))
        if self._conn.poll(self.timeout):
            try:
                status, error, detail, value = self._conn.recv()
            except EOFError:
                self._stop()
                return Outcome("crash", "EOFError", "the worker died", time.perf_counter() - began)
            return Outcome(status, error, detail, time.perf_counter() - began, value)
        self._stop()
        return Outcome("timeout", "", f"no answer in {self.timeout:.0f} s", self.timeout)

    def __enter__(self) -> Isolated:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop()
