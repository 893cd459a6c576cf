"""Train and evaluate the content model on labelled JSON Lines.

Each line: ``{"text", "label", "is_question", "question_form", "spin"}`` (see
``data/training/GUIDELINES.md``), optionally ``"seller"``: the seller's names in the sentence's
source, which the model learns as one placeholder word. Training is deterministic (seeded).
Every training sentence is also learnt in lower case with punctuation stripped, as
speech-to-text writes it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)

from .errors import CustfocusError
from .estimator import ContentClassifier, stack_heads
from .model import LABELS, SPIN_TYPES, ContentModel, load_model

__all__ = [
    "QUESTION_THRESHOLD",
    "Evaluation",
    "Example",
    "evaluate",
    "load_examples",
    "strip_punctuation",
    "train",
]

_STRIP = re.compile(r"[^\w\s'’%$€£#&+/-]+|(?<!\w)['’]|['’](?!\w)")


#: The question head's decision threshold on its calibrated probability, saved in the model.
#: Chosen on held-out dialogue corpora (docs/METHOD.md §2): F1 rewards recall more than the
#: accuracy-optimal 0.5, and a sentence with a "?" is a question whatever the threshold.
QUESTION_THRESHOLD = 0.4


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    label: str
    is_question: bool
    question_form: str | None
    spin: str | None
    genre: str | None = None
    #: Where the sentence comes from (a corpus source, ``team`` for our own writing):
    #: the unit of the grouped evaluation. ``None`` for a user's own data.
    source: str | None = None
    #: The seller's names in this sentence's source, as ``--seller`` would give them.
    seller: tuple[str, ...] = ()


def strip_punctuation(text: str) -> str:
    """Lower-case and drop punctuation (keeping in-word apostrophes), like raw ASR output."""
    return " ".join(_STRIP.sub(" ", text.lower()).split())


def load_examples(path: str | os.PathLike[str]) -> list[Example]:
    """Read and validate a JSONL file; errors name the file and line."""
    out = []
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise CustfocusError(f"{p}: training file not found") from None
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            ex = Example(
                text=str(row["text"]),
                label=row["label"],
                is_question=bool(row.get("is_question", False)),
                question_form=row.get("question_form"),
                spin=row.get("spin"),
                genre=row.get("genre"),
                seller=tuple(str(n) for n in row.get("seller") or ()),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise CustfocusError(f"{p}:{n}: not a valid example ({exc})") from None
        if ex.label not in LABELS:
            raise CustfocusError(f"{p}:{n}: label {ex.label!r} is not one of {LABELS}")
        if ex.is_question and ex.question_form not in ("open", "closed"):
            raise CustfocusError(f"{p}:{n}: a question needs question_form 'open' or 'closed'")
        if ex.spin is not None and ex.spin not in SPIN_TYPES:
            raise CustfocusError(f"{p}:{n}: spin {ex.spin!r} is not one of {SPIN_TYPES}")
        out.append(ex)
    if not out:
        raise CustfocusError(f"{p}: no examples")
    return out


def data_hash(paths: Iterable[str | os.PathLike[str]]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(Path(p).read_bytes())
    return h.hexdigest()


def _augment(examples: Sequence[Example]) -> list[Example]:
    out = list(examples)
    for ex in examples:
        stripped = strip_punctuation(ex.text)
        if stripped and stripped != ex.text:
            out.append(
                Example(
                    stripped,
                    ex.label,
                    ex.is_question,
                    ex.question_form,
                    ex.spin,
                    ex.genre,
                    ex.source,
                    ex.seller,
                )
            )
    return out


def train(
    examples: Sequence[Example],
    *,
    question_examples: Sequence[tuple[str, bool]] = (),
    C: float = 2.0,
    random_state: int = 0,
    metadata: Mapping[str, Any] | None = None,
    question_threshold: float = QUESTION_THRESHOLD,
) -> ContentModel:
    """Fit the four heads (label, question, form, spin) on ``examples``, deterministically.

    ``question_examples`` are extra ``(text, is_question)`` pairs that teach only the
    question head (dialogue sentences whose own punctuation is the label). A question
    without a ``question_form`` (or a discovery question without ``spin``) teaches the label
    and question heads only.
    """
    data = _augment(examples)
    featurizer = ContentClassifier(C=C, random_state=random_state)._featurizer()
    texts = [ex.text for ex in data] + [t for t, _ in question_examples]
    sellers = [ex.seller for ex in data] + [() for _ in question_examples]
    M = featurizer.transform(texts, sellers=sellers)

    def fit(rows: np.ndarray, y: Sequence[Any]) -> ContentClassifier:
        if len(set(y)) < 2:
            raise CustfocusError(
                f"the training data needs examples of at least two classes for every head; "
                f"found only {sorted(map(str, set(y))) or 'none'} ({len(rows)} examples)"
            )
        clf = ContentClassifier(C=C, random_state=random_state)
        clf.featurizer_ = featurizer
        return clf.fit_matrix(M[rows], np.asarray(y))

    all_rows = np.arange(len(data))
    every_row = np.arange(len(texts))
    q_rows = np.array(
        [i for i, ex in enumerate(data) if ex.is_question and ex.question_form], dtype=np.int64
    )
    s_rows = np.array(
        [i for i, ex in enumerate(data) if ex.is_question and ex.label == "discovery" and ex.spin],
        dtype=np.int64,
    )
    heads = {
        "label": fit(all_rows, [ex.label for ex in data]),
        "question": fit(
            every_row, [ex.is_question for ex in data] + [q for _, q in question_examples]
        ),
        "form": fit(q_rows, [data[i].question_form for i in q_rows]),
        "spin": fit(s_rows, [data[i].spin for i in s_rows]),
    }
    meta = {
        "training_examples": len(examples),
        "question_only_examples": len(question_examples),
        "training_rows_with_augmentation": len(data),
        "C": C,
        "random_state": random_state,
        **dict(metadata or {}),
    }
    return ContentModel(
        stack_heads(heads),
        n_features=featurizer.n_features,
        metadata=meta,
        estimators=heads,
        question_threshold=question_threshold,
    )


@dataclass(frozen=True)
class Evaluation:
    """Held-out figures; ``table()`` renders them for the README and the CLI."""

    n: int
    label_macro_f1: float
    label_accuracy: float
    per_class: Mapping[str, Mapping[str, float]]
    confusion: Sequence[Sequence[int]]
    question_f1: float
    question_f1_stripped: float
    form_accuracy: float | None
    spin_accuracy: float | None
    label_macro_f1_stripped: float
    extras: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "label_macro_f1": self.label_macro_f1,
            "label_accuracy": self.label_accuracy,
            "label_macro_f1_stripped": self.label_macro_f1_stripped,
            "per_class": {k: dict(v) for k, v in self.per_class.items()},
            "confusion_labels": list(LABELS),
            "confusion": [list(r) for r in self.confusion],
            "question_f1": self.question_f1,
            "question_f1_stripped": self.question_f1_stripped,
            "form_accuracy": self.form_accuracy,
            "spin_accuracy": self.spin_accuracy,
            **dict(self.extras),
        }

    def table(self) -> str:
        def pct(x: float | None) -> str:
            return "n/a" if x is None else f"{x:.3f}"

        lines = [
            f"examples: {self.n}",
            "",
            "| figure | value |",
            "|---|---|",
            f"| label macro-F1 (4 labels) | {pct(self.label_macro_f1)} |",
            f"| label accuracy | {pct(self.label_accuracy)} |",
            f"| label macro-F1, lower case without punctuation | "
            f"{pct(self.label_macro_f1_stripped)} |",
            f"| question detection F1 (punctuated) | {pct(self.question_f1)} |",
            f"| question detection F1 (case and punctuation stripped) | "
            f"{pct(self.question_f1_stripped)} |",
            f"| open/closed accuracy (on true questions) | {pct(self.form_accuracy)} |",
            f"| SPIN type accuracy (on true discovery questions) | {pct(self.spin_accuracy)} |",
            "",
            "| label | precision | recall | F1 | support |",
            "|---|---|---|---|---|",
        ]
        for lab in LABELS:
            c = self.per_class[lab]
            lines.append(
                f"| {lab} | {c['precision']:.3f} | {c['recall']:.3f} | {c['f1']:.3f} "
                f"| {int(c['support'])} |"
            )
        lines += ["", "confusion (rows: true, columns: predicted): " + " ".join(LABELS)]
        for lab, row in zip(LABELS, self.confusion, strict=True):
            lines.append(f"  {lab:<9} " + " ".join(f"{v:>5}" for v in row))
        return "\n".join(lines)


def evaluate(examples: Sequence[Example], model: ContentModel | None = None) -> Evaluation:
    """Score a model (the packaged one by default) on held-out examples."""
    model = model or load_model()
    texts = [ex.text for ex in examples]
    preds = model.predict_texts(texts)
    stripped = model.predict_texts([strip_punctuation(t) for t in texts])
    y = [ex.label for ex in examples]
    p = [pr.label for pr in preds]
    prec, rec, f1, sup = precision_recall_fscore_support(y, p, labels=list(LABELS), zero_division=0)
    per_class = {
        lab: {"precision": float(a), "recall": float(b), "f1": float(c), "support": float(d)}
        for lab, a, b, c, d in zip(LABELS, prec, rec, f1, sup, strict=True)
    }
    yq = [ex.is_question for ex in examples]
    q_idx = [i for i, ex in enumerate(examples) if ex.is_question and ex.question_form]
    d_idx = [i for i in q_idx if examples[i].label == "discovery" and examples[i].spin]

    def head_labels(head: str, rows: list[int]) -> Any:
        """``head`` applied to each of ``rows``, whatever the other heads say."""
        if not rows:
            return []
        proba = model.head_proba(model.featurizer.transform([texts[i] for i in rows]))[head]
        return model.classes(head)[proba.argmax(axis=1)]

    # Form is judged on true questions, SPIN type on true discovery questions.
    form_labels = head_labels("form", q_idx)
    spin_labels = head_labels("spin", d_idx)
    return Evaluation(
        n=len(examples),
        label_macro_f1=float(f1_score(y, p, labels=list(LABELS), average="macro")),
        label_accuracy=float(accuracy_score(y, p)),
        per_class=per_class,
        confusion=confusion_matrix(y, p, labels=list(LABELS)).tolist(),
        question_f1=float(f1_score(yq, [pr.is_question for pr in preds])),
        question_f1_stripped=float(f1_score(yq, [pr.is_question for pr in stripped])),
        form_accuracy=(
            float(accuracy_score([examples[i].question_form for i in q_idx], form_labels))
            if q_idx
            else None
        ),
        spin_accuracy=(
            float(accuracy_score([examples[i].spin for i in d_idx], spin_labels)) if d_idx else None
        ),
        label_macro_f1_stripped=float(
            f1_score(y, [pr.label for pr in stripped], labels=list(LABELS), average="macro")
        ),
    )
