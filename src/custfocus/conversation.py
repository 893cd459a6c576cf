"""Calls as conversations: who sells, who buys, and the figures conversation research uses.

Only seller speech counts for reference and content focus (a buyer's "you" means the
seller); buyer speech is listening time and the customer's voice. Every figure is defined
in ``docs/METHOD.md`` with the research it comes from. Without timestamps, time figures are
``None`` and words and turns stand in for them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from spacy.language import Language
from spacy.matcher import PhraseMatcher

from .document import Document, Segment
from .lexicon import LexiconSet
from .results import ConversationMetrics, Sentence, SpeakerRole, VoiceQuote
from .roles import infer_roles

__all__ = ["VOICE_KINDS", "analyse_conversation", "infer_roles"]

#: An interjection shorter than this (seconds) does not break the other speaker's turn.
INTERJECTION_SECONDS = 1.0
#: A backchannel has at most this many words.
BACKCHANNEL_MAX_WORDS = 4
VOICE_KINDS = {
    "voice.explicit_need": "explicit_need",
    "voice.implied_need": "implied_need",
    "voice.goal": "goal",
    "voice.like": "like",
    "voice.dislike": "dislike",
}
_WORD = re.compile(r"[\w'’-]+")


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


@dataclass
class _Run:
    speaker: str
    start: float | None
    end: float | None
    words: int


class _VoiceMatcher:
    def __init__(self, nlp: Language, lexicons: LexiconSet) -> None:
        self.nlp = nlp
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for rule in VOICE_KINDS:
            terms = lexicons.terms(rule)
            if terms:
                self.matcher.add(rule, [nlp.make_doc(t) for t in terms])
        self.backchannels = frozenset(_norm(t) for t in lexicons.terms("conversation.backchannel"))
        self.stopwords = frozenset(t.lower() for t in lexicons.terms("conversation.stopword"))
        self.backchannel_words = frozenset(w for t in self.backchannels for w in t.split())

    def kinds(self, text: str) -> list[str]:
        doc = self.nlp.make_doc(text)
        strings = self.nlp.vocab.strings
        return sorted({strings[k] for k, _, _ in self.matcher(doc)})

    def is_backchannel(self, text: str) -> bool:
        norm = _norm(text)
        words = norm.split()
        if not words or len(words) > BACKCHANNEL_MAX_WORDS:
            return not words
        return norm in self.backchannels or all(w in self.backchannel_words for w in words)


@lru_cache(maxsize=4)
def _voice_matcher(nlp: Language, lexicons: LexiconSet) -> _VoiceMatcher:
    return _VoiceMatcher(nlp, lexicons)


#: Speaking rate used to close the last turn of a transcript that has start times only.
WORDS_PER_SECOND = 2.5


def _seconds(segments: Sequence[Segment]) -> list[tuple[float | None, float | None]]:
    """(start, end) per segment: an open end is closed by the next segment's start, or for
    the last segment by its length at 150 words per minute."""
    out: list[tuple[float | None, float | None]] = []
    for i, seg in enumerate(segments):
        end = seg.end
        if end is None and seg.start is not None:
            if i + 1 < len(segments):
                end = segments[i + 1].start
            else:
                end = seg.start + len(seg.text.split()) / WORDS_PER_SECOND
        out.append((seg.start, end))
    return out


def analyse_conversation(
    document: Document,
    sentences: Sequence[Sentence],
    roles: Sequence[SpeakerRole],
    nlp: Language,
    lexicons: LexiconSet,
) -> tuple[ConversationMetrics, tuple[VoiceQuote, ...]]:
    """Talk ratio, monologues, questions, interactivity, patience, needs and customer voice."""
    role_of: dict[str | None, str] = {r.speaker: r.role for r in roles}
    segs = [s for s in document.segments if s.speaker is not None and s.text.strip()]
    voice = _voice_matcher(nlp, lexicons)
    times = _seconds(segs)
    timed = bool(segs) and all(s is not None and e is not None for s, e in times)
    words = [len(s.text.split()) for s in segs]
    is_seller = [role_of.get(s.speaker) == "seller" for s in segs]
    seller_words = sum(w for w, mine in zip(words, is_seller, strict=True) if mine)
    total_words = sum(words)

    duration = None
    ratio_time = None
    if timed:
        starts = [s for s, _ in times if s is not None]
        ends = [e for _, e in times if e is not None]
        duration = max(ends) - min(starts)
        spoken = [max(0.0, (e or 0.0) - (s or 0.0)) for s, e in times]
        seller_time = 0.0
        for t, mine in zip(spoken, is_seller, strict=True):
            seller_time += t if mine else 0.0
        ratio_time = seller_time / sum(spoken) if sum(spoken) > 0 else None

    # Runs: a speaker holds the floor until the other side says more than a backchannel.
    runs: list[_Run] = []
    for seg, (start, end), w in zip(segs, times, words, strict=True):
        interjection = voice.is_backchannel(seg.text) or (
            start is not None and end is not None and end - start < INTERJECTION_SECONDS
        )
        assert seg.speaker is not None
        if runs and (runs[-1].speaker == seg.speaker):
            runs[-1].end = end if end is not None else runs[-1].end
            runs[-1].words += w
        elif runs and interjection:
            continue  # does not break the current run
        else:
            runs.append(_Run(seg.speaker, start, end, w))

    def longest(role: str) -> tuple[float | None, int]:
        mine = [r for r in runs if role_of.get(r.speaker) == role]
        if not mine:
            return (0.0 if timed else None), 0
        secs = max((r.end or 0.0) - (r.start or 0.0) for r in mine) if timed else None
        return secs, max(r.words for r in mine)

    seller_mono_s, seller_mono_w = longest("seller")
    buyer_story_s, buyer_story_w = longest("buyer")

    switches = sum(1 for a, b in pairwise(segs) if a.speaker != b.speaker)
    # Patience needs real end times: with start times only, every pause would be 0.
    pauses = [
        max(0.0, b.start - a.end)
        for a, b in pairwise(segs)
        if role_of.get(a.speaker) == "buyer"
        and role_of.get(b.speaker) == "seller"
        and a.end is not None
        and b.start is not None
    ]

    # Sentences carry the speaker; map them back to segments for their times.
    seg_index = {id(s): i for i, s in enumerate(segs)}

    def sent_start(sentence: Sentence) -> float | None:
        i = document.segment_at(sentence.start)
        if i is None:
            return None
        seg = document.segments[i]
        return seg.start if id(seg) in seg_index else None

    seller_sents = [s for s in sentences if role_of.get(s.speaker or "") == "seller"]
    buyer_sents = [s for s in sentences if role_of.get(s.speaker or "") == "buyer"]
    questions = [s for s in seller_sents if s.is_question]
    discovery_q = [s for s in questions if s.label == "discovery"]
    open_q = [s for s in questions if s.question_form == "open"]
    call_start = times[0][0] if timed and times else None
    first_pitch = next((s for s in seller_sents if s.label == "pitch"), None)
    ttfp = None
    if first_pitch is not None and call_start is not None:
        st = sent_start(first_pitch)
        ttfp = None if st is None else st - call_start

    quotes: list[VoiceQuote] = []
    need_words: list[set[str]] = []
    explicit = implied = 0
    after = without = 0
    events: list[tuple[int, str, Sentence, list[str]]] = []
    for s in buyer_sents:
        kinds = voice.kinds(s.text)
        if kinds:
            events.append((s.start, "buyer", s, kinds))
    for s in seller_sents:
        if s.label == "value":
            events.append((s.start, "seller", s, []))
    for _, side, s, kinds in sorted(events, key=lambda e: e[0]):
        if side == "buyer":
            for k in kinds:
                quotes.append(
                    VoiceQuote(s.text, VOICE_KINDS[k], s.speaker, s.location, sent_start(s))
                )
            if "voice.explicit_need" in kinds:
                explicit += 1
            if "voice.implied_need" in kinds:
                implied += 1
            if {"voice.explicit_need", "voice.implied_need"} & set(kinds):
                need_words.append(_content_words(s.text, voice.stopwords))
        else:
            benefit = _content_words(s.text, voice.stopwords)
            if any(benefit & earlier for earlier in need_words):
                after += 1
            else:
                without += 1

    minutes = duration / 60 if duration else None
    metrics = ConversationMetrics(
        roles=tuple(roles),
        seller_talk_ratio_words=seller_words / total_words if total_words else None,
        seller_talk_ratio_time=ratio_time,
        longest_seller_monologue_seconds=seller_mono_s,
        longest_seller_monologue_words=seller_mono_w,
        longest_buyer_story_seconds=buyer_story_s,
        longest_buyer_story_words=buyer_story_w,
        seller_questions=len(questions),
        seller_questions_per_10_min=len(questions) / (minutes / 10) if minutes else None,
        seller_open_question_share=len(open_q) / len(questions) if questions else None,
        seller_discovery_question_share=len(discovery_q) / len(questions) if questions else None,
        seller_questions_by_spin=dict(Counter(s.spin for s in discovery_q if s.spin)),
        interactivity_per_minute=switches / minutes if minutes else None,
        switches=switches,
        patience_seconds=sum(pauses) / len(pauses) if pauses else None,
        time_to_first_pitch_seconds=ttfp,
        duration_seconds=duration,
        explicit_needs=explicit,
        implied_needs=implied,
        benefits_after_stated_need=after,
        benefits_without_stated_need=without,
        timed=timed,
    )
    return metrics, tuple(quotes)


def _content_words(text: str, stopwords: frozenset[str]) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) > 3 and w not in stopwords}
