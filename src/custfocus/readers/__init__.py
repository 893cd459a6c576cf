"""Format readers: turn files into :class:`custfocus.Document` objects.

``read(path)`` picks a reader by extension, checks the content matches it, and returns the
document's segments with their locations (slide, page, paragraph, table row, timestamp).
Every failure is a typed :class:`custfocus.errors.ReaderError` naming the path and reason:
each reader catches its library's whole error family, and ``read`` turns anything a reader
still lets through into :class:`custfocus.errors.ParserError` (the library's exception type
kept in the message), so no untyped exception leaves this package.

:data:`SUFFIXES` is every suffix ``read`` takes (optional extras and LibreOffice
conversions included); :func:`can_read` says whether a path has one of them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ..document import Document
from ..errors import (
    CustfocusError,
    EmptyDocumentError,
    FileTooLargeError,
    ParserError,
    UnreadableFileError,
)
from ._base import (
    CONVERTED_FORMATS,
    MAX_BYTES,
    MAX_CHARS,
    SUPPORTED_FORMATS,
    Reader,
    bounded,
    check_signature,
    check_zip,
    detect_format,
    require_text,
)
from .convert import read_converted
from .html import read_html
from .mail import read_email
from .odf import read_odp, read_odt
from .office import read_docx, read_pptx
from .pdf import read_pdf
from .rtf import read_rtf
from .text import read_markdown, read_text
from .transcripts import read_json, read_srt, read_vtt

__all__ = [
    "CONVERTED_FORMATS",
    "MAX_CHARS",
    "SUFFIXES",
    "SUPPORTED_FORMATS",
    "can_read",
    "detect_format",
    "read",
]

#: Every suffix :func:`read` takes, lower case with the dot: the native readers (some need
#: an extra: office, pdf, rtf) and the formats converted through LibreOffice.
SUFFIXES: frozenset[str] = frozenset(SUPPORTED_FORMATS) | frozenset(CONVERTED_FORMATS)


def can_read(path: str | os.PathLike[str]) -> bool:
    """Whether ``path``'s suffix is one :func:`read` takes (it says nothing of the content).

    >>> can_read("deck.PPTX"), can_read("notes.ppt"), can_read("sheet.xlsx")
    (True, True, False)
    """
    return Path(path).suffix.lower() in SUFFIXES


_READERS: dict[str, Reader] = {
    "text": read_text,
    "markdown": read_markdown,
    "html": read_html,
    "pptx": read_pptx,
    "docx": read_docx,
    "pdf": read_pdf,
    "email": read_email,
    "vtt": read_vtt,
    "srt": read_srt,
    "json": read_json,
    "odt": read_odt,
    "odp": read_odp,
    "rtf": read_rtf,
}


def read(
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    max_bytes: int = MAX_BYTES,
    max_chars: int = MAX_CHARS,
) -> Document:
    """Read a file into a :class:`Document`.

    >>> doc = read("examples/landing_page.html")              # doctest: +SKIP
    >>> [(s.location, s.kind) for s in doc][:2]                # doctest: +SKIP
    [('title', 'title'), ('paragraph 1', 'heading')]

    ``format`` overrides the extension ("text", "markdown", "html", "pptx", "docx", "pdf",
    "email", "vtt", "srt", "json", "odt", "odp", "rtf"). A missing file raises
    ``FileNotFoundError``. A document longer than ``max_chars`` characters is cut at a
    segment boundary and records ``metadata["truncated"]`` (see :data:`MAX_CHARS`).
    """
    p = Path(path)
    if format is None and p.suffix.lower() in CONVERTED_FORMATS:
        return _guarded(
            p,
            lambda: read_converted(
                p,
                max_bytes,
                lambda q, f: read(q, format=f, max_bytes=max_bytes, max_chars=max_chars),
            ),
        )
    fmt = format or detect_format(p)
    if fmt not in _READERS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {sorted(_READERS)}")
    try:
        size = p.stat().st_size
        is_file = p.is_file()
    except FileNotFoundError:
        raise
    except OSError as exc:  # a symlink loop, a name too long, no permission
        raise UnreadableFileError(p, f"cannot open the file ({exc.strerror or exc})") from None
    if not is_file:
        raise UnreadableFileError(p, "not a regular file (a folder or a device)")
    if size > max_bytes:
        raise FileTooLargeError(p, f"{size:,} bytes (limit {max_bytes:,})")
    if size == 0:
        raise EmptyDocumentError(p, "the file is empty")

    def run() -> Document:
        data = p.read_bytes()
        check_signature(p, fmt, data)
        if fmt in ("pptx", "docx", "odt", "odp"):
            check_zip(p)
        return bounded(require_text(p, _READERS[fmt](p, data)), max_chars)

    return _guarded(p, run)


def _guarded(path: Path, run: Callable[[], Document]) -> Document:
    """``run()``, with any exception that is not a custfocus error made a ParserError."""
    try:
        return run()
    except (CustfocusError, FileNotFoundError):
        raise
    except RecursionError:
        raise ParserError(path, "nested too deeply to read (RecursionError)") from None
    except MemoryError:
        raise FileTooLargeError(path, "ran out of memory while reading (MemoryError)") from None
    except OSError as exc:
        raise UnreadableFileError(path, f"cannot read the file ({exc.strerror or exc})") from None
    except Exception as exc:
        raise ParserError(path, f"the reader failed ({type(exc).__name__}: {exc!s:.200})") from exc
