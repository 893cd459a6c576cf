"""Speaker roles in a conversation: who sells, who buys, and how sure custfocus is.

Evidence, strongest first:

1. ``seller_speakers`` given by the caller: always wins.
2. The speaker label: role words (``speaker_seller.txt``: "Sales Rep", "AE", "Persuader";
   ``speaker_customer.txt``: "Customer", "Prospect", "Persuadee") and the seller or customer
   names given, matched as whole words ("AE" is not in "Rafael"). In a two-speaker call one
   labelled speaker settles the other.
3. Behaviour: who talks more, says "you" more and "I" less, asks the questions, pitches,
   names the offering... Each figure enters as a share between the speakers; the weights
   were fitted on a development split of real dialogues (``benchmarks/roles.py``).

When no label tells the speakers apart and the behavioural margin is small, every role is
flagged ``uncertain``: still a best guess (so a report exists), but said so, not hidden.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import lru_cache

from .document import Document
from .errors import ConfigError
from .lexicon import LexiconSet, load_lexicons
from .results import Mention, Sentence, SpeakerRole

__all__ = [
    "FEATURES",
    "UNCERTAIN_BELOW",
    "WEIGHTS",
    "behaviour_logits",
    "infer_roles",
    "label_side",
    "roles_note",
    "share_differences",
    "speaker_features",
]

#: Per-speaker behaviour figures, in the order :data:`WEIGHTS` uses.
FEATURES = (
    "words",
    "turns",
    "questions",
    "open_questions",
    "offering",
    "customer_address",
    "customer_name",
    "you",
    "we",
    "i",
    "discovery",
    "value",
    "pitch",
)
#: Weight of each figure's share difference ``(a - b) / (a + b + 1)`` in the seller logit.
#: Fitted by ``python benchmarks/roles.py --tune`` on the development split only: the 200
#: annotated Persuasion for Good dialogues and the half of the SGD and STAR samples whose id
#: hashes even. Sellers there talk more, say "you" more and "I" less, and pitch.
WEIGHTS: Mapping[str, float] = {
    "words": 4.08,
    "turns": -1.26,
    "questions": 1.20,
    "open_questions": -0.60,
    "offering": 0.07,
    "customer_address": -1.14,
    "customer_name": 0.00,
    "you": 4.50,
    "we": -1.38,
    "i": -4.63,
    "discovery": -1.13,
    "value": 1.49,
    "pitch": 1.32,
}
#: A behavioural guess less sure than this is flagged ``uncertain``.
UNCERTAIN_BELOW = 0.75
#: Confidence of a role read from the speaker's own label, and from the other speaker's.
LABEL_CONFIDENCE = 0.99
OTHER_LABEL_CONFIDENCE = 0.95

#: Only a label's first words are read: a label is short, and this bounds the work on a
#: hostile one (a 100,000-word voice tag).
MAX_LABEL_WORDS = 12

_LABEL_WORD = re.compile(r"[^\W_]+")


def _words(text: str) -> tuple[str, ...]:
    return tuple(_LABEL_WORD.findall(text.casefold()))


@lru_cache(maxsize=8)
def _role_terms(lexicons: LexiconSet) -> tuple[tuple[tuple[str, ...], str], ...]:
    """(words, side) for every role term, longest first so "customer success" beats
    "customer"."""
    terms = {
        _words(t): side
        for rule, side in (("speaker.customer", "buyer"), ("speaker.seller", "seller"))
        for t in lexicons.terms(rule)
        if _words(t)
    }
    return tuple(sorted(terms.items(), key=lambda kv: (-len(kv[0]), kv[0])))


def _find(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return n > 0 and any(words[i : i + n] == phrase for i in range(len(words) - n + 1))


def label_side(
    label: str,
    *,
    lexicons: LexiconSet | None = None,
    seller_names: Sequence[str] = (),
    customer_names: Sequence[str] = (),
) -> tuple[str | None, str]:
    """The side a speaker label names (``"seller"``, ``"buyer"`` or None) and why.

    Role words and names match as whole words, case-insensitively, longest term first; a
    seller or customer name given by the caller outranks a role word ("Team Lead (Acme)" with
    seller Acme is the seller); a label naming both sides names neither.

    >>> label_side("Sam Rivera (AE)")[0], label_side("Rafael")[0], label_side("Customer")[0]
    ('seller', None, 'buyer')
    """
    words = list(_words(label)[:MAX_LABEL_WORDS])
    names = [(n, "seller") for n in seller_names] + [(n, "buyer") for n in customer_names]
    named = [(side, n.strip()) for n, side in names if _find(tuple(words), _words(n))]
    if len({side for side, _ in named}) == 1:  # a given name outranks a generic role word
        why = ", ".join(f"{term!r} ({side})" for side, term in named)
        return named[0][0], f"label {label!r} holds the name {why}"
    found = list(named)
    for phrase, side in _role_terms(lexicons or load_lexicons()):
        n = len(phrase)
        i = 0
        while i + n <= len(words):
            if tuple(words[i : i + n]) == phrase:
                found.append((side, " ".join(phrase)))
                words[i : i + n] = ["\0"]  # consumed: "customer success" is not "customer"
            i += 1
    sides = {side for side, _ in found}
    why = ", ".join(f"{term!r} ({side})" for side, term in found)
    if len(sides) == 1:
        return sides.pop(), f"label {label!r} holds {why}"
    if sides:
        return None, f"label {label!r} names both sides: {why}"
    return None, f"no role word in label {label!r}"


def speaker_features(
    document: Document, mentions: Sequence[Mention], sentences: Sequence[Sentence]
) -> dict[str, dict[str, float]]:
    """The behaviour figures of :data:`FEATURES` for every speaker, as counts."""
    out: dict[str, Counter[str]] = {sp: Counter() for sp in document.speakers}
    for seg in document.segments:
        if seg.speaker in out and seg.text.strip():
            out[seg.speaker]["words"] += len(seg.text.split())
            out[seg.speaker]["turns"] += 1
    for s in sentences:
        c = out.get(s.speaker or "")
        if c is None:
            continue
        if s.is_question:
            c["questions"] += 1
            c["open_questions"] += s.question_form == "open"
        if s.label in ("discovery", "value", "pitch"):
            c[s.label] += 1
    rule_feature = {
        "self.noun": "offering",
        "self.name": "offering",
        "customer.noun": "customer_address",
        "customer.name": "customer_name",
        "customer.pronoun": "you",
        "self.pronoun": "we",
        "self.singular": "i",
    }
    for m in mentions:
        c = out.get(m.speaker or "")
        feature = rule_feature.get(m.rule)
        if c is not None and feature:
            c[feature] += 1
    return {sp: {f: float(c[f]) for f in FEATURES} for sp, c in out.items()}


def share_differences(mine: Mapping[str, float], rest: Mapping[str, float]) -> list[float]:
    """``(a - b) / (a + b + 1)`` per feature: in (-1, 1), antisymmetric, damped when rare.

    >>> a = dict.fromkeys(FEATURES, 0.0) | {"questions": 3.0}
    >>> share_differences(a, dict.fromkeys(FEATURES, 0.0))[FEATURES.index("questions")]
    0.75
    """
    return [(mine[f] - rest[f]) / (mine[f] + rest[f] + 1.0) for f in FEATURES]


def behaviour_logits(
    features: Mapping[str, Mapping[str, float]], weights: Mapping[str, float] = WEIGHTS
) -> dict[str, float]:
    """Seller logit of each speaker against all the others together (0 when alone)."""
    out = {}
    for sp, mine in features.items():
        rest = {f: sum(v[f] for s, v in features.items() if s != sp) for f in FEATURES}
        diffs = share_differences(mine, rest)
        out[sp] = sum(weights.get(f, 0.0) * d for f, d in zip(FEATURES, diffs, strict=True))
    return out


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, x))))


def _describe(feats: Mapping[str, float]) -> str:
    shown = ("questions", "offering", "customer_address", "you", "words")
    return ", ".join(f"{f} {feats[f]:g}" for f in shown)


def infer_roles(
    document: Document,
    mentions: Sequence[Mention],
    sentences: Sequence[Sentence],
    *,
    seller_speakers: Sequence[str] | None = None,
    seller_names: Sequence[str] = (),
    customer_names: Sequence[str] = (),
    lexicons: LexiconSet | None = None,
) -> tuple[SpeakerRole, ...]:
    """Seller or buyer for every speaker: as given, from the labels, or from behaviour.

    See the module doc for the order of evidence. A label that says "Customer" is never
    overruled by behaviour; only ``seller_speakers`` overrules it.
    """
    speakers = document.speakers
    if seller_speakers is not None:
        wanted = {s.casefold() for s in seller_speakers}
        unknown = wanted - {s.casefold() for s in speakers}
        if unknown:
            raise ConfigError(
                f"seller_speakers {sorted(unknown)} not found; speakers are {list(speakers)}"
            )
        return tuple(
            SpeakerRole(
                s, "seller" if s.casefold() in wanted else "buyer", 1.0, "given", "named by caller"
            )
            for s in speakers
        )
    if not speakers:
        return ()
    labels = {
        sp: label_side(
            sp, lexicons=lexicons, seller_names=seller_names, customer_names=customer_names
        )
        for sp in speakers
    }
    features = speaker_features(document, mentions, sentences)
    logits = behaviour_logits(features)
    labelled = {sp: side for sp, (side, _) in labels.items() if side is not None}
    if labelled:
        return tuple(_from_labels(speakers, labels, labelled, features))
    if len(speakers) == 1:
        only = speakers[0]
        why = f"only one speaker; {labels[only][1]}"
        return (SpeakerRole(only, "seller", 0.5, "inferred", why, uncertain=True),)
    ranked = sorted(speakers, key=lambda s: -logits[s])
    margin = logits[ranked[0]] - logits[ranked[1]]
    confidence = round(_sigmoid(margin / 2.0), 3)
    uncertain = confidence < UNCERTAIN_BELOW
    return tuple(
        SpeakerRole(
            sp,
            "seller" if sp == ranked[0] else "buyer",
            confidence,
            "inferred",
            f"{labels[sp][1]}; behaviour: {_describe(features[sp])}; "
            f"seller logit {logits[sp]:+.2f}" + ("; roles unclear" if uncertain else ""),
            uncertain=uncertain,
        )
        for sp in speakers
    )


def _from_labels(
    speakers: Sequence[str],
    labels: Mapping[str, tuple[str | None, str]],
    labelled: Mapping[str, str],
    features: Mapping[str, Mapping[str, float]],
) -> list[SpeakerRole]:
    has_seller = "seller" in labelled.values()
    out = []
    for sp in speakers:
        side, why = labels[sp]
        if side is not None:
            out.append(SpeakerRole(sp, side, LABEL_CONFIDENCE, "label", why))
            continue
        others = [labelled[o] for o in speakers if o != sp]
        if len(speakers) == 2:
            role = "buyer" if others[0] == "seller" else "seller"
            why = f"{why}; the other speaker's label names the {others[0]}"
            out.append(SpeakerRole(sp, role, OTHER_LABEL_CONFIDENCE, "label", why))
            continue
        # Several speakers, this one unlabelled: a buyer when a seller is labelled.
        role = "buyer" if has_seller else "seller"
        why = f"{why}; behaviour: {_describe(features[sp])}; other speakers are labelled"
        out.append(SpeakerRole(sp, role, 0.5, "label", why, uncertain=True))
    if not any(r.role == "seller" for r in out):
        # Every label names a buyer: nobody is the seller, so nothing is scored as one.
        out = [replace(r, uncertain=True) for r in out]
    return out


def roles_note(roles: Sequence[SpeakerRole]) -> str | None:
    """What a report says when roles are unclear (None when they are clear).

    >>> guess = [SpeakerRole("Speaker 1", "seller", 0.6, "inferred", "", uncertain=True)]
    >>> roles_note(guess)[:60]
    'Roles are unclear: Speaker 1 taken as the seller (confidence'
    """
    if not any(r.uncertain for r in roles):
        return None
    sellers = [r for r in roles if r.role == "seller"]
    if not sellers:
        return (
            "No speaker is the seller (every label names a buyer), so no speech was scored; "
            "name the seller with seller_speakers (--seller-speaker)."
        )
    names = ", ".join(r.speaker for r in sellers)
    sure = min(r.confidence for r in sellers)
    return (
        f"Roles are unclear: {names} taken as the seller (confidence {sure:.0%}); "
        "name the seller with seller_speakers (--seller-speaker) to be sure."
    )
