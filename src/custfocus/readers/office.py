"""PowerPoint (.pptx) and Word (.docx), through python-pptx and python-docx (extra: office)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..document import Document, Segment
from ..errors import CorruptFileError, MissingExtraError
from .text import transcript_turns


def _load(module: str, package: str, purpose: str) -> Any:
    try:
        return __import__(module)
    except ImportError:
        raise MissingExtraError(package, "office", purpose) from None


def read_pptx(path: Path, data: bytes) -> Document:
    pptx = _load("pptx", "python-pptx", "Reading .pptx files")
    try:
        prs = pptx.Presentation(str(path))
    except Exception as exc:  # python-pptx raises many types on corrupt input
        raise CorruptFileError(
            path, f"cannot open as PowerPoint ({type(exc).__name__}: {exc})"
        ) from exc
    segments: list[Segment] = []
    for n, slide in enumerate(prs.slides, start=1):
        loc = f"slide {n}"
        tables = 0
        title_shape = slide.shapes.title
        for shape in _shapes(slide.shapes):
            if getattr(shape, "has_table", False) and shape.has_table:
                tables += 1
                for r, row in enumerate(shape.table.rows, start=1):
                    cells = [" ".join(c.text.split()) for c in row.cells]
                    text = " | ".join(c for c in cells if c)
                    if text:
                        segments.append(Segment(text, f"{loc} table {tables} row {r}", "table"))
                continue
            if not getattr(shape, "has_text_frame", False) or not shape.has_text_frame:
                continue
            is_title = title_shape is not None and shape.shape_id == title_shape.shape_id
            for para in shape.text_frame.paragraphs:
                text = " ".join("".join(run.text for run in para.runs).split())
                if text:
                    segments.append(Segment(text, loc, "title" if is_title else "body"))
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_text_frame
            if notes is not None:
                for para in notes.text.split("\n"):
                    if para.strip():
                        segments.append(Segment(" ".join(para.split()), f"{loc} notes", "notes"))
    return Document(tuple(segments), path=str(path), format="pptx")


def _shapes(shapes: Any) -> Iterator[Any]:
    """Every shape, descending into groups, in slide order."""
    for shape in shapes:
        if getattr(shape, "shape_type", None) == 6:  # MSO_SHAPE_TYPE.GROUP
            yield from _shapes(shape.shapes)
        else:
            yield shape


def read_docx(path: Path, data: bytes) -> Document:
    docx = _load("docx", "python-docx", "Reading .docx files")
    try:
        document = docx.Document(str(path))
    except Exception as exc:
        raise CorruptFileError(path, f"cannot open as Word ({type(exc).__name__}: {exc})") from exc
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    segments: list[Segment] = []
    para_n = table_n = 0
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, document)
            text = " ".join(para.text.split())
            if not text:
                continue
            para_n += 1
            style = (para.style.name if para.style is not None else "") or ""
            kind = (
                "title"
                if style == "Title"
                else "heading"
                if style.startswith("Heading")
                else "body"
            )
            segments.append(Segment(text, f"paragraph {para_n}", kind))
        elif tag == "tbl":
            table_n += 1
            for r, row in enumerate(Table(child, document).rows, start=1):
                cells = list(dict.fromkeys(" ".join(c.text.split()) for c in row.cells))
                text = " | ".join(c for c in cells if c)
                if text:
                    segments.append(Segment(text, f"table {table_n} row {r}", "table"))
    if not table_n:  # a call transcript saved as Word (Teams, Otter, Rev exports)
        turns = transcript_turns("\n".join(s.text for s in segments))
        if turns is not None:
            return Document(tuple(turns), path=str(path), format="docx")
    return Document(tuple(segments), path=str(path), format="docx")
