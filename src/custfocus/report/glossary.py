"""What every figure on a report means, in a sentence, and where docs/METHOD.md defines it.

The page embeds these definitions (its "Method" section), so a report read offline, printed
or mailed still explains itself; each figure shown links to its entry.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from ..scoring import BANDS
from .formatting import figure

__all__ = ["FIGURES", "Definition", "bands_table_html", "definition_link", "method_html"]


@dataclass(frozen=True)
class Definition:
    """One figure: its name on the page, a one-sentence meaning, its scale and METHOD section."""

    key: str
    name: str
    meaning: str
    scale: str
    method: str

    @property
    def anchor(self) -> str:
        return f"m-{self.key}"

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, "meaning": self.meaning,
                "scale": self.scale, "method": self.method}  # fmt: skip


_DEFS = (
    Definition("score", "Customer Focus Score",
               "How much the text is about the buyer rather than the seller: the weighted "
               "mean of the components below that apply.",
               "0-100, higher is more customer-centred", "§4 The Customer Focus Score"),
    Definition("band", "Band", "What a score means, from its cut points (table below).",
               "self-centred, mixed, customer-centred", "§9 What a score means: bands"),
    Definition("reference", "Reference focus",
               "Who the text talks about: weighted customer mentions (you, your team, the "
               "buyer's name) against self mentions (we, our product, the seller's name), "
               "pulled toward the middle for short texts.",
               "0-100", "§1 Reference focus"),
    Definition("content", "Content focus",
               "What the sentences do: discovery questions and value in the buyer's terms "
               "count for the buyer, pitch against (from the packaged sentence model).",
               "0-100", "§2 Content focus"),
    Definition("listening", "Listening focus",
               "In a call: how much room the seller leaves the buyer (talk ratio, "
               "monologues, buyer stories).", "0-100", "§3 Conversations"),
    Definition("questioning", "Questioning focus",
               "In a call: how many open and discovery questions the seller asks.",
               "0-100", "§3 Conversations"),
    Definition("customer_share", "Customer share",
               "Customer mentions as a share of customer and self mentions (with its 95% "
               "interval in a file's figures).", "percent of mentions", "§1 Figures"),
    Definition("naive_we_we", "Naive We-We",
               "Second-person words among first- and second-person words, with no "
               "exclusions and no names: what a We-We calculator reports, for comparison.",
               "percent of pronouns", "§1 Figures"),
    Definition("shares", "Discovery / value / pitch",
               "Share of scored sentences that ask about the buyer / state an outcome in "
               "the buyer's terms / talk about the seller or product.",
               "percent of sentences", "§2 Content focus"),
    Definition("questions", "Questions", "Sentences that are questions, with or without '?'.",
               "count", "§2 Content focus"),
    Definition("talk_ratio", "Seller talk ratio",
               "The seller's share of the call's talk time (of its words when untimed); "
               "top performers talk about 43%.", "percent of the call", "§3 Conversations"),
    Definition("sellers", "Seller(s)",
               "Who sells in a call, how that was found and how sure it is.",
               "speaker (method, confidence)", "§6 Speaker roles"),
    Definition("words", "Words", "Words in the scored text (seller speech in a call).",
               "count", "§4 The Customer Focus Score"),
    Definition("status", "Status",
               "ok: scored; error: could not be read (reason given); skipped: not a "
               "format custfocus reads.", "ok, error, skipped", "the audit's rows"),
)  # fmt: skip

#: Every figure a report shows, by key.
FIGURES: dict[str, Definition] = {d.key: d for d in _DEFS}


def definition_link(key: str, text: str | None = None, *, link: bool = True) -> str:
    """The figure's name linking to its definition, its meaning as the tooltip.

    ``link=False`` (a notebook fragment, which has no Method section) gives the name alone.
    """
    d = FIGURES[key]
    if not link:
        return (
            f"<span class='cf-def' data-fig='{key}' title='{html.escape(d.meaning)}'>"
            f"{html.escape(text or d.name)}</span>"
        )
    return (
        f"<a class='cf-def' data-fig='{key}' href='#{d.anchor}' title='{html.escape(d.meaning)}'>"
        f"{html.escape(text or d.name)}</a>"
    )


def bands_table_html() -> str:
    """The score bands with their cut points and meanings, in their colours."""
    rows = "".join(
        f"<tr><td><span class='cf-band cf-band-{b.name}'>{html.escape(b.name)}</span></td>"
        f"<td>{figure(b.low)} to {'under ' if b is not BANDS[-1] else ''}{figure(b.high)}</td>"
        f"<td>{html.escape(b.meaning)}</td></tr>"
        for b in BANDS
    )
    return (
        "<div class='cf-scroll'><table class='cf-table'><thead><tr><th>band</th><th>score</th>"
        f"<th>meaning</th></tr></thead><tbody>{rows}</tbody></table></div>"
    )


def method_html() -> str:
    """Every definition, with its METHOD section (docs/METHOD.md in the source distribution)."""
    items = "".join(
        f"<dt id='{d.anchor}'>{html.escape(d.name)}</dt><dd>{html.escape(d.meaning)} "
        f"<span class='cf-muted'>Scale: {html.escape(d.scale)}. docs/METHOD.md "
        f"{html.escape(d.method)}.</span></dd>"
        for d in _DEFS
    )
    return (
        "<p>Every figure on this page, in one sentence each; the full definitions, formulas "
        "and research are in docs/METHOD.md (shipped with custfocus's source).</p>"
        f"<dl class='cf-method'>{items}</dl><h3 id='m-bands'>Score bands</h3>"
        f"{bands_table_html()}"
    )
