"""Call transcripts: WebVTT (with <v Speaker> voice tags), SRT, and JSON utterance lists
from custom exports and speech-to-text services (Deepgram, AssemblyAI, AWS, Rev, Whisper)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..document import Document, Segment
from ..errors import CorruptFileError, FileTooLargeError, FormatMismatchError
from ._base import MAX_CHARS, decode_text
from .text import check_seconds, clock, seconds

# Bounded repeats and "[^<>]" keep every pattern linear: a line of a million digits, or
# 200k "<" in a cue, costs one step per character, not a rescan of the rest per character.
_CUE_TIME = re.compile(
    r"(?P<a>(?:\d{1,5}:)?\d{1,2}:\d{2}[.,]\d{1,3})[ \t]*-->[ \t]*"
    r"(?P<b>(?:\d{1,5}:)?\d{1,2}:\d{2}[.,]\d{1,3})"
)
_VOICE = re.compile(r"<v(?:\.[\w.-]{1,100})?\s+([^<>]+)>")
_TAG = re.compile(r"<[^<>]+>")
#: JSON transcripts over this size are refused: parsing costs many times the file in memory.
MAX_JSON_BYTES = 50_000_000
_PREFIX = re.compile(r"^\s*(?:\[(?P<b>[^\]]{1,40})\]|(?P<n>[A-Z][\w.'’\- ]{0,40}?)\s*:)\s+")


def _speaker_and_text(raw: str) -> tuple[str | None, str]:
    voice = _VOICE.search(raw)
    speaker = voice[1].strip() if voice else None
    text = " ".join(_TAG.sub("", raw).split())
    if speaker is None:
        m = _PREFIX.match(text)
        if m:
            speaker = (m["b"] or m["n"]).strip()
            text = text[m.end() :].strip()
    return speaker, text


def _cues(path: Path, text: str) -> list[Segment]:
    segments = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln for ln in block.split("\n") if ln.strip()]
        idx = next((i for i, ln in enumerate(lines) if _CUE_TIME.search(ln)), None)
        if idx is None:
            continue
        m = _CUE_TIME.search(lines[idx])
        assert m is not None
        try:
            start, end = seconds(m["a"]), seconds(m["b"])
        except ValueError as exc:
            raise CorruptFileError(path, f"cue at {m['a']!r}: {exc}") from None
        speaker, body = _speaker_and_text(" ".join(lines[idx + 1 :]))
        if body:
            segments.append(Segment(body, clock(start), "utterance", speaker, start, end))
    return segments


def read_vtt(path: Path, data: bytes) -> Document:
    text = decode_text(path, data, max_chars=MAX_CHARS).lstrip("\ufeff")
    if not text.lstrip().startswith("WEBVTT"):
        raise FormatMismatchError(path, "a WebVTT file must start with 'WEBVTT'")
    # A NOTE block runs to the next blank line (split first: a lazy scan for the blank
    # line from every "NOTE" is quadratic when there is none).
    blocks = re.split(r"\n[ \t]*\n", text)
    body = "\n\n".join(b for b in blocks if not re.match(r"\s*NOTE\b", b))
    return Document(tuple(_cues(path, body)), path=str(path), format="vtt")


def read_srt(path: Path, data: bytes) -> Document:
    text = decode_text(path, data, max_chars=MAX_CHARS)
    segments = _cues(path, text)
    if not segments and text.strip():
        raise FormatMismatchError(path, "no SRT cues ('00:00:01,000 --> 00:00:02,000') found")
    return Document(tuple(segments), path=str(path), format="srt")


#: Where the utterance list lives in a JSON object, tried in order (also under "results").
_CONTAINERS = ("utterances", "segments", "monologues", "audio_segments", "transcript")
_TEXT_KEYS = ("text", "transcript", "content", "utterance")
#: "speaker_name" first: Rev gives a numeric "speaker" and the person's name beside it.
_SPEAKER_KEYS = ("speaker_name", "speaker", "speaker_label", "participant", "name")
#: (start key, end key, unit): "s" and "ms" are what the key names say, "auto" is decided
#: per file by :func:`_in_milliseconds`.
_TIME_KEYS = (
    ("start", "end", "auto"),
    ("start_time", "end_time", "auto"),
    ("startTime", "endTime", "auto"),
    ("from", "to", "auto"),
    ("start_seconds", "end_seconds", "s"),
    ("startSeconds", "endSeconds", "s"),
    ("start_ms", "end_ms", "ms"),
    ("startMs", "endMs", "ms"),
)
#: Integer times above this are milliseconds: a call timed in seconds would have to run
#: 5.5 hours to reach it, while 20,000 ms is only 20 s into the call.
_MS_THRESHOLD = 20_000
_UNIT_FACTORS = {"s": 1.0, "ms": 0.001}
_EXPECTED = (
    "expected a list of utterance objects ({speaker, text, start, end}; also Deepgram, "
    "AssemblyAI, AWS Transcribe, Rev and Whisper shapes), or an object holding one under "
    "'utterances', 'segments', 'monologues', 'audio_segments' or 'transcript', "
    "directly or inside 'results'"
)


@dataclass(frozen=True, slots=True)
class _Utterance:
    """One utterance as found in the file, before times are put in seconds."""

    speaker: str | None
    text: str
    start: float | None
    end: float | None
    unit: str
    whole: bool  # every time given was an integer


def read_json(path: Path, data: bytes) -> Document:
    """Utterance lists from custom JSON and common speech-to-text services."""
    if len(data) > MAX_JSON_BYTES:
        raise FileTooLargeError(
            path, f"{len(data):,} bytes of JSON (limit {MAX_JSON_BYTES:,} for transcripts)"
        )
    try:
        payload: Any = json.loads(decode_text(path, data))
    except json.JSONDecodeError as exc:
        raise CorruptFileError(path, f"invalid JSON ({exc})") from None
    except RecursionError:
        raise CorruptFileError(path, "JSON nested too deeply to read") from None
    except ValueError as exc:  # e.g. an integer of over 4,300 digits
        raise CorruptFileError(path, f"invalid JSON ({exc!s:.200})") from None
    items = _container(payload)
    if items is None:
        raise FormatMismatchError(path, _EXPECTED)
    found = [_utterance(path, u, i) for i, u in enumerate(items, start=1)]
    scale = 0.001 if _in_milliseconds(found) else 1.0
    segments = []
    for i, u in enumerate(found, start=1):
        factor = _UNIT_FACTORS.get(u.unit, scale)
        try:
            start = None if u.start is None else check_seconds(u.start * factor)
            end = None if u.end is None else check_seconds(u.end * factor)
        except ValueError as exc:
            raise CorruptFileError(path, f"utterance {i}: {exc}") from None
        loc = clock(start) if start is not None else f"turn {i}"
        segments.append(Segment(u.text, loc, "utterance", u.speaker, start, end))
    return Document(tuple(segments), path=str(path), format="json")


def _container(payload: Any) -> list[dict[str, Any]] | None:
    """The list of utterance objects: the payload itself or a list under a known key."""
    if isinstance(payload, dict):
        nested = payload.get("results")
        payload = _listed(payload)
        if payload is None and isinstance(nested, dict):
            payload = _listed(nested)
    if isinstance(payload, list) and all(isinstance(u, dict) for u in payload):
        return payload
    return None


def _listed(holder: dict[str, Any]) -> list[Any] | None:
    """The first list under one of ``_CONTAINERS`` in ``holder``."""
    return next((holder[k] for k in _CONTAINERS if isinstance(holder.get(k), list)), None)


def _utterance(path: Path, u: dict[str, Any], i: int) -> _Utterance:
    """Speaker, text and raw times of utterance ``i``; Rev monologues via their elements."""
    elements = u.get("elements")
    if isinstance(elements, list) and not any(isinstance(u.get(k), str) for k in _TEXT_KEYS):
        return _rev_monologue(path, u, elements, i)
    text = next((u[k] for k in _TEXT_KEYS if isinstance(u.get(k), str)), None)
    if text is None:
        raise FormatMismatchError(
            path, f"utterance {i} has no 'text' string (nor {', '.join(_TEXT_KEYS[1:])})"
        )
    start_key, end_key, unit = next(
        (keys for keys in _TIME_KEYS if keys[0] in u or keys[1] in u), _TIME_KEYS[0]
    )
    raw = (u.get(start_key), u.get(end_key))
    start, end = (_time(path, v, k, i) for v, k in zip(raw, (start_key, end_key), strict=True))
    return _Utterance(_speaker(u), " ".join(text.split()), start, end, unit, _whole(raw))


def _rev_monologue(path: Path, u: dict[str, Any], elements: list[Any], i: int) -> _Utterance:
    """A Rev monologue: the text is its elements' values joined; times are in seconds."""
    parts = [e for e in elements if isinstance(e, dict) and isinstance(e.get("value"), str)]
    kept = [e for e in parts if e.get("type", "text") in ("text", "punct")]
    text = " ".join("".join(e["value"] for e in kept).split())
    starts = [_time(path, e.get("ts"), "ts", i) for e in kept]
    ends = [_time(path, e.get("end_ts"), "end_ts", i) for e in kept]
    start = next((t for t in starts if t is not None), None)
    end = next((t for t in reversed(ends) if t is not None), None)
    return _Utterance(_speaker(u), text, start, end, "s", False)


def _speaker(u: dict[str, Any]) -> str | None:
    """The first non-empty speaker field; numeric ids (Deepgram's 0, 1) become strings.

    ``speaker_name`` is read first, so Rev's named speaker wins over its numeric id.
    """
    for key in _SPEAKER_KEYS:
        value = u.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
    return None


def _whole(values: tuple[Any, ...]) -> bool:
    """True when every present time is an integer (a JSON integer or a string of digits)."""
    present = [v for v in values if v is not None]
    return all(
        (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, str) and v.isdigit())
        for v in present
    )


def _in_milliseconds(found: list[_Utterance]) -> bool:
    """Whether a file's unlabelled ("auto") times are milliseconds, as AssemblyAI gives.

    They are when every one is an integer and the largest exceeds ``_MS_THRESHOLD``:
    seconds are fractional in most tools, and a 30-minute call timed in seconds stays
    under 2,000, far below 20,000 (which in milliseconds is 20 s into the call).
    """
    auto = [u for u in found if u.unit == "auto"]
    times = [t for u in auto for t in (u.start, u.end) if t is not None]
    return bool(times) and all(u.whole for u in auto) and max(times) > _MS_THRESHOLD


def _time(path: Path, value: Any, key: str, i: int) -> float | None:
    """A time as a float: a number, a numeric string or 'h:mm:ss'; None when absent."""
    if value is None:
        return None
    try:
        if isinstance(value, str):
            return seconds(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            # Milliseconds are allowed 1000 times the limit; the scaled time is checked again.
            return check_seconds(float(value) / 1000) * 1000
    except (ValueError, OverflowError) as exc:
        raise CorruptFileError(path, f"utterance {i}: '{key}' is {exc}") from None
    raise FormatMismatchError(
        path, f"utterance {i}: '{key}' is not a time (a number, or a string like '1:02:03')"
    )
