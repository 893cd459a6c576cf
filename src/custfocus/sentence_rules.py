"""Sentence rules: labels that hold whatever the content model predicts.

The content model labels every sentence; a few kinds of sentence are decided by rule
instead, because a statistical model trained on one kind of text gets them wrong on another
and the score must not depend on that (docs/METHOD.md, "Sentence rules"):

- ``heading``: titles, headings, bylines and dates ("What we heard from your team on
  2 November", "Northwind Analytics, 10 November 2026") are neither questions nor pitches.
- ``instruction``: guidance to the presenter ("Ask them about their renewal process",
  "Pause here and let them answer" in speaker notes) is not a question to the buyer.
- ``stuffing``: customer or self words with no clause around them ("customer customer your
  your") say nothing; the matcher already dropped their references.
- ``listening``: playback and testing understanding ("Let me play back what I've heard") is
  discovery, however many "I"s it holds.

Each rule sets the label (and question fields) and is named on the sentence
(``Sentence.rule``) so the evidence explains itself.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import Any

__all__ = ["FINAL_PUNCTUATION", "RULE_KINDS", "SENTENCE_RULES", "apply_rules", "is_heading"]

#: Every rule, in the order they are tried (the first that applies wins).
SENTENCE_RULES: tuple[str, ...] = ("heading", "instruction", "stuffing", "listening")

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DATE = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\b|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
    rf"|{_MONTH}\s+\d{{4}}\b|\d{{4}}-\d{{2}}-\d{{2}}\b|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b)"
)
_BYLINE = re.compile(r"^(?:by|prepared (?:for|by)|written by|posted by|author:)\s", re.I)
_END = frozenset(".!?…:;,\"'”’)")
#: A sentence ending in one of these, in a segment of a kind outside ``RULE_KINDS`` and with
#: no matcher flag, is left to the model (the fast path).
FINAL_PUNCTUATION = frozenset(".!?…")
_HEADING_KINDS = frozenset({"title", "heading"})
#: Segment kinds whose sentences the rules always look at.
RULE_KINDS = frozenset({"title", "heading", "notes"})
_OTHER: list[Any] = ["other", 1.0, False, None, None]


def is_heading(text: str, kind: str | None, bragging: bool = False) -> bool:
    """A title, heading, byline or dateline rather than a sentence.

    Speech is never a heading. A title or heading segment is one unless it ends with "?"
    or brags (``bragging``: it holds a superlative, "The #1 Analytics Platform", which is a
    pitch in any case). Elsewhere a line without final punctuation is one when it holds a
    date, opens like a byline, starts with "#", or is short Title Case without a superlative.

    >>> is_heading("Northwind Analytics, 10 November 2026", None)
    True
    >>> is_heading("What are your goals for next year?", "heading")
    False
    """
    stripped = text.strip()
    if not stripped or kind == "utterance":
        return False
    if kind in _HEADING_KINDS:
        return not stripped.endswith("?") and not bragging
    if stripped[-1] in _END:
        return False
    if stripped.startswith("#") or _BYLINE.match(stripped) or _DATE.search(stripped):
        return True
    if bragging or not stripped[0].isupper() or stripped.count(" ") > 9:
        return False
    words = [w for w in stripped.split() if w[:1].isalpha()]
    long = [w for w in words if len(w) > 3]
    return 2 <= len(words) <= 10 and bool(long) and all(w[0].isupper() for w in long)


def apply_rules(
    row: Sequence[Any],
    text: str,
    kind: str | None,
    flags: Collection[str],
    bragging: bool = False,
) -> tuple[list[Any], str | None]:
    """The model's ``[label, confidence, is_question, form, spin]`` for one sentence,
    corrected by the first rule that applies, and that rule's name (``None``: the model's).

    ``flags`` are the matcher's flags on the sentence (``flag.listening``,
    ``flag.stuffing``, ``flag.instruction``); ``kind`` is the segment
    kind it came from (``None`` for plain text); ``bragging`` says it holds a superlative.

    >>> apply_rules(["discovery", 0.7, True, "open", "situation"],
    ...             "Ask them about their renewal process.", "notes", {"flag.instruction"})
    (['other', 1.0, False, None, None], 'instruction')
    """
    if is_heading(text, kind, bragging):
        return list(_OTHER), "heading"
    if "flag.instruction" in flags and kind == "notes":
        return list(_OTHER), "instruction"
    if "flag.stuffing" in flags:
        return list(_OTHER), "stuffing"
    if "flag.listening" in flags:
        label, conf, is_q, form, spin = row
        if label != "discovery":
            return ["discovery", 1.0, bool(is_q), form if is_q else None, None], "listening"
        return [label, conf, is_q, form, spin], "listening"
    return list(row), None
