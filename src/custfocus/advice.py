"""Advice from the evidence: the most self-centred sentences and concrete suggestions.

Every suggestion quotes what was found in the text (the sentence, its location, the
superlatives actually used), never a fixed example, so a reader can act on it. Listening
moves ("Let me play back what I heard") and discovery are customer-centred whatever
pronouns they hold: they are never offered as sentences to rewrite.
"""

from __future__ import annotations

from .results import Report, Sentence
from .roles import roles_note

__all__ = ["most_self_centred", "rewrite_hint", "suggestions"]

#: Labels and rules that make a sentence customer-centred or neutral, never self-centred.
_NOT_SELF_CENTRED_LABELS = frozenset({"discovery"})
_NOT_SELF_CENTRED_RULES = frozenset({"listening", "heading", "instruction"})


def most_self_centred(report: Report, limit: int = 5) -> list[Sentence]:
    """Scored sentences that name the seller more than the customer, worst first.

    Pitches come first. Discovery, listening moves, headings and instructions are left
    out: a sentence like "Before I say anything, I'd like to understand how things work at
    Globex" is the seller listening. Mentions of weight 0 (commitments, listening) do not
    count.

    >>> from custfocus import Analyzer
    >>> r = Analyzer(model=None).score("We built our platform for us. You win.")
    >>> [s.text for s in most_self_centred(r)]
    ['We built our platform for us.']
    """
    found = [
        s
        for s in report.sentences
        if s.scored
        and s.self_mentions > s.customer_mentions
        and s.label not in _NOT_SELF_CENTRED_LABELS
        and s.rule not in _NOT_SELF_CENTRED_RULES
    ]
    # Pitches first: a self-centred logistics line matters less than a self-centred claim.
    found.sort(key=lambda s: (s.label != "pitch", s.customer_mentions - s.self_mentions, s.index))
    return found[:limit]


def _where(s: Sentence) -> str:
    return f" ({s.location})" if s.location else ""


def _quote(s: Sentence, n: int = 90) -> str:
    text = " ".join(s.text.split())
    return "“" + (text if len(text) <= n else text[: n - 1] + "…") + "”" + _where(s)


def suggestions(report: Report, limit: int = 5, *, rewrites: bool = True) -> list[str]:
    """Concrete suggestions for one report, each quoting the evidence it rests on.

    ``rewrites=False`` leaves out the sentences to rewrite, for a page that lists them
    itself with :func:`rewrite_hint`.
    """
    out: list[str] = []
    for s in most_self_centred(report, limit=2 if rewrites else 0):
        out.append(
            f"Rewrite around the customer: {_quote(s)} names the seller "
            f"{s.self_mentions}× and the customer "
            + (f"{s.customer_mentions}×." if s.customer_mentions else "not at all.")
        )
    scored = [s for s in report.sentences if s.scored and s.label is not None]
    c = report.content
    if c is not None and scored:
        questions = [s for s in scored if s.label == "discovery" and s.is_question]
        deep = [s for s in questions if s.spin in ("implication", "need_payoff")]
        shallow = [s for s in questions if s.spin in ("situation", "problem")]
        if shallow and not deep:
            out.append(
                f"Your {len(shallow)} question(s) ask about facts or problems (e.g. "
                f"{_quote(shallow[0])}); add one about what the problem costs or what "
                "solving it is worth: those track success in large sales."
            )
        pitches = [s for s in scored if s.label == "pitch"]
        if not questions and report.conversation is None:
            first = pitches[0] if pitches else scored[0]
            out.append(
                f"None of the {len(scored)} sentence(s) asks about the buyer; before "
                f"{_quote(first)}, ask about their situation or goals."
            )
        if c.pitch_share is not None and c.pitch_share > 0.4 and pitches:
            worst = max(pitches, key=lambda s: (s.self_mentions, len(s.superlatives), -s.index))
            out.append(
                f"{len(pitches)} of {len(scored)} sentences pitch the product, e.g. "
                f"{_quote(worst)}: say what the buyer gets from it, in their terms."
            )
        with_sup = [s for s in scored if s.superlatives]
        if with_sup:
            found = ", ".join(
                f"“{w}”{_where(s)}" for s in with_sup[:3] for w in dict.fromkeys(s.superlatives)
            )
            more = sum(len(s.superlatives) for s in with_sup[3:])
            out.append(
                f"Drop the superlatives {found}"
                + (f" and {more} more" if more else "")
                + ": claims about yourself are not about the buyer."
            )
        if c.pitch_before_discovery and pitches and questions:
            out.append(
                f"The first pitch {_quote(pitches[0])} comes before the first discovery "
                f"question {_quote(questions[0])}: ask first."
            )
    conv = report.conversation
    if conv is not None:
        note = roles_note(conv.roles)
        if note:
            out.insert(0, note)  # every other figure depends on who the seller is
        ratio = conv.seller_talk_ratio_time or conv.seller_talk_ratio_words
        if ratio is not None and ratio > 0.65:
            out.append(f"The seller talks {ratio:.0%} of the call; top performers talk about 43%.")
        if conv.longest_seller_monologue_seconds and conv.longest_seller_monologue_seconds > 120:
            out.append(
                f"Longest seller monologue: {conv.longest_seller_monologue_seconds / 60:.1f} min; "
                "company overviews over 2 minutes hurt."
            )
        if conv.benefits_without_stated_need > conv.benefits_after_stated_need:
            out.append(
                f"{conv.benefits_without_stated_need} benefit(s) answer no need the buyer "
                f"stated (against {conv.benefits_after_stated_need} that do); ask before you "
                "offer."
            )
    if report.insufficient_evidence:
        n = report.counts.get("customer", 0) + report.counts.get("self", 0)
        out.append(f"Only {n} customer or self reference(s): the reference figures are uncertain.")
    return out[:limit]


def rewrite_hint(s: Sentence) -> tuple[str, str]:
    """Why a sentence from :func:`most_self_centred` is worth rewriting, and how.

    >>> from custfocus import Analyzer
    >>> r = Analyzer(model=None).score("We built our platform for us. You win.")
    >>> rewrite_hint(most_self_centred(r)[0])[0]
    'names the seller 3× and the customer not at all'
    """
    reason = f"names the seller {s.self_mentions}× and the customer " + (
        f"{s.customer_mentions}×" if s.customer_mentions else "not at all"
    )
    if s.label == "pitch":
        reason += "; it pitches the product"
    words = list(dict.fromkeys(s.superlatives))
    if words:
        reason += "; superlatives " + ", ".join(f"“{w}”" for w in words)
        tip = "Drop the superlatives and say what the buyer gets from it, in their terms."
    elif s.label == "pitch":
        tip = "Say what the buyer gets from this: their goal, their team, their numbers."
    elif s.label == "value":
        tip = "Name the buyer in the outcome: whose goal, whose team, which number."
    else:
        tip = "Start from the buyer (their situation or goal), or ask about it."
    return reason, tip
