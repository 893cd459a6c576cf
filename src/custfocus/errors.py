"""Exceptions raised by custfocus.

Every error custfocus raises on purpose derives from :class:`CustfocusError`::

    CustfocusError
    ├── LexiconError              a lexicon file is malformed (names the file and line)
    ├── ModelError                a model file is missing, altered or incompatible
    ├── ConfigError               a configuration file or value is invalid
    │   └── ManifestError             a manifest CSV row or column is invalid (file and line)
    ├── MessagingError            a reference messaging file cannot be used (path, reason)
    ├── MissingExtraError         an optional dependency is not installed (names the extra)
    ├── ReaderError               a document cannot be read (carries ``path`` and ``reason``)
    │   ├── UnsupportedFormatError    no reader for this extension
    │   ├── FormatMismatchError       the content does not match the extension
    │   ├── CorruptFileError          truncated or malformed file
    │   │   └── ParserError               the format library failed (its error type kept)
    │   ├── EncryptedFileError        password protected
    │   ├── EmptyDocumentError        no text at all
    │   ├── NoTextLayerError          a PDF whose pages carry no text (scanned images)
    │   ├── FileTooLargeError         over the size limit, or a zip bomb
    │   ├── UnreadableFileError       not a regular file, a symlink loop, no permission
    │   └── ConversionError           LibreOffice is missing, timed out or failed to convert
    ├── WorkerError               a worker failed the file (carries ``path``, ``reason``)
    │   ├── FileTimeoutError          over the per-file time limit (``--timeout``)
    │   ├── WorkerMemoryError         over the worker memory cap (``--max-memory``)
    │   └── WorkerCrashedError        the worker process died (a crash, a kill, the OOM killer)
    └── WorkerStartError          no worker process could start (bad settings, memory cap...)

``MissingExtraError`` also derives from :class:`ImportError`, so code that already
catches a missing import keeps working.
"""

from __future__ import annotations

import os

__all__ = [
    "ConfigError",
    "ConversionError",
    "CorruptFileError",
    "CustfocusError",
    "EmptyDocumentError",
    "EncryptedFileError",
    "FileTimeoutError",
    "FileTooLargeError",
    "FormatMismatchError",
    "LexiconError",
    "ManifestError",
    "MessagingError",
    "MissingExtraError",
    "ModelError",
    "NoTextLayerError",
    "ParserError",
    "ReaderError",
    "UnreadableFileError",
    "UnsupportedFormatError",
    "WorkerCrashedError",
    "WorkerError",
    "WorkerMemoryError",
    "WorkerStartError",
]


class CustfocusError(Exception):
    """Base class of every error custfocus raises on purpose."""


class _PathError(CustfocusError):
    """An error about one file: ``path`` and ``reason`` say which and why.

    The two-argument constructor stays picklable (``__reduce__``), so the error crosses
    joblib and supervised worker processes intact.
    """

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = os.fspath(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

    def __reduce__(self) -> tuple[type[_PathError], tuple[str, str]]:
        return (type(self), (self.path, self.reason))


class _LineError(CustfocusError):
    """An error in a file the user wrote, at a line if known: ``source:line: reason``.
    Picklable with its fields, so it crosses from a worker process intact."""

    def __init__(self, source: str, line: int | None, reason: str) -> None:
        self.source = source
        self.line = line
        self.reason = reason
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {reason}")

    def __reduce__(self) -> tuple[type[_LineError], tuple[str, int | None, str]]:
        return (type(self), (self.source, self.line, self.reason))


class LexiconError(_LineError):
    """A lexicon file or term is invalid; the message names the file and line."""


class ModelError(CustfocusError):
    """A model file is missing, fails its hash check, or cannot be used."""


class ConfigError(CustfocusError):
    """A configuration file or value is invalid."""


class MessagingError(_PathError):
    """A reference messaging file (a message house) is unreadable, too large or holds no message."""


class ManifestError(_LineError, ConfigError):
    """A manifest (per-file context CSV) is invalid; the message names the file and line."""


class MissingExtraError(CustfocusError, ImportError):
    """An optional dependency is missing; the message says which extra installs it."""

    def __init__(self, package: str, extra: str, purpose: str) -> None:
        self.package = package
        self.extra = extra
        super().__init__(
            f"{purpose} needs the '{package}' package: pip install 'custfocus[{extra}]'"
        )


class ReaderError(_PathError):
    """A document could not be read. ``path`` and ``reason`` say which and why."""


class UnsupportedFormatError(ReaderError):
    """No reader handles this file's extension."""


class FormatMismatchError(ReaderError):
    """The file's content does not match its extension (e.g. a PDF named .docx)."""


class CorruptFileError(ReaderError):
    """The file is truncated or malformed."""


class ParserError(CorruptFileError):
    """The format library failed on the file in a way no specific check of ours names.

    The message keeps the library's exception type; it is a malformed file as far as the
    user is concerned, and a hint for a more specific check to whoever maintains the reader.
    """


class EncryptedFileError(ReaderError):
    """The file is password protected."""


class EmptyDocumentError(ReaderError):
    """The file holds no text at all."""


class NoTextLayerError(ReaderError):
    """A PDF has pages but no extractable text (likely a scan): nothing to score."""


class FileTooLargeError(ReaderError):
    """The file, or an archive inside it, is over the size or member limits."""


class UnreadableFileError(ReaderError):
    """The path cannot be opened as a file: a folder, a symlink loop, no permission."""


class ConversionError(ReaderError):
    """A format read through LibreOffice could not be converted: ``soffice`` is not on the
    PATH, the conversion timed out, or it produced nothing (corrupt or password protected)."""


# --- Audit isolation: what a supervised worker process reports about one file -------------


class WorkerError(_PathError):
    """A file's worker process could not score it. ``path`` and ``reason`` say which and why."""


class FileTimeoutError(WorkerError):
    """Scoring the file took longer than the per-file time limit; its worker was replaced."""


class WorkerMemoryError(WorkerError):
    """Scoring the file went over the worker's memory cap; its worker was replaced."""


class WorkerCrashedError(WorkerError):
    """The worker process died while scoring the file (a crash, a kill, the OOM killer)."""


class WorkerStartError(CustfocusError):
    """No worker process could start, so no file is to blame (settings, memory cap, script)."""
