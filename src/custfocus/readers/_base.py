"""Reader registry, content sniffing, text decoding and the size guards shared by readers."""

from __future__ import annotations

import codecs
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

from ..document import Document
from ..errors import (
    CorruptFileError,
    EmptyDocumentError,
    EncryptedFileError,
    FileTooLargeError,
    FormatMismatchError,
    UnsupportedFormatError,
)

Reader = Callable[[Path, bytes], Document]

#: Extension -> format name.
SUPPORTED_FORMATS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pptx": "pptx",
    ".docx": "docx",
    ".pdf": "pdf",
    ".eml": "email",
    ".vtt": "vtt",
    ".srt": "srt",
    ".json": "json",
}

#: Limits: a file over MAX_BYTES is refused before it is read; an Office archive whose
#: members expand past MAX_UNZIPPED or number over MAX_MEMBERS is refused before expanding.
MAX_BYTES = 200_000_000
MAX_UNZIPPED = 500_000_000
MAX_MEMBERS = 10_000
MAX_RATIO = 200

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PDF = b"%PDF"


def detect_format(path: str | os.PathLike[str]) -> str:
    """The format name for ``path``'s extension; :class:`UnsupportedFormatError` if none."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUPPORTED_FORMATS:
        known = ", ".join(sorted(SUPPORTED_FORMATS))
        raise UnsupportedFormatError(path, f"no reader for '{suffix or 'no extension'}' ({known})")
    return SUPPORTED_FORMATS[suffix]


def check_signature(path: Path, fmt: str, data: bytes) -> None:
    """Refuse content that does not match the extension (a PDF named .docx, and so on)."""
    head = data[:8]
    if fmt in ("pptx", "docx"):
        if head.startswith(_OLE2):
            raise EncryptedFileError(
                path,
                "an OLE2 container, not an Office Open XML zip: the file is password "
                "protected (or a legacy binary .doc/.ppt, which custfocus does not read)",
            )
        if not head.startswith(_ZIP):
            raise FormatMismatchError(path, f"not a {fmt} file: {_describe(head)}")
    elif fmt == "pdf":
        if _PDF not in data[:1024]:
            raise FormatMismatchError(path, f"not a PDF file: {_describe(head)}")
    else:
        for magic, name in ((_PDF, "a PDF"), (_ZIP, "a zip archive"), (_OLE2, "an OLE2 file")):
            if head.startswith(magic):
                raise FormatMismatchError(path, f"named as {fmt} but the content is {name}")


def _describe(head: bytes) -> str:
    if head.startswith(_PDF):
        return "the content is a PDF"
    if head.startswith(_ZIP):
        return "the content is a zip archive"
    if not head:
        return "the file is empty"
    return "unrecognised content"


def check_zip(path: Path) -> None:
    """Refuse archives that are corrupt or would expand absurdly (zip bombs)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile as exc:
        raise CorruptFileError(path, f"not a readable zip archive ({exc})") from None
    if len(infos) > MAX_MEMBERS:
        raise FileTooLargeError(path, f"{len(infos)} archive members (limit {MAX_MEMBERS})")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED:
        raise FileTooLargeError(
            path, f"expands to {total:,} bytes (limit {MAX_UNZIPPED:,}): refusing a zip bomb"
        )
    for info in infos:
        if info.file_size > 10_000_000 and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise FileTooLargeError(
                path,
                f"member {info.filename} is compressed "
                f"{info.file_size // max(1, info.compress_size)}:1 (a zip bomb)",
            )


def decode_text(path: Path, data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252; never raises."""
    if data.startswith(codecs.BOM_UTF8):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    else:
        if b"\x00" in data[:4096]:
            raise FormatMismatchError(path, "binary content (NUL bytes) in a text file")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def require_text(path: Path, doc: Document) -> Document:
    if not any(s.text.strip() for s in doc.segments):
        raise EmptyDocumentError(path, "no text to score")
    return doc
