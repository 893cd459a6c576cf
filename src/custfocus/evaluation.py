"""How well the content model generalises: grouped evaluation on real text.

Every figure here comes from sentences whose source was held out of fitting:

- **sales and marketing text**, leave one source out: each company's or author's sentences
  are predicted by a model trained on the other sources (plus the persuasion dialogues and
  the team's sentences);
- **persuasion dialogues**, split by dialogue into five folds;
- **question detection on unpunctuated speech**, leave one dialogue corpus out, on the
  lower-cased, unpunctuated sentences of human dialogues (their own ``?`` is the label).

``build_training_set`` assembles what the packaged model is trained on; ``grouped_evaluation``
runs the folds; ``GroupedEvaluation.table()`` is what ``custfocus evaluate`` prints.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import f1_score

from .corpus import (
    SALES_SOURCES,
    corpora_root,
    dialogue_questions,
    dialogue_turns,
    has_end_punctuation,
    join_labels,
    pfg_sentences,
)
from .errors import CustfocusError
from .lexicon import load_lexicons
from .model import LABELS, ContentModel
from .training import Example, load_examples, strip_punctuation, train

__all__ = [
    "DIALOGUE_CORPORA",
    "GroupedEvaluation",
    "build_training_set",
    "grouped_evaluation",
    "question_examples",
    "question_turns",
    "real_examples",
    "team_examples",
    "wh_rule_form",
]

#: Dialogue corpora whose punctuation teaches question detection on unpunctuated speech.
DIALOGUE_CORPORA = ("sgd", "star", "casino")
#: Question-only pairs learnt per dialogue corpus (CaSiNo holds about 18,500 in all), and the
#: first sentences of each corpus's same seeded order that score it when it is held out.
QUESTION_PAIRS_PER_CORPUS = 18000
QUESTION_TEST_PER_CORPUS = 6000
#: Whole multi-sentence turns learnt (and, held out, scored) per corpus: see question_turns.
QUESTION_TURNS_PER_CORPUS = 6000
_DATA = Path(__file__).resolve().parents[2] / "data" / "training"


def _data_dir(path: str | Path | None) -> Path:
    d = Path(path) if path else _DATA
    if not (d / "real").is_dir():
        raise CustfocusError(f"{d}: no real/ label folder (run from a custfocus checkout)")
    return d


def team_examples(data_dir: str | Path | None = None) -> list[Example]:
    """The sentences the team wrote (both splits), tagged ``source="team"``."""
    d = _data_dir(data_dir)
    out = []
    for name in ("train.jsonl", "test.jsonl"):
        for ex in load_examples(d / name):
            out.append(
                Example(
                    ex.text, ex.label, ex.is_question, ex.question_form, ex.spin, ex.genre, "team"
                )
            )
    return out


def real_examples(
    root: str | Path, data_dir: str | Path | None = None
) -> tuple[list[Example], list[str]]:
    """Our labels in ``data/training/real/`` joined to the corpus text: examples, problems.

    A persuasion-dialogue example's ``source`` is ``pfg:<dialog_id>``; a sales sentence's is
    its corpus source (one company or author).
    """
    d = _data_dir(data_dir)
    joined, problems = join_labels(sorted((d / "real").glob("*.jsonl")), root)
    sellers = seller_names(d)
    out = [
        Example(
            j.text,
            j.label,
            j.is_question,
            j.question_form if j.is_question else None,
            j.spin if j.is_question and j.label == "discovery" else None,
            j.genre,
            j.group,
            sellers.get("persuasion_for_good" if j.group.startswith("pfg:") else j.source, ()),
        )
        for j in joined
    ]
    return out, problems


def seller_names(data_dir: str | Path | None = None) -> dict[str, tuple[str, ...]]:
    """Each labelled source's seller names (``sellers.json``), as a user would give them."""
    path = _data_dir(data_dir) / "sellers.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CustfocusError(f"{path}: cannot read the seller names ({exc})") from None
    return {k: tuple(v) for k, v in raw.items() if not k.startswith("_")}


def _stable(value: str) -> int:
    return int(hashlib.sha1(value.encode("utf-8")).hexdigest()[:8], 16)


def question_examples(
    root: str | Path,
    corpora: Sequence[str] = DIALOGUE_CORPORA,
    per_corpus: int = QUESTION_PAIRS_PER_CORPUS,
) -> dict[str, list[tuple[str, bool]]]:
    """Unpunctuated dialogue sentences with their own ``?`` as the label, per corpus.

    A fixed, seeded sample of sentences per corpus; the persuasion dialogues (both
    speakers, all 917) are the fourth corpus, ``pfg``. A smaller ``per_corpus`` gives a
    prefix of the same order.
    """
    out: dict[str, list[tuple[str, bool]]] = {}
    for name in corpora:
        rows = list(dialogue_questions(root, name))
        random.Random(_stable(name)).shuffle(rows)
        out[name] = [(strip_punctuation(t), q) for _, t, q in rows[:per_corpus]]
    pfg = []
    for annotated in (True, False):
        for s in pfg_sentences(root, annotated=annotated):
            for piece in re.split(r"(?<=[.!?])\s+", s.text.strip()):
                if len(piece.split()) >= 2 and has_end_punctuation(piece):
                    pfg.append((strip_punctuation(piece), piece.rstrip("\"') ").endswith("?")))
    random.Random(_stable("pfg")).shuffle(pfg)
    out["pfg"] = pfg[:per_corpus]
    return out


def question_turns(
    root: str | Path,
    corpora: Sequence[str] = (*DIALOGUE_CORPORA, "pfg"),
    per_corpus: int = QUESTION_TURNS_PER_CORPUS,
) -> dict[str, list[tuple[str, bool]]]:
    """Whole unpunctuated turns of two or more sentences, per corpus: does it hold a ``?``.

    This is what the model reads of a transcript without punctuation (one turn, one
    sentence), so these pairs teach the question head a question inside a longer turn.
    """
    out: dict[str, list[tuple[str, bool]]] = {}
    for name in corpora:
        rows = [(strip_punctuation(t), q) for _, t, q in dialogue_turns(root, name)]
        random.Random(_stable(name)).shuffle(rows)
        out[name] = rows[:per_corpus]
    return out


def build_training_set(
    root: str | Path, data_dir: str | Path | None = None
) -> tuple[list[Example], list[tuple[str, bool]], dict[str, int]]:
    """Everything the packaged model learns from: examples, question-only pairs, counts."""
    real, problems = real_examples(root, data_dir)
    if problems:
        raise CustfocusError(f"{len(problems)} labels did not join, first: {problems[0]}")
    team = team_examples(data_dir)
    qx, qt = question_examples(root), question_turns(root)
    pairs = [r for rows in (*qx.values(), *qt.values()) for r in rows]
    return real + team, pairs, _counts(real + team, qx, qt)


def _counts(
    examples: Sequence[Example],
    qx: Mapping[str, Sequence[tuple[str, bool]]],
    qt: Mapping[str, Sequence[tuple[str, bool]]] | None = None,
) -> dict[str, int]:
    """Sentences per source family, and question-only pairs (sentences, turns) per corpus."""
    counts = Counter(_family(ex.source) for ex in examples)
    for name, rows in qx.items():
        counts[f"questions:{name}"] = len(rows)
    for name, rows in (qt or {}).items():
        counts[f"question_turns:{name}"] = len(rows)
    return dict(counts)


def _family(source: str | None) -> str:
    if source and source.startswith("pfg:"):
        return "persuasion_for_good"
    return "sales_marketing" if source in SALES_SOURCES else str(source)


@lru_cache(maxsize=1)
def _wh_opening() -> re.Pattern[str]:
    """Optional fillers, then a wh-word or an imperative request: the packaged lexicons."""
    lex = load_lexicons()

    def alt(rule: str) -> str:
        return "|".join(re.escape(t) for t in sorted(lex.terms(rule), key=len, reverse=True))

    fillers = alt("discourse.filler")
    return re.compile(
        rf"^(?:(?:{fillers})\W+)*(?:{alt('question.wh')}|{alt('question.request')})\b", re.I
    )


def wh_rule_form(text: str) -> str:
    """The one-line baseline: open when it starts with a wh-word or a request, else closed."""
    return "open" if _wh_opening().search(text.strip()) else "closed"


@dataclass(frozen=True)
class Scores:
    """Figures of one set of predictions against gold labels."""

    n: int
    macro_f1: float | None
    macro_f1_3way: float | None
    macro_f1_stripped: float | None
    per_class: Mapping[str, float]
    confusion: Sequence[Sequence[int]]
    question_f1: float | None
    question_f1_stripped: float | None
    form_accuracy: float | None
    form_accuracy_wh_rule: float | None
    n_form: int
    spin_accuracy: float | None
    n_spin: int

    def to_dict(self) -> dict[str, Any]:
        return {k: (dict(v) if isinstance(v, Mapping) else v) for k, v in self.__dict__.items()}


def _merge(label: str) -> str:
    return "claim" if label in ("value", "pitch") else label


def _f1(y: Sequence[Any], p: Sequence[Any], labels: Sequence[Any] | None = None) -> float | None:
    if not y:
        return None
    present = [lab for lab in (labels or sorted(set(y))) if lab in set(y)]
    return float(f1_score(y, p, labels=present, average="macro", zero_division=0))


_EMPTY = Scores(0, None, None, None, {}, [], None, None, None, None, 0, None, 0)


def _score(gold: Sequence[Example], pred: Mapping[str, list[Any]]) -> Scores:
    if not gold:
        return _EMPTY
    y = [g.label for g in gold]
    yq = [g.is_question for g in gold]
    f_idx = [i for i, g in enumerate(gold) if g.is_question and g.question_form]
    s_idx = [i for i, g in enumerate(gold) if g.is_question and g.label == "discovery" and g.spin]
    per = f1_score(y, pred["label"], labels=list(LABELS), average=None, zero_division=0)
    conf = [[0] * len(LABELS) for _ in LABELS]
    for a, b in zip(y, pred["label"], strict=True):
        conf[LABELS.index(a)][LABELS.index(b)] += 1
    any_q = any(yq)
    return Scores(
        n=len(gold),
        macro_f1=_f1(y, pred["label"], LABELS),
        macro_f1_3way=_f1([_merge(v) for v in y], [_merge(v) for v in pred["label"]]),
        macro_f1_stripped=_f1(y, pred["label_stripped"], LABELS),
        per_class={lab: float(v) for lab, v in zip(LABELS, per, strict=True)},
        confusion=conf,
        question_f1=float(f1_score(yq, pred["question"])) if any_q else None,
        question_f1_stripped=float(f1_score(yq, pred["question_stripped"])) if any_q else None,
        form_accuracy=(
            float(np.mean([gold[i].question_form == pred["form"][i] for i in f_idx]))
            if f_idx
            else None
        ),
        form_accuracy_wh_rule=(
            float(np.mean([gold[i].question_form == wh_rule_form(gold[i].text) for i in f_idx]))
            if f_idx
            else None
        ),
        n_form=len(f_idx),
        spin_accuracy=(
            float(np.mean([gold[i].spin == pred["spin"][i] for i in s_idx])) if s_idx else None
        ),
        n_spin=len(s_idx),
    )


def _predict(model: ContentModel, examples: Sequence[Example]) -> dict[str, list[Any]]:
    """Every head's prediction, each sentence read with its source's seller names."""
    texts = [ex.text for ex in examples]
    sellers = [ex.seller for ex in examples]
    M = model.featurizer.transform(texts, sellers=sellers)  # featurised once for every head
    preds = model.predict_matrix(M)
    stripped = model.predict_matrix(
        model.featurizer.transform([strip_punctuation(t) for t in texts], sellers=sellers)
    )
    proba = model.head_proba(M)
    return {
        "label": [p.label for p in preds],
        "label_stripped": [p.label for p in stripped],
        "question": [p.is_question for p in preds],
        "question_stripped": [p.is_question for p in stripped],
        "form": list(model.classes("form")[proba["form"].argmax(axis=1)]),
        "spin": list(model.classes("spin")[proba["spin"].argmax(axis=1)]),
    }


@dataclass(frozen=True)
class GroupedEvaluation:
    """Held-out-source figures on real text, and the same for a model of team text only."""

    overall: Scores
    sales: Scores
    persuasion: Scores
    negotiation: Scores
    by_genre: Mapping[str, Scores]
    by_source: Mapping[str, Scores]
    unpunctuated_questions: Mapping[str, float]
    team_only: Mapping[str, Scores]
    training_counts: Mapping[str, int]
    extras: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall.to_dict(),
            "sales": self.sales.to_dict(),
            "persuasion": self.persuasion.to_dict(),
            "negotiation": self.negotiation.to_dict(),
            "by_genre": {k: v.to_dict() for k, v in self.by_genre.items()},
            "by_source": {k: v.to_dict() for k, v in self.by_source.items()},
            "unpunctuated_questions": dict(self.unpunctuated_questions),
            "team_only": {k: v.to_dict() for k, v in self.team_only.items()},
            "training_counts": dict(self.training_counts),
            **dict(self.extras),
        }

    def table(self) -> str:
        def f(x: float | None) -> str:
            return "n/a" if x is None else f"{x:.3f}"

        def row(name: str, s: Scores) -> str:
            return (
                f"| {name} | {s.n} | {f(s.macro_f1)} | {f(s.macro_f1_3way)} | "
                f"{f(s.macro_f1_stripped)} | {f(s.question_f1)} | {f(s.form_accuracy)} "
                f"({s.n_form}) | {f(s.spin_accuracy)} ({s.n_spin}) |"
            )

        head = [
            "| held-out set | n | label macro-F1 (4) | discovery/claim/other F1 | "
            "macro-F1 unpunctuated | question F1 | open/closed acc (n) | SPIN acc (n) |",
            "|---|---|---|---|---|---|---|---|",
        ]
        lines = ["Real text, source held out of fitting (see docs/METHOD.md):", "", *head]
        lines += [
            row("all real text", self.overall),
            row("sales & marketing, leave one source out", self.sales),
            row("persuasion dialogues, 5 folds by dialogue", self.persuasion),
            row("negotiation dialogues (CaSiNo), held out", self.negotiation),
        ]
        lines += [row(f"genre: {g}", s) for g, s in sorted(self.by_genre.items())]
        lines += [row(f"source: {g}", s) for g, s in sorted(self.by_source.items())]
        lines += ["", "Same sets, model trained on the team's own sentences only:", "", *head]
        lines += [row(k, v) for k, v in self.team_only.items()]
        o = self.overall
        lines += [
            "",
            f"open/closed, one-line wh-word rule on the same questions: "
            f"{f(o.form_accuracy_wh_rule)}",
            "",
            "Question detection F1 on lower-cased unpunctuated dialogue, corpus held out:",
        ]
        lines += [f"  {k}: {f(v)}" for k, v in self.unpunctuated_questions.items()]
        turns = self.extras.get("unpunctuated_turns")
        if turns:
            lines += [
                "",
                "The same on whole turns of 2+ sentences (does the turn hold a question):",
            ]
            lines += [f"  {k}: {f(v)}" for k, v in turns.items()]
        unnamed = self.extras.get("without_seller_names")
        if unnamed:
            lines += ["", "discovery/claim/other F1 with the sellers' names hidden from the model:"]
            lines += [f"  {k}: {f(v)}" for k, v in unnamed.items()]
        lines += ["", "per-class F1 (all real text): "]
        lines += [f"  {k}: {f(v)}" for k, v in o.per_class.items()]
        lines += ["", "confusion (rows true, columns predicted): " + " ".join(LABELS)]
        for lab, r in zip(LABELS, o.confusion, strict=True):
            lines.append(f"  {lab:<9} " + " ".join(f"{v:>5}" for v in r))
        lines += [
            "",
            "learned from: " + ", ".join(f"{k} {v}" for k, v in self.training_counts.items()),
        ]
        return "\n".join(lines)


def grouped_evaluation(
    root: str | Path | None = None,
    data_dir: str | Path | None = None,
    *,
    folds: int = 5,
    fit: Callable[..., ContentModel] = train,
    progress: Callable[[str], None] | None = None,
) -> GroupedEvaluation:
    """Run every grouped fold and the team-only comparison (a few minutes on two cores)."""
    found = corpora_root(root)
    if found is None:
        raise CustfocusError("real corpora not found: pass --corpora or set CUSTFOCUS_CORPORA")
    say = progress or (lambda _msg: None)
    real, problems = real_examples(found, data_dir)
    if problems:
        raise CustfocusError(f"{len(problems)} labels did not join, first: {problems[0]}")
    team = team_examples(data_dir)
    qx, qt = question_examples(found), question_turns(found)

    def question_pairs(held: str) -> list[tuple[str, bool]]:
        """Every corpus's question-only sentences and turns but ``held``'s."""
        return [r for q in (qx, qt) for name, rows in q.items() if name != held for r in rows]

    preds: dict[int, dict[str, Any]] = {}
    index = {id(ex): i for i, ex in enumerate(real)}

    def run(test: list[Example], train_set: list[Example], qpairs: list[tuple[str, bool]]) -> None:
        model = fit(train_set, question_examples=qpairs)
        out = _predict(model, test)
        # The same model with the sellers' names hidden (only the label is compared).
        out["label_unnamed"] = [p.label for p in model.predict_texts([ex.text for ex in test])]
        for k, ex in enumerate(test):
            preds[index[id(ex)]] = {key: vals[k] for key, vals in out.items()}

    groups: dict[str, list[Example]] = defaultdict(list)
    for ex in real:
        src = str(ex.source)
        key = f"pfg{_stable(src) % folds}" if src.startswith("pfg:") else src
        groups[key].append(ex)
    for key in sorted(groups):
        say(f"fold: {key} held out ({len(groups[key])} sentences)")
        rest = [ex for k, v in groups.items() if k != key for ex in v]
        # The question-only pairs of the held-out corpus are left out too, so no fold's
        # question head has seen its own test sentences.
        family = "pfg" if key.startswith("pfg") else key
        run(groups[key], rest + team, question_pairs(family))

    def collect(sel: Iterable[Example]) -> Scores:
        chosen = list(sel)
        if not chosen:
            return _EMPTY
        idx = [index[id(ex)] for ex in chosen]
        return _score(chosen, {k: [preds[i][k] for i in idx] for k in preds[idx[0]]})

    sales = [ex for ex in real if ex.source in SALES_SOURCES]
    pfg = [ex for ex in real if str(ex.source).startswith("pfg:")]
    casino = [ex for ex in real if ex.source == "casino"]
    by_genre: dict[str, list[Example]] = defaultdict(list)
    for ex in sales:
        by_genre[str(ex.genre)].append(ex)

    say("team-only model")
    team_model = fit(team)
    team_out = _predict(team_model, real)
    team_scores = {
        "all real text": _score(real, team_out),
        "sales & marketing": _score(
            sales, {k: [v[index[id(ex)]] for ex in sales] for k, v in team_out.items()}
        ),
        "persuasion dialogues": _score(
            pfg, {k: [v[index[id(ex)]] for ex in pfg] for k, v in team_out.items()}
        ),
        "negotiation dialogues": _score(
            casino, {k: [v[index[id(ex)]] for ex in casino] for k, v in team_out.items()}
        ),
    }

    # The same folds with the sellers' names hidden, as when nobody names the seller.
    without_names = {
        name: _f1(
            [_merge(ex.label) for ex in sel],
            [_merge(preds[index[id(ex)]]["label_unnamed"]) for ex in sel],
        )
        for name, sel in (("all real text", real), ("sales & marketing", sales))
    }

    unpunct: dict[str, float] = {}
    unpunct_turns: dict[str, float] = {}
    for name in qx:
        say(f"question detection: {name} held out")
        model = fit(real + team, question_examples=question_pairs(name))
        # The same test sentences whatever the number learnt: each order's first ones.
        test = qx[name][:QUESTION_TEST_PER_CORPUS]
        got = [p.is_question for p in model.predict_texts([t for t, _ in test])]
        unpunct[name] = float(f1_score([q for _, q in test], got))
        # Whole turns, as a transcript without punctuation reaches the model.
        got = [p.is_question for p in model.predict_texts([t for t, _ in qt[name]])]
        unpunct_turns[name] = float(f1_score([q for _, q in qt[name]], got))

    return GroupedEvaluation(
        overall=collect(real),
        sales=collect(sales),
        persuasion=collect(pfg),
        negotiation=collect(casino),
        by_genre={g: collect(v) for g, v in by_genre.items() if len(v) >= 30},
        by_source={s: collect(groups[s]) for s in SALES_SOURCES if s in groups},
        unpunctuated_questions=unpunct,
        team_only=team_scores,
        training_counts=_counts(real + team, qx, qt),
        extras={"without_seller_names": without_names, "unpunctuated_turns": unpunct_turns},
    )
