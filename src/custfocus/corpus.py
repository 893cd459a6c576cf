"""Real corpora outside the repository, read as located sentences, and our labels joined to them.

Third-party text never enters the repository. ``data/training/real/*.jsonl`` holds only our
labels, each keyed to a sentence of a corpus by source, file, character offsets and a hash of
the sentence. This module extracts sentences from the corpora deterministically (so the keys
stay valid), joins the labels to them, and reads the dialogue corpora used to learn question
detection on unpunctuated speech. Corpora are looked up under ``CUSTFOCUS_CORPORA`` or the
``shared/data`` folder next to a checkout; everything here skips cleanly when they are absent.

The persuasion dialogues (Persuasion for Good) carry their own strategy labels; ``PFG_LABELS``
maps them onto ours (see ``data/training/README.md`` for the reasoning).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from .errors import CustfocusError

__all__ = [
    "CASINO_LABELS",
    "PFG_LABELS",
    "SALES_SOURCES",
    "CorpusSentence",
    "LabelledSentence",
    "casino_label_records",
    "corpora_root",
    "dialogue_questions",
    "join_labels",
    "pfg_label_records",
    "pfg_sentences",
    "sales_sentences",
    "sentence_key",
]

#: The sales and marketing sources under ``sales_marketing/`` (one company or author each).
SALES_SOURCES = (
    "cilium__cilium.io",
    "fleetdm__fleet",
    "gitpod-io__website",
    "kubernetes__website",
    "linkerd__website",
    "meltano__handbook",
    "sourcegraph__handbook",
    "supabase__supabase",
    "todogroup__todogroup.org",
    "zulip__zulip",
)

#: Persuasion for Good persuader strategies mapped onto our labels. Inquiries ask about the
#: persuadee (discovery); appeals, facts about the charity, stories and requests to give argue
#: for the seller's cause (pitch); requests to give are calls to action and, with courtesy,
#: closing logistics and off-task talk, other (as in ``data/training/GUIDELINES.md``).
#: There is no ``value`` here: the beneficiary of every appeal is the charity's children,
#: never the persuadee.
PFG_LABELS = {
    "personal-related-inquiry": "discovery",
    "source-related-inquiry": "discovery",
    "task-related-inquiry": "discovery",
    "ask-not-donate-reason": "discovery",
    "credibility-appeal": "pitch",
    "donation-information": "pitch",
    "logical-appeal": "pitch",
    "emotion-appeal": "pitch",
    "self-modeling": "pitch",
    "personal-story": "pitch",
    "foot-in-the-door": "pitch",
    "proposition-of-donation": "other",
    "ask-donate-more": "other",
    "greeting": "other",
    "thank": "other",
    "closing": "other",
    "acknowledgement": "other",
    "praise-user": "other",
    "off-task": "other",
    "ask-donation-amount": "other",
    "confirm-donation": "other",
    "you-are-welcome": "other",
    "comment-partner": "other",
    "positive-to-inquiry": "other",  # the persuader answering the persuadee's question
    "negative-to-inquiry": "other",
    "neutral-to-inquiry": "other",
    "other": "other",
}


#: CaSiNo negotiation strategies mapped onto ours, for turns with exactly one strategy.
#: Asking the partner about their preferences is discovery; arguing one's own needs is the
#: self-centred talk a pitch is; small talk is other. The other strategies (fairness,
#: coordination, empathy, undervaluing the partner) have no counterpart and are not used.
CASINO_LABELS = {"elicit-pref": "discovery", "self-need": "pitch", "small-talk": "other"}


def corpora_root(path: str | os.PathLike[str] | None = None) -> Path | None:
    """The corpora folder: ``path``, else ``$CUSTFOCUS_CORPORA``, else ``$CUSTFOCUS_SHARED/data``,
    else ``shared/data`` beside a checkout; ``None`` when none exists (callers skip)."""
    shared = os.environ.get("CUSTFOCUS_SHARED")
    candidates = [path, os.environ.get("CUSTFOCUS_CORPORA"), shared and Path(shared) / "data"]
    candidates.append(Path(__file__).resolve().parents[3] / "shared" / "data")
    for c in candidates:
        if c and Path(c).is_dir():
            return Path(c)
    return None


def sentence_key(text: str) -> str:
    """Hash of a sentence's visible text (whitespace-normalised): checks a label's target."""
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class CorpusSentence:
    """A sentence of a corpus file: ``text`` is visible text of ``raw[start:end]``."""

    source: str
    path: str
    start: int
    end: int
    text: str
    context: str = ""

    @property
    def sha(self) -> str:
        return sentence_key(self.text)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "path": self.path,
            "start": self.start,
            "end": self.end,
            "sha": self.sha,
            "text": self.text,
        }


# -- markdown and HTML to located sentences ------------------------------------------------
_FRONT_MATTER = re.compile(r"\A(?:---|\+\+\+)\n.*?\n(?:---|\+\+\+)\n", re.S)
_BLOCKS_DROPPED = re.compile(
    r"```.*?(?:```|\Z)|~~~.*?(?:~~~|\Z)|<script\b.*?(?:</script>|\Z)|<style\b.*?(?:</style>|\Z)"
    r"|<!--.*?(?:-->|\Z)|<pre\b.*?(?:</pre>|\Z)|<code\b.*?(?:</code>|\Z)|\{\{<.*?>\}\}|\{%.*?%\}"
    r"|\{\{.*?\}\}|\{#.*?#\}",
    re.S | re.I,
)
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|li|ul|ol|h[1-6]|br|tr|td|th|table|section|article|header|footer|blockquote"
    r"|figure|figcaption|nav|aside|main|dd|dt|dl|hr|img|button|form|label|option|select)\b[^>]*>",
    re.I,
)
_INLINE_TAG = re.compile(r"<[^<>\n]{0,400}>")
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)|\[([^\]\n]*)\]\[[^\]\n]*\]")
_LINE_MARKUP = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|>[ \t]*|[-*+][ \t]+|\d{1,3}[.)][ \t]+)")
_INLINE_MARKUP = re.compile(r"\*\*|__|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w)|`")
_ENTITY = re.compile(r"&(?:nbsp|amp|quot|#39|rsquo|lsquo|ldquo|rdquo|mdash|ndash|hellip);")
_ENTITY_TEXT = {
    "&nbsp;": " ",
    "&amp;": "&",
    "&quot;": '"',
    "&#39;": "'",
    "&rsquo;": "’",
    "&lsquo;": "‘",
    "&ldquo;": "“",
    "&rdquo;": "”",
    "&mdash;": "—",
    "&ndash;": "–",
    "&hellip;": "…",
}
_SENT_END = re.compile(r"(?<=[.!?])[\"”')\]]*\s+(?=[\"“'(\[]?[A-Z0-9])")


def _visible(raw: str) -> tuple[str, list[int]]:
    """The visible characters of a markdown/HTML file and each one's offset in ``raw``.

    Paragraph breaks (blank lines, block tags, table rows) become ``\\n\\n``; markup is
    dropped; link texts stay. One pass over non-overlapping spans keeps it linear.
    """
    drop = [0] * (len(raw) + 1)  # +1 start of a dropped span, -1 its end
    brk = bytearray(len(raw) + 1)
    m = _FRONT_MATTER.match(raw)
    spans: list[tuple[int, int, bool]] = []  # (start, end, is_break)
    if m:
        spans.append((0, m.end(), True))
    for rx, is_break in ((_BLOCKS_DROPPED, True), (_BLOCK_TAG, True), (_IMAGE, False)):
        spans += [(x.start(), x.end(), is_break) for x in rx.finditer(raw)]
    spans += [(x.start(), x.end(), False) for x in _INLINE_TAG.finditer(raw)]
    for x in _LINK.finditer(raw):
        g = 1 if x.group(1) is not None else 2
        spans.append((x.start(), x.start(g), False))
        spans.append((x.end(g), x.end(), False))
    line_start = 0
    for line in raw.split("\n"):
        lm = _LINE_MARKUP.match(line)
        if lm:
            spans.append((line_start, line_start + lm.end(), True))
        if line.lstrip().startswith("|") or not line.strip():
            spans.append((line_start, line_start + len(line), True))
        line_start += len(line) + 1
    spans += [(x.start(), x.end(), False) for x in _INLINE_MARKUP.finditer(raw)]
    for a, b, is_break in spans:
        if b > a:
            drop[a] += 1
            drop[b] -= 1
            if is_break:
                brk[a] = 1
    out: list[str] = []
    pos: list[int] = []
    depth = 0
    i = 0
    n = len(raw)
    while i < n:
        depth += drop[i]
        if brk[i]:
            out.append("\n\n")
            pos += [i, i]
        if depth > 0:
            i += 1
            continue
        if raw[i] == "&":
            em = _ENTITY.match(raw, i)
            if em:
                out.append(_ENTITY_TEXT[em.group(0)])
                pos.append(i)
                for j in range(i + 1, em.end()):
                    depth += drop[j]
                i = em.end()
                continue
        out.append(raw[i])
        pos.append(i)
        i += 1
    return "".join(out), pos


def _split(visible: str, pos: list[int]) -> Iterator[tuple[int, int, str]]:
    """Sentences of the visible text as raw offsets and whitespace-normalised text."""
    for para in re.finditer(r"(?:(?!\n\s*\n).)+", visible, re.S):
        a0 = para.start()
        text = para.group(0)
        cuts = [0] + [m.end() for m in _SENT_END.finditer(text)] + [len(text)]
        for a, b in pairwise(cuts):
            piece = text[a:b]
            stripped = piece.strip()
            if not stripped:
                continue
            lead = len(piece) - len(piece.lstrip())
            s = a0 + a + lead
            e = s + len(stripped)
            yield pos[s], pos[e - 1] + 1, " ".join(stripped.split())


_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
#: End punctuation, optionally followed by closing quotes or brackets: a sentence with a label.
_ENDS = re.compile(r"[.!?][\"'’”)\]]*\s*$")


def has_end_punctuation(text: str) -> bool:
    """Whether the writer ended ``text`` with ``.``, ``!`` or ``?`` (quotes may follow)."""
    return _ENDS.search(text) is not None


def _usable(text: str) -> bool:
    """Prose worth labelling: 3 to 80 words, mostly letters, not a URL or code fragment."""
    words = _WORD.findall(text)
    if not 3 <= len(words) <= 80:
        return False
    letters = sum(c.isalpha() for c in text)
    if letters < 0.6 * len(text.replace(" ", "")):
        return False
    return not re.search(r"https?://|\w+\(\)|[{}<>=;$]|\w+\.\w+\(", text)


@lru_cache(maxsize=4096)
def _file_sentences(source: str, path: str, full: str) -> tuple[CorpusSentence, ...]:
    raw = Path(full).read_text(encoding="utf-8", errors="replace")
    visible, pos = _visible(raw)
    return tuple(
        CorpusSentence(source, path, s, e, t) for s, e, t in _split(visible, pos) if _usable(t)
    )


def sales_sentences(
    root: str | os.PathLike[str], sources: Sequence[str] = SALES_SOURCES
) -> Iterator[CorpusSentence]:
    """Every usable sentence of the sales and marketing corpora, in a fixed order."""
    base = Path(root) / "sales_marketing"
    for source in sources:
        folder = base / source
        files = sorted(
            p
            for p in folder.rglob("*")
            if (p.suffix in (".md", ".mdx", ".html") and p.name != "README.md") or _is_page(p)
        )
        for p in files:
            rel = p.relative_to(folder).as_posix()
            yield from _file_sentences(source, rel, str(p))


def _is_page(p: Path) -> bool:
    # A README inside the content tree is a real page; the corpus folder's own README is ours.
    return p.name == "README.md" and p.parent.name not in SALES_SOURCES


# -- Persuasion for Good -------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PFGSentence:
    dialog_id: str
    index: int
    speaker: str
    text: str
    strategy: str | None
    strategy_2: str | None


def pfg_sentences(root: str | os.PathLike[str], *, annotated: bool = True) -> Iterator[PFGSentence]:
    """Sentences of the persuasion dialogues, persuader and persuadee, in dialogue order."""
    name = "dialogues.jsonl" if annotated else "unannotated_dialogues.jsonl"
    with open(Path(root) / "persuasion_for_good" / name, encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            for i, s in enumerate(d["sentences"]):
                yield PFGSentence(
                    d["dialog_id"], i, s["speaker"], s["text"], s.get("label_1"), s.get("label_2")
                )


def pfg_label_records(root: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Label records for every persuader sentence of the 200 annotated dialogues.

    The label comes from the corpus's own strategy annotation through ``PFG_LABELS``;
    ``is_question`` from the typed question mark (chat punctuation is the writer's own).
    Form and SPIN type are left to our own annotation pass.
    """
    for s in pfg_sentences(root):
        if s.speaker != "persuader" or not s.strategy:
            continue
        yield {
            "source": "persuasion_for_good",
            "path": s.dialog_id,
            "start": s.index,
            "end": s.index + 1,
            "sha": sentence_key(s.text),
            "label": PFG_LABELS.get(s.strategy, "other"),
            "is_question": "?" in s.text,
            "question_form": None,
            "spin": None,
            "genre": "call",
            "by": f"pfg:{s.strategy}",
        }


def casino_turns(root: str | os.PathLike[str]) -> Iterator[tuple[str, int, str, list[str]]]:
    """``(dialog_id, turn_index, text, strategies)`` of the annotated CaSiNo dialogues."""
    with open(Path(root) / "dialogues" / "casino" / "dialogues.jsonl", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            for i, t in enumerate(d["turns"]):
                if "strategies" in t:
                    yield str(d["dialog_id"]), i, t["text"], list(t["strategies"])


def casino_label_records(root: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Label records for CaSiNo turns with exactly one mapped strategy (see CASINO_LABELS)."""
    for did, i, text, strategies in casino_turns(root):
        if len(strategies) != 1 or strategies[0] not in CASINO_LABELS or not text.strip():
            continue
        q = "?" in text
        yield {
            "source": "casino",
            "path": did,
            "start": i,
            "end": i + 1,
            "sha": sentence_key(text),
            "label": CASINO_LABELS[strategies[0]],
            "is_question": q,
            "question_form": None,
            "spin": None,
            "genre": "call",
            "by": f"casino:{strategies[0]}",
        }


# -- question detection from dialogue punctuation ----------------------------------------
def dialogue_questions(
    root: str | os.PathLike[str], corpus: str, *, limit: int | None = None
) -> Iterator[tuple[str, str, bool]]:
    """``(dialog_id, sentence, is_question)`` from a dialogue corpus, the ``?`` as the label.

    Turns are split into sentences at end punctuation; a sentence is a question when it ends
    with ``?``. A sentence its writer left without end punctuation carries no label (an
    unpunctuated "how much do you need" is not a statement), so it is left out.
    Templated STAR wizard turns are skipped (they are not human writing).
    """
    n = 0
    for did, text in _turn_texts(root, corpus, pfg=False):
        for piece in _labelled_pieces(text):
            if not has_end_punctuation(piece):
                continue
            yield did, piece, _is_question(piece)
            n += 1
            if limit is not None and n >= limit:
                return


def dialogue_turns(root: str | os.PathLike[str], corpus: str) -> Iterator[tuple[str, str, bool]]:
    """``(dialog_id, turn, holds_question)``: whole turns of two or more sentences.

    Speech-to-text writes a turn without the punctuation that splits it, so the content model
    reads the whole turn as one sentence; its label is whether any of its sentences ends with
    ``?``. Only turns whose every sentence carries end punctuation have that label. ``pfg``
    (the persuasion dialogues) joins each speaker's consecutive sentences into a turn.
    """
    for did, text in _turn_texts(root, corpus, pfg=corpus == "pfg"):
        pieces = _labelled_pieces(text)
        if len(pieces) >= 2 and all(has_end_punctuation(p) for p in pieces):
            yield did, text, any(_is_question(p) for p in pieces)


def _turn_texts(
    root: str | os.PathLike[str], corpus: str, *, pfg: bool
) -> Iterator[tuple[str, str]]:
    """``(dialog_id, text)`` of every human-written turn (templated STAR turns skipped)."""
    if pfg:
        for annotated in (True, False):
            turn: list[str] = []
            last: tuple[str, str] | None = None
            for s in pfg_sentences(root, annotated=annotated):
                if last is not None and last != (s.dialog_id, s.speaker) and turn:
                    yield last[0], " ".join(turn)
                    turn = []
                last = (s.dialog_id, s.speaker)
                turn.append(s.text.strip())
            if last is not None and turn:
                yield last[0], " ".join(turn)
        return
    path = Path(root) / "dialogues" / corpus / "dialogues.jsonl"
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            did = str(d.get("dialog_id"))
            for turn_ in d.get("turns", []):
                if turn_.get("templated") or turn_.get("is_templated"):
                    continue
                yield did, str(turn_.get("text") or "").strip()


def _labelled_pieces(text: str) -> list[str]:
    """A turn's sentences, split at end punctuation, of two words or more."""
    pieces = (p.strip() for p in re.split(r"(?<=[.!?])\s+", text))
    return [p for p in pieces if len(_WORD.findall(p)) >= 2]


def _is_question(piece: str) -> bool:
    return piece.rstrip("\"') ").endswith("?")


# -- labels joined to corpus text ----------------------------------------------------------
@dataclass(frozen=True, slots=True)
class LabelledSentence:
    """One of our labels joined to its corpus sentence."""

    source: str
    path: str
    start: int
    end: int
    text: str
    label: str
    is_question: bool
    question_form: str | None
    spin: str | None
    genre: str | None
    group: str


def _index(root: Path, source: str, path: str) -> dict[tuple[int, int], CorpusSentence]:
    full = root / "sales_marketing" / source / path
    if not full.is_file():
        return {}
    return {(s.start, s.end): s for s in _file_sentences(source, path, str(full))}


def join_labels(
    label_files: Iterable[str | os.PathLike[str]], root: str | os.PathLike[str]
) -> tuple[list[LabelledSentence], list[str]]:
    """Our labels joined to the corpus text: ``(joined, problems)``.

    A label whose sentence is missing or whose hash differs is reported in ``problems`` and
    left out, so a changed corpus can never feed a label to the wrong sentence.
    """
    root = Path(root)
    joined: list[LabelledSentence] = []
    problems: list[str] = []
    pfg: dict[tuple[str, int], PFGSentence] | None = None
    casino: dict[tuple[str, int], str] | None = None
    files: dict[tuple[str, str], dict[tuple[int, int], CorpusSentence]] = {}
    for lf in label_files:
        for n, line in enumerate(Path(lf).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                source = row["source"]
            except (ValueError, KeyError) as exc:
                raise CustfocusError(f"{lf}:{n}: not a label record ({exc})") from None
            if source == "persuasion_for_good":
                if pfg is None:
                    pfg = {(s.dialog_id, s.index): s for s in pfg_sentences(root)}
                ps = pfg.get((row["path"], int(row["start"])))
                text = ps.text if ps else None
                group = f"pfg:{row['path']}"
            elif source == "casino":
                if casino is None:
                    casino = {(d, i): t for d, i, t, _ in casino_turns(root)}
                text = casino.get((row["path"], int(row["start"])))
                group = "casino"
            else:
                key = (source, row["path"])
                if key not in files:  # one index per corpus file, not per label
                    files[key] = _index(root, *key)
                cs = files[key].get((int(row["start"]), int(row["end"])))
                text = cs.text if cs else None
                group = source
            if text is None or sentence_key(text) != row["sha"]:
                problems.append(f"{lf}:{n}: {source}/{row['path']}@{row['start']} not found")
                continue
            joined.append(
                LabelledSentence(
                    source,
                    row["path"],
                    int(row["start"]),
                    int(row["end"]),
                    text,
                    row["label"],
                    bool(row.get("is_question")),
                    row.get("question_form"),
                    row.get("spin"),
                    row.get("genre"),
                    group,
                )
            )
    return joined, problems
