"""The content model: estimator conventions, persistence, the hash check, user models."""

from __future__ import annotations

import hashlib
import json
import pickle
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from custfocus import Analyzer
from custfocus.errors import ModelError
from custfocus.model import ContentClassifier, ModelVersionWarning, load_model
from custfocus.training import load_examples, strip_punctuation, train

TINY = Path(__file__).parent / "data" / "tiny.jsonl"


@pytest.fixture(scope="module")
def tiny_model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("model") / "tiny.npz"
    train(load_examples(TINY)).save(path)
    return path


def test_classifier_follows_estimator_conventions() -> None:
    clf = ContentClassifier(C=2.0)
    assert clf.get_params()["C"] == 2.0
    assert clone(clf).get_params() == clf.get_params()
    with pytest.raises(NotFittedError):
        clf.predict_proba(["How are you?"])
    texts = ["How do you plan renewals?", "Our tool has 200 integrations."] * 10
    fitted = clf.fit(texts, ["discovery", "pitch"] * 10)
    assert fitted is clf
    proba = clf.predict_proba(["What do you plan for renewals?"])
    assert proba.shape == (1, 2) and np.allclose(proba.sum(axis=1), 1)
    assert list(clf.classes_) == ["discovery", "pitch"]
    assert clf.predict(["Our tool has many integrations."])[0] == "pitch"


def test_a_fitted_classifier_pickles_without_its_spacy_pipeline() -> None:
    clf = ContentClassifier().fit(["How?", "Ours."] * 6, ["discovery", "pitch"] * 6)
    clf.predict(["How?"])  # builds the lazy pipeline
    restored = pickle.loads(pickle.dumps(clf))
    assert restored.predict(["How?"])[0] == "discovery"


def test_training_is_deterministic(tmp_path: Path) -> None:
    examples = load_examples(TINY)
    a = train(examples).predict_texts(["so how do you forecast today"])
    b = train(examples).predict_texts(["so how do you forecast today"])
    assert a == b


def test_saved_model_has_metadata_with_versions_and_hash(tiny_model_path: Path) -> None:
    meta = json.loads(tiny_model_path.with_suffix(".json").read_text())
    assert {"features_version", "custfocus_version", "model_sha256", "labels"} <= set(meta)
    assert len(meta["model_sha256"]) == 64


def test_a_model_file_is_plain_arrays_that_load_without_pickle(tiny_model_path: Path) -> None:
    with np.load(tiny_model_path, allow_pickle=False) as z:
        assert {"W_rows", "W_values", "b", "classes_label"} <= set(z.files)
        assert all(z[k].dtype != object for k in z.files)


def test_an_altered_model_file_is_refused_before_it_is_read(
    tiny_model_path: Path, tmp_path: Path
) -> None:
    altered = tmp_path / "altered.npz"
    altered.write_bytes(tiny_model_path.read_bytes() + b"\0")
    altered.with_suffix(".json").write_text(tiny_model_path.with_suffix(".json").read_text())
    with pytest.raises(ModelError, match="does not match"):
        load_model(altered)


def test_a_model_without_metadata_is_refused(tiny_model_path: Path, tmp_path: Path) -> None:
    bare = tmp_path / "bare.npz"
    bare.write_bytes(tiny_model_path.read_bytes())
    with pytest.raises(ModelError, match="no metadata"):
        load_model(bare)


def test_a_model_trained_on_other_features_warns_clearly(
    tiny_model_path: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.npz"
    other.write_bytes(tiny_model_path.read_bytes())
    meta = json.loads(tiny_model_path.with_suffix(".json").read_text())
    meta["features_version"] = 0
    other.with_suffix(".json").write_text(json.dumps(meta))
    with pytest.warns(ModelVersionWarning, match="features version 0"):
        load_model(other)


def test_a_pickled_model_of_the_old_format_is_refused_even_with_a_matching_hash(
    tiny_model_path: Path, tmp_path: Path
) -> None:
    old = tmp_path / "old.joblib"
    old.write_bytes(pickle.dumps({"heads": {}}))
    meta = json.loads(tiny_model_path.with_suffix(".json").read_text())
    meta.update(format_version=1, model_sha256=hashlib.sha256(old.read_bytes()).hexdigest())
    old.with_suffix(".json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="format version 1 is not supported"):
        load_model(old)


def test_the_packaged_model_loads_and_passes_its_hash_check() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = load_model()
    assert model.linear.names == ("label", "question", "form", "spin")
    sources = model.metadata["training_sources"]
    # Most of what it learned is real third-party text, not the team's own sentences.
    assert sources["sales_marketing"] + sources["persuasion_for_good"] > sources["team"]


def test_scoring_does_not_import_scikit_learn() -> None:
    code = (
        "import sys, custfocus; r = custfocus.score('How do you plan renewals? Ours is #1.');"
        "assert r.content is not None; print('sklearn' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_user_model_is_used_only_when_named(tiny_model_path: Path) -> None:
    analyzer = Analyzer(model=tiny_model_path)
    assert analyzer.content_model is not None
    assert (
        analyzer.content_model.metadata["model_sha256"]
        == json.loads(tiny_model_path.with_suffix(".json").read_text())["model_sha256"]
    )
    assert Analyzer(model=None).content_model is None


def test_strip_punctuation_mimics_speech_to_text() -> None:
    assert strip_punctuation("So, how's it going? Walk me through it!") == (
        "so how's it going walk me through it"
    )


def test_the_stacked_arrays_match_scikit_learn_predict_proba(tiny_model_path: Path) -> None:
    trained = train(load_examples(TINY))
    loaded = load_model(tiny_model_path)
    M = trained.featurizer.transform(["How do you plan renewals?", "Our platform is #1.", ""])
    for model in (trained, loaded):
        fast = model.head_proba(M)
        for name, head in trained.estimators.items():
            assert np.allclose(fast[name], head.predict_proba_matrix(M), atol=1e-6)


def test_scoring_a_batch_in_two_blocks_matches_the_whole_feature_matrix() -> None:
    import spacy

    from custfocus.components import ReferenceComponent
    from custfocus.tokens import TokenTable

    model = load_model()
    nlp = spacy.blank("en")
    table = TokenTable(list(nlp.pipe(["How do you plan renewals?", "Our platform is #1.", ""])))
    ReferenceComponent(nlp).process(table)
    spans = np.stack([table.offsets[:-1], table.offsets[1:]], axis=1)
    M = model.featurizer.transform_table(table, spans, nlp)
    hashed, dense = model.featurizer.transform_parts(table, spans, nlp)
    whole, parts = model.head_proba(M), model.linear.predict_proba_parts(hashed, dense)
    for name in whole:
        assert np.allclose(whole[name], parts[name])
    assert model.predict_table(table, spans, nlp) == model.predict_rows(M)


def test_the_sellers_name_reads_as_one_placeholder_word_whatever_it_is() -> None:
    # A company's name carries nothing from one seller's text to another's; that a
    # sentence names the seller does. So every named seller looks the same to the model.
    acme = Analyzer(seller=["Acme"]).score("Acme now supports single sign-on.")
    initech = Analyzer(seller=["Initech"]).score("Initech now supports single sign-on.")
    unnamed = Analyzer().score("Initech now supports single sign-on.")
    (a,), (b,), (c,) = acme.sentences, initech.sentences, unnamed.sentences
    assert (a.label, a.confidence) == (b.label, b.confidence)
    assert (b.label, b.confidence) != (c.label, c.confidence)


def test_training_rows_with_the_same_seller_names_match_the_annotated_path() -> None:
    from custfocus.features import SentenceFeaturizer

    featurizer = SentenceFeaturizer()
    texts = ["Fleet now supports SSO.", "Zulip now supports SSO.", "How do you sign in?"]
    rows = featurizer.transform(texts, sellers=[["Fleet"], ["Zulip"], []])
    assert (rows[0] != rows[1]).nnz == 0
    assert (rows[2] != featurizer.transform([texts[2]])).nnz == 0
    with pytest.raises(ValueError, match="3 texts but 1 seller"):
        featurizer.transform(texts, sellers=[["Fleet"]])


def _dense(texts: list[str]) -> list[dict[str, float]]:
    from custfocus.features import DENSE_FEATURES, SentenceFeaturizer

    block = SentenceFeaturizer().transform(texts).toarray()[:, -len(DENSE_FEATURES) :]
    return [dict(zip(DENSE_FEATURES, row.tolist(), strict=True)) for row in block]


def test_a_question_clause_after_the_first_word_is_a_feature_of_unpunctuated_speech() -> None:
    run_on, opening, statement = _dense(
        [
            "i love rock songs could you find me some",
            "so can you help me",
            "i think you can do it",
        ]
    )
    assert run_on["inner_aux_subject"] == 1.0 and run_on["starts_aux"] == 0.0
    # An auxiliary that opens the sentence is starts_aux, not a second clause.
    assert opening["inner_aux_subject"] == 0.0 and opening["starts_aux"] == 1.0
    assert statement["inner_aux_subject"] == 0.0


def test_a_tag_of_several_words_matches_on_its_last_two_words() -> None:
    # "isn't it" reads is/not/it: the sentence ends on not/it, never on is/not.
    tagged, plain = _dense(["the demo went well isn't it", "the demo went well"])
    assert tagged["ends_tag"] == 1.0 and plain["ends_tag"] == 0.0


def test_the_question_threshold_is_saved_with_the_model_and_used(
    tiny_model_path: Path, tmp_path: Path
) -> None:
    from custfocus.training import QUESTION_THRESHOLD

    model = load_model(tiny_model_path)
    assert model.question_threshold == QUESTION_THRESHOLD
    text = ["so how do you forecast today", "our tool is fast"]
    col = list(model.classes("question")).index(True)
    p = model.head_proba(model.featurizer.transform(text))["question"][:, col]
    strict = train(load_examples(TINY), question_threshold=0.99).save(tmp_path / "s.npz")
    reloaded = load_model(strict)
    assert reloaded.question_threshold == 0.99
    assert [r.is_question for r in reloaded.predict_texts(text)] == (p >= 0.99).tolist()


def test_a_model_file_without_a_question_threshold_reads_as_one_half(
    tiny_model_path: Path, tmp_path: Path
) -> None:
    with np.load(tiny_model_path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files if k != "question_threshold"}
    old = tmp_path / "old.npz"
    np.savez_compressed(old, **arrays)
    meta = json.loads(tiny_model_path.with_suffix(".json").read_text())
    meta["model_sha256"] = hashlib.sha256(old.read_bytes()).hexdigest()
    old.with_suffix(".json").write_text(json.dumps(meta))
    assert load_model(old).question_threshold == 0.5


def test_a_question_threshold_outside_zero_and_one_is_refused(
    tiny_model_path: Path, tmp_path: Path
) -> None:
    with pytest.raises(ModelError, match=r"threshold 1\.0 is not between"):
        train(load_examples(TINY), question_threshold=1.0)
    with np.load(tiny_model_path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    for bad in (np.array(7.0), np.array([0.4, 0.5])):
        broken = tmp_path / "broken.npz"
        np.savez_compressed(broken, **{**arrays, "question_threshold": bad})
        meta = json.loads(tiny_model_path.with_suffix(".json").read_text())
        meta["model_sha256"] = hashlib.sha256(broken.read_bytes()).hexdigest()
        broken.with_suffix(".json").write_text(json.dumps(meta))
        with pytest.raises(ModelError, match=r"broken\.npz: not a custfocus content model"):
            load_model(broken)
