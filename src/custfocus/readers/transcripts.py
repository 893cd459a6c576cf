"""Call transcripts: WebVTT (with <v Speaker> voice tags), SRT, and JSON utterance lists."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..document import Document, Segment
from ..errors import CorruptFileError, FormatMismatchError
from ._base import decode_text
from .text import clock, seconds

_CUE_TIME = re.compile(
    r"(?P<a>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*(?P<b>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})"
)
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_TAG = re.compile(r"<[^>]+>")
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
        start, end = seconds(m["a"]), seconds(m["b"])
        speaker, body = _speaker_and_text(" ".join(lines[idx + 1 :]))
        if body:
            segments.append(Segment(body, clock(start), "utterance", speaker, start, end))
    return segments


def read_vtt(path: Path, data: bytes) -> Document:
    text = decode_text(path, data).lstrip("\ufeff")
    if not text.lstrip().startswith("WEBVTT"):
        raise FormatMismatchError(path, "a WebVTT file must start with 'WEBVTT'")
    body = re.sub(r"(?ms)^NOTE\b.*?(?:\n\s*\n|\Z)", "\n\n", text)
    return Document(tuple(_cues(path, body)), path=str(path), format="vtt")


def read_srt(path: Path, data: bytes) -> Document:
    text = decode_text(path, data)
    segments = _cues(path, text)
    if not segments and text.strip():
        raise FormatMismatchError(path, "no SRT cues ('00:00:01,000 --> 00:00:02,000') found")
    return Document(tuple(segments), path=str(path), format="srt")


def read_json(path: Path, data: bytes) -> Document:
    try:
        payload: Any = json.loads(decode_text(path, data))
    except json.JSONDecodeError as exc:
        raise CorruptFileError(path, f"invalid JSON ({exc})") from None
    if isinstance(payload, dict):
        payload = payload.get("utterances", payload.get("segments"))
    if not isinstance(payload, list) or not all(isinstance(u, dict) for u in payload):
        raise FormatMismatchError(
            path, "expected a list of {speaker, text, start, end} objects (or under 'utterances')"
        )
    segments = []
    for i, u in enumerate(payload, start=1):
        text = u.get("text")
        if not isinstance(text, str):
            raise FormatMismatchError(path, f"utterance {i} has no 'text' string")
        start, end = _number(path, u, "start", i), _number(path, u, "end", i)
        speaker = u.get("speaker")
        loc = clock(start) if start is not None else f"turn {i}"
        segments.append(
            Segment(" ".join(text.split()), loc, "utterance",
                    None if speaker is None else str(speaker), start, end)
        )  # fmt: skip
    return Document(tuple(segments), path=str(path), format="json")


def _number(path: Path, u: dict[str, Any], key: str, i: int) -> float | None:
    value = u.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return seconds(value)
        except ValueError:
            pass
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise FormatMismatchError(path, f"utterance {i}: '{key}' is not a number of seconds")
