"""OpenDocument text (.odt) and presentations (.odp), from the zip's content.xml.

Parsed with the standard library on purpose: the text sits in a handful of documented
elements (``text:h``, ``text:p``, list items, table rows, ``draw:page``, speaker notes), so a
dependency buys nothing; odfpy, the usual library, has had no release since 2020. Safety:
the archive passes the zip-bomb budget first, a document type declaration (which ODF never
uses, and which entity expansion attacks need) is refused, and the tree is walked with an
explicit stack, so a deeply nested file costs memory in proportion to its size, never
recursion.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

from ..document import Document, Segment
from ..errors import CorruptFileError, EncryptedFileError, FormatMismatchError
from ._base import MAX_UNZIPPED, ZIP_ERRORS, zip_damage

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "presentation": "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0",
}


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


_H, _P = _q("text:h"), _q("text:p")
_S, _TAB, _BREAK = _q("text:s"), _q("text:tab"), _q("text:line-break")
_SKIP_TEXT = frozenset({_q("text:note-citation"), _q("office:annotation")})
_TABLE, _ROW, _CELL = _q("table:table"), _q("table:table-row"), _q("table:table-cell")
_PAGE, _NOTES, _FRAME = _q("draw:page"), _q("presentation:notes"), _q("draw:frame")
_CLASS = _q("presentation:class")
_ODT_MIME = "application/vnd.oasis.opendocument.text"
_ODP_MIME = "application/vnd.oasis.opendocument.presentation"


def read_odt(path: Path, data: bytes) -> Document:
    root = _content(path, _ODT_MIME)
    body = root.find(f"{_q('office:body')}/{_q('office:text')}")
    if body is None:
        raise CorruptFileError(path, "no office:text body in content.xml")
    segments: list[Segment] = []
    para = table = row = 0
    for el, first_row in _blocks(body):
        if el.tag == _ROW:
            if first_row:
                table += 1
                row = 0
            row += 1
            cells = [_text(c) for c in el if c.tag == _CELL]
            text = " | ".join(c for c in cells if c)
            if text:
                segments.append(Segment(text, f"table {table} row {row}", "table"))
            continue
        text = _text(el)
        if text:
            para += 1
            kind = "heading" if el.tag == _H else "body"
            segments.append(Segment(text, f"paragraph {para}", kind))
    return Document(tuple(segments), path=str(path), format="odt")


def _blocks(body: ET.Element) -> Iterator[tuple[ET.Element, bool]]:
    """Paragraphs, headings and table rows in document order; True marks a table's first row.

    A table's rows are taken whole (paragraphs inside cells are not yielded again).
    """
    stack: list[Iterator[ET.Element]] = [iter(body)]
    while stack:
        el = next(stack[-1], None)
        if el is None:
            stack.pop()
            continue
        if el.tag in (_H, _P):
            yield el, False
        elif el.tag == _TABLE:
            for k, row in enumerate(el.iter(_ROW)):
                yield row, k == 0
        else:
            stack.append(iter(el))


def read_odp(path: Path, data: bytes) -> Document:
    root = _content(path, _ODP_MIME)
    segments: list[Segment] = []
    for n, page in enumerate(root.iter(_PAGE), start=1):
        loc = f"slide {n}"
        tables = 0
        for frame in _frames(page):
            kind = "title" if frame.get(_CLASS) == "title" else "body"
            for table in frame.iter(_TABLE):
                tables += 1
                for r, row in enumerate(table.iter(_ROW), start=1):
                    cells = [_text(c) for c in row if c.tag == _CELL]
                    text = " | ".join(c for c in cells if c)
                    if text:
                        segments.append(Segment(text, f"{loc} table {tables} row {r}", "table"))
            if frame.find(f".//{_TABLE}") is not None:
                continue
            for el in frame.iter():
                if el.tag in (_H, _P):
                    text = _text(el)
                    if text:
                        segments.append(Segment(text, loc, kind))
        for notes in page.iter(_NOTES):
            for el in notes.iter():
                if el.tag in (_H, _P):
                    text = _text(el)
                    if text:
                        segments.append(Segment(text, f"{loc} notes", "notes"))
    return Document(tuple(segments), path=str(path), format="odp")


def _frames(page: ET.Element) -> Iterator[ET.Element]:
    """The slide's frames, groups included, but not those of its speaker notes."""
    stack = [iter(page)]
    while stack:
        el = next(stack[-1], None)
        if el is None:
            stack.pop()
        elif el.tag == _FRAME:
            yield el
        elif el.tag != _NOTES:
            stack.append(iter(el))


def _content(path: Path, mime: str) -> ET.Element:
    """The parsed content.xml, after checking the mimetype and refusing DTDs."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "mimetype" in names:
                found = zf.read("mimetype")[:200].decode("ascii", "replace").strip()
                if found != mime:
                    raise FormatMismatchError(path, f"the mimetype is {found!r}, not {mime}")
            if "content.xml" not in names:
                raise CorruptFileError(path, "no content.xml in the archive")
            manifest = zf.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
            if b"encryption-data" in manifest:
                raise EncryptedFileError(path, "the OpenDocument file is password protected")
            info = zf.getinfo("content.xml")
            if info.file_size > MAX_UNZIPPED:
                raise CorruptFileError(path, "content.xml is over the size limit")
            xml = zf.read("content.xml")
    except ZIP_ERRORS as exc:
        raise CorruptFileError(path, zip_damage(exc)) from None
    if b"<!DOCTYPE" in xml[:4096] or b"<!ENTITY" in xml:
        raise CorruptFileError(path, "content.xml declares a DTD or entities (ODF never does)")
    try:
        return ET.fromstring(xml)
    except ET.ParseError as exc:
        raise CorruptFileError(path, f"content.xml is not well-formed XML ({exc})") from None


def _text(el: ET.Element) -> str:
    """The visible text under ``el``: spans, links, spaces and tabs; no footnote marks."""
    parts: list[str] = []
    stack: list[tuple[ET.Element, bool]] = [(el, False)]
    while stack:
        node, done = stack.pop()
        if done:
            if node.tail and node is not el:
                parts.append(node.tail)
            continue
        if node.tag in _SKIP_TEXT:
            if node.tail:
                parts.append(node.tail)
            continue
        if node.tag in (_S, _TAB, _BREAK):
            parts.append(" ")
        if node.text:
            parts.append(node.text)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    return " ".join("".join(parts).split())
