"""Per-file context: who wrote or said it, to which account, about what, when, in what genre.

An audit over a whole library needs to know, for every file, the rep, the account, the
offering, the date, the genre, and the seller's and customer's names (the names feed the
reference focus: a customer name nobody gave counts for nothing). Two sources, strongest first:

1. a **manifest** (:func:`read_manifest`): a CSV with a ``path`` column and any of ``rep``,
   ``account``, ``offering``, ``date``, ``genre``, ``sellers``, ``customers`` (names separated
   by ``;``); names the caller gives on the command line or in the config come next (source
   ``"given"``);
2. **inference** from the file itself (:func:`infer_context`): "we at X", "X's platform",
   email signatures and sender domains, footers repeated on slides, "Team X" for the seller;
   "Hi Y team", "the Y team", "Account plan: Y" and recipient domains for the customer; an
   email's sender or a plan's owner for the rep.

Every value keeps its ``source`` (``"manifest"``, ``"given"``, ``"inferred"`` or ``None``
when unknown), the text it came from (:class:`Evidence`, with offsets into
``Document.text`` when it came from the text) and a ``confidence`` in [0, 1] (1 for given
values; for inferred ones, how reliable the pattern that found it is: see docs/METHOD.md,
"Team context and groups"). Given values override inferred ones field by field.

Every pattern here is a literal cue followed by a bounded run of capitalised words, so the
matching is linear in the text's length (no nested quantifiers).
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from .document import Document
from .errors import ManifestError
from .lexicon import LexiconSet, load_lexicons

__all__ = [
    "CONTEXT_FIELDS",
    "MANIFEST_COLUMNS",
    "SOURCES",
    "ContextValue",
    "Evidence",
    "FileContext",
    "Manifest",
    "infer_context",
    "load_manifest",
    "merge_context",
    "read_manifest",
]

#: Where a context value came from; ``None`` when nothing said.
SOURCES = ("manifest", "given", "inferred")
#: The single-valued context fields, in row order.
CONTEXT_FIELDS = ("rep", "account", "offering", "date", "genre")
#: Columns a manifest may have (``path`` is required).
MANIFEST_COLUMNS = ("path", *CONTEXT_FIELDS, "sellers", "customers")

#: A manifest larger than this is refused (bounded memory; 50 MB is ~500,000 rows).
MAX_MANIFEST_BYTES = 50 * 2**20
#: Only the first characters of a file are searched for names (bounded time on huge files).
MAX_SCAN_CHARS = 200_000


@lru_cache(maxsize=1)
def _packaged() -> LexiconSet:
    return load_lexicons()


@lru_cache(maxsize=32)
def _terms(version: str, rule: str, terms: tuple[str, ...]) -> frozenset[str]:
    return frozenset(t.lower() for t in terms)


def _words(rule: str, lexicons: LexiconSet | None) -> frozenset[str]:
    """The terms of ``rule`` (the ``context.*`` word lists), lower-cased, from ``lexicons``
    (the packaged ones plus the user's files and terms) or the packaged ones alone."""
    lex = lexicons if lexicons is not None else _packaged()
    return _terms(lex.version, rule, lex.terms(rule))


_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip

# A name: one to four capitalised words ("Initech Health", "AT&T", "Northwind Analytics").
_W = r"[A-Z][A-Za-z0-9&.\-]{0,40}"
_NAME = rf"(?P<name>{_W}(?: {_W}){{0,3}})"
_SELLER_CUES: tuple[tuple[re.Pattern[str], float, str], ...] = (
    (re.compile(rf"\b[Ww]e (?:here )?at {_NAME}"), 0.9, "we at X"),
    (
        re.compile(
            rf"\b{_NAME}['’]s (?:platform|product|products|solution|software|suite|"
            rf"app|tool|offering|technology)\b"
        ),
        0.6,
        "X's platform",
    ),
    (re.compile(rf"^[ \t]*(?:[-–—] ?)?Team {_NAME}[ \t.!]*$", re.M), 0.7, "Team X sign-off"),
    (
        re.compile(rf"^[ \t]*(?:[-–—] ?)?The {_NAME} [Tt]eam[ \t.!]*$", re.M),
        0.7,
        "The X team sign-off",
    ),
)
_CUSTOMER_CUES: tuple[tuple[re.Pattern[str], float, str], ...] = (
    (
        re.compile(rf"^[ \t]*[Aa]ccount [Pp]lan(?: for)?[ \t]*[:\-–—]?[ \t]*{_NAME}", re.M),
        0.95,
        "account-plan title",
    ),
    (
        re.compile(rf"^[ \t]*{_NAME}[ \t]*[:\-–—]?[ \t]*[Aa]ccount [Pp]lan\b", re.M),
        0.9,
        "account-plan title",
    ),
    (re.compile(rf"\b(?:Hi|Hello|Dear|Hey),? {_NAME} [Tt]eam\b"), 0.85, "greeting to the Y team"),
    (re.compile(rf"\b(?:the|your) {_NAME} team\b"), 0.6, "the Y team"),
)
_REP_CUES = (
    re.compile(
        r"^[ \t]*(?:Owner|Account owner|Prepared by|Author|Account executive|Account manager)"
        r"[ \t]*:[ \t]*(?P<name>[A-Z][a-z'’\-]{1,30}(?: [A-Z][a-z'’\-]{1,30}){1,2})",
        re.M,
    ),
)
_DATE_ISO = re.compile(r"\b(?P<y>20\d\d|19\d\d)-(?P<m>[01]\d)(?:-(?P<d>[0-3]\d))?\b")
# A month as written: its name or any shortening of three letters or more ("Sept", "Nov").
_MON = "|".join(
    sorted({m[:k].title() for m in _MONTHS for k in range(3, len(m) + 1)}, key=lambda x: -len(x))
)
_DATE_DMY = re.compile(rf"\b(?P<d>[0-3]?\d) (?P<mon>{_MON}),? (?P<y>20\d\d|19\d\d)\b")
_DATE_MDY = re.compile(rf"\b(?=[A-Z])(?P<mon>{_MON}) (?P<d>[0-3]?\d),? (?P<y>20\d\d|19\d\d)\b")
#: Every date above has a year: a text without one is not searched further.
_YEAR = re.compile(r"\b(?:20|19)\d\d\b")
#: What makes a repeated line a footer: a copyright or confidentiality notice, a year, a page
#: number, a legal suffix or a web address ("Strategy | How | Result" is a table header).
_FOOTER_MARK = re.compile(
    r"©|\(c\)|\b(?:19|20)\d\d\b|\b(?:page|slide) \d|"
    r"\b(?:confidential|proprietary|all rights reserved|inc|ltd|llc|gmbh|corp|plc|s\.a|ag)\b\.?|"
    r"\b[\w-]{2,63}\.(?:com|io|net|org|co|ai|example)\b",
    re.I,
)
#: An email sender's display name taken for the rep: two to four words of letters.
_PERSON = re.compile(r"^[^\W\d_][\w'’.\-]{0,40}(?: [^\W\d_][\w'’.\-]{0,40}){1,3}$")
_LABEL_ORG = re.compile(r"\((?P<name>[^()]{2,60})\)\s*$")


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a context value came from: the text, its offsets in ``Document.text`` (``None``
    for a header or a manifest cell) and a readable place ("From header", "manifest line 3")."""

    text: str
    where: str
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "where": self.where, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class ContextValue:
    """One context value with its ``source``, ``confidence`` and ``evidence``."""

    value: str
    source: str
    confidence: float
    evidence: tuple[Evidence, ...] = ()
    method: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "source": self.source,
            "confidence": self.confidence,
            "method": self.method,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True, slots=True)
class FileContext:
    """Everything custfocus knows about one file's situation; ``None`` where unknown.

    ``sellers`` and ``customers`` are the names used to score the file, strongest first.

    >>> ctx = infer_context("Account plan: Initech Health\\n\\nInitech grew. Initech's board met.")
    >>> ctx.customer_names, ctx.customers[0].source
    (('Initech Health', 'Initech'), 'inferred')
    """

    rep: ContextValue | None = None
    account: ContextValue | None = None
    offering: ContextValue | None = None
    date: ContextValue | None = None
    genre: ContextValue | None = None
    sellers: tuple[ContextValue, ...] = ()
    customers: tuple[ContextValue, ...] = ()

    @property
    def seller_names(self) -> tuple[str, ...]:
        return tuple(v.value for v in self.sellers)

    @property
    def customer_names(self) -> tuple[str, ...]:
        return tuple(v.value for v in self.customers)

    def value(self, name: str) -> str | None:
        """The plain value of a single-valued field (``"rep"``, ``"account"``...)."""
        v = getattr(self, name)
        return v.value if v is not None else None

    @property
    def month(self) -> str | None:
        """``YYYY-MM`` of :attr:`date`, the key of monthly groups."""
        d = self.value("date")
        return d[:7] if d and len(d) >= 7 else None

    def sources(self) -> str:
        """Where each known field came from, compactly: ``"rep=manifest; customers=inferred"``."""
        parts = [f"{n}={getattr(self, n).source}" for n in CONTEXT_FIELDS if getattr(self, n)]
        for n in ("sellers", "customers"):
            vals = getattr(self, n)
            if vals:
                parts.append(f"{n}=" + "+".join(dict.fromkeys(v.source for v in vals)))
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            n: (v.to_dict() if (v := getattr(self, n)) else None) for n in CONTEXT_FIELDS
        }
        out["sellers"] = [v.to_dict() for v in self.sellers]
        out["customers"] = [v.to_dict() for v in self.customers]
        return out


# --- Manifest ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Manifest:
    """A read manifest: one :class:`FileContext` per listed file, keyed by normalised path."""

    source: str
    entries: Mapping[str, FileContext] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, path: str | os.PathLike[str]) -> FileContext | None:
        """The context for ``path`` (any spelling of the same file), or ``None``."""
        hit = self.entries.get(_key(path))
        if hit is None:
            hit = self.entries.get(os.path.realpath(path))
        return hit

    @property
    def accounts(self) -> tuple[str, ...]:
        """Every account the manifest names, in first-seen order (the accounts to hear from)."""
        seen = (ctx.value("account") for ctx in self.entries.values())
        return tuple(dict.fromkeys(a for a in seen if a))

    @property
    def reps(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r for c in self.entries.values() if (r := c.value("rep"))))

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "entries": {p: c.to_dict() for p, c in self.entries.items()}}


def _key(path: str | os.PathLike[str]) -> str:
    return os.path.normpath(os.path.abspath(os.fspath(path)))


def _names(cell: str) -> list[str]:
    return list(dict.fromkeys(n for n in (" ".join(p.split()) for p in cell.split(";")) if n))


def _check_date(value: str) -> str | None:
    """``YYYY-MM-DD`` or ``YYYY-MM`` as given; ``None`` if it is neither."""
    m = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", value)
    if not m or not 1 <= int(m.group(2)) <= 12 or (m.group(3) and not 1 <= int(m.group(3)) <= 31):
        return None
    return value


def read_manifest(path: str | os.PathLike[str]) -> Manifest:
    """Read a manifest CSV; every bad row raises :class:`~custfocus.errors.ManifestError`
    naming the file and line.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "m.csv").write_text("path,rep,customers\\ncall.txt,Sam Rivera,Globex; GLX\\n")
    >>> read_manifest(folder / "m.csv").get(folder / "call.txt").customer_names
    ('Globex', 'GLX')

    Paths are relative to the manifest's folder, or absolute. Columns: ``path`` (required)
    and any of :data:`MANIFEST_COLUMNS`; an empty cell says nothing. Dates are
    ``YYYY-MM-DD`` or ``YYYY-MM``.
    """
    p = Path(path)
    where = str(p)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise ManifestError(where, None, f"cannot read the manifest ({exc.strerror})") from None
    if size > MAX_MANIFEST_BYTES:
        raise ManifestError(where, None, f"over the {MAX_MANIFEST_BYTES // 2**20} MB limit")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ManifestError(where, None, f"not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise ManifestError(where, None, f"cannot read the manifest ({exc.strerror})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ManifestError(
            where, 1, "empty manifest: needs a header with a 'path' column"
        ) from None
    except csv.Error as exc:
        raise ManifestError(where, 1, f"malformed CSV ({exc})") from None
    columns = [h.strip().lower() for h in header]
    unknown = [c for c in columns if c not in MANIFEST_COLUMNS]
    if unknown:
        raise ManifestError(
            where, 1, f"unknown column(s) {unknown}; known: {list(MANIFEST_COLUMNS)}"
        )
    if "path" not in columns:
        raise ManifestError(where, 1, "no 'path' column")
    if len(set(columns)) != len(columns):
        twice = sorted({c for c in columns if columns.count(c) > 1})
        raise ManifestError(where, 1, f"column(s) {twice} appear twice")
    base = str(p.resolve().parent)
    label = f"manifest {p.name}"
    entries: dict[str, FileContext] = {}
    lines: dict[str, int] = {}
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(columns):
                raise ManifestError(
                    where, line, f"{len(cells)} cells, the header has {len(columns)}"
                )
            row = {c: v.strip() for c, v in zip(columns, cells, strict=True)}
            if not row["path"]:
                raise ManifestError(where, line, "empty path")
            key = _key(os.path.join(base, row["path"]))
            if key in entries:
                raise ManifestError(
                    where, line, f"{row['path']!r} is listed twice (first on line {lines[key]})"
                )
            lines[key] = line
            entries[key] = _manifest_context(row, where, label, line)
    except csv.Error as exc:
        raise ManifestError(where, reader.line_num, f"malformed CSV ({exc})") from None
    return Manifest(where, entries)


def _manifest_context(row: Mapping[str, str], where: str, label: str, line: int) -> FileContext:
    ev = (Evidence(f"line {line}", f"{label} line {line}"),)

    def given(value: str) -> ContextValue:
        return ContextValue(value, "manifest", 1.0, ev)

    values: dict[str, Any] = {}
    for name in CONTEXT_FIELDS:
        cell = row.get(name, "")
        if not cell:
            continue
        if name == "date" and _check_date(cell) is None:
            raise ManifestError(where, line, f"date {cell!r} is not YYYY-MM-DD or YYYY-MM")
        values[name] = given(cell)
    for name in ("sellers", "customers"):
        values[name] = tuple(given(n) for n in _names(row.get(name, "")))
    return FileContext(**values)


@lru_cache(maxsize=4)
def _load_cached(path: str, mtime_ns: int, size: int) -> Manifest:
    return read_manifest(path)


def load_manifest(path: str | os.PathLike[str]) -> Manifest:
    """:func:`read_manifest`, cached per process while the file is unchanged (each worker
    process reads a manifest once, not once per file)."""
    st = os.stat(path)
    return _load_cached(os.fspath(path), st.st_mtime_ns, st.st_size)


# --- Inference -----------------------------------------------------------------------------


def _clean_name(raw: str, lexicons: LexiconSet | None) -> str | None:
    """Trim a matched run of capitalised words to a plausible name, or ``None``."""
    not_names = _words("context.not_name", lexicons)
    words = raw.strip(" .,-–—").split(" ")
    while words and words[-1].lower().strip(".") in not_names:
        words.pop()
    while words and words[0].lower() in not_names:
        words.pop(0)
    name = " ".join(words).strip(" .,-")
    if len(name) < 2 or name.lower() in not_names or not any(c.isalpha() for c in name):
        return None
    return name


class _Found:
    """Candidate names: best confidence, first evidence and spelling, times seen."""

    def __init__(self) -> None:
        self.best: dict[str, tuple[float, Evidence, str]] = {}
        self.spelling: dict[str, str] = {}
        self.count: Counter[str] = Counter()

    def add(self, name: str | None, conf: float, ev: Evidence, method: str) -> None:
        if not name:
            return
        key = name.lower()
        self.count[key] += 1
        self.spelling.setdefault(key, name)
        if key not in self.best or conf > self.best[key][0]:
            self.best[key] = (conf, ev, method)

    def values(self) -> list[ContextValue]:
        out = []
        for key, (conf, ev, method) in self.best.items():
            # Seen again and again: a little surer (capped below given values' 1.0).
            conf = min(0.99, conf + 0.03 * (self.count[key] - 1))
            out.append(ContextValue(self.spelling[key], "inferred", round(conf, 2), (ev,), method))
        return sorted(out, key=lambda v: -v.confidence)


#: Literal (lowercase) text a cue cannot match without: a cue whose text is absent is not run
#: (most files hold no "we at" and no "account plan", and a substring test is far cheaper).
_NEEDS: dict[str, tuple[str, ...]] = {
    "we at X": ("we at ", "we here at "),
    "X's platform": tuple(f"s {n}" for n in ("platform", "product", "solution", "software",
                                             "suite", "app", "tool", "offering", "technolog")),
    "Team X sign-off": ("team ",),
    "The X team sign-off": ("team",),
    "account-plan title": ("account plan",),
    "greeting to the Y team": (" team",),
    "the Y team": (" team",),
}  # fmt: skip


def _scan(
    text: str,
    cues: Iterable[tuple[re.Pattern[str], float, str]],
    found: _Found,
    lower: str,
    lexicons: LexiconSet | None,
) -> None:
    for pattern, conf, method in cues:
        if not any(needle in lower for needle in _NEEDS.get(method, ("",))):
            continue
        for m in pattern.finditer(text):
            name = _clean_name(m.group("name"), lexicons)
            s = m.start("name")
            found.add(
                name, conf, Evidence(m.group(0).strip(), method, s, s + len(name or "")), method
            )


def _domain_names(
    address_header: str, text: str, lexicons: LexiconSet | None
) -> list[tuple[str, float, str]]:
    """Company names from the domains of the addresses in a header, confirmed in the text.

    ``priya@northwind-analytics.example`` suggests "Northwind Analytics" and "Northwind";
    only a spelling the text itself uses counts (with its capitals); a free-mail domain says
    nothing.
    """
    out: list[tuple[str, float, str]] = []
    for addr in _addresses(address_header[:4096]):
        if "@" not in addr:
            continue
        labels = addr.rsplit("@", 1)[1].lower().split(".")
        labels = [lb for lb in labels if lb not in ("mail", "email", "www", "co", "com", "example")]
        if not labels or labels[0] in _words("context.no_company_domain", lexicons):
            continue
        parts = [p for p in re.split(r"[-_]", labels[0]) if p]
        if len(parts) == 1:
            parts = _split_label(parts[0], text)
        for cand in (" ".join(parts), parts[0]) if len(parts) > 1 else (parts[0],):
            if len(cand) < 3:
                continue
            hit = re.search(rf"\b{re.escape(cand)}\b", text, re.I)
            # Only a spelling the text itself uses: a domain the text never writes
            # ("coastbankcalifornia") cannot change the score and is too often noise.
            if hit is not None and hit.group(0)[0].isupper():
                out.append((hit.group(0), 0.8, addr))
    return out


@lru_cache(maxsize=1024)
def _addresses(header: str) -> tuple[str, ...]:
    """The addresses of one header: parsed once, since a library repeats its senders."""
    return tuple(addr for _name, addr in getaddresses([header]))


@lru_cache(maxsize=1024)
def _display_name(header: str) -> str:
    """The display name of a header's (first) address, parsed once per distinct header."""
    return parseaddr(header)[0]


def _split_label(label: str, text: str) -> list[str]:
    """``"globexlogistics"`` -> ``["globex", "logistics"]`` when the text writes "Globex"
    (the longest capitalised word of the text the label starts with)."""
    words = {w.lower() for w in re.findall(r"\b[A-Z][A-Za-z0-9]{3,40}\b", text)}
    best = max((w for w in words if label.startswith(w)), key=len, default=None)
    if best is None or best == label:
        return [label]
    return [best, label[len(best) :]]


def _short_forms(
    values: list[ContextValue], text: str, lexicons: LexiconSet | None
) -> list[ContextValue]:
    """A multi-word name's first word, when the text uses it alone at least twice
    ("Initech Health" ... "Initech's board"): the short form people actually write."""
    out = list(values)
    known = {v.value.lower() for v in values}
    not_names = _words("context.not_name", lexicons)
    for v in values:
        words = v.value.split(" ")
        first = words[0]
        if len(words) < 2 or len(first) < 4 or first.lower() in known | not_names:
            continue
        alone = [m for m in re.finditer(rf"\b{re.escape(first)}\b(?! {re.escape(words[1])})", text)]
        if len(alone) >= 2:
            m = alone[0]
            ev = Evidence(first, f"short form of {v.value}", m.start(), m.end())
            out.append(
                ContextValue(first, "inferred", round(v.confidence * 0.9, 2), (ev,), "short form")
            )
            known.add(first.lower())
    return out


def _repeated_footers(
    document: Document, lexicons: LexiconSet | None
) -> list[tuple[str, float, Evidence]]:
    """Names in a short line repeated on three or more slides or pages (a deck footer)."""
    seen: dict[str, set[str]] = {}
    first: dict[str, int] = {}
    for seg, off in zip(document.segments, document.offsets, strict=True):
        if not seg.location.startswith(("slide ", "page ")) or len(seg.text) > 80:
            continue
        page = seg.location.split(" ")[:2]
        if page[0] not in ("slide", "page") or "table" in seg.location:
            continue
        norm = " ".join(seg.text.split())
        seen.setdefault(norm, set()).add(" ".join(page))
        first.setdefault(norm, off)
    out = []
    for line, pages in seen.items():
        if len(pages) < 3 or not _FOOTER_MARK.search(line):
            continue  # a heading repeated on slides ("Strategy") is no footer
        for part in re.split(r"\s*[|·•©,]\s*|\s+[-–—]\s+", line):
            m = re.match(rf"^{_NAME}$", part.strip())
            name = _clean_name(m.group("name"), lexicons) if m else None
            if name and not re.search(r"\d", name):
                s = first[line] + max(0, line.find(name))
                out.append(
                    (
                        name,
                        0.7,
                        Evidence(line, f"repeated on {len(pages)} slides/pages", s, s + len(name)),
                    )
                )
    return out


def _date_in(text: str) -> tuple[str, int, int] | None:
    if _YEAR.search(text) is None:
        return None
    for pattern in (_DATE_ISO, _DATE_DMY, _DATE_MDY):
        for m in pattern.finditer(text):
            g = m.groupdict()
            if "mon" in g:
                month = next(
                    i for i, name in enumerate(_MONTHS, 1) if name[:3] == g["mon"][:3].lower()
                )
            else:
                month = int(g["m"])
            if not 1 <= month <= 12:
                continue
            day = int(g["d"]) if g.get("d") else None
            if day is not None and not 1 <= day <= 31:
                continue
            iso = f"{g['y']}-{month:02d}" + (f"-{day:02d}" if day else "")
            return iso, m.start(), m.end()
    return None


def _strip_org(label: str) -> tuple[str, str | None]:
    """``"Sam Rivera (Northwind)"`` -> ``("Sam Rivera", "Northwind")``."""
    m = _LABEL_ORG.search(label)
    if m is None:
        return label.strip(), None
    return label[: m.start()].strip(), m.group("name").strip()


def _genre(document: Document, customers: _Found) -> tuple[str, float, str]:
    if document.is_conversation:
        return "call", 0.9, "speaker turns"
    if document.format == "email":
        return "email", 0.95, "email headers"
    if any(m == "account-plan title" for _c, _e, m in customers.best.values()):
        return "account plan", 0.9, "account-plan title"
    head = document.text[:300].lower()
    if "account plan" in head:
        return "account plan", 0.7, "'account plan' near the top"
    by_format = {"pptx": ("deck", 0.8), "odp": ("deck", 0.8), "html": ("web page", 0.8)}
    g, conf = by_format.get(document.format, ("document", 0.3))
    return g, conf, f"{document.format} file"


def infer_context(
    document: Document | str,
    *,
    sellers: Sequence[str] = (),
    customers: Sequence[str] = (),
    lexicons: LexiconSet | None = None,
) -> FileContext:
    """What the file itself says about its context (every value's source ``"inferred"``).

    ``sellers`` and ``customers`` are names already known (given): they are not inferred
    again for the other side, so a seller's own name is never taken for the customer's.
    ``lexicons`` (say ``Analyzer(lexicons=[...]).lexicons``) supplies the word lists
    inference reads, ``context.not_name`` and ``context.no_company_domain``: the packaged
    ones plus the user's files and terms for those rules. Without it, the packaged ones.

    >>> ctx = infer_context("We at Northwind help clinics. Hi Initech team, here is the plan.")
    >>> ctx.seller_names, ctx.customer_names
    (('Northwind',), ('Initech',))
    """
    doc = Document.from_text(document) if isinstance(document, str) else document
    text = doc.text[:MAX_SCAN_CHARS]
    meta = doc.metadata or {}
    s_found, c_found = _Found(), _Found()
    lower = text.lower()
    _scan(text, _SELLER_CUES, s_found, lower, lexicons)
    _scan(text, _CUSTOMER_CUES, c_found, lower, lexicons)
    for name, conf, ev in _repeated_footers(doc, lexicons):
        s_found.add(name, conf, ev, "deck footer")
    rep: ContextValue | None = None
    if doc.format == "email":
        sender = str(meta.get("from", ""))
        for name, conf, addr in _domain_names(sender, text, lexicons):
            s_found.add(name, conf, Evidence(addr, "From header"), "sender domain")
        for header in ("to", "cc"):
            for name, conf, addr in _domain_names(str(meta.get(header, "")), text, lexicons):
                c_found.add(
                    name,
                    conf - 0.1 * (header == "cc"),
                    Evidence(addr, f"{header.title()} header"),
                    "recipient domain",
                )
        display = " ".join(_display_name(sender[:4096]).split())
        if _PERSON.match(display) and "_" not in display:
            rep = ContextValue(
                display, "inferred", 0.9, (Evidence(sender, "From header"),), "email sender"
            )
    if rep is None:
        for pattern in _REP_CUES:
            m = pattern.search(text)
            if m:
                s, e = m.span("name")
                rep = ContextValue(
                    m.group("name"),
                    "inferred",
                    0.7,
                    (Evidence(m.group(0).strip(), "owner line", s, e),),
                    "plan owner",
                )
                break
    # The other side's given names are never inferred for this side.
    given_s = {n.lower() for n in sellers}
    given_c = {n.lower() for n in customers}
    seller_vals = [
        v for v in _short_forms(s_found.values(), text, lexicons) if v.value.lower() not in given_c
    ]
    customer_vals = [
        v for v in _short_forms(c_found.values(), text, lexicons) if v.value.lower() not in given_s
    ]
    # A name found on both sides goes to the side with the stronger evidence.
    s_conf = {v.value.lower(): v.confidence for v in seller_vals}
    c_conf = {v.value.lower(): v.confidence for v in customer_vals}
    seller_vals = [v for v in seller_vals if v.confidence >= c_conf.get(v.value.lower(), 0.0)]
    customer_vals = [v for v in customer_vals if v.confidence > s_conf.get(v.value.lower(), 0.0)]
    date: ContextValue | None = None
    if meta.get("date"):
        try:
            d = parsedate_to_datetime(str(meta["date"]))
            date = ContextValue(
                d.date().isoformat(),
                "inferred",
                0.95,
                (Evidence(str(meta["date"]), "Date header"),),
                "email date",
            )
        except (TypeError, ValueError, IndexError, OverflowError):
            date = None
    if date is None:
        found = _date_in(text[:2000])
        if found is not None:
            iso, s, e = found
            date = ContextValue(
                iso,
                "inferred",
                0.6,
                (Evidence(text[s:e], "near the top", s, e),),
                "first date in the file",
            )
    genre, g_conf, g_why = _genre(doc, c_found)
    account = None
    if customer_vals:
        top = customer_vals[0]
        account = ContextValue(top.value, "inferred", top.confidence, top.evidence, "customer name")
    return FileContext(
        rep=rep,
        account=account,
        date=date,
        genre=ContextValue(genre, "inferred", g_conf, (Evidence(g_why, "file"),), g_why),
        sellers=tuple(seller_vals),
        customers=tuple(customer_vals),
    )


def speaker_orgs(document: Document, lexicons: LexiconSet | None = None) -> dict[str, str]:
    """Organisations named in speaker labels: ``{"Sam Rivera (Northwind)": "Northwind"}``.

    ``lexicons`` as for :func:`infer_context`.
    """
    out = {}
    for label in document.speakers:
        _person, org = _strip_org(label)
        name = _clean_name(org, lexicons) if org else None
        if name:
            out[label] = name
    return out


def _given(names: Sequence[str], where: str) -> tuple[ContextValue, ...]:
    ev = (Evidence(where, where),)
    return tuple(ContextValue(n, "given", 1.0, ev) for n in dict.fromkeys(names) if n)


def merge_context(
    inferred: FileContext,
    manifest: FileContext | None = None,
    *,
    sellers: Sequence[str] = (),
    customers: Sequence[str] = (),
) -> FileContext:
    """The file's context: manifest values first, then given names (``sellers``,
    ``customers`` from the command line or config), then inferred values, field by field.

    >>> inferred = infer_context("Account plan: Initech Health")
    >>> merge_context(inferred, customers=["Initech"]).customer_names
    ('Initech',)
    """
    m = manifest or FileContext()
    values: dict[str, Any] = {n: getattr(m, n) or getattr(inferred, n) for n in CONTEXT_FIELDS}
    for name, given in (("sellers", sellers), ("customers", customers)):
        listed = getattr(m, name)
        if listed:
            values[name] = listed
        elif given:
            values[name] = _given(given, "--" + name[:-1] + " / config")
        else:
            values[name] = getattr(inferred, name)
    # A name the other side was given is never this side's inferred name.
    for side, other in (("customers", "sellers"), ("sellers", "customers")):
        taken = {v.value.lower() for v in values[other] if v.source != "inferred"}
        values[side] = tuple(
            v for v in values[side] if v.source != "inferred" or v.value.lower() not in taken
        )
    acct = values["account"]
    names = {v.value.lower() for v in values["customers"]}
    if acct is not None and acct.source == "inferred" and acct.value.lower() not in names:
        values["account"] = None  # inferred from a name that is not this file's customer
    if (
        m.account is None
        and values["customers"]
        and (values["account"] is None or values["account"].source == "inferred")
    ):
        # The account: the inferred one if it is among the names used, else the first name.
        values["account"] = _main_customer(values["customers"], inferred) or values["account"]
    if values["account"] is not None and not m.customers and not customers:
        # A manifest account is a customer name too, unless the manifest lists the names.
        acct = values["account"]
        if acct.source == "manifest" and acct.value.lower() not in {
            v.value.lower() for v in values["customers"]
        }:
            values["customers"] = (acct, *values["customers"])
    return FileContext(**values)


def _main_customer(customers: Sequence[ContextValue], inferred: FileContext) -> ContextValue | None:
    inferred_account = inferred.account
    if inferred_account is not None and inferred_account.value in {c.value for c in customers}:
        return inferred_account
    top = customers[0]
    if top.source == "inferred":
        return ContextValue(top.value, "inferred", top.confidence, top.evidence, "customer name")
    return None


def with_speaker_orgs(
    ctx: FileContext, orgs: Mapping[str, str], roles: Mapping[str, str]
) -> FileContext:
    """Add organisations from speaker labels to the side their speaker's role puts them on,
    unless that side's names were given (a manifest or the caller)."""
    add: dict[str, list[ContextValue]] = {"sellers": [], "customers": []}
    for label, org in orgs.items():
        role = roles.get(label)
        side = "sellers" if role == "seller" else "customers" if role == "buyer" else None
        if side is None:
            continue
        current = getattr(ctx, side)
        if any(v.source != "inferred" for v in current):
            continue
        if org.lower() in {v.value.lower() for v in (*ctx.sellers, *ctx.customers)}:
            continue
        add[side].append(
            ContextValue(
                org, "inferred", 0.8, (Evidence(label, f"{role} speaker label"),), "speaker label"
            )
        )
    if not add["sellers"] and not add["customers"]:
        return ctx
    out = replace(
        ctx, sellers=(*ctx.sellers, *add["sellers"]), customers=(*ctx.customers, *add["customers"])
    )
    if out.account is None and out.customers:
        top = out.customers[0]
        out = replace(
            out,
            account=ContextValue(
                top.value, top.source, top.confidence, top.evidence, "customer name"
            ),
        )
    return out
