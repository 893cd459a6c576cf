"""Matching customer themes by meaning (``theme_matcher="embed"``): the rules.

Every buyer sentence here is written by the custfocus team. Tests that need WordLlama skip
when the ``embed`` extra is not installed; the rest (the dense neighbour search, the typed
errors) run without it.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import random
import socket
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from custfocus.cli import EXIT_USAGE, main
from custfocus.errors import ConfigError, MissingExtraError
from custfocus.team import Statement, analyse_voice, analyze_team, embedding
from custfocus.team.messages import CLAIM_THRESHOLD, TILE, _neighbours
from custfocus.team.voice import EMBED_THEME_THRESHOLD, WORD_THEME_THRESHOLD, VoiceAnalysis

HAS_WORDLLAMA = importlib.util.find_spec("wordllama") is not None
needs_wordllama = pytest.mark.skipif(not HAS_WORDLLAMA, reason="the embed extra is not installed")
EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "team"

# Two statements about the same thing in different words (no word in common), and one apart.
KIDS = {
    "acme": ["We have kids with us this time."],
    "bolt": ["My children are coming along."],
    "core": ["I need more water for the hike."],
}


def voices(by_account: dict[str, list[str]]) -> list[Statement]:
    return [
        Statement(t, "customer", f"{acc}-call.vtt", i, i + len(t), account=acc)
        for acc, texts in by_account.items()
        for i, t in enumerate(texts)
    ]


def themes(result: VoiceAnalysis) -> list[set[str]]:
    return [{s.text for s in t.statements} for t in result.themes]


@pytest.fixture
def no_wordllama(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """wordllama looks uninstalled; the model cache is emptied before and after."""
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "wordllama" else real(name)
    )
    embedding.load_model.cache_clear()
    yield
    embedding.load_model.cache_clear()


def test_dense_neighbours_are_those_of_a_double_precision_product() -> None:
    rng = np.random.default_rng(5)
    n = TILE + 300  # more than one tile, so off-diagonal tiles count too
    m = rng.normal(size=(n, 32))
    m[1] = m[0] + 0.1 * m[1]  # a few close pairs
    m /= np.linalg.norm(m, axis=1)[:, None]
    sims = m @ m.T
    threshold = float(np.sort(sims[np.triu_indices(n, 1)])[-500])  # a pair sits on it
    found = _neighbours(m, threshold)
    for i in range(n):
        assert np.array_equal(found[i], np.flatnonzero(sims[i] >= threshold - 1e-12))


def test_unknown_theme_matcher_is_a_config_error_naming_the_choices() -> None:
    with pytest.raises(ConfigError, match="'word', 'char', 'embed'"):
        analyse_voice(voices(KIDS), matcher="meaning")


def test_missing_extra_raises_the_typed_error_naming_the_extra(no_wordllama: None) -> None:
    with pytest.raises(MissingExtraError, match=r"custfocus\[embed\]") as err:
        analyze_team(voices(KIDS), theme_matcher="embed")
    assert err.value.extra == "embed" and err.value.package == "wordllama"


def test_missing_extra_stops_the_cli_before_the_audit_runs(
    no_wordllama: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "team.json"
    args = ["audit", str(EXAMPLES / "library"), "--team", str(out), "--theme-matcher", "embed"]
    assert main(args) == EXIT_USAGE
    assert "custfocus[embed]" in capsys.readouterr().err and not out.exists()


def test_default_matcher_is_content_words_and_keeps_paraphrases_apart() -> None:
    v = analyse_voice(voices(KIDS))
    assert (v.matcher, v.threshold) == ("word", WORD_THEME_THRESHOLD)
    assert {"We have kids with us this time.", "My children are coming along."} not in themes(v)
    assert analyse_voice(voices(KIDS), matcher="char").threshold == CLAIM_THRESHOLD


@needs_wordllama
def test_paraphrases_sharing_no_words_meet_under_embed() -> None:
    v = analyse_voice(voices(KIDS), matcher="embed")
    assert themes(v) == [
        {"We have kids with us this time.", "My children are coming along."},
        {"I need more water for the hike."},
    ]
    assert v.to_dict()["matcher"] == "embed" and v.threshold == EMBED_THEME_THRESHOLD


@needs_wordllama
def test_embed_themes_do_not_depend_on_the_order_of_statements() -> None:
    many = voices({f"a{i}": [t] for i, t in enumerate([t for ts in KIDS.values() for t in ts] * 3)})
    shuffled = list(many)
    random.Random(3).shuffle(shuffled)
    first = analyze_team(many, theme_matcher="embed").to_dict()
    assert analyze_team(shuffled, theme_matcher="embed").to_dict() == first


@needs_wordllama
def test_embedding_is_read_from_the_package_without_network_or_logging_changes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network used")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.cache/wordllama to fall back on
    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    embedding.load_model.cache_clear()
    try:
        rows = embedding.Embedder().dense(["We need faster onboarding.", ""])
    finally:
        embedding.load_model.cache_clear()
    assert (list(root.handlers), root.level) == before
    assert rows.shape == (2, 256) and np.isclose(rows[0] @ rows[0], 1) and not rows[1].any()
    assert not list(tmp_path.iterdir())  # nothing cached or written


@needs_wordllama
def test_cli_theme_matcher_embed_reaches_the_team_report(tmp_path: Path) -> None:
    out = tmp_path / "team.json"
    args = ["audit", str(EXAMPLES / "library"), "--manifest", str(EXAMPLES / "manifest.csv")]
    assert main([*args, "--team", str(out), "--theme-matcher", "embed", "--jobs", "1"]) == 0
    assert json.loads(out.read_text())["voice"]["matcher"] == "embed"
