"""What the team analyses read: small, located statements pooled from an audit's files.

An audit keeps these per file instead of whole reports, so team figures stream in flat memory.
Two kinds exist: a seller's *claim* (a sentence the content model calls value or pitch, from
the seller's words only) and a *customer* statement (a buyer's own words: a customer turn in a
call or a quoted customer in notes). Every statement keeps its file and character offsets, so
each team figure traces back to the words behind it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

#: The statement kinds the team analyses read.
KINDS = ("claim", "customer")


@dataclass(frozen=True, slots=True)
class Statement:
    """One located sentence and the context of the file it came from.

    ``label`` is the content label for a claim (``"value"`` or ``"pitch"``); ``rep``,
    ``account`` and ``offering`` come from the manifest or are inferred from the file
    (``None`` when unknown); ``speaker`` names who said it in a conversation.
    """

    text: str
    kind: str
    path: str
    start: int
    end: int
    label: str | None = None
    rep: str | None = None
    account: str | None = None
    offering: str | None = None
    speaker: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad offsets {self.start}..{self.end}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Statement:
        return cls(**{k: data.get(k) for k in cls.__dataclass_fields__})  # type: ignore[arg-type]
