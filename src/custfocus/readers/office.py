"""PowerPoint (.pptx) and Word (.docx), through python-pptx and python-docx (extra: office).

Both libraries parse attributes lazily, while the document is iterated (a bad integer, a
missing part or a relationship to nowhere fails on first access), so the whole walk, not only
the opening, turns their error family into :class:`CorruptFileError`. Word tables are read
from their XML cells directly: python-docx's grid logic expands ``gridSpan`` into that many
cells (a huge span is a memory bomb) and fails on impossible grid offsets.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from ..document import Document, Segment
from ..errors import CorruptFileError, MissingExtraError
from ._base import MAX_CHARS, ZIP_ERRORS, zip_damage
from .text import transcript_turns

T = TypeVar("T")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: Group shapes nested deeper than this are not descended into.
_MAX_GROUP_DEPTH = 50


def _load(module: str, package: str, purpose: str) -> Any:
    try:
        return __import__(module)
    except ImportError:
        raise MissingExtraError(package, "office", purpose) from None


def _library_errors(package: Any) -> tuple[type[BaseException], ...]:
    """The exceptions python-docx/python-pptx and what they use raise on malformed input."""
    from lxml import etree

    own = []
    for name in ("exc", "exceptions", "opc.exceptions"):
        try:
            mod = __import__(f"{package.__name__}.{name}", fromlist=["_"])
        except ImportError:
            continue
        own += [v for v in vars(mod).values() if isinstance(v, type) and issubclass(v, Exception)]
    return (
        *own,
        *ZIP_ERRORS,  # parts are read from the archive as they are loaded
        etree.LxmlError,
        LookupError,
        TypeError,
        AttributeError,
        OverflowError,
    )


def _guard(path: Path, what: str, errors: tuple[type[BaseException], ...], f: Callable[[], T]) -> T:
    try:
        return f()
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # the archive, not the XML
        raise CorruptFileError(path, f"cannot read as {what}: {zip_damage(exc)}") from None
    except errors as exc:
        raise CorruptFileError(
            path, f"cannot read as {what} ({type(exc).__name__}: {exc!s:.200})"
        ) from None


def read_pptx(path: Path, data: bytes) -> Document:
    pptx = _load("pptx", "python-pptx", "Reading .pptx files")
    errors = _library_errors(pptx)
    return _guard(path, "PowerPoint", errors, lambda: _pptx(path, pptx))


def _pptx(path: Path, pptx: Any) -> Document:
    prs = pptx.Presentation(str(path))
    segments: list[Segment] = []
    chars = 0
    for n, slide in enumerate(prs.slides, start=1):
        if chars > 2 * MAX_CHARS:
            break
        loc = f"slide {n}"
        tables = 0
        title_shape = slide.shapes.title
        title_id = title_shape.shape_id if title_shape is not None else None
        for shape in _shapes(slide.shapes, 0):
            if getattr(shape, "has_table", False) and shape.has_table:
                tables += 1
                for r, row in enumerate(shape.table.rows, start=1):
                    cells = [" ".join(c.text.split()) for c in row.cells]
                    text = " | ".join(c for c in cells if c)
                    if text:
                        segments.append(Segment(text, f"{loc} table {tables} row {r}", "table"))
                        chars += len(text)
                continue
            if not getattr(shape, "has_text_frame", False) or not shape.has_text_frame:
                continue
            is_title = title_id is not None and shape.shape_id == title_id
            for para in shape.text_frame.paragraphs:
                text = " ".join("".join(run.text for run in para.runs).split())
                if text:
                    segments.append(Segment(text, loc, "title" if is_title else "body"))
                    chars += len(text)
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_text_frame
            if notes is not None:
                for para in notes.text.split("\n"):
                    if para.strip():
                        segments.append(Segment(" ".join(para.split()), f"{loc} notes", "notes"))
                        chars += len(para)
    return Document(tuple(segments), path=str(path), format="pptx")


def _shapes(shapes: Any, depth: int) -> Iterator[Any]:
    """Every shape, descending into groups (to a bounded depth), in slide order."""
    for shape in shapes:
        if getattr(shape, "shape_type", None) == 6:  # MSO_SHAPE_TYPE.GROUP
            if depth < _MAX_GROUP_DEPTH:
                yield from _shapes(shape.shapes, depth + 1)
        else:
            yield shape


def read_docx(path: Path, data: bytes) -> Document:
    docx = _load("docx", "python-docx", "Reading .docx files")
    errors = _library_errors(docx)
    return _guard(path, "Word", errors, lambda: _docx(path, docx))


def _docx(path: Path, docx: Any) -> Document:
    document = docx.Document(str(path))
    from docx.text.paragraph import Paragraph

    styles = _style_names(document)
    segments: list[Segment] = []
    para_n = table_n = chars = 0
    for child in document.element.body.iterchildren():
        if chars > 2 * MAX_CHARS:
            break
        if not isinstance(child.tag, str):  # XML comments and processing instructions
            continue
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, document)
            text = " ".join(para.text.split())
            if not text:
                continue
            para_n += 1
            style = _style_of(child, styles)
            kind = (
                "title"
                if style == "Title"
                else "heading"
                if style.startswith("Heading")
                else "body"
            )
            segments.append(Segment(text, f"paragraph {para_n}", kind))
            chars += len(text)
        elif tag == "tbl":
            table_n += 1
            for r, row in enumerate(child.iterchildren(f"{_W}tr"), start=1):
                cells = [_cell_text(tc) for tc in row.iterchildren(f"{_W}tc")]
                text = " | ".join(dict.fromkeys(c for c in cells if c))
                if text:
                    segments.append(Segment(text, f"table {table_n} row {r}", "table"))
                    chars += len(text)
    if not table_n:  # a call transcript saved as Word (Teams, Otter, Rev exports)
        turns = transcript_turns("\n".join(s.text for s in segments))
        if turns is not None:
            return Document(tuple(turns), path=str(path), format="docx")
    return Document(tuple(segments), path=str(path), format="docx")


def _style_names(document: Any) -> dict[str, str]:
    """Style id -> name, read once (python-docx's ``paragraph.style`` scans every style for
    every paragraph: minutes on a long document); empty when the styles part is broken."""
    try:
        return {str(s.style_id): str(s.name or "") for s in document.styles}
    except (LookupError, ValueError, TypeError, AttributeError, NotImplementedError):
        return {}


def _style_of(p: Any, styles: dict[str, str]) -> str:
    """The name of paragraph element ``p``'s style ("" for the default style)."""
    ref = p.find(f"{_W}pPr/{_W}pStyle")
    style_id = ref.get(f"{_W}val") if ref is not None else None
    if not style_id:
        return ""
    return styles.get(str(style_id), str(style_id))


def _cell_text(tc: Any) -> str:
    """A table cell's text: its paragraphs' text runs and tabs, nested tables included."""
    parts: list[str] = []
    for el in tc.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}p"):
        if el.tag == f"{_W}t":
            parts.append(el.text or "")
        else:
            parts.append(" ")
    return " ".join("".join(parts).split())
