"""Plain text, Markdown, and transcripts saved as text.

Two transcript layouts are recognised in plain text:

* "Speaker: text" lines, optionally after a timestamp (``[00:01:02] Sam: Hi``).
* Header lines: a line naming the speaker (usually with a timestamp) introduces the turn,
  and the words follow on the next line(s), as Otter.ai, Microsoft Teams and Rev export:
  ``Sam Rivera  0:03``, ``0:03 Sam Rivera``, ``Sam Rivera`` then ``0:03`` on its own line,
  ``Sam Rivera (00:00:03):``, ``[00:00:03] Sam Rivera``, ``00:00:03 - Sam Rivera``,
  ``Sam Rivera | 00:03``, ``Sam Rivera - 00:03``, or ``Sam Rivera:`` alone on its line.

A transcript read as prose is scored as if one person said everything, but prose read as a
transcript is just as wrong, so header detection is conservative (see ``_plausible``).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from ..document import Document, Segment
from ._base import MAX_CHARS, decode_text

_TIME = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d+)?"
_TURN = re.compile(
    rf"^\s*(?:[\[(]?(?P<time>{_TIME})[\])]?\s*[-–]?\s*)?"
    r"(?P<speaker>[A-Z][\w.'’\- ]{0,40}?(?:\s*\([^)]{1,40}\))?)\s*:\s+(?P<text>\S.*)$"
)

# Header lines. A separator is spaces, or a dash or bar with optional spaces around it; the
# time may sit in brackets or parentheses; a trailing colon is allowed (Rev).
_SEP = r"(?:\s*[-–—|]\s*|\s+)"
_STAMP = rf"[\[(]?(?P<time>{_TIME})[\])]?"
_HEADER_FORMS: dict[str, re.Pattern[str]] = {
    "name time": re.compile(rf"^(?P<name>.+?){_SEP}{_STAMP}\s*:?$"),
    "time name": re.compile(rf"^{_STAMP}{_SEP}(?P<name>.+?)\s*:?$"),
    "name:": re.compile(r"^(?P<name>[^:]+?)\s*:$"),
}
_TIME_ALONE = re.compile(rf"^{_STAMP}$")
#: Header forms that carry a timestamp, tried first; "name:" has none and is held to more.
_TIMED_FORMS = ("name time", "time name", "name/time")
#: A header line is short; longer lines are never tried (this also bounds regex work).
_MAX_HEADER_CHARS = 100
#: Lines before the first header (a title, a date) kept as unscored metadata.
_MAX_PREAMBLE_LINES = 3
_AFFILIATION = re.compile(r"\s*\([^()]{1,40}\)$")
_NAME_WORD = re.compile(r"[^\W_][\w.'’-]*")
_PARTICLES = frozenset("al bin da de del della der di du la le van von".split())
#: First words of agenda and section labels ("Break 10:30", "Solution:"), never speakers.
_NOT_NAMES = frozenset(
    """agenda intro introduction introductions welcome demo demonstration break lunch coffee
    breakfast dinner keynote session workshop panel recap summary overview discussion wrap
    wrap-up closing opening kickoff kick-off questions networking registration presentation
    update updates review roadmap note notes total meeting start end day week step phase
    chapter part section page slide item task deadline time problem problems solution
    solutions question answer challenge challenges result results benefit benefits goal
    goals outcome outcomes background context example pros cons""".split()
)
_MD_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})(?:[ \t]+(.*))?$")
_MD_BULLET = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+(.*)$")
# Every pattern is linear: a bracket's content cannot hold another bracket, so 200k "["
# cost one step each, and emphasis markers are dropped rather than paired (pairing with a
# lazy ".+?" rescans the rest of the line from every marker).
_MD_INLINE = [
    (re.compile(r"!\[([^\[\]]*)\]\([^()]*\)"), r"\1"),
    (re.compile(r"\[([^\[\]]+)\]\([^()]*\)"), r"\1"),
    (re.compile(r"\*\*|__"), ""),
    (re.compile(r"(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)"), ""),
    (re.compile(r"`([^`]*)`"), r"\1"),
]
#: The longest time a recording may have: a week. Longer, negative or not finite is an error.
MAX_SECONDS = 7 * 24 * 3600.0


def seconds(stamp: str) -> float:
    """'01:02:03.5' or '2:03' or '00:01:02,500' -> seconds.

    Raises ``ValueError`` for what is not a time: not a number, NaN, infinite, negative,
    or over :data:`MAX_SECONDS` (callers turn it into a typed reader error).
    """
    parts = stamp.replace(",", ".").split(":")
    if len(parts) > 3 or len(stamp) > 40:
        raise ValueError(f"not a time: {stamp[:40]!r}")
    total = 0.0
    for p in parts:
        total = total * 60 + float(p)
    return check_seconds(total)


def check_seconds(value: float) -> float:
    """``value`` when it is a plausible time in a recording, else ``ValueError``."""
    if not math.isfinite(value) or not 0 <= value <= MAX_SECONDS:
        raise ValueError(f"{value!r} is not a time between 0 and {MAX_SECONDS:.0f} s")
    return value


def clock(value: float) -> str:
    """Seconds -> 'hh:mm:ss', the location of a timed utterance."""
    v = int(value)
    return f"{v // 3600:02d}:{v % 3600 // 60:02d}:{v % 60:02d}"


def read_text(path: Path, data: bytes) -> Document:
    """A transcript when the text is laid out as one (see the module doc), else paragraphs."""
    text = decode_text(path, data, max_chars=MAX_CHARS)
    turns = transcript_turns(text)
    if turns is not None:
        return Document(tuple(turns), path=str(path), format="transcript")
    return Document.from_text(text, path=str(path), format="text")


def transcript_turns(text: str) -> list[Segment] | None:
    """The turns of ``text`` when it is laid out as a transcript (see the module doc)."""
    turns = _speaker_turns(text)
    return turns if turns is not None else _header_turns(text)


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
    return _utterances(raw)


def _utterances(raw: list[tuple[str, str, float | None]]) -> list[Segment]:
    """One segment per (speaker, text, start) turn; a turn ends where the next one starts."""
    segments = []
    for i, (speaker, body, start) in enumerate(raw):
        nxt = raw[i + 1][2] if i + 1 < len(raw) else None
        loc = clock(start) if start is not None else f"turn {i + 1}"
        segments.append(Segment(body, loc, "utterance", speaker, start, nxt))
    return segments


@dataclass(frozen=True, slots=True)
class _Header:
    """A turn's header: its first line's index, how many lines it spans, who, and when."""

    line: int
    width: int
    speaker: str
    start: float | None


def _header_turns(text: str) -> list[Segment] | None:
    """Segments when speaker header lines introduce the turns (Otter, Teams, Rev), else None.

    Timed header forms are tried first and the one finding the most plausible headers wins;
    "Name:" headers without times must pass a stricter test.
    """
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    found = [_headers(lines, form) for form in _TIMED_FORMS]
    timed = [h for h in found if _plausible(lines, h, strict=False)]
    if timed:
        headers = max(timed, key=len)
    else:
        headers = _headers(lines, "name:")
        if not _plausible(lines, headers, strict=True):
            return None
    return _header_segments(lines, headers)


def _headers(lines: list[str], form: str) -> list[_Header]:
    """Every header of ``form`` in ``lines``, in order and not overlapping."""
    out: list[_Header] = []
    i = 0
    while i < len(lines):
        header = _header_at(lines, i, form)
        if header is None:
            i += 1
        else:
            out.append(header)
            i += header.width
    return out


def _header_at(lines: list[str], i: int, form: str) -> _Header | None:
    """The header of ``form`` starting at line ``i``, if there is one."""
    if len(lines[i]) > _MAX_HEADER_CHARS:
        return None
    if form == "name/time":  # Teams: the name on one line, the time alone on the next
        stamp = _TIME_ALONE.match(lines[i + 1]) if i + 1 < len(lines) else None
        name = _speaker_name(lines[i]) if stamp else None
        if stamp is None or name is None:
            return None
        return _Header(i, 2, name, seconds(stamp["time"]))
    m = _HEADER_FORMS[form].match(lines[i])
    name = _speaker_name(m["name"]) if m else None
    if m is None or name is None:
        return None
    time = m.groupdict().get("time")
    return _Header(i, 1, name, seconds(time) if time else None)


def _speaker_name(raw: str) -> str | None:
    """``raw`` when it reads as a speaker label, else None.

    A label is 1-4 capitalised words (name particles such as "de" or "van" aside), with
    an optional trailing number ("Speaker 1") and parenthesised affiliation ("(Acme)");
    "SPEAKER_00" and "Unknown Speaker" qualify, agenda words such as "Break" do not.
    """
    name = " ".join(raw.split())
    words = _AFFILIATION.sub("", name).split()
    named = [w for w in words if w not in _PARTICLES]
    if not words or not 1 <= len(named) <= 4 or len(words) > 6:
        return None
    if words[0].lower() in _NOT_NAMES or not words[0][0].isupper():
        return None
    for k, word in enumerate(words):
        numbered = k > 0 and k == len(words) - 1 and word.isdigit()
        if not _NAME_WORD.fullmatch(word):
            return None
        if not (word[0].isupper() or word in _PARTICLES or numbered):
            return None
    return name


def _plausible(lines: list[str], headers: list[_Header], *, strict: bool) -> bool:
    """Whether ``headers`` make ``lines`` a conversation rather than a document.

    Required: at least 3 headers (4 when strict), a preamble of at most
    ``_MAX_PREAMBLE_LINES`` lines, words under every header, 2 or more speakers and one
    speaking 2 or more times, so an agenda ("Intro 10:00", "Demo 10:15") stays a document.
    Strict (untimed "Name:" headers) also wants two speakers with 2+ turns and the speaker
    changing at half the turns or more, as a dialogue does and a list of labels does not.
    """
    if len(headers) < (4 if strict else 3) or headers[0].line > _MAX_PREAMBLE_LINES:
        return False
    ends = [h.line for h in headers[1:]] + [len(lines)]
    if any(h.line + h.width >= end for h, end in zip(headers, ends, strict=True)):
        return False
    turns = Counter(h.speaker for h in headers)
    repeated = sum(n >= 2 for n in turns.values())
    if len(turns) < 2 or repeated < (2 if strict else 1):
        return False
    changes = sum(a.speaker != b.speaker for a, b in pairwise(headers))
    return not strict or 2 * changes >= len(headers) - 1


def _header_segments(lines: list[str], headers: list[_Header]) -> list[Segment]:
    """Utterances from the lines under each header, after any preamble kept as metadata."""
    ends = [h.line for h in headers[1:]] + [len(lines)]
    raw = [
        (h.speaker, " ".join(lines[h.line + h.width : end]), h.start)
        for h, end in zip(headers, ends, strict=True)
    ]
    segments = _utterances(raw)
    first = headers[0].line
    if first:
        segments.insert(0, Segment(" ".join(lines[:first]), "preamble", "metadata"))
    return segments


def read_markdown(path: Path, data: bytes) -> Document:
    text = decode_text(path, data, max_chars=MAX_CHARS)
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
            title = (heading[2] or "").rstrip().rstrip("#").rstrip()
            segments.append(Segment(_inline(title), f"paragraph {n}", "heading"))
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
