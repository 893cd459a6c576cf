"""Email (.eml): subject, the sender's own text, quoted replies kept but not scored."""

from __future__ import annotations

import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from ..document import Document, Segment
from ..errors import FormatMismatchError
from .html import html_segments

_REPLY_HEADER = re.compile(
    r"^(On .{4,200}wrote:\s*$|-{2,}\s*Original Message\s*-{2,}|From:\s.+)", re.I
)
_SIGNATURE = re.compile(r"^--\s*$")
_QUOTE_HTML = re.compile(r'<blockquote|<div[^>]+class="?(gmail_quote|OutlookMessageHeader)', re.I)


def read_email(path: Path, data: bytes) -> Document:
    msg = BytesParser(policy=policy.default).parsebytes(data)
    if not isinstance(msg, EmailMessage) or not (msg["From"] or msg["Subject"] or msg["To"]):
        raise FormatMismatchError(path, "no email headers (From, To, Subject) found")
    segments: list[Segment] = []
    subject = str(msg["Subject"] or "").strip()
    if subject:
        segments.append(Segment(subject, "subject", "title"))
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is not None:
        content = part.get_content()
        if part.get_content_subtype() == "html":
            segments.extend(_mark_quoted_html(content))
        else:
            segments.extend(_plain_segments(content))
    meta = {k.lower(): str(msg[k]) for k in ("From", "To", "Cc", "Date") if msg[k]}
    return Document(tuple(segments), path=str(path), format="email", metadata=meta)


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
