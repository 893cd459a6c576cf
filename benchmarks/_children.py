"""CPU accounting of child processes for the audit benchmarks (Linux; elsewhere a no-op)."""

from __future__ import annotations

import os


def adopt_orphans() -> bool:
    """Become the reaper of our descendants, so the CPU time of the fork server and its
    workers, which outlive an audit by a moment, counts in RUSAGE_CHILDREN."""
    try:
        import ctypes

        return bool(ctypes.CDLL(None).prctl(36, 1) == 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def reap_all() -> None:
    """Wait for every descendant we adopted, so its CPU time is counted."""
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return
