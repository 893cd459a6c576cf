"""Format readers: turn files into :class:`custfocus.Document` objects.

``read(path)`` picks a reader by extension, checks the content matches it, and returns the
document's segments with their locations (slide, page, paragraph, table row, timestamp).
Every failure is a typed :class:`custfocus.errors.ReaderError` naming the path and reason.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..document import Document
from ..errors import EmptyDocumentError, FileTooLargeError
from ._base import (
    MAX_BYTES,
    SUPPORTED_FORMATS,
    Reader,
    check_signature,
    check_zip,
    detect_format,
    require_text,
)
from .html import read_html
from .mail import read_email
from .office import read_docx, read_pptx
from .pdf import read_pdf
from .text import read_markdown, read_text
from .transcripts import read_json, read_srt, read_vtt

__all__ = ["SUPPORTED_FORMATS", "can_read", "detect_format", "read"]

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
}


def can_read(path: str | os.PathLike[str]) -> bool:
    """Whether some reader takes ``path`` (by its extension): the one test an audit asks.

    >>> can_read("deck.PPTX"), can_read("old.ppt")
    (True, False)
    """
    return Path(path).suffix.lower() in SUPPORTED_FORMATS


def read(
    path: str | os.PathLike[str], *, format: str | None = None, max_bytes: int = MAX_BYTES
) -> Document:
    """Read a file into a :class:`Document`.

    >>> doc = read("examples/landing_page.html")              # doctest: +SKIP
    >>> [(s.location, s.kind) for s in doc][:2]                # doctest: +SKIP
    [('title', 'title'), ('paragraph 1', 'heading')]

    ``format`` overrides the extension ("text", "markdown", "html", "pptx", "docx", "pdf",
    "email", "vtt", "srt", "json"). A missing file raises ``FileNotFoundError``.
    """
    p = Path(path)
    fmt = format or detect_format(p)
    if fmt not in _READERS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {sorted(_READERS)}")
    size = p.stat().st_size
    if size > max_bytes:
        raise FileTooLargeError(p, f"{size:,} bytes (limit {max_bytes:,})")
    if size == 0:
        raise EmptyDocumentError(p, "the file is empty")
    data = p.read_bytes()
    check_signature(p, fmt, data)
    if fmt in ("pptx", "docx"):
        check_zip(p)
    return require_text(p, _READERS[fmt](p, data))
