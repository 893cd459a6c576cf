"""PDF text layer, page by page, through pypdf (extra: pdf)."""

from __future__ import annotations

import re
from pathlib import Path

from ..document import Document, Segment
from ..errors import CorruptFileError, EncryptedFileError, MissingExtraError, NoTextLayerError


def read_pdf(path: Path, data: bytes) -> Document:
    try:
        import pypdf
        from pypdf.errors import PdfReadError
    except ImportError:
        raise MissingExtraError("pypdf", "pdf", "Reading .pdf files") from None
    try:
        reader = pypdf.PdfReader(str(path))
        if reader.is_encrypted:
            try:
                opened = bool(reader.decrypt(""))
            except Exception:
                opened = False
            if not opened:
                raise EncryptedFileError(path, "the PDF is password protected")
        pages = list(reader.pages)
        texts = [page.extract_text() or "" for page in pages]
    except (EncryptedFileError, MissingExtraError):
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise CorruptFileError(path, f"cannot read the PDF ({type(exc).__name__}: {exc})") from exc
    if not pages:
        raise CorruptFileError(path, "the PDF has no pages")
    segments = []
    for n, text in enumerate(texts, start=1):
        for para in re.split(r"\n\s*\n", text):
            clean = " ".join(para.split())
            if clean:
                segments.append(Segment(clean, f"page {n}", "body"))
    if not segments:
        raise NoTextLayerError(
            path,
            f"{len(pages)} page(s) but no text layer: it looks like a scan and needs OCR first",
        )
    return Document(tuple(segments), path=str(path), format="pdf")
