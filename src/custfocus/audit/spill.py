"""Where an audit keeps its team statements: JSON Lines on disk, one line per file.

Each file's statements arrive from its worker already encoded as one line
(:func:`~custfocus.audit.statements.encode_statements`); the audit's parent only appends
lines, in batches, so collecting statements costs it one string per file and no memory that
grows with the files. :meth:`StatementSpill.read` turns the lines back into
:class:`custfocus.team.Statement` objects, in file order.

Without a path the spill is an anonymous temporary file (gone when closed or when the
process exits): an audit run from Python. With a path (the CLI's hidden sidecar next to its
``-o`` report, :func:`sidecar_path`) the file stays, each line is on disk before the file's
row is written, and a resumed audit keeps the lines of the rows it keeps
(``keep=``), so its team figures cover every file, not only those scored after the resume.
The file opens with a header line naming its format and fields.
"""

from __future__ import annotations

import json
import os
import tempfile
import weakref
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

from .rows import safe_text
from .statements import STATEMENT_FIELDS, decode_statements

if TYPE_CHECKING:
    from ..team.inputs import Statement

__all__ = ["HEADER", "StatementSpill", "sidecar_path"]

#: The first line of a statements file: what it is and the order of each statement's fields.
HEADER = {"custfocus": "team statements", "version": 1, "fields": list(STATEMENT_FIELDS)}
_HEADER_LINE = json.dumps(HEADER) + "\n"
#: Characters gathered before a temporary spill writes them (one write call per batch).
_BATCH = 1 << 16


def sidecar_path(report: str | os.PathLike[str]) -> Path:
    """The statements file kept next to an audit report: ``.rows.csv.statements.jsonl``.

    Hidden, so a later audit of the same folder leaves it out as it leaves out ``.git``.

    >>> sidecar_path("out/rows.csv").name
    '.rows.csv.statements.jsonl'
    """
    p = Path(report)
    return p.with_name(f".{p.name}.statements.jsonl")


class StatementSpill:
    """An audit's team statements on disk: a temporary file, or ``path`` kept for a resume.

    ``keep`` (with ``path``) resumes: the lines already in ``path`` for these paths stay
    (any other line, such as one whose row was never written, goes), and new lines follow.
    ``earlier`` says whether there was such a file to keep lines from. A ``path`` that is a
    symbolic link is refused (``OSError``), as the audit's report is; a file that is not a
    statements file raises ``ValueError``.
    """

    def __init__(
        self, path: str | os.PathLike[str] | None = None, *, keep: Collection[str] | None = None
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.earlier = False
        self._buffer: list[str] = []
        self._size = 0
        self._file: IO[str]
        if self.path is None:
            self._file = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        else:
            if keep is not None:
                self.earlier = _keep_lines(self.path, {safe_text(p) for p in keep})
            flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
            flags |= os.O_APPEND if self.earlier else os.O_TRUNC
            fd = os.open(self.path, flags, 0o644)
            self._file = open(fd, "w+", encoding="utf-8", newline="")  # noqa: SIM115
            if not self.earlier:
                self._file.write(_HEADER_LINE)
            self._file.flush()
        weakref.finalize(self, self._file.close)  # closed (and a temporary one gone) with it

    def write(self, line: str) -> None:
        """Append one file's encoded line (``""``: the file had no statements)."""
        if not line:
            return
        if self.path is not None:  # on disk before the caller writes the file's row
            self._file.write(line)
            self._file.flush()
            return
        self._buffer.append(line)
        self._size += len(line)
        if self._size >= _BATCH:
            self.flush()

    def flush(self) -> None:
        if self._buffer:
            self._file.write("".join(self._buffer))
            self._buffer.clear()
            self._size = 0
        self._file.flush()

    def read(self) -> Iterator[Statement]:
        """Every statement written, in file order (lines written meanwhile are not read)."""
        self.flush()
        self._file.seek(0)
        shared: dict[str, str] = {}
        for n, line in enumerate(self._file):
            if n == 0 and self.path is not None:
                continue  # the header
            yield from decode_statements(line, shared)
        self._file.seek(0, os.SEEK_END)

    def close(self) -> None:
        if not self._file.closed:
            self.flush()
            self._file.close()


def _keep_lines(path: Path, keep: set[str]) -> bool:
    """Rewrite ``path`` with only the lines of files in ``keep``; ``False`` if no such file.

    A last line cut short (the audit was killed while writing it) is dropped. The file is
    rewritten through a temporary file in the same folder, so memory stays flat.
    """
    if path.is_symlink():
        raise OSError(f"{path} is a symbolic link; refusing to write through it")
    if not path.is_file():
        return False
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".custfocus-", suffix=".jsonl")
    try:
        with (
            path.open(encoding="utf-8", newline="") as old,
            os.fdopen(fd, "w", encoding="utf-8", newline="") as new,
        ):
            header = old.readline()
            try:  # empty or cut short: killed before anything was written after it
                ours = not header.endswith("\n") or json.loads(header) == HEADER
            except json.JSONDecodeError:
                ours = False
            if not ours:
                raise ValueError(f"{path}: not a custfocus statements file (header differs)")
            new.write(_HEADER_LINE)
            for n, line in enumerate(old, 2):
                if not line.endswith("\n"):
                    break  # cut short: its file's row was never written either
                try:
                    first = json.loads(line)[0]
                    file_path = first[STATEMENT_FIELDS.index("path")]
                except (json.JSONDecodeError, IndexError, TypeError):
                    raise ValueError(f"{path}:{n}: not a custfocus statements line") from None
                if isinstance(file_path, str) and safe_text(file_path) in keep:
                    new.write(line)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True
