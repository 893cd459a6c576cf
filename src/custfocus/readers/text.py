"""Plain text, Markdown and "Speaker: text" transcripts."""

from __future__ import annotations

import re
from pathlib import Path

from ..document import Document, Segment
from ._base import decode_text

_TIME = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d+)?"
_TURN = re.compile(
    rf"^\s*(?:[\[(]?(?P<time>{_TIME})[\])]?\s*[-–]?\s*)?"
    r"(?P<speaker>[A-Z][\w.'’\- ]{0,40}?(?:\s*\([^)]{1,40}\))?)\s*:\s+(?P<text>\S.*)$"
)
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
_MD_INLINE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<!\w)([*_])(.+?)\1(?!\w)"), r"\2"),
    (re.compile(r"`([^`]*)`"), r"\1"),
]


def seconds(stamp: str) -> float:
    """'01:02:03.5' or '2:03' or '00:01:02,500' -> seconds."""
    parts = stamp.replace(",", ".").split(":")
    total = 0.0
    for p in parts:
        total = total * 60 + float(p)
    return total


def clock(value: float) -> str:
    v = int(value)
    return f"{v // 3600:02d}:{v % 3600 // 60:02d}:{v % 60:02d}"


def read_text(path: Path, data: bytes) -> Document:
    text = decode_text(path, data)
    turns = _speaker_turns(text)
    if turns is not None:
        return Document(tuple(turns), path=str(path), format="transcript")
    return Document.from_text(text, path=str(path), format="text")


def _speaker_turns(text: str) -> list[Segment] | None:
    """Segments when most non-empty lines look like 'Speaker: text', else None."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if len(lines) < 2:
        return None
    matches = [_TURN.match(ln) for ln in lines]
    if sum(m is not None for m in matches) < max(2, 0.6 * len(lines)):
        return None
    raw: list[tuple[str, str, float | None]] = []
    for line, m in zip(lines, matches, strict=True):
        if m is None:
            if raw:  # a continuation line belongs to the previous turn
                sp, tx, st = raw[-1]
                raw[-1] = (sp, f"{tx} {line.strip()}", st)
            continue
        st = seconds(m["time"]) if m["time"] else None
        raw.append((m["speaker"].strip(), m["text"].strip(), st))
    segments = []
    for i, (speaker, body, start) in enumerate(raw):
        nxt = raw[i + 1][2] if i + 1 < len(raw) else None
        loc = clock(start) if start is not None else f"turn {i + 1}"
        segments.append(Segment(body, loc, "utterance", speaker, start, nxt))
    return segments


def read_markdown(path: Path, data: bytes) -> Document:
    text = decode_text(path, data)
    segments: list[Segment] = []
    para: list[str] = []
    n = 0
    in_code = False

    def flush() -> None:
        nonlocal n
        if para:
            n += 1
            segments.append(Segment(_inline(" ".join(para)), f"paragraph {n}", "body"))
            para.clear()

    for line in text.split("\n"):
        if line.strip().startswith("```"):
            flush()
            in_code = not in_code
            continue
        if in_code:
            continue
        heading = _MD_HEADING.match(line)
        bullet = _MD_BULLET.match(line)
        if heading:
            flush()
            n += 1
            segments.append(Segment(_inline(heading[2]), f"paragraph {n}", "heading"))
        elif bullet:
            flush()
            n += 1
            segments.append(Segment(_inline(bullet[1]), f"paragraph {n}", "body"))
        elif not line.strip():
            flush()
        else:
            para.append(line.strip())
    flush()
    return Document(tuple(s for s in segments if s.text), path=str(path), format="markdown")


def _inline(text: str) -> str:
    for pattern, repl in _MD_INLINE:
        text = pattern.sub(repl, text)
    return text.strip()
