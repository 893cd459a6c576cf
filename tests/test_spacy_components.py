"""custfocus as spaCy components: entry points, multiprocessing, save and load."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin

import custfocus.components  # noqa: F401  (registers the factories in this process)

TEXTS = [
    "Thank you, Globex. Our platform saves your team hours.",
    "We at Acme build the best engine. How do you run renewals today?",
] * 4


def make_nlp() -> spacy.Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("custfocus_sentences")
    nlp.add_pipe("custfocus_references", config={"seller": ["Acme"], "customer": ["Globex"]})
    return nlp


def test_factories_are_registered_as_entry_points_with_safe_names() -> None:
    names = {ep.name for ep in entry_points(group="spacy_factories")}
    assert {"custfocus_sentences", "custfocus_references", "custfocus_content"} <= names
    assert not any("/" in n or "." in n for n in names if n.startswith("custfocus"))
    for ep in entry_points(group="spacy_factories"):
        if ep.name.startswith("custfocus"):
            assert callable(ep.load())


def test_doc_and_span_extensions_give_reports() -> None:
    doc = make_nlp()(TEXTS[0])
    assert [(s.text, s.label_) for s in doc.spans["custfocus"]] == [
        ("Globex", "customer.name"),
        ("Our platform", "self.noun"),
        ("your team", "customer.noun"),
    ]
    assert doc._.custfocus.counts["customer"] == 2
    second = list(doc.sents)[1]
    assert second._.custfocus.counts == {**second._.custfocus.counts, "customer": 1, "self": 1}
    assert second._.custfocus.mentions[0].text == "Our platform"
    assert second._.custfocus.mentions[0].start == 0  # offsets into the span's own text


def test_the_content_component_labels_sentences_in_a_pipeline() -> None:
    nlp = make_nlp()
    nlp.add_pipe("custfocus_content")
    doc = nlp("How does your team handle renewals today? Our platform has 200 integrations.")
    labels = [(s.label, s.is_question) for s in doc._.custfocus.sentences]
    assert labels == [("discovery", True), ("pitch", False)]
    assert doc._.custfocus.components["content"] is not None


def test_nlp_pipe_with_two_processes_gives_the_same_reports() -> None:
    nlp = make_nlp()
    nlp.add_pipe("custfocus_content")
    single = [d._.custfocus.to_dict() for d in nlp.pipe(TEXTS)]
    multi = [d._.custfocus.to_dict() for d in nlp.pipe(TEXTS, n_process=2, batch_size=2)]
    assert multi == single


def test_annotations_survive_a_docbin_round_trip() -> None:
    nlp = make_nlp()
    docs = list(nlp.pipe(TEXTS[:2]))
    restored = list(DocBin(docs=docs, store_user_data=True).get_docs(nlp.vocab))
    assert [d._.custfocus.to_dict() for d in restored] == [d._.custfocus.to_dict() for d in docs]


@pytest.mark.slow
def test_saved_pipeline_loads_in_a_fresh_process(tmp_path: Path) -> None:
    nlp = make_nlp()
    nlp.get_pipe("custfocus_references").add_terms("self.noun", ["our widget"])
    nlp.to_disk(tmp_path / "pipeline")
    code = (
        "import spacy, sys\n"
        "nlp = spacy.load(sys.argv[1])\n"
        "doc = nlp('Our widget helps Globex and you.')\n"
        "print(sorted((s.text, s.label_) for s in doc.spans['custfocus']))\n"
        "print(round(doc._.custfocus.score, 3))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "pipeline")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    expected_spans = [
        ("Our widget", "self.noun"),
        ("Globex", "customer.name"),
        ("you", "customer.pronoun"),
    ]
    assert out[0] == str(sorted(expected_spans))
    expected = nlp("Our widget helps Globex and you.")._.custfocus.score
    assert float(out[1]) == round(expected, 3)
