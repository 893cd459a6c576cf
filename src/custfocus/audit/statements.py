"""The team statements of one scored file: what its seller claims, what its customer says.

A worker turns each report into a few plain dicts (:class:`custfocus.team.Statement` fields)
before the report is dropped, so the team analyses read small located sentences, never whole
reports. A worker sends one file's statements as one line of JSON (:func:`statements_line`,
arrays in :data:`STATEMENT_FIELDS` order, the same line :func:`encode_statements` makes of
the dicts), which is what crosses process boundaries (supervised workers, joblib, Dask) and
what the audit's parent appends to disk as it is: the parent neither unpickles nor
re-encodes a statement, so the bookkeeping costs it one string per file.

- **claims**: the seller's scored sentences the content model labels ``value`` or ``pitch``,
  from material a buyer hears or reads (an account plan or a sales plan is internal: its
  sentences describe the account, they are not claims made to it);
- **customer**: in a call, the sentences of the buyer's turns (backchannels left out); in an
  email, the quoted reply of a recipient ("On ..., Dana <dana@globex.example> wrote:"); in
  other documents, a buyer quoted in double quotes ("Close in three days, not eight.").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from email.utils import getaddresses
from typing import TYPE_CHECKING, Any

from ..context import FileContext
from ..document import Document
from ..results import Report

if TYPE_CHECKING:
    from ..team.inputs import Statement

__all__ = [
    "INTERNAL_GENRES",
    "MAX_STATEMENT_CHARS",
    "STATEMENT_FIELDS",
    "decode_statements",
    "encode_statements",
    "file_statements",
    "statements_line",
]

#: The fields of a statement, in the order :func:`encode_statements` writes them (the fields
#: of :class:`custfocus.team.Statement`; a test checks they stay the same).
STATEMENT_FIELDS = (
    "text", "kind", "path", "start", "end", "label", "rep", "account", "offering", "speaker",
)  # fmt: skip

#: A statement longer than this is cut (a runaway "sentence" in a table dump).
MAX_STATEMENT_CHARS = 600
#: Genres written for the seller's own team: no claims are taken from them.
INTERNAL_GENRES = frozenset({"account plan", "sales plan"})
#: Customer sentences shorter than this many words say nothing ("Yes.", "Mm-hm, right.").
MIN_CUSTOMER_WORDS = 4

_QUOTED = re.compile(r"[“\"](?P<q>[^\"“”\n]{20,400})[”\"]")
_WROTE = re.compile(r"^On [^\n]{4,200}?(?P<addr><[^<>\s]{3,200}@[^<>\s]{1,200}>)\s*wrote:", re.M)
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")


def _domain(addr: str) -> str:
    return addr.rsplit("@", 1)[-1].strip("<> ").lower()


def _values(text: str, kind: str, path: str, start: int, who: tuple[str | None, ...],
            label: str | None = None, speaker: str | None = None) -> list[Any]:  # fmt: skip
    """One statement's values in :data:`STATEMENT_FIELDS` order (``who``: rep, account,
    offering of the file)."""
    text = " ".join(text.split())[:MAX_STATEMENT_CHARS]
    return [text, kind, path, start, start + len(text), label, *who, speaker]


def _quoted_reply(document: Document) -> Iterator[tuple[str, int, str | None]]:
    """Sentences of a recipient's quoted reply in an email, with offsets and the author."""
    meta = document.metadata or {}
    recipients = {_domain(a) for _n, a in getaddresses([str(meta.get("to", ""))[:4096]]) if a}
    sender = {_domain(a) for _n, a in getaddresses([str(meta.get("from", ""))[:4096]]) if a}
    for seg, off in zip(document.segments, document.offsets, strict=True):
        if seg.kind != "quoted":
            continue
        head = _WROTE.search(seg.text)
        if head is None or _domain(head.group("addr")) not in recipients - sender:
            continue
        author = seg.text[head.start() + 3 : head.start("addr")].split(",")[-1].strip() or None
        pos = head.end()
        for line in seg.text[pos:].splitlines(keepends=True):
            body = line.lstrip("> ").rstrip()
            if body and not body.startswith(">"):
                start = off + pos + line.find(body)
                for m in _SENTENCE.finditer(body):
                    if len(m.group(0).split()) >= MIN_CUSTOMER_WORDS:
                        yield m.group(0).strip(), start + m.start(), author
            pos += len(line)


def file_statements(
    path: str, report: Report, context: FileContext, document: Document | None = None
) -> tuple[dict[str, Any], ...]:
    """The claims and customer statements of one scored file, as plain dicts.

    >>> from custfocus import Analyzer
    >>> from custfocus.context import FileContext
    >>> r = Analyzer().score("Our platform is the fastest on the market.")
    >>> [s["kind"] for s in file_statements("a.txt", r, FileContext())]
    ['claim']
    """
    return tuple(dict(zip(STATEMENT_FIELDS, v, strict=True))
                 for v in _file_values(path, report, context, document))  # fmt: skip


def statements_line(
    path: str, report: Report, context: FileContext, document: Document | None = None
) -> str:
    """:func:`file_statements` encoded as :func:`encode_statements` does, without the dicts:
    what a worker sends for each file."""
    values = _file_values(path, report, context, document)
    return json.dumps(values, separators=(",", ":")) + "\n" if values else ""


def _file_values(
    path: str, report: Report, context: FileContext, document: Document | None
) -> list[list[Any]]:
    out: list[list[Any]] = []
    who = (context.value("rep"), context.value("account"), context.value("offering"))
    internal = context.value("genre") in INTERNAL_GENRES
    sellers: set[str] = set()
    if report.conversation is not None:
        sellers = {r.speaker for r in report.conversation.roles if r.role == "seller"}
    for s in report.sentences:
        if s.speaker is not None and s.speaker not in sellers:
            if s.words >= MIN_CUSTOMER_WORDS and s.label != "discovery":
                out.append(_values(s.text, "customer", path, s.start, who, speaker=s.speaker))
        elif s.scored and s.label in ("value", "pitch") and not internal:
            out.append(_values(s.text, "claim", path, s.start, who, s.label, s.speaker))
    if document is not None and not document.is_conversation:
        if document.format == "email":
            for text, start, author in _quoted_reply(document):
                out.append(_values(text, "customer", path, start, who, speaker=author))
        else:
            for seg, off in zip(document.segments, document.offsets, strict=True):
                if not seg.scored:
                    continue
                for m in _QUOTED.finditer(seg.text):
                    if len(m.group("q").split()) >= MIN_CUSTOMER_WORDS:
                        out.append(_values(m.group("q"), "customer", path,
                                           off + m.start("q"), who))  # fmt: skip
    return out


def encode_statements(statements: Iterable[Mapping[str, Any]]) -> str:
    """One file's statements as one line of JSON (``\\n``-terminated), or ``""`` for none.

    The line is an array of arrays in :data:`STATEMENT_FIELDS` order: no key is repeated, so
    it is small to send and quick to read back (:func:`decode_statements`).

    >>> line = encode_statements([{"text": "We ship in weeks.", "kind": "claim", "path": "a.txt",
    ...                            "start": 0, "end": 17, "label": "value"}])
    >>> line
    '[["We ship in weeks.","claim","a.txt",0,17,"value",null,null,null,null]]\\n'
    >>> decode_statements(line)[0].label
    'value'
    """
    rows = [[s.get(f) for f in STATEMENT_FIELDS] for s in statements]
    return json.dumps(rows, separators=(",", ":")) + "\n" if rows else ""


def decode_statements(line: str, shared: dict[str, str] | None = None) -> list[Statement]:
    """The statements of one line :func:`encode_statements` wrote.

    ``shared`` (a dict kept across calls) makes equal strings other than the text one
    object: a file's path, rep and account are held once however many statements carry
    them. Texts are left alone, so a reader that streams statements keeps no text alive.
    """
    from ..team.inputs import Statement

    rows = json.loads(line)
    if shared is None:
        return [Statement(*values) for values in rows]
    one = shared.setdefault
    out = []
    for values in rows:
        if len(values) != len(STATEMENT_FIELDS):
            out.append(Statement(*values))  # not ours: raises as the plain path does
            continue
        text, kind, path, start, end, label, rep, account, offering, speaker = values
        out.append(Statement(text, one(kind, kind), one(path, path), start, end,
                             one(label, label), one(rep, rep), one(account, account),
                             one(offering, offering), one(speaker, speaker)))  # fmt: skip
    return out
