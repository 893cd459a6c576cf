"""Customer-voice cues on real buyer-side speech: how often do they fire, and how rightly?

    python benchmarks/voice.py

:func:`custfocus.team.voice.voice_kinds` classifies a buyer's sentence by lexicon cues. Two
real corpora carry labels close enough to check some of the kinds (from ``../shared/data`` or
``$CUSTFOCUS_SHARED/data``; nothing is copied into the repository):

* need: CaSiNo's annotated turns (campers negotiating food, water and firewood). A turn
  annotated ``self-need`` or ``other-need`` states a need; turns with neither strategy (and
  not ``no-need``, which names a need the speaker lacks) do not. Precision and recall of the
  ``need`` kind per turn. Dialogues with even ids are the DEV half (its misses were read
  when generic need phrases were added to ``voice_explicit_needs.txt``); odd ids are HELD
  OUT. CaSiNo's ``self-need`` marks an argument from a personal need ("I get dehydrated"),
  which a cue phrase often cannot see, so recall here is a floor.
* like / dislike: Persuasion for Good persuadee sentences annotated as a positive or negative
  reaction to donating (a reaction to the pitch, the nearest real proxy for what a buyer
  likes or dislikes). Share of each group where the cue fires, and precision of each cue
  between the two groups.

Goals and direction have no labelled real material here; their cues are untested on real text.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from custfocus.team.voice import voice_kinds  # noqa: E402


def shared_data() -> Path:
    env = os.environ.get("CUSTFOCUS_SHARED")
    base = Path(env) if env else ROOT / ".." / "shared"
    return base / "data"


def prf(tp: int, fp: int, fn: int) -> str:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (tp {tp}, fp {fp}, fn {fn})"


def casino(root: Path) -> None:
    path = root / "dialogues" / "casino" / "dialogues.jsonl"
    if not path.exists():
        print(f"skipped CaSiNo: {path} not found")
        return
    counts = {"dev": [0, 0, 0, 0], "held-out": [0, 0, 0, 0]}  # tp, fp, fn, tn
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            c = counts["dev" if int(d["dialog_id"]) % 2 == 0 else "held-out"]
            for turn in d["turns"]:
                strategies = set(turn.get("strategies") or ())
                if not strategies or "no-need" in strategies or not turn["text"].strip():
                    continue
                gold = bool(strategies & {"self-need", "other-need"})
                pred = "need" in voice_kinds(turn["text"])
                c[0] += gold and pred
                c[1] += pred and not gold
                c[2] += gold and not pred
                c[3] += not gold and not pred
    for split, (tp, fp, fn, tn) in counts.items():
        print(f"need on CaSiNo turns, {split} ({tp + fp + fn + tn} turns, {tp + fn} need):")
        print("  " + prf(tp, fp, fn))


def persuasion(root: Path) -> None:
    path = root / "persuasion_for_good" / "dialogues.jsonl"
    if not path.exists():
        print(f"skipped Persuasion for Good: {path} not found")
        return
    groups = {"positive-reaction-to-donation": [], "negative-reaction-to-donation": []}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            for s in json.loads(line)["sentences"]:
                if s["speaker"] == "persuadee" and s.get("label_1") in groups:
                    groups[s["label_1"]].append(voice_kinds(s["text"]))
    pos, neg = groups["positive-reaction-to-donation"], groups["negative-reaction-to-donation"]
    print(f"like / dislike on persuadee reactions ({len(pos)} positive, {len(neg)} negative):")
    for kind, right, wrong in (("like", pos, neg), ("dislike", neg, pos)):
        hit = sum(kind in k for k in right)
        miss = sum(kind in k for k in wrong)
        prec = hit / (hit + miss) if hit + miss else 0.0
        print(
            f"  {kind:8} fires on {hit / len(right):.1%} of its side, {miss / len(wrong):.1%} of "
            f"the other; precision {prec:.3f} ({hit} vs {miss})"
        )


def main() -> None:
    root = shared_data()
    casino(root)
    persuasion(root)


if __name__ == "__main__":
    main()
