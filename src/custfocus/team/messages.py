"""Message consistency across reps: which messages the team's claims carry, and who carries them.

Claims (the value and pitch sentences of each rep) are grouped into *messages* by text
similarity (:mod:`custfocus.team.similarity`, measured in ``benchmarks/messages.py``). A
message carried by enough reps is a *core* message; per rep we report the share of core
messages they carry and the share of their claims that match no core message; the team figure
is the mean overlap of the reps' message sets. Against a reference message house
(:func:`read_messaging`), each claim goes to its closest reference message when close enough,
which shows which reference messages reps use and which nobody uses. Every figure keeps the
statements behind it. Definitions: ``docs/METHOD.md``, "Message consistency and customer voice".
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

from ..errors import MessagingError
from .embedding import Embedder
from .inputs import Statement
from .similarity import Vectorizer

__all__ = [
    "CLAIM_THRESHOLD",
    "CORE_MIN_REPS",
    "CORE_SHARE",
    "MATCHER",
    "REFERENCE_THRESHOLD",
    "Message",
    "MessageAnalysis",
    "MessageGroup",
    "ReferenceUse",
    "RepMessages",
    "analyse_messages",
    "group_claims",
    "parse_messaging",
    "read_messaging",
]

#: The text view that measured best in ``benchmarks/messages.py``: character 3-5 grams
#: inside words (reference matching F1 0.66, claim-pair AUC 0.80 on the held-out half).
MATCHER = Vectorizer("char", char_min=3, char_max=5)
#: Cosine at which two claims join one message (the grouping's best F1 on the dev half).
CLAIM_THRESHOLD = 0.27
#: Cosine at which a claim carries a reference message (the best F1 on the dev half).
REFERENCE_THRESHOLD = 0.13
#: A message is core when at least this many reps carry it...
CORE_MIN_REPS = 2
#: ...and at least this share of the reps with claims (whichever is larger).
CORE_SHARE = 1 / 3
#: Largest messaging file read (a message house is a page, not a corpus).
MAX_MESSAGING_BYTES = 1_000_000
#: Most reference messages read from one file.
MAX_MESSAGES = 500

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+(.*)$")


@dataclass(frozen=True)
class Message:
    """One reference message: its headline, supporting points and where it was written."""

    id: str
    text: str
    points: tuple[str, ...] = ()
    line: int | None = None

    @property
    def full_text(self) -> str:
        """Headline and supporting points, the text claims are compared with."""
        return " ".join((self.text, *self.points))

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "points": list(self.points), "line": self.line}


def parse_messaging(text: str, origin: str = "<memory>") -> tuple[Message, ...]:
    """Reference messages from a message house: one per markdown heading, else one per line.

    With headings, each heading is a message and the bullets and lines under it are its
    supporting points; a heading with deeper headings under it is a section title (its own
    text is ignored), not a message. Without headings, every non-empty line (bullet marks
    dropped) is a message.

    >>> [m.text for m in parse_messaging("# House\\n## Fast setup\\n- one day\\n## Secure\\n")]
    ['Fast setup', 'Secure']
    >>> parse_messaging("Fast setup\\n\\n- Secure by default\\n")[1].text
    'Secure by default'
    """
    lines = text.splitlines()
    headings = [(i, _HEADING.match(ln)) for i, ln in enumerate(lines)]
    heads = [(i, len(m.group(1)), m.group(2).strip()) for i, m in headings if m and m.group(2)]
    raw: list[tuple[int, str, list[str]]] = []
    if heads:
        for k, (i, level, title) in enumerate(heads):
            end = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
            body = [_clean(ln) for ln in lines[i + 1 : end]]
            body = [b for b in body if b]
            if k + 1 < len(heads) and heads[k + 1][1] > level:
                continue  # a section title over deeper headings, not a message
            raw.append((i + 1, title, body))
    else:
        raw = [(i + 1, c, []) for i, ln in enumerate(lines) if (c := _clean(ln))]
    if not raw:
        raise MessagingError(origin, "no message found (one per line or per heading)")
    if len(raw) > MAX_MESSAGES:
        raise MessagingError(origin, f"{len(raw)} messages, more than {MAX_MESSAGES}")
    return tuple(
        Message(f"R{n}", title, tuple(points), line)
        for n, (line, title, points) in enumerate(raw, 1)
    )


def _clean(line: str) -> str:
    m = _BULLET.match(line)
    body = m.group(1) if m else line
    body = " ".join(re.sub(r"\*\*|__|`", "", body).split())
    return body if any(c.isalnum() for c in body) else ""  # a rule or lone "#" is no message


def read_messaging(path: str | os.PathLike[str]) -> tuple[Message, ...]:
    """Read a message house file (markdown or plain text, UTF-8); see :func:`parse_messaging`.

    Raises :class:`~custfocus.errors.MessagingError` naming the file when it is missing,
    not UTF-8, over 1 MB or holds no message.
    """
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_MESSAGING_BYTES:
            raise MessagingError(p, f"{size} bytes, more than {MAX_MESSAGING_BYTES}")
        text = p.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise MessagingError(p, "file not found") from None
    except IsADirectoryError:
        raise MessagingError(p, "is a directory, not a file") from None
    except PermissionError:
        raise MessagingError(p, "permission denied") from None
    except UnicodeDecodeError as exc:
        raise MessagingError(p, f"not UTF-8 text ({exc.reason})") from None
    if "\x00" in text:
        raise MessagingError(p, "binary content (NUL bytes), not a text file")
    return parse_messaging(text, str(p))


def _order(s: Statement) -> tuple[str, int, int, str]:
    return (s.path, s.start, s.end, s.text)


#: Claims per tile when comparing every pair: a tile product holds at most TILE x TILE
#: similarities, so memory stays bounded whatever the number of claims.
TILE = 1024
#: The most frequent grams, whose part of each tile product is multiplied as dense arrays
#: when the product is dense anyway: when two rows share DENSE_FROM grams or more on average.
COMMON_GRAMS = 384
DENSE_FROM = 1.0


def _neighbours(
    m: sp.csr_matrix | np.ndarray, threshold: float, n_jobs: int = 1
) -> list[np.ndarray]:
    """For each row of ``m`` (unit length), the rows whose cosine with it is >= ``threshold``,
    itself included, ascending.

    Every pair is compared once: cosine is symmetric, so only tiles on and above the diagonal
    are multiplied (half the work of a full product), ``TILE`` rows by ``TILE`` rows, and
    only the pairs over the threshold are kept. Where two rows share at least one gram on
    average (character grams: " th", "the", "ing"), most pairs have a cosine and most of the
    work is in the commonest grams, so each tile's product is split: the
    :data:`COMMON_GRAMS` grams found in most rows as dense arrays, the rest as sparse
    matrices, and the two parts added. Sparser rows (content words) stay sparse.
    The tiles are multiplied in single precision (faster, half the memory); a pair whose
    single-precision cosine lies within its rounding error of the threshold is computed
    again in double precision, so the neighbours are those of a double-precision product.
    ``n_jobs`` threads share the rows of tiles (the products release the GIL); the result
    does not depend on it. Time still grows with the square of the number of rows (see
    ``docs/METHOD.md`` §11 for why no candidate filter is used). Dense rows (embeddings)
    take :func:`_dense_tiles`, the same scheme on arrays.
    """
    n = m.shape[0]
    cut = threshold - 1e-12
    if isinstance(m, np.ndarray):
        tile_pairs = _dense_tiles(m, cut)
    else:
        tile_pairs = _sparse_tiles(m, cut)
    rows: list[np.ndarray] = [np.arange(n)]  # every row is its own neighbour
    cols: list[np.ndarray] = [np.arange(n)]
    starts = range(0, n, TILE)
    # One BLAS thread per product: the tiles are small, and threads of our own share them.
    with threadpool_limits(1, user_api="blas"):
        if n_jobs > 1 and len(starts) > 1:
            with ThreadPoolExecutor(n_jobs) as pool:
                found = list(pool.map(tile_pairs, starts))
        else:
            found = [tile_pairs(a) for a in starts]
    for r, c in found:
        rows += [r, c]
        cols += [c, r]
    return _adjacency(n, rows, cols)


def _sparse_tiles(m: sp.csr_matrix, cut: float) -> Callable[[int], tuple[np.ndarray, np.ndarray]]:
    """The pairs (row, col), col > row, with cosine >= ``cut`` among the rows of the tile
    starting at a given row and the rows from there on, for sparse unit rows."""
    n = m.shape[0]
    low = m.astype(np.float32)
    df = np.bincount(m.indices, minlength=m.shape[1])
    common = np.zeros(m.shape[1], dtype=bool)
    shared_per_pair = float(((df / max(n, 1)) ** 2).sum())  # grams two rows share, expected
    if shared_per_pair >= DENSE_FROM:
        common[np.argsort(-df, kind="stable")[:COMMON_GRAMS]] = True
    mixed = bool(common.any())
    # A float32 dot product of two unit rows sharing k terms is off by at most about
    # (k + 2) units of 2**-24 (each term's rounding and the running sum's), whatever order
    # the terms are summed in; the dense part adds at most one term per common gram and the
    # sum of the two parts one rounding more. Twice that.
    longest = int(np.diff(m.indptr).max(initial=0))
    slack = (longest + int(common.sum()) + 3) * 2.0**-23
    dense_part = low[:, np.flatnonzero(common)].tocsr()
    sparse_part = low[:, np.flatnonzero(~common)].tocsr() if mixed else low
    starts = range(0, n, TILE)
    dense = [dense_part[a : a + TILE] for a in starts] if mixed else []  # arrays when used
    tiles = [sparse_part[a : a + TILE] for a in starts]
    tiles_t = [t.T.tocsc() for t in tiles]

    def pairs(a: int) -> tuple[np.ndarray, np.ndarray]:
        i = a // TILE
        left = dense[i].toarray() if mixed else None
        rows, cols = [], []
        for j in range(i, len(tiles)):
            b = j * TILE
            rare = (tiles[i] @ tiles_t[j]).tocoo()
            if left is not None:
                block = left @ dense[j].toarray().T
                block[rare.row, rare.col] += rare.data
                if i == j:  # the diagonal tile: the pairs above it only
                    block[np.tril_indices_from(block)] = 0.0
                sure = block >= cut + slack
                r_near, c_near = np.nonzero(~sure & (block > cut - slack))
                r, c = np.nonzero(sure)
            else:
                upper = rare.col + b > rare.row + a
                sure = upper & (rare.data >= cut + slack)
                near = np.flatnonzero(upper & ~sure & (rare.data > cut - slack))
                r_near, c_near = rare.row[near], rare.col[near]
                r, c = rare.row[sure], rare.col[sure]
            if len(r_near):
                exact = np.asarray(m[a + r_near].multiply(m[b + c_near]).sum(axis=1)).ravel()
                r = np.concatenate([r, r_near[exact >= cut]])
                c = np.concatenate([c, c_near[exact >= cut]])
            rows.append(r + a)
            cols.append(c + b)
        return np.concatenate(rows), np.concatenate(cols)

    return pairs


def _dense_tiles(m: np.ndarray, cut: float) -> Callable[[int], tuple[np.ndarray, np.ndarray]]:
    """:func:`_sparse_tiles` for dense unit rows (embeddings): float32 tiles, pairs within
    rounding of the threshold recomputed in float64."""
    n, dim = m.shape
    # As for sparse rows: a float32 dot product of two unit rows of ``dim`` terms is off by
    # at most about (dim + 2) units of 2**-24; twice that.
    slack = (dim + 2) * 2.0**-23
    low = m.astype(np.float32)

    def pairs(a: int) -> tuple[np.ndarray, np.ndarray]:
        rows, cols = [], []
        for b in range(a, n, TILE):
            block = low[a : a + TILE] @ low[b : b + TILE].T
            sure = block >= cut + slack
            near = ~sure & (block > cut - slack)
            r_near, c_near = np.nonzero(near)
            if len(r_near):
                exact = np.einsum("ij,ij->i", m[a + r_near], m[b + c_near])
                sure[r_near[exact >= cut], c_near[exact >= cut]] = True
            r, c = np.nonzero(sure)
            r, c = r + a, c + b
            upper = c > r
            rows.append(r[upper])
            cols.append(c[upper])
        return np.concatenate(rows), np.concatenate(cols)

    return pairs


def _adjacency(n: int, rows: list[np.ndarray], cols: list[np.ndarray]) -> list[np.ndarray]:
    """Each row's neighbours, ascending, from the (row, col) pairs found."""
    r_all, c_all = np.concatenate(rows), np.concatenate(cols)
    graph = sp.csr_matrix((np.ones(len(r_all), dtype=np.int8), (r_all, c_all)), shape=(n, n))
    graph.sort_indices()
    return [graph.indices[graph.indptr[k] : graph.indptr[k + 1]] for k in range(n)]


def group_claims(
    claims: Sequence[Statement],
    *,
    threshold: float = CLAIM_THRESHOLD,
    vectorizer: Vectorizer | Embedder | None = None,
    n_jobs: int = 1,
) -> list[tuple[Statement, ...]]:
    """Claims grouped into messages: each group is a centre claim and the claims close to it.

    Star grouping, deterministic and free of chaining: the claim with the most neighbours
    (cosine >= ``threshold``) not yet grouped becomes a centre and takes its ungrouped
    neighbours; ties go to the first claim by (path, start). Every member is similar to its
    group's first claim, the centre. The result does not depend on the input order.
    Identical sentences are compared once and stay together. ``vectorizer`` is the text
    view: a :class:`Vectorizer` (sparse rows) or an :class:`Embedder` (dense rows);
    ``n_jobs`` threads compare them (the groups are the same for any number).

    >>> c = [Statement(t, "claim", "a.md", i, i + 1) for i, t in enumerate(
    ...     ["Setup takes one day.", "We have offices in Oslo.", "Setup takes only one day."])]
    >>> [[s.text for s in g] for g in group_claims(c)]
    [['Setup takes one day.', 'Setup takes only one day.'], ['We have offices in Oslo.']]
    """
    items = sorted(claims, key=_order)
    if not items:
        return []
    # Repeated sentences (one deck sent to many accounts) are vectorised and compared once:
    # copies have the same row, hence the same neighbours, and are always grouped together.
    first: dict[str, int] = {}
    copies: dict[int, list[int]] = {}
    for i, s in enumerate(items):
        copies.setdefault(first.setdefault(s.text, i), []).append(i)
    uniq = np.array(sorted(copies))
    weight = np.array([len(copies[int(u)]) for u in uniq])
    vec = vectorizer or MATCHER
    texts = [items[int(u)].text for u in uniq]
    m = (vec.rows if isinstance(vec, Embedder) else vec.fit_transform)(texts, weight.tolist())
    neighbours = _neighbours(m, threshold, n_jobs)
    degree = [int(weight[near].sum()) for near in neighbours]
    taken = np.zeros(len(uniq), dtype=bool)
    groups = []
    for centre in sorted(range(len(uniq)), key=lambda k: (-degree[k], int(uniq[k]))):
        if taken[centre]:
            continue
        near = neighbours[centre]
        ks = near[~taken[near]]  # the centre and its ungrouped neighbours
        taken[ks] = True
        members = sorted(i for k in ks for i in copies[int(uniq[k])])
        head = int(uniq[centre])
        members.remove(head)
        groups.append(tuple(items[j] for j in (head, *members)))
    return groups


@dataclass(frozen=True)
class MessageGroup:
    """One message the team's claims carry: its centre claim, members and reps."""

    id: str
    text: str
    statements: tuple[Statement, ...]
    reps: tuple[str, ...]
    core: bool
    reference: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "reps": list(self.reps),
            "core": self.core,
            "reference": self.reference,
            "statements": [s.to_dict() for s in self.statements],
        }


@dataclass(frozen=True)
class RepMessages:
    """One rep's messages: core coverage, off-message claims and reference messages used.

    ``core_share`` is NaN when the team has no core message; ``unmatched_share`` is NaN for a
    rep without claims.
    """

    rep: str
    claims: int
    messages: tuple[str, ...]
    core_carried: tuple[str, ...]
    core_share: float
    unmatched: tuple[Statement, ...]
    unmatched_share: float
    never_core: bool
    references: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "rep": self.rep,
            "claims": self.claims,
            "messages": list(self.messages),
            "core_carried": list(self.core_carried),
            "core_share": _num(self.core_share),
            "unmatched_share": _num(self.unmatched_share),
            "never_core": self.never_core,
            "references": list(self.references),
            "unmatched": [s.to_dict() for s in self.unmatched],
        }


@dataclass(frozen=True)
class ReferenceUse:
    """A reference message and the claims that carry it (best match, cosine >= threshold)."""

    message: Message
    reps: tuple[str, ...]
    matches: tuple[tuple[Statement, float], ...]

    @property
    def used(self) -> bool:
        return bool(self.matches)

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.message.to_dict(),
            "used": self.used,
            "reps": list(self.reps),
            "matches": [{**s.to_dict(), "score": round(c, 4)} for s, c in self.matches],
        }


@dataclass(frozen=True)
class MessageAnalysis:
    """The team's messages, per-rep figures, the consistency figure and reference use.

    ``consistency`` is the mean Jaccard overlap of the message sets of every pair of reps
    (NaN with fewer than two reps with claims).
    """

    groups: tuple[MessageGroup, ...]
    reps: tuple[RepMessages, ...]
    consistency: float
    core_min_reps: int
    references: tuple[ReferenceUse, ...] = ()
    threshold: float = CLAIM_THRESHOLD
    reference_threshold: float = REFERENCE_THRESHOLD
    unattributed: int = 0

    @property
    def core(self) -> tuple[MessageGroup, ...]:
        return tuple(g for g in self.groups if g.core)

    @property
    def unused_references(self) -> tuple[Message, ...]:
        return tuple(r.message for r in self.references if not r.used)

    def to_dict(self) -> dict[str, Any]:
        return {
            "consistency": _num(self.consistency),
            "core_min_reps": self.core_min_reps,
            "threshold": self.threshold,
            "reference_threshold": self.reference_threshold,
            "unattributed_claims": self.unattributed,
            "groups": [g.to_dict() for g in self.groups],
            "reps": [r.to_dict() for r in self.reps],
            "references": [r.to_dict() for r in self.references],
            "unused_references": [m.id for m in self.unused_references],
        }


def _num(x: float) -> float | None:
    return None if math.isnan(x) else x


def core_min_reps(n_reps: int, *, min_reps: int = CORE_MIN_REPS, share: float = CORE_SHARE) -> int:
    """Reps a message needs to be core: ``max(min_reps, ceil(share * n_reps))``.

    >>> core_min_reps(3), core_min_reps(12)
    (2, 4)
    """
    return max(min_reps, math.ceil(share * n_reps - 1e-9))


def analyse_messages(
    claims: Iterable[Statement],
    messaging: Sequence[Message] = (),
    *,
    threshold: float = CLAIM_THRESHOLD,
    reference_threshold: float = REFERENCE_THRESHOLD,
    min_reps: int = CORE_MIN_REPS,
    core_share: float = CORE_SHARE,
    n_jobs: int = 1,
) -> MessageAnalysis:
    """Group the team's claims into messages and measure each rep against the core ones.

    Only ``kind == "claim"`` statements count; a claim without a rep joins the groups but no
    rep's figures (``unattributed`` counts them). ``n_jobs`` threads compare the claims.

    >>> s = [Statement(t, "claim", f"{r}.txt", 0, len(t), rep=r) for r, t in [
    ...     ("ann", "Setup takes one day."), ("bob", "Setup takes only one day."),
    ...     ("cy", "We have offices in Oslo.")]]
    >>> a = analyse_messages(s)
    >>> [r.rep for r in a.reps if r.never_core]
    ['cy']
    """
    items = sorted((s for s in claims if s.kind == "claim"), key=_order)
    groups_raw = group_claims(items, threshold=threshold, n_jobs=n_jobs)
    rep_names = sorted({s.rep for s in items if s.rep is not None})
    need = core_min_reps(len(rep_names), min_reps=min_reps, share=core_share)

    # Reference messages: each claim to its best reference when the cosine is high enough.
    # Claims are keyed by identity below: ``items`` holds every one, and the groups hold
    # the same objects (an equal copy is grouped with its twin, so nothing changes).
    best: dict[int, tuple[int, float]] = {}
    if messaging and items:
        times = Counter(s.text for s in items)  # each distinct claim compared once
        texts = list(times)
        m = MATCHER.fit_transform(
            [*texts, *(x.full_text for x in messaging)],
            copies=[*times.values(), *(1 for _ in messaging)],
        )
        sims = (m[: len(texts)] @ m[len(texts) :].T).toarray()
        row = {t: i for i, t in enumerate(texts)}
        for s in items:
            i = row[s.text]
            k = int(sims[i].argmax())
            if sims[i, k] >= reference_threshold:
                best[id(s)] = (k, float(sims[i, k]))

    # Groups ordered by size, then text, so their ids are stable.
    groups_raw.sort(key=lambda g: (-len({s.rep for s in g if s.rep}), -len(g), _order(g[0])))
    groups = []
    for n, members in enumerate(groups_raw, 1):
        carriers = tuple(sorted({s.rep for s in members if s.rep is not None}))
        refs = [messaging[best[id(s)][0]].id for s in members if id(s) in best]
        ref = max(sorted(set(refs)), key=refs.count) if refs else None
        ordered = (members[0], *sorted(members[1:], key=_order))
        groups.append(
            MessageGroup(f"M{n}", members[0].text, ordered, carriers, len(carriers) >= need, ref)
        )
    group_of = {id(s): g for g in groups for s in g.statements}
    core_ids = {g.id for g in groups if g.core}

    per_rep: dict[str, list[Statement]] = defaultdict(list)
    for s in items:
        if s.rep is not None:
            per_rep[s.rep].append(s)
    reps = []
    sets: list[set[str]] = []
    for rep in rep_names:
        mine = per_rep[rep]
        messages = sorted({group_of[id(s)].id for s in mine}, key=_gid)
        carried = tuple(g for g in messages if g in core_ids)
        unmatched = tuple(s for s in mine if group_of[id(s)].id not in core_ids)
        used = sorted({messaging[best[id(s)][0]].id for s in mine if id(s) in best}, key=_gid)
        reps.append(
            RepMessages(
                rep=rep,
                claims=len(mine),
                messages=tuple(messages),
                core_carried=carried,
                core_share=len(carried) / len(core_ids) if core_ids else math.nan,
                unmatched=unmatched,
                unmatched_share=len(unmatched) / len(mine) if mine else math.nan,
                never_core=bool(core_ids) and not carried,
                references=tuple(used),
            )
        )
        sets.append(set(messages))
    overlaps = [len(a & b) / len(a | b) for a, b in combinations(sets, 2) if a | b]
    consistency = float(np.mean(overlaps)) if overlaps else math.nan

    matched: dict[int, list[tuple[Statement, float]]] = defaultdict(list)
    for s in items:  # in claim order, one pass for every reference message
        if id(s) in best:
            k, score = best[id(s)]
            matched[k].append((s, score))
    references = []
    for k, msg in enumerate(messaging):
        matches = tuple(matched[k])
        rs = tuple(sorted({s.rep for s, _ in matches if s.rep is not None}))
        references.append(ReferenceUse(msg, rs, matches))

    return MessageAnalysis(
        groups=tuple(groups),
        reps=tuple(reps),
        consistency=consistency,
        core_min_reps=need,
        references=tuple(references),
        threshold=threshold,
        reference_threshold=reference_threshold,
        unattributed=sum(1 for s in items if s.rep is None),
    )


def _gid(gid: str) -> tuple[int, str]:
    digits = gid[1:]
    return (int(digits), gid) if digits.isdigit() else (0, gid)
