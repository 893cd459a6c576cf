"""Message matching on real paraphrases: which text view and threshold find the same message?

    python benchmarks/messages.py

Material: 260 persuader sentences from the 200 annotated Persuasion for Good dialogues
(credibility, logical and emotion appeals and donation information; exact repeats dropped),
which hundreds of different persuaders wrote in their own words about the same charity. The
custfocus team labelled each with the message(s) it carries from a team-written message house
(``benchmarks/messages/pfg_house.md``, eight messages) or none; 22 sentences were too
ambiguous to label and are left out. Only keys (dialogue id, sentence index, sha1 of the text)
are stored, in ``benchmarks/messages/pfg_labels.jsonl``; the text is read from the corpus
(``../shared/data`` or ``$CUSTFOCUS_SHARED/data``).

Dialogues are split in two by a hash of their id: thresholds are chosen on the DEV half (the
best F1) and every figure is reported on the TEST half. Three tasks:

* reference: each sentence goes to its most similar house message when the cosine reaches
  the threshold (else to none); precision over assignments, recall over labelled sentences;
  AUC over all (message, sentence) pairs.
* pairs: two sentences from different dialogues carry the same message (labels intersect);
  AUC and F1 over all such pairs.
* groups: the team grouping (:func:`custfocus.team.messages.group_claims`), its threshold
  chosen on the dev sentences, run on the test sentences; pairwise precision/recall of its
  groups (two sentences of different dialogues in one group vs. carrying one message).

A second, smaller check on a REAL message house: Fleet's "Why Fleet?" handbook page (four
headings with their bullets, read with :func:`read_messaging` from the corpus) against 119
sentences sampled from Fleet's other articles and handbook pages (release notes left out),
which the team labelled with the message they restate (9 do; 11 ambiguous ones left out;
keys in ``benchmarks/messages/fleet_labels.jsonl``). The thresholds come from the
persuasion dev half unchanged, so this measures how they transfer to another company's
writing.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from itertools import combinations
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from _resample import gain_interval  # noqa: E402

from custfocus.corpus import sales_sentences, sentence_key  # noqa: E402
from custfocus.team.embedding import Embedder  # noqa: E402
from custfocus.team.inputs import Statement  # noqa: E402
from custfocus.team.messages import CLAIM_THRESHOLD, group_claims, read_messaging  # noqa: E402
from custfocus.team.similarity import Vectorizer  # noqa: E402

HERE = Path(__file__).resolve().parent / "messages"
SHIPPED = "char 3-5 (in words)"
VARIANTS: dict[str, Vectorizer | Embedder] = {
    "word 1-gram": Vectorizer("word", word_n=1),
    "word 1-2-gram": Vectorizer("word", word_n=2),
    "char 3-5 (in words)": Vectorizer("char", char_min=3, char_max=5),
    "char 2-4 (in words)": Vectorizer("char", char_min=2, char_max=4),
    "word 1-2 + char 3-5": Vectorizer("word+char"),
    "embed": Embedder("embed"),
    "embed centred": Embedder("embed", centre=True),
    "embed idf": Embedder("embed", idf=True),
    "embed idf centred": Embedder("embed", idf=True, centre=True),
    "embed + char 3-5": Embedder("embed+char"),
    "embed centred + char": Embedder("embed+char", centre=True),
}


def shared_data() -> Path:
    env = os.environ.get("CUSTFOCUS_SHARED")
    base = Path(env) if env else ROOT / ".." / "shared"
    return base / "data"


def load() -> list[dict[str, object]]:
    data = shared_data() / "persuasion_for_good" / "dialogues.jsonl"
    if not data.exists():
        sys.exit(f"skipped: {data} not found (set CUSTFOCUS_SHARED)")
    text: dict[tuple[str, int], str] = {}
    with open(data, encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            for i, s in enumerate(d["sentences"]):
                text[(d["dialog_id"], i)] = " ".join(s["text"].split())
    rows = []
    for line in (HERE / "pfg_labels.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        t = text.get((r["path"], r["start"]))
        if t is None or sentence_key(t) != r["sha"]:
            sys.exit(f"label key {r['path']}:{r['start']} does not match the corpus")
        if r["ambiguous"]:
            continue
        r["text"] = t
        r["split"] = "dev" if int(hashlib.sha1(r["path"].encode()).hexdigest(), 16) % 2 else "test"
        rows.append(r)
    return rows


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Probability that a random positive outscores a random negative (ties count half)."""
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    s = scores[order]
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and s[j + 1] == s[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    pos = labels.sum()
    neg = len(labels) - pos
    return float((ranks[labels].sum() - pos * (pos + 1) / 2) / (pos * neg))


def prf(tp: int, n_pred: int, n_true: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_true if n_true else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


# Up to 0.95: mean-pooled embeddings of any two sentences are already fairly close.
GRID = np.round(np.arange(0.05, 0.96, 0.01), 2)


def reference_task(sims: np.ndarray, gold: list[set[int]], t: float) -> tuple[float, float, float]:
    best = sims.argmax(axis=1)
    top = sims.max(axis=1)
    tp = n_pred = 0
    for b, s, g in zip(best, top, gold, strict=True):
        if s >= t:
            n_pred += 1
            tp += int(b + 1) in g
    return prf(tp, n_pred, sum(1 for g in gold if g))


def pair_task(sims: np.ndarray, rows: list[dict[str, object]], t: float) -> tuple[float, ...]:
    tp = n_pred = n_true = 0
    for i, j in combinations(range(len(rows)), 2):
        if rows[i]["path"] == rows[j]["path"]:
            continue
        same = bool(set(rows[i]["messages"]) & set(rows[j]["messages"]))  # type: ignore[arg-type]
        pred = sims[i, j] >= t
        tp += same and pred
        n_pred += pred
        n_true += same
    return prf(tp, n_pred, n_true)


def pair_arrays(sims: np.ndarray, rows: list[dict[str, object]]) -> tuple[np.ndarray, np.ndarray]:
    s, y = [], []
    for i, j in combinations(range(len(rows)), 2):
        if rows[i]["path"] != rows[j]["path"]:
            s.append(sims[i, j])
            y.append(bool(set(rows[i]["messages"]) & set(rows[j]["messages"])))  # type: ignore[arg-type]
    return np.array(s), np.array(y)


def main() -> None:
    rows = load()
    house = read_messaging(HERE / "pfg_house.md")
    texts = [str(r["text"]) for r in rows]
    split = {
        name: [i for i, r in enumerate(rows) if r["split"] == name] for name in ("dev", "test")
    }
    print(f"{len(rows)} labelled sentences ({len(split['dev'])} dev, {len(split['test'])} test),")
    print(
        f"{len(house)} house messages, {sum(1 for r in rows if r['messages'])} sentences carry one"
    )
    print()
    header = f"{'view':22} {'task':9} {'AUC':>5} {'thr':>5} {'P':>5} {'R':>5} {'F1':>5}"
    chosen: dict[str, float] = {}
    shipped: dict[str, list[int]] = {}
    print(
        "groups: after F1, the 95% interval of its F1 minus the shipped grouping's (char 3-5 at "
        f"{CLAIM_THRESHOLD}) on each half, resampling dialogues"
    )
    print(header)
    print("-" * len(header))
    for name, vec in VARIANTS.items():
        m = vec.fit_transform([*texts, *(h.full_text for h in house)])
        claims, msgs = m[: len(texts)], m[len(texts) :]
        ref = (claims @ msgs.T).toarray()
        pair = (claims @ claims.T).toarray()
        gold = [set(r["messages"]) for r in rows]  # type: ignore[arg-type]

        dev, test = split["dev"], split["test"]
        t_ref = max(GRID, key=lambda t: reference_task(ref[dev], [gold[i] for i in dev], t)[2])
        chosen[name] = float(t_ref)
        p, r, f = reference_task(ref[test], [gold[i] for i in test], t_ref)
        y = np.array([[k + 1 in gold[i] for k in range(len(house))] for i in test]).ravel()
        a = auc(ref[test].ravel(), y)
        print(f"{name:22} {'reference':9} {a:5.3f} {t_ref:5.2f} {p:5.3f} {r:5.3f} {f:5.3f}")

        dev_rows = [rows[i] for i in dev]
        test_rows = [rows[i] for i in test]
        d_sims = pair[np.ix_(dev, dev)]
        t_sims = pair[np.ix_(test, test)]
        t_pair = max(GRID, key=lambda t: pair_task(d_sims, dev_rows, t)[2])
        p, r, f = pair_task(t_sims, test_rows, t_pair)
        s, y2 = pair_arrays(t_sims, test_rows)
        print(f"{'':22} {'pairs':9} {auc(s, y2):5.3f} {t_pair:5.2f} {p:5.3f} {r:5.3f} {f:5.3f}")

        t_group = max(GRID, key=lambda t: group_task(dev_rows, vec, float(t))[2])
        p, r, f = group_task(test_rows, vec, float(t_group))
        if not shipped:
            ship = VARIANTS[SHIPPED]
            shipped["dev"] = where_of(dev_rows, ship, CLAIM_THRESHOLD)
            shipped["test"] = where_of(test_rows, ship, CLAIM_THRESHOLD)
        if name == SHIPPED and abs(t_group - CLAIM_THRESHOLD) < 1e-9:
            gain = "(shipped)"
        else:
            dlo, dhi = bootstrap_gain(dev_rows, shipped["dev"], where_of(dev_rows, vec, t_group))
            tlo, thi = bootstrap_gain(test_rows, shipped["test"], where_of(test_rows, vec, t_group))
            gain = f"dev {dlo:+.3f},{dhi:+.3f} test {tlo:+.3f},{thi:+.3f}"
        print(f"{'':22} {'groups':9} {'':5} {t_group:5.2f} {p:5.3f} {r:5.3f} {f:5.3f}  {gain}")
    fleet(chosen, header)


def fleet(chosen: dict[str, float], header: str) -> None:
    """A real message house against the same company's other pages, thresholds from above."""
    root = shared_data()
    house_path = root / "sales_marketing" / "fleetdm__fleet" / "handbook" / "why-fleet.md"
    if not house_path.exists():
        print(f"\nskipped Fleet: {house_path} not found")
        return
    house = read_messaging(house_path)
    labels = [json.loads(x) for x in (HERE / "fleet_labels.jsonl").read_text().splitlines()]
    wanted = {(r["path"], r["start"], r["end"]): r for r in labels if not r["ambiguous"]}
    found = {}
    for s in sales_sentences(root, ("fleetdm__fleet",)):
        r = wanted.get((s.path, s.start, s.end))
        if r is not None:
            if s.sha != r["sha"]:
                sys.exit(f"label key {s.path}:{s.start} does not match the corpus")
            found[(s.path, s.start, s.end)] = s.text
    rows = [wanted[k] for k in sorted(found)]
    texts = [found[k] for k in sorted(found)]
    gold = [set(r["messages"]) for r in rows]
    print()
    print(
        f"Fleet's own message house (handbook/why-fleet.md, {len(house)} messages) against "
        f"{len(rows)} sentences of its articles and handbook, {sum(1 for g in gold if g)} carrying "
        "one; thresholds as chosen on the persuasion dev half (no tuning here):"
    )
    print(header)
    print("-" * len(header))
    for name, vec in VARIANTS.items():
        m = vec.fit_transform([*texts, *(h.full_text for h in house)])
        ref = (m[: len(texts)] @ m[len(texts) :].T).toarray()
        p, r, f = reference_task(ref, gold, chosen[name])
        y = np.array([[k + 1 in g for k in range(len(house))] for g in gold]).ravel()
        a = auc(ref.ravel(), y)
        print(f"{name:22} {'reference':9} {a:5.3f} {chosen[name]:5.2f} {p:5.3f} {r:5.3f} {f:5.3f}")


def where_of(rows: list[dict[str, object]], vec: Vectorizer | Embedder, t: float) -> list[int]:
    """The group each row lands in under the team grouping."""
    statements = [
        Statement(str(r["text"]), "claim", str(r["path"]), int(r["start"]), int(r["end"]))  # type: ignore[call-overload]
        for r in rows
    ]
    groups = group_claims(statements, threshold=t, vectorizer=vec)
    where = {(s.path, s.start): g for g, members in enumerate(groups) for s in members}
    return [where[(s.path, s.start)] for s in statements]


def bootstrap_gain(
    rows: list[dict[str, object]], base: list[int], other: list[int]
) -> tuple[float, float]:
    """95% interval of pair F1(other) - F1(base), resampling the dialogues (seeded)."""
    paths = sorted({str(r["path"]) for r in rows})
    where = {p: k for k, p in enumerate(paths)}
    dialog = np.array([where[str(r["path"])] for r in rows])
    i, j = np.triu_indices(len(rows), 1)
    keep = dialog[i] != dialog[j]
    i, j = i[keep], j[keep]
    same = np.array(
        [
            bool(set(rows[a]["messages"]) & set(rows[b]["messages"]))
            for a, b in zip(i, j, strict=True)
        ]  # type: ignore[arg-type]
    )
    return gain_interval(dialog, i, j, same, base, other)


def group_task(
    rows: list[dict[str, object]], vec: Vectorizer | Embedder, threshold: float
) -> tuple[float, float, float]:
    """Pairwise precision/recall of the team grouping (each dialogue a rep)."""
    statements = [
        Statement(str(r["text"]), "claim", str(r["path"]), int(r["start"]), int(r["end"]))  # type: ignore[call-overload]
        for r in rows
    ]
    groups = group_claims(statements, threshold=threshold, vectorizer=vec)
    where = {(s.path, s.start): g for g, members in enumerate(groups) for s in members}
    tp = n_pred = n_true = 0
    for a, b in combinations(rows, 2):
        if a["path"] == b["path"]:
            continue
        same = bool(set(a["messages"]) & set(b["messages"]))  # type: ignore[arg-type]
        pred = where[(a["path"], a["start"])] == where[(b["path"], b["start"])]
        tp += same and pred
        n_pred += pred
        n_true += same
    return prf(tp, n_pred, n_true)


if __name__ == "__main__":
    main()
