"""Word lists: load, validate and extend the lexicons in ``data/lexicons/``.

Each file holds one concept and names the rule its matches carry (``@rule customer.noun``).
The packaged files load through :mod:`importlib.resources`; users add files or terms through
:func:`load_lexicons`, never by writing into the installed package.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .errors import LexiconError

__all__ = ["RULES", "Lexicon", "LexiconSet", "load_lexicon_file", "load_lexicons", "parse_lexicon"]

#: Every rule a lexicon may carry, with its documented role.
RULES: Mapping[str, str] = {
    "customer.pronoun": "second-person pronoun or determiner (customer side)",
    "customer.noun": "noun or phrase naming the customer (customer side)",
    "customer.name": "a customer name given by the caller (customer side)",
    "self.pronoun": "first-person plural pronoun (seller side)",
    "self.singular": "first-person singular pronoun (seller side, lower weight)",
    "self.noun": "phrase naming the seller's organisation or offering (seller side)",
    "self.name": "a seller company or product name given by the caller (seller side)",
    "self.commitment": "agentive first-person commitment (seller side, weight 0)",
    "self.listening": "first person inside a listening move (seller side, weight 0)",
    "self.social_proof": "the seller's customers counted or named as proof (seller side)",
    "self.stuffing": "a reference in a sentence with no clause: stuffing (seller side)",
    "shared.inclusive": "inclusive we: seller and customer together",
    "cue.inclusive": "cue that makes a nearby we inclusive",
    "exclude.courtesy": "courtesy formula; pronouns inside are not references",
    "exclude.filler": "parenthetical discourse filler",
    "exclude.generic_you": "generic you (anyone), not the customer",
    "exclude.acronym": "upper-case acronym that looks like a pronoun",
    "filler.blocker": "word after a filler that makes it a real clause",
    "flag.superlative": "superlative or bragging phrase",
    "flag.listening": "listening move: playback, summary or testing understanding",
    "cue.social_proof": "word that makes a nearby plural customer noun social proof",
    "guidance.instruction": "first words of an instruction to the presenter or seller",
    "clause.verb": "word that makes a group of words a clause (stuffing check)",
    "feature.product": "product, feature or specification vocabulary",
    "question.wh": "interrogative word opening an open question",
    "question.aux": "auxiliary opening a yes/no question",
    "question.request": "imperative request for information",
    "question.tag": "tag ending a closed question",
    "question.subject": "subject pronoun that opens a question clause after an auxiliary",
    "discourse.filler": "discourse marker skipped before a sentence's first word",
    "start.self": "first word that opens a sentence about the seller (content feature)",
    "start.customer": "first word that opens a sentence about the customer (content feature)",
    "conversation.backchannel": "listener response that does not take the floor",
    "conversation.stopword": "function word ignored when matching benefits to needs",
    "team.stopword": "word too common in claims to carry a message (team content words)",
    "voice.explicit_need": "buyer states a need outright",
    "voice.implied_need": "buyer describes a problem or dissatisfaction",
    "voice.goal": "buyer states a goal or priority",
    "voice.like": "buyer says what they like",
    "voice.dislike": "buyer says what they dislike or fear",
    "voice.direction": "buyer says where their business is going",
    "speaker.seller": "role word in a speaker label naming the seller side",
    "speaker.customer": "role word in a speaker label naming the buyer side",
    "context.no_company_domain": "free-mail or placeholder e-mail domain (context inference)",
    "context.not_name": "capitalised word that is never a name (context inference)",
    "process.seller": "the seller's own sales process: pipeline, quota, CRM (inward-out)",
    "process.buyer": "the buyer's buying process: evaluation, approval, budget (outward-in)",
    "plan.challenges": "account-plan cue: the customer's business challenges and priorities",
    "plan.industry": "account-plan cue: the customer's industry and market dynamics",
    "plan.financial": "account-plan cue: economic and financial drivers of the customer",
    "plan.strategy": "account-plan cue: the customer's strategy and direction",
    "plan.stakeholders": "account-plan cue: the customer's stakeholders and roles",
    "plan.competition": "account-plan cue: the competitive landscape at the account",
    "cue.account": "third-person word for the account (they, their) in account-plan coverage",
}
_REQUIRED = ("rule", "description", "source", "license")
_DIRECTIVES = frozenset({*_REQUIRED, "case"})


@dataclass(frozen=True)
class Lexicon:
    """One validated word list: its rule, terms and provenance."""

    rule: str
    terms: tuple[str, ...]
    description: str
    source: str
    license: str
    case_sensitive: bool = False
    origin: str = "<memory>"


@dataclass(frozen=True)
class LexiconSet:
    """All lexicons in use, merged by rule, with a version string that changes with content."""

    lexicons: tuple[Lexicon, ...]
    version: str = field(init=False)
    # Merged terms per rule, made on first use: the set is frozen, so they never change.
    _merged: dict[str, tuple[str, ...]] = field(
        init=False, default_factory=dict, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        digest = hashlib.sha256()
        for lex in sorted(self.lexicons, key=lambda x: (x.rule, x.origin)):
            digest.update(lex.rule.encode())
            digest.update("\n".join(lex.terms).encode())
        object.__setattr__(self, "version", digest.hexdigest()[:12])

    def __hash__(self) -> int:
        # Equal sets have equal versions; hashing every term on each cache lookup is slow.
        return hash(self.version)

    def terms(self, rule: str) -> tuple[str, ...]:
        """Every term for ``rule`` across files, first occurrence kept, order preserved."""
        merged = self._merged.get(rule)
        if merged is None:
            seen: dict[str, None] = {}
            for lex in self.lexicons:
                if lex.rule == rule:
                    for term in lex.terms:
                        seen.setdefault(term, None)
            merged = self._merged[rule] = tuple(seen)
        return merged

    def case_sensitive(self, rule: str) -> bool:
        return any(lex.case_sensitive for lex in self.lexicons if lex.rule == rule)

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(lex.rule for lex in self.lexicons))


def parse_lexicon(text: str, origin: str) -> Lexicon:
    """Parse the lexicon file format (see ``data/lexicons/README.md``); raise on any error."""
    meta: dict[str, str] = {}
    terms: list[str] = []
    seen: dict[str, int] = {}
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line == "#" or line.startswith("# "):
            continue
        if " # " in line:
            line = line.split(" # ", 1)[0].rstrip()
        if line.startswith("@"):
            if terms:
                raise LexiconError(origin, lineno, "directive after the first term")
            key, _, value = line[1:].partition(" ")
            if key not in _DIRECTIVES:
                raise LexiconError(
                    origin, lineno, f"unknown directive @{key}; expected {sorted(_DIRECTIVES)}"
                )
            if not value.strip():
                raise LexiconError(origin, lineno, f"directive @{key} has no value")
            meta[key] = value.strip()
            continue
        term = " ".join(line.split())
        key = term if meta.get("case") == "sensitive" else term.lower()
        if key in seen:
            first = seen[key]
            raise LexiconError(origin, lineno, f"duplicate term {term!r} (first on line {first})")
        seen[key] = lineno
        terms.append(term)
    for key in _REQUIRED:
        if key not in meta:
            raise LexiconError(origin, None, f"missing required directive @{key}")
    rule = meta["rule"]
    if rule not in RULES:
        raise LexiconError(origin, None, f"unknown rule {rule!r}; expected one of {sorted(RULES)}")
    case = meta.get("case", "insensitive")
    if case not in ("sensitive", "insensitive"):
        raise LexiconError(origin, None, f"@case is 'sensitive' or 'insensitive', not {case!r}")
    if not terms:
        raise LexiconError(origin, None, "no terms")
    return Lexicon(
        rule=rule,
        terms=tuple(terms),
        description=meta["description"],
        source=meta["source"],
        license=meta["license"],
        case_sensitive=case == "sensitive",
        origin=origin,
    )


def load_lexicon_file(path: str | os.PathLike[str]) -> Lexicon:
    """Load and validate one lexicon file from disk."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise LexiconError(str(p), None, "file not found") from None
    except UnicodeDecodeError as exc:
        raise LexiconError(str(p), None, f"not UTF-8 text ({exc.reason})") from None
    return parse_lexicon(text, str(p))


@lru_cache(maxsize=1)
def _packaged() -> tuple[Lexicon, ...]:
    root = resources.files("custfocus.lexicons")
    found = []
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".txt"):
            found.append(parse_lexicon(entry.read_text(encoding="utf-8"), entry.name))
    if not found:  # a broken install, not a user error
        raise LexiconError("custfocus.lexicons", None, "no lexicon files in the installed package")
    return tuple(found)


def load_lexicons(
    paths: Iterable[str | os.PathLike[str]] = (),
    extra_terms: Mapping[str, Iterable[str]] | None = None,
    *,
    packaged: bool = True,
) -> LexiconSet:
    """The packaged lexicons plus the user's files and terms.

    >>> lex = load_lexicons(extra_terms={"self.noun": ["our widget"]})
    >>> "our widget" in lex.terms("self.noun")
    True
    """
    lexicons = list(_packaged()) if packaged else []
    lexicons.extend(load_lexicon_file(p) for p in paths)
    for rule, terms in (extra_terms or {}).items():
        if rule not in RULES:
            raise LexiconError("extra_terms", None, f"unknown rule {rule!r}")
        clean = tuple(dict.fromkeys(" ".join(t.split()) for t in terms if t and t.strip()))
        if clean:
            lexicons.append(
                Lexicon(rule, clean, "terms added through the API", "user", "user", False, "api")
            )
    return LexiconSet(tuple(lexicons))
