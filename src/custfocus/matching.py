"""Find customer and self references in a spaCy ``Doc``, and the spans excluded from them.

All lexicon terms (and the caller's seller and customer names) go into phrase tables
(:mod:`custfocus.phrases`), one on lower-case text and one on exact text for case-sensitive
lists, so every term, single or multi-word, is found in one pass over a whole batch. The
rules below then resolve overlaps (a phrase counts
once) and apply the documented exclusions; each outcome is a ``(start, end, rule)`` token span.
"""

from __future__ import annotations

import copy
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from .lexicon import LexiconSet
from .phrases import PhraseTable
from .sentences import member, sentence_starts
from .tokens import TokenTable

__all__ = ["EXCLUSION_REASONS", "MatchResult", "ReferenceMatcher", "side_of"]

MENTION_RULES = (
    "customer.name",
    "self.name",
    "customer.noun",
    "self.noun",
    "shared.inclusive",
    "customer.pronoun",
    "self.pronoun",
    "self.singular",
)
# Lower index wins a tie between equally long overlapping candidates.
_PRIORITY = {rule: i for i, rule in enumerate(MENTION_RULES)}
_EXCLUDING = ("exclude.courtesy", "exclude.generic_you", "exclude.filler")
_FLAGS = ("flag.superlative", "feature.product")
_FIRST_PERSON = ("self.pronoun", "self.singular", "self.commitment")
#: Plural customer nouns that may be the seller's customers (social proof).
_PLURAL_CUSTOMER = frozenset({"customers", "clients", "buyers", "prospects"})
#: Subject pronouns: the word after one is taken as a verb ("we built", "you save").
_SUBJECTS = frozenset({"i", "we", "you", "they"})
#: Endings that mark a verb form ("reduced", "planning").
_VERBAL = ("ed", "ing")
#: Window (tokens) around a plural customer noun searched for social-proof cues.
SOCIAL_PROOF_WINDOW = 3
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
#: Words of a salutation: the customer name right after one ("Hi Sam,") is courtesy.
_SALUTATION = frozenset({"hi", "hello", "dear", "hey", "thanks", "morning", "afternoon"})
_EXCLUSIVE_MARKERS = frozenset({"at", "here"})
#: Tokens either side of a "we" in which an inclusive cue makes it shared.
INCLUSIVE_WINDOW = 6

#: Why each exclusion rule drops a span (shown in reports and docs/METHOD.md).
EXCLUSION_REASONS = {
    "exclude.courtesy": "courtesy formula ('thank you', 'see you'): politeness, not a reference",
    "exclude.filler": "parenthetical filler ('you know', 'I mean'): not a reference",
    "exclude.generic_you": "generic 'you' ('you never know'): anyone, not the customer",
    "exclude.acronym": "upper-case acronym ('US', 'ME') in mixed-case text, not a pronoun",
    "exclude.unscored": "quoted reply, metadata or buyer speech: not the seller's words",
}


def side_of(rule: str) -> str:
    """``customer``, ``self`` or ``shared`` for a counted rule id."""
    return rule.split(".", 1)[0]


@dataclass(frozen=True)
class MatchResult:
    """Token spans ``(start, end, rule)`` found in one Doc."""

    counted: list[tuple[int, int, str]]
    excluded: list[tuple[int, int, str]]
    flags: list[tuple[int, int, str]]
    #: Topic cues (``process.*``, ``plan.*``, ``cue.account``): not references, evidence for
    #: the inward-out and account-plan analyses (:mod:`custfocus.inward`, :mod:`custfocus.plan`).
    cues: list[tuple[int, int, str]] = field(default_factory=list)
    #: Every match of a caller-given name (``self.name``, ``customer.name``), counted or
    #: not: the content model reads the seller's name as one placeholder word.
    names: list[tuple[int, int, str]] = field(default_factory=list)


_NAME_RULES = ("customer.name", "self.name")


class ReferenceMatcher:
    """Match references with the lexicons plus caller-given seller and customer names.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> from custfocus.lexicon import load_lexicons
    >>> m = ReferenceMatcher(nlp, load_lexicons(), seller=["Acme"], customer=["Globex"])
    >>> [r for _, _, r in m(nlp("Thank you, Globex. Acme's team will call you.")).counted]
    ['customer.name', 'self.name', 'customer.pronoun']
    """

    def __init__(
        self,
        nlp: Language,
        lexicons: LexiconSet,
        seller: Sequence[str] = (),
        customer: Sequence[str] = (),
    ) -> None:
        self.lexicons = lexicons
        self.seller = tuple(seller)
        self.customer = tuple(customer)
        lower: list[tuple[str, str]] = []
        exact: list[tuple[str, str]] = []
        for rule in lexicons.rules:
            if rule == "filler.blocker" or rule.startswith(
                (
                    "question.",
                    "discourse.",
                    "start.",
                    "conversation.",
                    "voice.",
                    "cue.social",
                    "clause.",
                    "speaker.",
                    "context.",
                )
            ):
                continue  # used by position, not matched anywhere in the text
            target = exact if lexicons.case_sensitive(rule) else lower
            target.extend((rule, t) for t in lexicons.terms(rule))
        self._phrases = (
            PhraseTable.from_terms(nlp, "lower", lower),
            PhraseTable.from_terms(nlp, "orth", exact),
        )
        self._names = self._name_matcher(nlp)
        self._blockers = frozenset(t.lower() for t in lexicons.terms("filler.blocker"))
        self._plural_self = frozenset(t.lower() for t in lexicons.terms("self.pronoun"))
        self._singular = frozenset(t.lower() for t in lexicons.terms("self.singular"))
        cues = [tuple(t.lower().split()) for t in lexicons.terms("cue.social_proof")]
        self._proof_before = frozenset(c[0] for c in cues if len(c) == 1)
        self._proof_after = frozenset(cues)
        self._verbs = frozenset(t.lower() for t in lexicons.terms("clause.verb"))
        self._stopwords = frozenset(t.lower() for t in lexicons.terms("conversation.stopword"))
        strings = nlp.vocab.strings
        first = {*lexicons.terms("self.pronoun"), *lexicons.terms("self.singular")}
        second = set(lexicons.terms("customer.pronoun"))
        self._first_hashes = np.sort(
            np.array([strings.add(w.lower()) for w in first], dtype=np.uint64)
        )
        self._second_hashes = np.sort(
            np.array([strings.add(w.lower()) for w in second], dtype=np.uint64)
        )

    def _name_matcher(self, nlp: Language) -> PhraseTable | None:
        """The seller and customer names, in a table of their own (``None`` if no names),
        so :meth:`with_names` swaps them without rebuilding the lexicon tables."""
        terms = [
            (rule, name.strip())
            for rule, names in (("customer.name", self.customer), ("self.name", self.seller))
            for name in names
            if name and name.strip()
        ]
        return PhraseTable.from_terms(nlp, "lower", terms) if terms else None

    def with_names(
        self, nlp: Language, seller: Sequence[str], customer: Sequence[str]
    ) -> ReferenceMatcher:
        """This matcher with other seller and customer names (the lexicon matchers shared)."""
        named = copy.copy(self)
        named.seller, named.customer = tuple(seller), tuple(customer)
        named._names = named._name_matcher(nlp)
        return named

    def __call__(self, doc: Doc, sent_starts: list[int] | None = None) -> MatchResult:
        """Match one Doc; ``sent_starts`` (token indices) saves reading them from the Doc."""
        spans = next(self._spans(TokenTable([doc])))
        sent_starts = sentence_starts(doc) if sent_starts is None else sent_starts
        return self._resolve(doc, spans, sent_starts)

    def match_table(
        self, table: TokenTable, sent_starts: Sequence[list[int]]
    ) -> Iterator[MatchResult]:
        """Match every Doc of a batch, lazily and in order (the phrases are found for the
        whole batch at once); ``sent_starts[i]`` holds Doc ``i``'s sentence starts."""
        per_doc = self._spans(table)
        for doc, spans, starts in zip(table.docs, per_doc, sent_starts, strict=True):
            yield self._resolve(doc, spans, starts)

    def _spans(self, table: TokenTable) -> Iterator[dict[str, list[tuple[int, int]]]]:
        """Per Doc of ``table``, the ``(start, end)`` token spans of every rule's phrases.

        Lazily, one Doc at a time: the Python tuples of a whole batch alive at once would
        cost the garbage collector more than building them."""
        names: dict[str, int] = {}
        found = []
        for phrases in (*self._phrases, self._names):
            if phrases is None:
                continue
            starts, ends, rules = phrases.find(table)
            ids = np.array([names.setdefault(r, len(names)) for r in phrases.rules], np.int64)
            found.append((starts, ends, ids[rules] if len(ids) else rules))
        n_docs = len(table.docs)
        if found:
            starts, ends, rules = (np.concatenate(col) for col in zip(*found, strict=True))
        if not found or not len(starts):
            for _ in range(n_docs):
                yield {}
            return
        docs = table.doc_of[starts]
        order = np.lexsort((ends, starts, rules, docs))  # by Doc, then rule, then position
        starts, ends, rules, docs = starts[order], ends[order], rules[order], docs[order]
        base = table.offsets[docs]
        cut = np.flatnonzero((docs[1:] != docs[:-1]) | (rules[1:] != rules[:-1])) + 1
        bounds = [0, *cut.tolist(), len(starts)]
        rule_names = list(names)
        s_list, e_list = (starts - base).tolist(), (ends - base).tolist()
        d_list, r_list = docs.tolist(), rules.tolist()
        k, n_groups = 0, len(bounds) - 1
        for i in range(n_docs):
            spans: dict[str, list[tuple[int, int]]] = {}
            while k < n_groups and d_list[bounds[k]] == i:  # the groups are in Doc order
                a, b = bounds[k], bounds[k + 1]
                spans[rule_names[r_list[a]]] = list(zip(s_list[a:b], e_list[a:b], strict=True))
                k += 1
            yield spans

    def _resolve(
        self, doc: Doc, spans: dict[str, list[tuple[int, int]]], sent_starts: list[int]
    ) -> MatchResult:
        """The overlap and exclusion rules over one Doc's phrase matches."""
        sent_starts = sent_starts or [0]

        candidates = [
            self._possessive(doc, s, e, rule) if rule in _NAME_RULES else (s, e, rule)
            for rule in MENTION_RULES
            for s, e in spans.get(rule, ())
        ]
        kept = _resolve_overlaps(candidates)

        blocking: dict[int, str] = {}
        for rule in _EXCLUDING:
            for s, e in spans.get(rule, ()):
                if rule == "exclude.filler" and not self._is_parenthetical(doc, e, sent_starts):
                    continue
                for i in range(s, e):
                    blocking.setdefault(i, rule)
        acronyms = {s for s, e in spans.get("exclude.acronym", ()) if e - s == 1}
        commitments = {i for s, e in spans.get("self.commitment", ()) for i in range(s, e)}
        cues = sorted(spans.get("cue.inclusive", ()))

        counted: list[tuple[int, int, str]] = []
        excluded: list[tuple[int, int, str]] = []
        for s, e, rule in kept:
            if rule == "customer.name" and s > 0 and doc[s - 1].lower_ in _SALUTATION:
                excluded.append((s, e, "exclude.courtesy"))  # "Hi Sam,": a salutation
                continue
            block = blocking.get(s)
            if block is not None and all(blocking.get(i) == block for i in range(s, e)):
                excluded.append((s, e, block))
            elif e - s == 1 and s in acronyms and _mixed_case_context(doc, s, sent_starts):
                excluded.append((s, e, "exclude.acronym"))
            elif rule == "self.singular" and s in commitments:
                counted.append((s, e, "self.commitment"))
            elif rule == "self.pronoun" and cues and self._inclusive(doc, s, cues, sent_starts):
                counted.append((s, e, "shared.inclusive"))
            else:
                counted.append((s, e, rule))
        counted.sort()
        if "customer.noun" in spans:
            counted = self._social_proof(doc, counted, sent_starts)
        listening = spans.get("flag.listening", [])
        if listening:
            counted = self._listening(counted, listening, sent_starts)
        counted, stuffing = self._stuffing(doc, counted, sent_starts)
        excluded.sort()
        flags = sorted((s, e, r) for r in _FLAGS for s, e in spans.get(r, ()))
        flags.extend((s, e, "flag.listening") for s, e in listening)
        flags.extend(stuffing)
        starts = set(sent_starts)
        flags.extend(
            (s, e, "flag.instruction")
            for s, e in spans.get("guidance.instruction", ())
            if s in starts  # "Ask them...", "Pause here" opening a sentence
        )
        flags.sort()
        found = sorted((s, e, r) for r in _NAME_RULES for s, e in spans.get(r, ()))
        return MatchResult(counted, excluded, flags, _cues(spans), found)

    def _social_proof(
        self, doc: Doc, counted: list[tuple[int, int, str]], sent_starts: list[int]
    ) -> list[tuple[int, int, str]]:
        """The seller's customers are not this customer.

        "our" right before a customer noun makes one seller phrase ("our customer success
        team"); a plural customer noun with a number or quantifier near it ("over 2,000
        customers", "customers in thirty countries") or followed by "like", "such as",
        "including" ("clients like Acme") is ``self.social_proof``, unless a second-person
        word comes just before it ("your 40 customers").
        """
        out: list[tuple[int, int, str]] = []
        n = len(doc)
        for s, e, rule in counted:
            if rule != "customer.noun":
                out.append((s, e, rule))
                continue
            prev = out[-1] if out else None
            if (
                prev is not None
                and prev[1] == s
                and prev[2] == "self.pronoun"
                and (doc[prev[0]].lower_ in self._plural_self)
            ):
                out[-1] = (prev[0], e, "self.noun")
                continue
            if e - s == 1 and doc[s].lower_ in _PLURAL_CUSTOMER:
                lo, hi = _sentence_bounds(s, sent_starts, n)
                before = doc[max(lo, s - SOCIAL_PROOF_WINDOW) : s]
                if any(t.lower_ in ("you", "your", "yours") for t in before):
                    out.append((s, e, rule))
                    continue
                after = doc[e : min(hi, e + SOCIAL_PROOF_WINDOW)]
                nxt = tuple(t.lower_ for t in doc[e : min(hi, e + 2)])
                if (
                    any(t.like_num or t.lower_ in self._proof_before for t in before)
                    or any(t.like_num for t in after)
                    or nxt[:1] in self._proof_after
                    or nxt[:2] in self._proof_after
                ):
                    out.append((s, e, "self.social_proof"))
                    continue
            out.append((s, e, rule))
        return out

    def _listening(
        self,
        counted: list[tuple[int, int, str]],
        listening: list[tuple[int, int]],
        sent_starts: list[int],
    ) -> list[tuple[int, int, str]]:
        """First person in a sentence that holds a listening move is the seller listening
        ("Check that we understood this correctly"): ``self.listening`` (weight 0)."""
        inside = {i for s, e in listening for i in range(s, e)}  # moves that span sentences
        sentences = {bisect_right(sent_starts, s) for s, _ in listening}
        out = []
        for s, e, rule in counted:
            if rule in _FIRST_PERSON and (s in inside or bisect_right(sent_starts, s) in sentences):
                rule = "self.listening"
            out.append((s, e, rule))
        return out

    def _stuffing(
        self, doc: Doc, counted: list[tuple[int, int, str]], sent_starts: list[int]
    ) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
        """Reference words with no clause around them are stuffing, not a claim.

        A sentence is stuffing when it holds a customer reference, has no clause (no word of
        ``clause_verbs.txt``, no word after a subject pronoun, no "-ed"/"-ing" word, no "?",
        fewer than three other content words) and at least two references make up half or
        more of its words ("customer customer your your you you"). Its mentions become
        ``self.stuffing`` (a list of customer words advertises the writer, it says nothing
        to the customer) and the sentence gets a ``flag.stuffing`` span, so it earns no
        content credit either.
        """
        if len(counted) < 2:
            return counted, []
        n = len(doc)
        # Cheap test first: stuffing needs two references in one sentence that they nearly
        # fill; only such sentences are read token by token. ``counted`` is in text order,
        # so the mentions of a sentence are a run of equal keys.
        keys = [bisect_right(sent_starts, c[0]) for c in counted]
        by_sentence: dict[int, list[int]] = {}
        k = 0
        n_keys = len(keys)
        while k < n_keys:
            key = keys[k]
            j = k
            while j + 1 < n_keys and keys[j + 1] == key:
                j += 1
            if j > k:
                lo = sent_starts[key - 1] if key > 0 else 0
                hi = sent_starts[key] if key < len(sent_starts) else n
                while hi > lo and doc[hi - 1].is_space:
                    hi -= 1  # the break before the next sentence is not this one's
                width = 0
                for i in range(k, j + 1):
                    width += counted[i][1] - counted[i][0]
                if hi - lo <= 3 * width + 2:
                    by_sentence[key] = list(range(k, j + 1))
            k = j + 1
        drop: set[int] = set()
        flags = []
        for key, ks in by_sentence.items():
            if all(counted[k][2].endswith(".name") for k in ks) or not any(
                counted[k][2].startswith("customer.") for k in ks
            ):
                continue  # a greeting line ("Dana,"); seller words alone cannot lift a score
            lo = sent_starts[key - 1] if key > 0 else 0
            hi = sent_starts[key] if key < len(sent_starts) else n
            covered = {i for k in ks for i in range(counted[k][0], counted[k][1])}
            refs = len(covered)
            words = content = 0
            clause = False
            after_subject = False
            for t in doc[lo:hi]:
                if t.is_punct or t.is_space:
                    if t.text == "?":
                        clause = True
                    after_subject = False
                    continue
                words += 1
                low = t.lower_
                if t.i in covered:
                    after_subject = low in _SUBJECTS
                    continue
                if after_subject or low in self._verbs or (len(low) > 4 and low.endswith(_VERBAL)):
                    clause = True  # "we built", "you save", "reduced", "planning"
                elif not t.like_num and low not in self._stopwords:
                    content += 1
            if clause or content >= 3 or len(ks) < 2 or 2 * refs < words:
                continue
            drop.update(ks)
            flags.append((lo, hi, "flag.stuffing"))
        if not drop:
            return counted, []
        out = [(s, e, "self.stuffing" if k in drop else r) for k, (s, e, r) in enumerate(counted)]
        return out, flags

    def naive_flags(self, lowers: np.ndarray, offsets: np.ndarray) -> list[dict[str, list[int]]]:
        """Token indices of every first- and second-person word, as a We-We calculator
        counts them, for each Doc of a batch given its concatenated ``LOWER`` array (Doc
        ``i`` holds rows ``offsets[i]:offsets[i + 1]``)."""
        out: list[dict[str, list[int]]] = [{} for _ in range(len(offsets) - 1)]
        for side, hashes in (("customer", self._second_hashes), ("self", self._first_hashes)):
            hits = np.flatnonzero(member(lowers, hashes))
            cuts = np.searchsorted(hits, offsets).tolist()
            for i, (lo, hi, base) in enumerate(zip(cuts, cuts[1:], offsets.tolist(), strict=False)):
                out[i][side] = (hits[lo:hi] - base).tolist()
        return out

    @staticmethod
    def _possessive(doc: Doc, s: int, e: int, rule: str) -> tuple[int, int, str]:
        if rule.endswith(".name") and e < len(doc) and doc[e].lower_ in _POSSESSIVE:
            return s, e + 1, rule
        return s, e, rule

    def _is_parenthetical(self, doc: Doc, end: int, sent_starts: list[int]) -> bool:
        """A filler is parenthetical unless a real object follows it in the same sentence."""
        if end >= len(doc) or _sentence_bounds(end, sent_starts, len(doc))[0] == end:
            return True
        nxt = doc[end]
        return nxt.is_punct or nxt.is_space or nxt.lower_ not in self._blockers

    def _inclusive(
        self, doc: Doc, i: int, cues: list[tuple[int, int]], sent_starts: list[int]
    ) -> bool:
        if doc[i].lower_ not in self._plural_self:
            return False
        if i + 1 < len(doc) and doc[i + 1].lower_ in _EXCLUSIVE_MARKERS:
            return False  # "we at Acme", "we here at Acme": exclusive we
        lo, hi = _sentence_bounds(i, sent_starts, len(doc))
        lo, hi = max(lo, i - INCLUSIVE_WINDOW), min(hi, i + INCLUSIVE_WINDOW + 1)
        return any(cs < hi and ce > lo and not cs <= i < ce for cs, ce in cues)


def _resolve_overlaps(candidates: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Longest span wins, then the earlier one, then rule priority: a phrase counts once."""
    by_start = sorted(candidates)
    if all(a[1] <= b[0] for a, b in pairwise(by_start)):
        return by_start  # the common case: nothing overlaps
    order = sorted(candidates, key=lambda c: (-(c[1] - c[0]), c[0], _PRIORITY[c[2]]))
    taken: set[int] = set()
    kept = []
    for s, e, rule in order:
        if any(i in taken for i in range(s, e)):
            continue
        taken.update(range(s, e))
        kept.append((s, e, rule))
    kept.sort()
    return kept


#: Rule families whose matches are topic cues; inside a family a phrase counts once.
CUE_PREFIXES = ("process.", "plan.", "cue.account")


def _cues(spans: dict[str, list[tuple[int, int]]]) -> list[tuple[int, int, str]]:
    """Topic cues, longest first inside a family: "our sales process" is one seller term, and
    a seller and a buyer term never share a word. Plan parts are families of their own."""
    families: dict[str, list[tuple[int, int, str]]] = {}
    for rule, found in spans.items():
        if rule.startswith(CUE_PREFIXES):
            family = "process" if rule.startswith("process.") else rule
            families.setdefault(family, []).extend((s, e, rule) for s, e in found)
    out: list[tuple[int, int, str]] = []
    for cands in families.values():
        taken: set[int] = set()
        for s, e, rule in sorted(cands, key=lambda c: (c[0] - c[1], c[0], c[2])):
            if not taken.intersection(range(s, e)):
                taken.update(range(s, e))
                out.append((s, e, rule))
    out.sort()
    return out


def _sentence_bounds(i: int, sent_starts: list[int], n: int) -> tuple[int, int]:
    k = bisect_right(sent_starts, i) - 1
    lo = sent_starts[k] if k >= 0 else 0
    hi = sent_starts[k + 1] if k + 1 < len(sent_starts) else n
    return lo, hi


def _mixed_case_context(doc: Doc, i: int, sent_starts: list[int]) -> bool:
    """True when a nearby word in the sentence has lower-case letters (so "US" is an acronym)."""
    lo, hi = _sentence_bounds(i, sent_starts, len(doc))
    neighbours = [t for t in doc[max(lo, i - 3) : min(hi, i + 4)] if t.i != i and t.is_alpha]
    if not neighbours:
        return True
    return any(not t.is_upper for t in neighbours)
