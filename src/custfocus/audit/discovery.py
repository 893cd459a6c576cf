"""Which files an audit covers, and why a file it cannot read is skipped.

Every file under an audited folder gets a row, so a library full of old ``.ppt`` decks cannot
look complete. Left out quietly, because nobody expects them in a report: hidden files and
folders (a name starting with ``.``: ``.git``, ``.DS_Store``), Office lock files (``~$``) and
the report files this audit writes (passed as ``exclude``). A custfocus report written by an
earlier run is recognised by its content (:func:`is_own_report`) and skipped with that reason,
so it is never read back as a transcript or a web page.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from .rows import ROW_FIELDS, AuditRow

__all__ = ["REPORT_MARKER", "discover", "is_own_report", "skip_row"]

#: Written into the ``<head>`` of every HTML audit report; how a later audit recognises it.
REPORT_MARKER = "<meta name='generator' content='custfocus audit'>"

_CSV_HEADER = ",".join(ROW_FIELDS[:3]) + ","
_JSONL_HEAD = '{"path": '


def _quietly_ignored(name: str) -> bool:
    return name.startswith((".", "~$"))


def _collect(found: list[str]) -> Callable[[OSError], None]:
    return lambda exc: found.append(os.fspath(exc.filename))


def _key(path: str) -> str:
    return os.path.normpath(os.path.abspath(path))


def discover(
    paths: Iterable[str | os.PathLike[str]],
    *,
    recursive: bool = True,
    exclude: Iterable[str | os.PathLike[str]] = (),
) -> list[str]:
    """Files to audit: files as given, folders expanded to every file in them.

    Sorted within each folder, so the order (and so the report) is deterministic; a path
    named twice (a file and its folder) comes once. Symbolic links to folders are not
    followed (they get a skipped row), which also keeps symlink loops finite.
    """
    out: list[str] = []
    seen = {_key(os.fspath(p)) for p in exclude}

    def add(path: str) -> None:
        k = _key(path)
        if k not in seen:
            seen.add(k)
            out.append(path)

    for p in paths:
        top = os.fspath(p)
        if not os.path.isdir(top):
            add(top)  # a file, or a missing path: each becomes a row of its own
            continue
        found: list[str] = []
        # A folder os.walk cannot list is reported to onerror: it gets one skipped row.
        for root, dirs, files in os.walk(top, onerror=_collect(found)):
            links = {d for d in dirs if os.path.islink(os.path.join(root, d))}
            dirs[:] = sorted(d for d in dirs if d not in links and not _quietly_ignored(d))
            for name in sorted([*files, *links]):
                if not _quietly_ignored(name):
                    found.append(os.path.join(root, name))
            if not recursive:
                dirs[:] = []
        for f in sorted(found, key=lambda f: Path(f).parts):
            add(f)
    return out


def is_own_report(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is an audit report custfocus wrote (HTML, CSV or JSON Lines)."""
    suffix = Path(path).suffix.lower()
    if suffix not in (".html", ".htm", ".csv", ".jsonl", ".json"):
        return False
    try:
        with open(path, "rb") as f:
            head = f.read(4096).decode("utf-8", "replace")
    except OSError:
        return False
    if suffix in (".html", ".htm"):
        return REPORT_MARKER in head
    return head.startswith(_CSV_HEADER) or (head.startswith(_JSONL_HEAD) and '"status": ' in head)


def skip_row(path: str) -> AuditRow | None:
    """The ``skipped`` row for a path the audit cannot read, or ``None`` to score it.

    Checked in the parent before any worker sees the file: a missing path (an ``error``
    row, since the user named it), a symlink loop or dangling link, a folder link, no read
    permission, something that is not a regular file, an extension no reader takes, and an
    earlier custfocus report.
    """
    from ..readers import can_read

    def row(status: str, error_type: str | None, reason: str) -> AuditRow:
        return AuditRow(path, None, status, error_type=error_type, error=f"{path}: {reason}")

    try:
        st = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return row("skipped", "OSError", "a symbolic link loop")
        if os.path.islink(path):
            return row("skipped", "FileNotFoundError", "a broken symbolic link")
        if isinstance(exc, FileNotFoundError):
            return row("error", "FileNotFoundError", "not found")
        return row("skipped", type(exc).__name__, exc.strerror or str(exc))
    if os.path.isdir(path):
        if os.path.islink(path):
            return row("skipped", None, "a symbolic link to a folder (not followed)")
        return row("skipped", "PermissionError", "a folder that cannot be listed")
    if not stat.S_ISREG(st.st_mode):
        return row("skipped", None, "not a regular file")
    if not can_read(path):
        suffix = Path(path).suffix.lower()
        reason = (
            f"no reader for '{suffix}' files"
            if suffix
            else "no reader for files without an extension"
        )
        return row("skipped", "UnsupportedFormatError", reason)
    if not os.access(path, os.R_OK):
        return row("skipped", "PermissionError", "permission denied")
    if is_own_report(path):
        return row("skipped", None, "a report written by custfocus audit")
    return None
