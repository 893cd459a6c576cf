"""PDF text layer, page by page, through pypdfium2 (PDFium; extra: pdf).

PDFium was chosen over pypdf on the real PDFs of ``../shared/realfiles`` (see
``benchmarks/readers_pdf.py``): 13 times faster, the same files read, and it opens
copy-protected PDFs (an owner password only, the user password empty) with its own AES and
RC4, with no ``cryptography`` dependency. Its licences (Apache-2.0/BSD-3 for the binding,
BSD-style for PDFium) fit an MIT library.

Each page's lines are grouped into paragraphs; a bullet starts a new paragraph, so a bullet
list gives one segment per item; running headers and footers (the same line at the top or
bottom of most pages, page numbers aside) are dropped, because they would be scored once per
page.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any

from ..document import Document, Segment
from ..errors import (
    CorruptFileError,
    EncryptedFileError,
    FileTooLargeError,
    MissingExtraError,
    NoTextLayerError,
)
from ._base import MAX_CHARS

#: Seconds, and bytes of address space, a PDF with a broken cross-reference table gets.
REPAIR_TIMEOUT = 20.0
REPAIR_MEMORY = 4 * 1024**3
#: Pages read at most. Text-heavy PDFs stop at the text budget long before; this bounds the
#: time of a PDF of empty or image-only pages (100,000 of them took 10 s, and 200 MB of
#: them would take minutes). The first MAX_PAGES are read and ``metadata["truncated_pages"]``
#: records how many there were.
MAX_PAGES = 10_000
_STARTXREF = re.compile(rb"startxref\s+(\d{1,15})")
_OBJ_AT = re.compile(rb"\s*\d+\s+\d+\s+obj")

#: PDFium is not thread-safe: one document at a time per process.
_LOCK = threading.Lock()
_BULLET = re.compile(
    r"^\s*(?:[•◦▪▫●○■□►▸‣⁃∙·\uf0b7\uf0a7\uf076\uf0d8*–-]|\(?\d{1,2}[.)]|[a-z][.)])\s+"
)
_DIGITS = re.compile(r"\d+")
#: Lines this near the top or bottom of a page may be running headers or footers.
_EDGE_LINES = 2
#: A line on this share of the pages (3 or more) at the same edge is a running header/footer.
_RUNNING_SHARE = 0.6


def read_pdf(path: Path, data: bytes) -> Document:
    try:
        import pypdfium2 as pdfium
    except ImportError:
        raise MissingExtraError("pypdfium2", "pdf", "Reading .pdf files") from None
    if _xref_sound(data):
        with _LOCK:
            pages, total = _page_lines(path, pdfium, data)
    else:
        pages, total = _repair_in_child(path, data)
    if not pages:
        raise CorruptFileError(path, "the PDF has no pages")
    running = _running_lines(pages)
    segments = []
    for n, lines in enumerate(pages, start=1):
        k = _edge(lines)
        kept = [
            ln
            for i, ln in enumerate(lines)
            if not ((i < k or i >= len(lines) - k) and _key(ln) in running)
        ]
        for para in _paragraphs(kept):
            segments.append(Segment(para, f"page {n}", "body"))
    read_all = f"{len(pages)} page(s)" if total <= len(pages) else f"the first {len(pages)} pages"
    if not segments:
        raise NoTextLayerError(
            path, f"{read_all} but no text layer: it looks like a scan and needs OCR first"
        )
    meta: dict[str, object] = {}
    if total > len(pages) and len(pages) >= MAX_PAGES:
        meta["truncated_pages"] = {"kept_pages": len(pages), "total_pages": total}
    return Document(tuple(segments), path=str(path), format="pdf", metadata=meta)


def _xref_sound(data: bytes) -> bool:
    """Whether the last ``startxref`` points at an xref table or an xref stream object."""
    found = list(_STARTXREF.finditer(data, max(0, len(data) - 4096)))
    if not found:
        return False
    at = int(found[-1][1])
    return at < len(data) and (
        data[at : at + 4] == b"xref" or _OBJ_AT.match(data, at, at + 60) is not None
    )


def _repair_in_child(path: Path, data: bytes) -> tuple[list[list[str]], int]:
    """:func:`_page_lines` in a child process, under a time limit and a memory cap."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", child_code(REPAIR_MEMORY)],
            input=data,
            capture_output=True,
            timeout=REPAIR_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise CorruptFileError(
            path,
            f"the PDF's cross-reference table is broken and repairing it took over "
            f"{REPAIR_TIMEOUT:.0f} s",
        ) from None
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        raise CorruptFileError(
            path,
            f"the PDF's cross-reference table is broken and repairing it failed "
            f"(exit {done.returncode})",
        ) from None
    if "pages" in answer:
        return [list(map(str, lines)) for lines in answer["pages"]], int(answer["total"])
    kind = {"encrypted": EncryptedFileError, "memory": FileTooLargeError}
    raise kind.get(answer.get("error"), CorruptFileError)(path, str(answer.get("reason")))


def child_code(memory: int) -> str:
    """The child's program: this module imported without running ``custfocus/__init__``.

    The package's ``__init__`` imports the analyzer (spaCy, scikit-learn): 0.8 s of a 1 s
    child start, paid by every damaged PDF. The child needs only this module, ``_base``,
    ``document`` and ``errors``, so the two packages are registered bare (their folders as
    ``__path__``) and the submodules import as usual.
    """
    here = Path(__file__).resolve().parent
    packages = [("custfocus", str(here.parent)), ("custfocus.readers", str(here))]
    return (
        "import sys, types\n"
        f"for name, folder in {packages!r}:\n"
        "    package = types.ModuleType(name)\n"
        "    package.__path__ = [folder]\n"
        "    sys.modules[name] = package\n"
        f"from custfocus.readers.pdf import _child\n_child({memory})\n"
    )


def _child(memory: int) -> None:
    """Child side of :func:`_repair_in_child`: PDF bytes on stdin, JSON on stdout."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
    if soft == resource.RLIM_INFINITY or cap < soft:
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    import pypdfium2 as pdfium

    from ..errors import ReaderError

    try:
        pages, total = _page_lines(Path("-"), pdfium, sys.stdin.buffer.read())
        answer: dict[str, Any] = {"pages": pages, "total": total}
    except EncryptedFileError as exc:
        answer = {"error": "encrypted", "reason": exc.reason}
    except ReaderError as exc:
        answer = {"error": "corrupt", "reason": exc.reason}
    except MemoryError:
        answer = {"error": "memory", "reason": "ran out of memory repairing the PDF"}
    sys.stdout.write(json.dumps(answer))


def _page_lines(path: Path, pdfium: Any, data: bytes) -> tuple[list[list[str]], int]:
    """Each page's non-empty lines, and the page count; stops reading pages once the text
    budget is spent or :data:`MAX_PAGES` are read."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedFileError(path, "the PDF needs a password to open") from None
        raise CorruptFileError(path, f"cannot open the PDF ({exc})") from None
    pages: list[list[str]] = []
    chars = 0
    try:
        total = len(pdf)
        for i in range(min(total, MAX_PAGES)):
            page = pdf[i]
            try:
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_range()
                finally:
                    textpage.close()
            finally:
                page.close()
            lines = [" ".join(ln.split()) for ln in text.replace("\r", "\n").split("\n")]
            pages.append([ln for ln in lines if ln])
            chars += len(text)
            if chars > 2 * MAX_CHARS:
                break
    except pdfium.PdfiumError as exc:
        raise CorruptFileError(path, f"cannot read page {len(pages) + 1} ({exc})") from None
    finally:
        pdf.close()
    return pages, total


def _key(line: str) -> str:
    """A line with its numbers masked: "Page 3 of 9" and "Page 4 of 9" are one footer."""
    return _DIGITS.sub("#", line.lower())


def _edge(lines: list[str]) -> int:
    """How many lines at each end of a page may be a header or footer: a third of a short
    page at most, so a page of one or two lines keeps them all."""
    return min(_EDGE_LINES, len(lines) // 3)


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Keys of the lines at a page edge on most pages (3 pages at least)."""
    if len(pages) < 3:
        return set()
    seen: Counter[str] = Counter()
    for lines in pages:
        k = _edge(lines)
        edge = lines[:k] + lines[len(lines) - k :]
        seen.update({_key(ln) for ln in edge})
    need = max(3, _RUNNING_SHARE * len(pages))
    return {k for k, n in seen.items() if n >= need}


def _paragraphs(lines: list[str]) -> list[str]:
    """Lines joined into paragraphs: a bullet starts one, and so does the line after a short
    line that ends a sentence (the last line of a paragraph rarely fills the width)."""
    if not lines:
        return []
    width = max(len(ln) for ln in lines)
    out: list[list[str]] = []
    prev = ""
    for line in lines:
        bullet = _BULLET.match(line)
        ended = prev.endswith((".", "!", "?", ":")) and len(prev) < 0.75 * width
        if bullet or not out or ended:
            out.append([])
        if bullet and not line[: bullet.end()].strip()[0].isalnum():
            line = line[bullet.end() :]  # the bullet sign is not text; numbers stay
        out[-1].append(line)
        prev = line
    return [" ".join(p) for p in out if " ".join(p).strip()]
