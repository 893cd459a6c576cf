"""Rich Text Format (.rtf), through striprtf (extra: rtf): one segment per paragraph."""

from __future__ import annotations

from pathlib import Path

from ..document import Document, Segment
from ..errors import CorruptFileError, FormatMismatchError, MissingExtraError
from ._base import MAX_CHARS


def read_rtf(path: Path, data: bytes) -> Document:
    try:
        from striprtf.striprtf import rtf_to_text
    except ImportError:
        raise MissingExtraError("striprtf", "rtf", "Reading .rtf files") from None
    if not data.lstrip()[:5] == b"{\\rtf":
        raise FormatMismatchError(path, "an RTF file must start with '{\\rtf'")
    # RTF is 7-bit: other characters come as escapes, so latin-1 never fails and keeps bytes.
    # Markup is several times the text it holds: 16 bytes per kept character is room enough.
    markup = data[: 16 * MAX_CHARS].decode("latin-1")
    try:
        text: str = rtf_to_text(markup, errors="replace")  # type: ignore[no-untyped-call]
    except (OverflowError, ValueError, LookupError, IndexError) as exc:
        # striprtf turns "\u99999999999" into chr() of it, and trusts "\ansicpg" names.
        raise CorruptFileError(
            path, f"malformed RTF ({type(exc).__name__}: {exc!s:.200})"
        ) from None
    segments: list[Segment] = []
    for line in text.split("\n"):
        clean = " ".join(line.split())
        if clean:
            segments.append(Segment(clean, f"paragraph {len(segments) + 1}", "body"))
    return Document(tuple(segments), path=str(path), format="rtf")
