"""The document model: what readers produce and what the analyzer scores.

A :class:`Document` is an ordered tuple of :class:`Segment` objects. Each segment keeps
where it came from (``"slide 3"``, ``"slide 3 notes"``, ``"page 2"``, ``"paragraph 14"``,
``"table 1 row 2"``, ``"00:03:12"``), what kind of text it is and, for speech, who said
it and when. Joining the segments gives ``Document.text``; every finding in a report
points back to the segment (and so to the slide, page or second) it came from.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

__all__ = ["SEGMENT_KINDS", "SEPARATOR", "Document", "Segment", "SegmentKind"]

SegmentKind = Literal[
    "title", "heading", "body", "notes", "table", "caption", "utterance", "quoted", "metadata"
]
#: Every kind a reader may give a segment. ``quoted`` (an earlier message quoted in an
#: email reply) and ``metadata`` are kept for context but never scored.
SEGMENT_KINDS: tuple[str, ...] = (
    "title",
    "heading",
    "body",
    "notes",
    "table",
    "caption",
    "utterance",
    "quoted",
    "metadata",
)
UNSCORED_KINDS = frozenset({"quoted", "metadata"})

#: Placed between segments in ``Document.text``; a sentence never crosses it.
SEPARATOR = "\n\n"


@dataclass(frozen=True, slots=True)
class Segment:
    """One piece of a document: a slide title, a paragraph, a table row, an utterance.

    ``location`` is human-readable and stable ("slide 3 notes"); ``start``/``end`` are
    seconds from the start of a recording, ``None`` when the source has no timestamps.
    """

    text: str
    location: str
    kind: str = "body"
    speaker: str | None = None
    start: float | None = None
    end: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in SEGMENT_KINDS:
            raise ValueError(f"unknown segment kind {self.kind!r}; expected one of {SEGMENT_KINDS}")

    @property
    def scored(self) -> bool:
        """False for quoted replies and metadata, which are not the author's words."""
        return self.kind not in UNSCORED_KINDS

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "location": self.location,
            "kind": self.kind,
            "speaker": self.speaker,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class Document:
    """An ordered sequence of segments read from one file (or built by hand).

    >>> doc = Document.from_text("Your team saves time.")
    >>> doc.segments[0].location
    'paragraph 1'
    """

    segments: tuple[Segment, ...]
    path: str | None = None
    format: str = "text"
    metadata: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "segments", tuple(self.segments))

    @classmethod
    def from_text(cls, text: str, *, path: str | None = None, format: str = "text") -> Document:
        """Split plain text into paragraph segments at blank lines."""
        segments = []
        for i, para in enumerate(_paragraphs(text), start=1):
            segments.append(Segment(text=para, location=f"paragraph {i}", kind="body"))
        return cls(segments=tuple(segments), path=path, format=format)

    def __iter__(self) -> Iterator[Segment]:
        return iter(self.segments)

    def __len__(self) -> int:
        return len(self.segments)

    @property
    def is_conversation(self) -> bool:
        """True when any segment has a speaker (a call transcript)."""
        return any(s.speaker is not None for s in self.segments)

    @property
    def speakers(self) -> tuple[str, ...]:
        """Speakers in order of first appearance."""
        seen: dict[str, None] = {}
        for s in self.segments:
            if s.speaker is not None:
                seen.setdefault(s.speaker, None)
        return tuple(seen)

    @cached_property
    def offsets(self) -> tuple[int, ...]:
        """Start offset of each segment's text inside :attr:`text`."""
        out, pos = [], 0
        for s in self.segments:
            out.append(pos)
            pos += len(s.text) + len(SEPARATOR)
        return tuple(out)

    @cached_property
    def text(self) -> str:
        """The segments' texts joined by :data:`SEPARATOR`."""
        return SEPARATOR.join(s.text for s in self.segments)

    def segment_at(self, offset: int) -> int | None:
        """Index of the segment holding character ``offset`` of :attr:`text`, or None."""
        i = bisect_right(self.offsets, offset) - 1
        if i < 0 or offset >= self.offsets[i] + len(self.segments[i].text):
            return None
        return i

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "format": self.format,
            "metadata": dict(self.metadata),
            "segments": [s.to_dict() for s in self.segments],
        }


def _paragraphs(text: str) -> Sequence[str]:
    import re

    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
