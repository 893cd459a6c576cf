"""Email (.eml): subject, the sender's own text, quoted replies kept but not scored."""

from __future__ import annotations

import re
from email import errors as email_errors
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from pathlib import Path

from ..document import Document, Segment
from ..errors import CorruptFileError, FormatMismatchError
from ._base import MAX_CHARS, check_not_binary
from .html import html_segments

#: Multipart nesting deeper than this is refused (real mail nests 3 or 4 levels; the
#: standard library recurses once per level when it looks for the body).
MAX_DEPTH = 30
#: Header values longer than this are kept raw, not parsed (a 150 KB "To:" took minutes).
MAX_PARSED_HEADER = 4096
#: What the email package raises on malformed headers, charsets and structures.
_MAIL_ERRORS = (
    email_errors.MessageError,
    LookupError,
    ValueError,
    TypeError,
    AttributeError,
    AssertionError,
    UnicodeError,
)

_REPLY_HEADER = re.compile(
    r"^(On .{4,200}wrote:\s*$|-{2,}\s*Original Message\s*-{2,}|From:\s.+)", re.I
)
_SIGNATURE = re.compile(r"^--\s*$")
# "[^<>]" (not "[^>]"): with many "<div" and no ">", each try stops at the next "<".
_QUOTE_HTML = re.compile(r'<blockquote|<div[^<>]+class="?(gmail_quote|OutlookMessageHeader)', re.I)


def read_email(path: Path, data: bytes) -> Document:
    try:
        msg = BytesParser(policy=policy.default).parsebytes(data)
    except RecursionError:
        raise CorruptFileError(path, "MIME parts nested too deeply to read") from None
    except _MAIL_ERRORS as exc:
        raise CorruptFileError(
            path, f"malformed email ({type(exc).__name__}: {exc!s:.200})"
        ) from None
    _check_structure(path, msg)
    if not isinstance(msg, EmailMessage) or not any(
        _header(msg, k) for k in ("From", "Subject", "To")
    ):
        raise FormatMismatchError(path, "no email headers (From, To, Subject) found")
    segments: list[Segment] = []
    subject = _header(msg, "Subject").strip()
    if subject:
        segments.append(Segment(subject, "subject", "title"))
    try:
        part = msg.get_body(preferencelist=("plain", "html"))
    except _MAIL_ERRORS as exc:
        raise CorruptFileError(path, f"malformed MIME structure ({type(exc).__name__})") from None
    if part is not None:
        content = _content(part)[: 4 * MAX_CHARS]
        check_not_binary(path, content)
        if part.get_content_subtype() == "html":
            segments.extend(_mark_quoted_html(content))
        else:
            segments.extend(_plain_segments(content))
    meta = {k.lower(): v for k in ("From", "To", "Cc", "Date") if (v := _header(msg, k))}
    return Document(tuple(segments), path=str(path), format="email", metadata=meta)


def _header(msg: Message, name: str) -> str:
    """A header's value as text; its raw value when it does not parse (bad addresses) or is
    too long to parse (the standard library's address parser is quadratic)."""
    raw = next((v for k, v in msg.raw_items() if k.lower() == name.lower()), None)
    if raw is None:
        return ""
    if len(str(raw)) <= MAX_PARSED_HEADER:
        try:
            value = msg[name]
            return "" if value is None else str(value)
        except _MAIL_ERRORS:
            pass
    return " ".join(str(raw)[: 4 * MAX_PARSED_HEADER].split())


def _check_structure(path: Path, msg: Message) -> None:
    """Refuse nesting deeper than :data:`MAX_DEPTH` and structural headers (Content-Type and
    the like) longer than :data:`MAX_PARSED_HEADER`, walking the parts without recursion and
    reading raw header values only (parsing them is what costs)."""
    stack: list[tuple[Message, int]] = [(msg, 0)]
    while stack:
        part, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise CorruptFileError(path, f"MIME parts nested over {MAX_DEPTH} levels deep")
        for key, value in part.raw_items():
            if key.lower().startswith("content-") and len(str(value)) > MAX_PARSED_HEADER:
                raise CorruptFileError(
                    path, f"a {key} header of {len(str(value)):,} characters (malformed)"
                )
        if part.is_multipart():
            payload = part.get_payload()
            if isinstance(payload, list):
                stack.extend((p, depth + 1) for p in payload if isinstance(p, Message))


def _content(part: Message) -> str:
    """The part's text; an unknown or wrong charset falls back to UTF-8 with replacement."""
    try:
        content = part.get_content()  # type: ignore[attr-defined]
        if isinstance(content, str):
            return content
    except _MAIL_ERRORS:
        pass
    try:
        raw = part.get_payload(decode=True)
    except _MAIL_ERRORS:
        raw = None
    if isinstance(raw, bytes):
        return raw.decode("utf-8", errors="replace")
    payload = part.get_payload()
    return payload if isinstance(payload, str) else ""


def _plain_segments(text: str) -> list[Segment]:
    """The sender's paragraphs; everything from a reply header on, and '>' lines, is quoted."""
    out: list[Segment] = []
    para: list[str] = []
    n = 0
    state = "body"

    def flush(kind: str) -> None:
        nonlocal n
        if para:
            body = " ".join(" ".join(para).split())
            if kind == "body":
                n += 1
                out.append(Segment(body, f"paragraph {n}", "body"))
            else:
                out.append(Segment(body, "quoted" if kind == "quoted" else "signature", kind))
            para.clear()

    for line in text.replace("\r\n", "\n").split("\n"):
        if state == "body" and _SIGNATURE.match(line):
            flush("body")
            state = "metadata"
            continue
        if state != "quoted" and (line.lstrip().startswith(">") or _REPLY_HEADER.match(line)):
            flush("body" if state == "body" else state)
            state = "quoted"
        if not line.strip():
            flush(state if state != "body" else "body")
            continue
        para.append(line.lstrip("> ").rstrip() if state == "quoted" else line.strip())
    flush(state)
    return [s for s in out if s.text]


def _mark_quoted_html(markup: str) -> list[Segment]:
    # Blockquotes and Gmail/Outlook quote containers hold the earlier messages.
    cut = _QUOTE_HTML.search(markup)
    own = markup[: cut.start()] if cut else markup
    quoted = markup[cut.start() :] if cut else ""
    segments = [s for s in html_segments(own) if s.kind != "title"]
    segments += [Segment(s.text, "quoted", "quoted") for s in html_segments(quoted)]
    return segments
