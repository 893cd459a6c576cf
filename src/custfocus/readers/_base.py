"""Reader registry, content sniffing, text decoding and the size guards shared by readers."""

from __future__ import annotations

import codecs
import os
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ..document import SEPARATOR, Document, Segment
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
    ".odt": "odt",
    ".odp": "odp",
    ".rtf": "rtf",
}

#: Formats read by converting through LibreOffice headless (``soffice`` on the PATH):
#: extension -> the Office Open XML format the converted copy is read as.
CONVERTED_FORMATS: dict[str, str] = {
    ".doc": "docx",
    ".dot": "docx",
    ".wpd": "docx",
    ".pages": "docx",
    ".ppt": "pptx",
    ".pps": "pptx",
    ".pot": "pptx",
    ".key": "pptx",
}

#: Limits: a file over MAX_BYTES is refused before it is read; an Office archive whose
#: members expand past MAX_UNZIPPED in all, or number over MAX_MEMBERS, or that expands more
#: than MAX_RATIO times (a member, or the archive as a whole once past BOMB_FLOOR bytes) is
#: refused before anything is expanded.
MAX_BYTES = 200_000_000
MAX_UNZIPPED = 300_000_000
MAX_MEMBERS = 10_000
MAX_RATIO = 200
BOMB_FLOOR = 50_000_000
#: Characters of text a document keeps (about 170,000 words, 350 pages). Longer documents
#: are cut at a segment boundary and say so in ``metadata["truncated"]``, so they score in
#: bounded memory; the cut also keeps every document under spaCy's default ``max_length``.
MAX_CHARS = 1_000_000
#: Share of control characters above which decoded "text" is binary content.
_BINARY_SHARE = 0.02
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
#: A run of non-space characters longer than MAX_WORD is no word (200k "<", "A:A:A:...");
#: spaCy's tokenizer strips affixes from such a run one character at a time, quadratic in
#: its length, so documents carry such runs split into pieces of WORD_PIECE characters.
MAX_WORD = 200
WORD_PIECE = 100
_LONG_RUN = re.compile(rf"\S{{{MAX_WORD + 1},}}")

#: What :mod:`zipfile` raises on a damaged archive, besides ``BadZipFile``: a member whose
#: compressed bytes do not inflate (``zlib.error``), a truncated member (``EOFError``), a
#: name flagged UTF-8 that is not (``UnicodeDecodeError``), an impossible zip version or
#: compression method (``NotImplementedError``), an offset before the file's start
#: (``OSError``, ``ValueError``).
ZIP_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    UnicodeDecodeError,
    NotImplementedError,
    ValueError,
    OSError,
)

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
    if fmt in ("odt", "odp"):
        if not head.startswith(_ZIP):
            raise FormatMismatchError(path, f"not an OpenDocument file: {_describe(head)}")
    elif fmt in ("pptx", "docx"):
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
    except ZIP_ERRORS as exc:
        raise CorruptFileError(path, zip_damage(exc)) from None
    if len(infos) > MAX_MEMBERS:
        raise FileTooLargeError(path, f"{len(infos)} archive members (limit {MAX_MEMBERS})")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if total > MAX_UNZIPPED:
        raise FileTooLargeError(
            path, f"expands to {total:,} bytes (limit {MAX_UNZIPPED:,}): refusing a zip bomb"
        )
    if total > BOMB_FLOOR and total > MAX_RATIO * max(1, packed):
        raise FileTooLargeError(
            path,
            f"{len(infos)} members expand {total // max(1, packed)}:1 to {total:,} bytes "
            "(a zip bomb)",
        )
    for info in infos:
        if info.file_size > 10_000_000 and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise FileTooLargeError(
                path,
                f"member {info.filename} is compressed "
                f"{info.file_size // max(1, info.compress_size)}:1 (a zip bomb)",
            )


def zip_damage(exc: BaseException) -> str:
    """The reason to give for a zip error: which part of the archive is damaged."""
    detail = f"{type(exc).__name__}: {exc!s:.200}"
    if isinstance(exc, zlib.error):
        return f"a compressed member of the archive is damaged ({detail})"
    if isinstance(exc, EOFError):
        return f"a member of the archive is truncated ({detail})"
    if isinstance(exc, UnicodeDecodeError):
        return f"the archive's directory holds a damaged member name ({detail})"
    return f"not a readable zip archive ({detail})"


def decode_text(path: Path, data: bytes, *, max_chars: int | None = None) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252.

    Raises :class:`FormatMismatchError` for binary content: NUL bytes, or more than 2% control
    characters in the first 64 KB (random bytes hold about 13%, text almost none).
    ``max_chars`` decodes only about that many characters' worth of bytes (a long text is
    cut anyway: see :data:`MAX_CHARS`).
    """
    if max_chars is not None and len(data) > 4 * max_chars + 4:
        data = data[: 4 * max_chars + 4]
    if data.startswith(codecs.BOM_UTF8):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    else:
        if b"\x00" in data[:4096]:
            raise FormatMismatchError(path, "binary content (NUL bytes) in a text file")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A cut in the middle of a UTF-8 character is not a reason to change codec.
            if max_chars is not None and exc.start >= len(data) - 4:
                text = data.decode("utf-8", errors="ignore")
            else:
                text = data.decode("cp1252", errors="replace")
    check_not_binary(path, text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_not_binary(path: Path, text: str) -> None:
    """Refuse decoded text that is mostly control characters: binary content misnamed."""
    sample = text[:65536]
    bad = len(_CONTROL.findall(sample))
    if bad >= 3 and bad > _BINARY_SHARE * len(sample):
        raise FormatMismatchError(
            path,
            f"binary content: {bad} control characters in the first {len(sample):,} "
            "(not a text file)",
        )


def clean(value: str) -> str:
    """``value`` with lone surrogates (unencodable in UTF-8) replaced by U+FFFD."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", value)
    return value


def require_text(path: Path, doc: Document) -> Document:
    if not any(s.text.strip() for s in doc.segments):
        raise EmptyDocumentError(path, "no text to score")
    return doc


def _split_runs(text: str) -> str:
    """``text`` with runs of over :data:`MAX_WORD` non-space characters cut into pieces."""
    if len(text) <= MAX_WORD or _LONG_RUN.search(text) is None:
        return text
    return _LONG_RUN.sub(
        lambda m: " ".join(m[0][i : i + WORD_PIECE] for i in range(0, len(m[0]), WORD_PIECE)),
        text,
    )


def bounded(doc: Document, max_chars: int = MAX_CHARS) -> Document:
    """``doc`` with clean strings, cut to ``max_chars`` characters at a segment boundary.

    Runs of non-space characters over :data:`MAX_WORD` are split (see there); the budget
    counts the text after the split, so ``len(doc.text) <= max_chars`` always holds.

    Lone surrogates become U+FFFD (a JSON ``"\\ud800"`` would otherwise break every UTF-8
    report). A cut document records ``metadata["truncated"]``: characters kept and in all.
    """
    segments: list[Segment] = []
    used = 0
    total = sum(len(s.text) + len(SEPARATOR) for s in doc.segments)
    for seg in doc.segments:
        room = max_chars - used
        if room <= 0:
            break
        text = _split_runs(clean(seg.text[: 2 * room]))[:room]  # split at most doubles
        location = clean(seg.location)
        speaker = None if seg.speaker is None else clean(seg.speaker)
        if text is seg.text and location is seg.location and speaker is seg.speaker:
            segments.append(seg)
        else:
            segments.append(replace(seg, text=text, location=location, speaker=speaker))
        used += len(text) + len(SEPARATOR)
    meta = {clean(str(k)): clean(v) if isinstance(v, str) else v for k, v in doc.metadata.items()}
    if used < total:
        kept = max(0, used - len(SEPARATOR))
        meta["truncated"] = {"kept_chars": kept, "total_chars": total - len(SEPARATOR)}
    return Document(tuple(segments), path=doc.path, format=doc.format, metadata=meta)
