"""Customer voice across accounts: what buyers say, grouped into themes, and how many we hear.

Customer statements (``kind == "customer"``) are pooled across the audit. Each is classified
by lexicon cues (``data/lexicons/voice_*.txt``) as a need, like, dislike, goal or direction of
the buyer's business, and grouped into themes by the content words left once the cue is taken
out ("we need faster onboarding" and "we're looking for simpler onboarding" meet on
"onboarding"); ``matcher="char"`` compares character grams of those words instead, and
``matcher="embed"`` (the ``embed`` extra) the meaning of the whole sentence
(:mod:`custfocus.team.embedding`). Per theme: the distinct accounts that
voiced it; for the whole voice: accounts heard, the share of the top two accounts and the
effective number of accounts (inverse Simpson). A theme resting on two accounts or fewer is
flagged: it is a data point, not a pattern. Definitions: ``docs/METHOD.md``, "Message
consistency and customer voice".
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..errors import ConfigError
from ..lexicon import LexiconSet, load_lexicons
from .embedding import Embedder
from .inputs import Statement
from .messages import CLAIM_THRESHOLD, MATCHER, group_claims
from .similarity import Vectorizer

__all__ = [
    "EMBED_MATCHER",
    "EMBED_THEME_THRESHOLD",
    "THEME_MATCHERS",
    "THEME_MIN_ACCOUNTS",
    "VOICE_KINDS",
    "WORD_MATCHER",
    "WORD_THEME_THRESHOLD",
    "Theme",
    "VoiceAnalysis",
    "analyse_voice",
    "effective_accounts",
    "voice_kinds",
]

#: What a customer statement can be, and the lexicon rule that cues each.
VOICE_KINDS = {
    "need": ("voice.explicit_need", "voice.implied_need"),
    "like": ("voice.like",),
    "dislike": ("voice.dislike",),
    "goal": ("voice.goal",),
    "direction": ("voice.direction",),
}
#: A theme voiced by fewer accounts than this is flagged as resting on too few.
THEME_MIN_ACCOUNTS = 3
#: How themes can be matched: ``"word"`` (stemmed content words and their pairs, of the
#: statement without its cue phrases; the default), ``"char"`` (char 3-5 grams of the same
#: text) or ``"embed"`` (by meaning, the ``embed`` extra).
THEME_MATCHERS = ("word", "char", "embed")
#: The ``"word"`` matcher: TF-IDF of stemmed content words, 1- and 2-grams.
WORD_MATCHER = Vectorizer("word", word_n=2)
#: Cosine at which two statements share a theme under ``"word"``: the best pair F1 on the dev
#: half of ``benchmarks/themes.py`` among the views that need no extra and whose rows stay
#: sparse (test pair F1 0.122 against 0.100 for ``"char"``; gain interval -0.022..+0.078
#: from resampling accounts, so better on both halves but not measurably). Content words
#: are sparse where character grams are not: grouping 20,000 distinct real statements takes
#: 1.0 s against 8.7 s (``benchmarks/themes.py --speed``).
WORD_THEME_THRESHOLD = 0.10
#: The ``"embed"`` matcher: WordLlama's mean token vector of the whole statement. Plain (no
#: IDF, no centring), so a statement's row depends on its text alone.
EMBED_MATCHER = Embedder("embed")
#: Cosine at which two statements share a theme under ``"embed"``: the best pair F1 on the
#: dev half of ``benchmarks/themes.py`` (test pair F1 0.168 against 0.100 for ``"char"``,
#: gain interval +0.001..+0.141 from resampling accounts).
EMBED_THEME_THRESHOLD = 0.42


@dataclass(frozen=True)
class _Cues:
    patterns: dict[str, re.Pattern[str]]


#: How a character of a cue phrase is matched: any spacing between words, either apostrophe.
_ATOMS = {" ": r"\s+", "'": "['’]"}


def _trie(phrases: Iterable[str]) -> str:
    r"""One pattern for many phrases, shared beginnings written once ("we need" and "we
    want" as ``we\s+(?:need|want)``), so at each position the regex engine tries only the
    phrases that can still match. A phrase that ends where a longer one goes on is optional
    after it: the longest phrase is tried first, a shorter one where the longer does not match."""
    root: dict[str, Any] = {}
    for phrase in phrases:
        node = root
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}  # a phrase ends here

    def pattern(node: dict[str, Any]) -> str:
        head = []  # a run of characters with one way on is written out, not nested
        while len(node) == 1 and "" not in node:
            ch, node = next(iter(node.items()))
            head.append(_ATOMS.get(ch) or re.escape(ch))
        branches = [
            (_ATOMS.get(ch) or re.escape(ch)) + pattern(child)
            for ch, child in sorted(node.items())
            if ch
        ]
        if not branches:
            return "".join(head)
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return "".join(head) + (f"(?:{body})?" if "" in node else body)

    return pattern(root)


@lru_cache(maxsize=4)
def _cues(lexicons: LexiconSet) -> _Cues:
    patterns = {}
    for kind, rules in VOICE_KINDS.items():
        # Lower case, single spaces, one apostrophe: "’" and "'" are the same.
        phrases = {
            " ".join(t.lower().replace("’", "'").split()) for r in rules for t in lexicons.terms(r)
        }
        phrases.discard("")
        if phrases:
            # Whole words: the boundary checks wrap the phrases once, so they are only tried
            # where a word starts, the longest phrase first.
            patterns[kind] = re.compile(rf"(?<![\w'’]){_trie(phrases)}(?![\w'’])", re.I)
    return _Cues(patterns)


def voice_kinds(text: str, lexicons: LexiconSet | None = None) -> tuple[str, ...]:
    """What a buyer's sentence is (need, like, dislike, goal, direction), by lexicon cues.

    Multi-word cues match as phrases across any spacing; "’" and "'" are the same.

    >>> voice_kinds("We’re struggling with manual reporting, and we need it by Q3.")
    ('need',)
    >>> voice_kinds("Going forward we're expanding into Germany.")
    ('direction',)
    >>> voice_kinds("Sounds fine.")
    ()
    """
    cues = _cues(lexicons or load_lexicons())
    return tuple(k for k in VOICE_KINDS if k in cues.patterns and cues.patterns[k].search(text))


def _topic(text: str, lexicons: LexiconSet) -> str:
    """The sentence with its cue phrases removed: what the theme grouping compares."""
    out = text
    for pattern in _cues(lexicons).patterns.values():
        out = pattern.sub(" ", out)
    return " ".join(out.split()) or text


def effective_accounts(counts: Iterable[int]) -> float:
    """Hill number of order 2 (inverse Simpson): 1 / sum of squared shares; NaN when empty.

    Equal voices give their count; one dominant voice gives close to 1.

    >>> effective_accounts([5, 5, 5, 5])
    4.0
    >>> round(effective_accounts([97, 1, 1, 1]), 2)
    1.06
    """
    c = [x for x in counts if x > 0]
    total = sum(c)
    if not total:
        return math.nan
    return 1.0 / sum((x / total) ** 2 for x in c)


@dataclass(frozen=True)
class Theme:
    """Customer statements about one topic, the kinds they are and the accounts behind them."""

    id: str
    text: str
    kinds: tuple[str, ...]
    accounts: tuple[str, ...]
    statements: tuple[Statement, ...]
    statement_kinds: tuple[tuple[str, ...], ...]
    thin: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "kinds": list(self.kinds),
            "accounts": list(self.accounts),
            "n_accounts": len(self.accounts),
            "thin": self.thin,
            "statements": [
                {**s.to_dict(), "kinds": list(k)}
                for s, k in zip(self.statements, self.statement_kinds, strict=True)
            ],
        }


@dataclass(frozen=True)
class VoiceAnalysis:
    """The pooled customer voice: themes, per-account counts, concentration, silent accounts.

    ``top2_share`` and ``effective_accounts`` are NaN when no statement names its account.
    ``kinds`` counts statements per kind (``"other"``: no cue matched).
    """

    themes: tuple[Theme, ...]
    statements_by_account: tuple[tuple[str, int], ...]
    kinds: tuple[tuple[str, int], ...]
    top2_share: float
    effective_accounts: float
    silent_accounts: tuple[str, ...]
    unattributed: int
    min_accounts: int = THEME_MIN_ACCOUNTS
    matcher: str = "word"
    threshold: float = WORD_THEME_THRESHOLD

    @property
    def accounts_heard(self) -> int:
        return len(self.statements_by_account)

    @property
    def thin_themes(self) -> tuple[Theme, ...]:
        return tuple(t for t in self.themes if t.thin)

    def to_dict(self) -> dict[str, Any]:
        return {
            "accounts_heard": self.accounts_heard,
            "top2_share": None if math.isnan(self.top2_share) else self.top2_share,
            "effective_accounts": (
                None if math.isnan(self.effective_accounts) else self.effective_accounts
            ),
            "statements_by_account": dict(self.statements_by_account),
            "kinds": dict(self.kinds),
            "silent_accounts": list(self.silent_accounts),
            "unattributed_statements": self.unattributed,
            "min_accounts": self.min_accounts,
            "matcher": self.matcher,
            "threshold": self.threshold,
            "themes": [t.to_dict() for t in self.themes],
        }


def _order(s: Statement) -> tuple[str, int, int, str]:
    return (s.path, s.start, s.end, s.text)


def analyse_voice(
    statements: Iterable[Statement],
    accounts: Sequence[str] = (),
    *,
    threshold: float | None = None,
    min_accounts: int = THEME_MIN_ACCOUNTS,
    lexicons: LexiconSet | None = None,
    matcher: str = "word",
    n_jobs: int = 1,
) -> VoiceAnalysis:
    """Pool the customer statements, classify and group them, and measure whose voice it is.

    ``accounts`` are the accounts known to exist (a manifest's); those with no statement are
    listed as silent. Only ``kind == "customer"`` statements count. ``matcher`` (one of
    :data:`THEME_MATCHERS`) says how statements are matched into themes; ``threshold``
    defaults to that matcher's own (:data:`WORD_THEME_THRESHOLD`, :data:`CLAIM_THRESHOLD`
    for ``"char"``, :data:`EMBED_THEME_THRESHOLD`).
    ``"embed"`` needs the ``embed`` extra (:class:`~custfocus.errors.MissingExtraError`).
    ``n_jobs`` threads compare the statements (the themes are the same for any number).

    >>> s = [Statement(t, "customer", f"{a}.txt", 0, len(t), account=a) for a, t in [
    ...     ("acme", "We need faster onboarding."), ("bolt", "We need quicker onboarding.")]]
    >>> v = analyse_voice(s, accounts=["acme", "bolt", "core"])
    >>> v.effective_accounts, v.silent_accounts, [t.thin for t in v.themes]
    (2.0, ('core',), [True])
    """
    if matcher not in THEME_MATCHERS:
        raise ConfigError(f"theme matcher must be one of {THEME_MATCHERS}, got {matcher!r}")
    embed = matcher == "embed"
    matchers: dict[str, tuple[Vectorizer | Embedder, float]] = {
        "word": (WORD_MATCHER, WORD_THEME_THRESHOLD),
        "char": (MATCHER, CLAIM_THRESHOLD),
        "embed": (EMBED_MATCHER, EMBED_THEME_THRESHOLD),
    }
    vectorizer, default = matchers[matcher]
    if threshold is None:
        threshold = default
    lex = lexicons or load_lexicons()
    items = sorted((s for s in statements if s.kind == "customer"), key=_order)
    # Cues are read once per distinct sentence: a library repeats many.
    distinct = dict.fromkeys(s.text for s in items)
    # By meaning, the whole sentence: without its cue phrases it measured no better (dev pair
    # F1 0.165 against 0.162, held out 0.152 against 0.168; benchmarks/themes.py).
    topic_of = {t: t if embed else _topic(t, lex) for t in distinct}
    kinds_by_text = {t: voice_kinds(t, lex) for t in distinct}
    topics = [Statement(topic_of[s.text], s.kind, s.path, s.start, s.end) for s in items]
    # Keyed by identity: each topic stands for one statement of ``items``.
    back = {id(t): s for t, s in zip(topics, items, strict=True)}

    raw = [
        tuple(back[id(t)] for t in g)
        for g in group_claims(topics, threshold=threshold, vectorizer=vectorizer, n_jobs=n_jobs)
    ]
    raw.sort(key=lambda g: (-len({s.account for s in g if s.account}), -len(g), _order(g[0])))
    themes = []
    for n, members in enumerate(raw, 1):
        accs = tuple(sorted({s.account for s in members if s.account is not None}))
        ordered = (members[0], *sorted(members[1:], key=_order))
        ks = tuple(kinds_by_text[s.text] for s in ordered)
        kinds = tuple(k for k in VOICE_KINDS if any(k in x for x in ks))
        themes.append(
            Theme(f"T{n}", members[0].text, kinds, accs, ordered, ks, len(accs) < min_accounts)
        )

    per_account = Counter(s.account for s in items if s.account is not None)
    ranked = sorted(per_account.items(), key=lambda kv: (-kv[1], kv[0]))
    total = sum(per_account.values())
    top2 = sum(c for _, c in ranked[:2]) / total if total else math.nan
    kind_counts: Counter[str] = Counter()
    for s in items:
        kind_counts.update(kinds_by_text[s.text] or ("other",))
    return VoiceAnalysis(
        themes=tuple(themes),
        statements_by_account=tuple(ranked),
        kinds=tuple((k, kind_counts[k]) for k in (*VOICE_KINDS, "other") if kind_counts[k]),
        top2_share=top2,
        effective_accounts=effective_accounts(per_account.values()),
        silent_accounts=tuple(sorted(set(accounts) - set(per_account))),
        unattributed=sum(1 for s in items if s.account is None),
        min_accounts=min_accounts,
        matcher=matcher,
        threshold=threshold,
    )
