"""Speaker roles on real labelled conversations: is the seller found?

    python benchmarks/roles.py [--limit N] [--tune] [--no-model]

Builds each conversation in memory as a "Speaker: text" transcript (nothing is written to
disk, no third-party text enters the repository), reads it with custfocus's text reader and
runs custfocus's role inference. Two conditions:

* ``labelled``: the corpus's own labels ("Persuader:"/"Persuadee:", "SYSTEM:"/"USER:"),
  which the role words should settle; ``labelled-vtt``: the same as WebVTT cues with
  <v Speaker> voice tags, through the WebVTT reader.
* ``anonymised``: "Speaker 1"/"Speaker 2" in random order per dialogue (seeded by its id),
  so only behaviour counts: the honest figure for an unlabelled transcript.
  ``names``: the same with made-up first names.

Corpora (from ``../shared/data``, or ``$CUSTFOCUS_SHARED/data``):

* Persuasion for Good: the 200 annotated dialogues are the DEVELOPMENT split (the only data
  ``--tune`` fits behaviour weights on); the 717 unannotated dialogues are HELD OUT.
* SGD and STAR (service dialogues; the SYSTEM / Wizard is the provider, i.e. the seller
  side): held-out test, a seeded sample of ``--limit`` dialogues each.
* CaSiNo (two campers negotiating, no seller): only the share flagged uncertain is shown.
* ``../shared/realfiles`` vtt/srt: counted; no file there has speakers with knowable roles.

Accuracy = share of dialogues whose inferred seller set is exactly the true seller.
``--tune`` fits the :data:`custfocus.roles.WEIGHTS` by logistic regression on the
development split and prints them (paste them into ``src/custfocus/roles.py``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from custfocus import Analyzer
from custfocus.readers import read
from custfocus.readers.text import clock, read_text
from custfocus.readers.transcripts import read_vtt
from custfocus.roles import FEATURES, infer_roles, share_differences, speaker_features

ROOT = Path(__file__).resolve().parents[1]
NAMES = ["Avery", "Jordan", "Morgan", "Riley", "Casey", "Quinn", "Rowan", "Harper", "Emery"]


def shared() -> Path:
    env = os.environ.get("CUSTFOCUS_SHARED")
    return Path(env) if env else ROOT / ".." / "shared"


@dataclass(frozen=True)
class Dialogue:
    corpus: str
    split: str
    dialog_id: str
    turns: tuple[tuple[str, str], ...]  # (original label, text), consecutive turns merged
    seller: str | None  # original label of the seller side; None when there is none


def _merge(pairs: Iterator[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for label, text in pairs:
        text = " ".join(text.split())
        if not text:
            continue
        if out and out[-1][0] == label:
            out[-1] = (label, f"{out[-1][1]} {text}")
        else:
            out.append((label, text))
    return tuple(out)


def _jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _sample(rows: list[dict], limit: int, seed: str) -> list[dict]:
    if limit and len(rows) > limit:
        return random.Random(seed).sample(rows, limit)
    return rows


def persuasion() -> Iterator[Dialogue]:
    root = shared() / "data" / "persuasion_for_good"
    for name, split in (("dialogues.jsonl", "dev"), ("unannotated_dialogues.jsonl", "held-out")):
        for d in _jsonl(root / name):
            turns = _merge((s["speaker"].capitalize(), s["text"]) for s in d["sentences"])
            yield Dialogue("persuasion", split, d["dialog_id"], turns, "Persuader")


def _half(corpus: str, dialog_id: str) -> str:
    """Development or held-out, by a hash of the id: half and half, fixed across runs."""
    digest = hashlib.sha256(f"{corpus}/{dialog_id}".encode()).digest()
    return "dev" if digest[0] % 2 == 0 else "held-out"


def _two_sided(turns: list[dict], seller: str) -> bool:
    speakers = {t["speaker"] for t in turns if t["text"].strip()}
    return len(speakers) == 2 and seller in speakers


def service(corpus: str, seller: str, limit: int) -> Iterator[Dialogue]:
    path = shared() / "data" / "dialogues" / corpus / "dialogues.jsonl"
    # Only dialogues where both sides speak: STAR also holds empty and user-only ones.
    both = [d for d in _jsonl(path) if _two_sided(d["turns"], seller)]
    for d in _sample(both, limit, corpus):
        turns = _merge((t["speaker"], t["text"]) for t in d["turns"])
        i = str(d["dialog_id"])
        yield Dialogue(corpus, _half(corpus, i), i, turns, seller)


def casino(limit: int) -> Iterator[Dialogue]:
    path = shared() / "data" / "dialogues" / "casino" / "dialogues.jsonl"
    for d in _sample(list(_jsonl(path)), limit, "casino"):
        turns = _merge(
            (t["speaker"].replace("mturk_agent_", "Camper "), t["text"]) for t in d["turns"]
        )
        yield Dialogue("casino", "no seller", str(d["dialog_id"]), turns, None)


def relabel(d: Dialogue, condition: str) -> tuple[dict[str, str], str | None]:
    """Map original labels to the labels of ``condition``; return it and the seller's label."""
    labels = list(dict.fromkeys(label for label, _ in d.turns))
    rng = random.Random(hashlib.sha256(f"{d.corpus}/{d.dialog_id}".encode()).hexdigest())
    if condition in ("labelled", "labelled-vtt"):
        mapping = {x: x for x in labels}
    else:
        order = labels[:]
        rng.shuffle(order)
        if condition == "anonymised":
            mapping = {x: f"Speaker {order.index(x) + 1}" for x in labels}
        else:
            picked = rng.sample(NAMES, len(labels))
            mapping = {x: picked[order.index(x)] for x in labels}
    return mapping, mapping.get(d.seller or "")


def transcript(d: Dialogue, mapping: dict[str, str]) -> bytes:
    return "\n".join(f"{mapping[label]}: {text}" for label, text in d.turns).encode()


def webvtt(d: Dialogue, mapping: dict[str, str]) -> bytes:
    """The same turns as WebVTT cues with <v Speaker> voice tags, 5 s apart."""
    cues = [
        f"{i + 1}\n{clock(5 * i)}.000 --> {clock(5 * i + 4)}.000\n<v {mapping[label]}>{text}"
        for i, (label, text) in enumerate(d.turns)
    ]
    return ("WEBVTT\n\n" + "\n\n".join(cues) + "\n").encode()


class Tally:
    def __init__(self) -> None:
        self.n = self.right = self.uncertain = self.right_confident = self.confident = 0
        self.unread = 0

    def add(self, right: bool, uncertain: bool) -> None:
        self.n += 1
        self.right += right
        self.uncertain += uncertain
        if not uncertain:
            self.confident += 1
            self.right_confident += right

    def line(self, name: str) -> str:
        def pct(a: int, b: int) -> str:
            return f"{a / b:6.1%}" if b else "   n/a"

        return (
            f"{name:<34} n={self.n:<5} seller right {pct(self.right, self.n)} ({self.right}/"
            f"{self.n})  uncertain {pct(self.uncertain, self.n)}  right when not flagged "
            f"{pct(self.right_confident, self.confident)}  unread {self.unread}"
        )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=500, help="dialogues per SGD/STAR/CaSiNo")
    ap.add_argument("--tune", action="store_true", help="fit behaviour weights on dev only")
    ap.add_argument("--no-model", action="store_true", help="no content model (no labels)")
    args = ap.parse_args()
    if not (shared() / "data").is_dir():
        print(f"skipped: {shared() / 'data'} not found (set CUSTFOCUS_SHARED)")
        return 0
    analyzer = Analyzer(model=None) if args.no_model else Analyzer()
    dialogues = [
        *persuasion(),
        *service("sgd", "SYSTEM", args.limit),
        *service("star", "Wizard", args.limit),
        *casino(args.limit),
    ]
    conditions = ("labelled", "labelled-vtt", "anonymised", "names")
    tallies: dict[tuple[str, str, str], Tally] = {}
    diffs: dict[tuple[str, str], list[list[float]]] = {}
    began = time.perf_counter()
    for d in dialogues:
        features = None
        for condition in conditions:
            mapping, seller = relabel(d, condition)
            tally = tallies.setdefault((d.corpus, d.split, condition), Tally())
            name = f"{d.corpus}-{d.dialog_id}"
            if condition == "labelled-vtt":
                doc = read_vtt(Path(f"{name}.vtt"), webvtt(d, mapping))
            else:
                doc = read_text(Path(f"{name}.txt"), transcript(d, mapping))
            if len(doc.speakers) != len(mapping):
                tally.unread += 1
                continue
            # Score with every speaker as seller, so mentions and sentences of all speakers
            # are kept: exactly what the analyzer hands infer_roles before it picks roles.
            report = analyzer.score_document(doc, seller_speakers=list(doc.speakers))
            roles = infer_roles(doc, report.mentions, report.sentences)
            sellers = {r.speaker for r in roles if r.role == "seller"}
            uncertain = any(r.uncertain for r in roles)
            tally.add(sellers == ({seller} if seller else set()), uncertain)
            if features is None and seller is not None:
                features = speaker_features(doc, report.mentions, report.sentences)
                other = next(s for s in features if s != seller)
                diff = share_differences(features[seller], features[other])
                diffs.setdefault((d.corpus, d.split), []).append(diff)
    elapsed = time.perf_counter() - began
    print(f"{len(dialogues)} dialogues x {len(conditions)} conditions in {elapsed:.0f} s")
    for (corpus, split, condition), tally in tallies.items():
        name = f"{corpus} [{split}] {condition}"
        if split == "no seller":  # any seller named is wrong; the flag is what counts
            print(f"{name:<34} n={tally.n:<5} flagged uncertain {tally.uncertain / tally.n:6.1%}")
        else:
            print(tally.line(name))
    labelled = [t for (c, s, k), t in tallies.items() if k == "labelled" and c != "casino"]
    # (labelled-vtt is the same dialogues again through the WebVTT reader)
    right = sum(t.right for t in labelled)
    total = sum(t.n for t in labelled)
    print(
        f"ALL labelled (persuasion, sgd, star): seller right {right}/{total} = {right / total:.1%}"
    )
    realfiles()
    if args.tune:
        tune(diffs)
    return 0


def realfiles() -> None:
    root = shared() / "realfiles"
    files = sorted([*root.glob("vtt/*.vtt"), *root.glob("srt/*.srt")])
    conversations = 0
    for path in files:
        try:
            doc = read(path)
        except Exception:  # a broken fixture is not a roles question
            continue
        conversations += len(doc.speakers) >= 2
    print(
        f"realfiles vtt/srt: {len(files)} files, {conversations} with 2+ speakers; none has "
        "speakers whose sales roles are knowable, so none is scored for roles"
    )


def _fit(rows: list[list[float]]) -> list[float]:
    from sklearn.linear_model import LogisticRegression

    # Both orders of every dialogue: the rule is antisymmetric, so no intercept.
    x = rows + [[-v for v in row] for row in rows]
    y = [1] * len(rows) + [0] * len(rows)
    model = LogisticRegression(fit_intercept=False, C=1.0, max_iter=1000).fit(x, y)
    return [float(w) for w in model.coef_[0]]


def _show(weights: list[float], diffs: dict[tuple[str, str], list[list[float]]]) -> None:
    from custfocus.roles import UNCERTAIN_BELOW

    for (corpus, split), rows in sorted(diffs.items()):
        logits = [sum(w * v for w, v in zip(weights, row, strict=True)) for row in rows]
        right = sum(z > 0 for z in logits)
        sure = [z for z in logits if 1 / (1 + math.exp(-abs(z))) >= UNCERTAIN_BELOW]
        print(
            f"  {corpus} [{split}] anonymised: {right}/{len(rows)} = {right / len(rows):.1%}; "
            f"flagged {1 - len(sure) / len(rows):.1%}; right when not flagged "
            f"{sum(z > 0 for z in sure) / max(1, len(sure)):.1%}"
        )


def tune(diffs: dict[tuple[str, str], list[list[float]]]) -> None:
    """Fit the weights on the development splits only and show what they give on every
    split (the two-speaker rule of infer_roles, from the stored figures). Also fit on the
    persuasion development split alone, to show how far weights carry to other corpora."""
    dev = [x for (_, split), rows in diffs.items() if split == "dev" for x in rows]
    weights = _fit(dev)
    groups = sorted({c for c, s in diffs if s == "dev"})
    print(f"tuned on {len(dev)} development dialogues ({', '.join(groups)}):")
    for f, w in zip(FEATURES, weights, strict=True):
        print(f'    "{f}": {w:.2f},')
    _show(weights, diffs)
    print("fitted on the persuasion development split alone (cross-corpus transfer):")
    _show(_fit(diffs.get(("persuasion", "dev"), [])), diffs)


if __name__ == "__main__":
    sys.exit(main())
