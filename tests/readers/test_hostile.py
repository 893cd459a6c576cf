"""Every generated hostile file reads, or raises a custfocus reader error, in bounded time.

The corpus (``tests/hostile.py``) is built by code; each file is read in a worker process
under a time limit and an address-space cap, so a hang or a blow-up fails the test instead
of the suite.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hostile import expectation, write_hostile_corpus
from isolated import Isolated, Outcome

TIMEOUT = 40.0


def read_segments(path: str) -> int:
    from custfocus.readers import read

    return len(read(path).segments)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Outcome]:
    paths = write_hostile_corpus(tmp_path_factory.mktemp("hostile"))
    with Isolated(timeout=TIMEOUT) as worker:
        return {p: worker.call(read_segments, str(p)) for p in paths}


def test_the_corpus_covers_every_failure_class(outcomes: dict[Path, Outcome]) -> None:
    names = {p.name for p in outcomes}
    assert len(names) >= 150
    for needle in ("gridspan", "bomb", "multipart_1000", "nan", "surrogates", "cue_lt", "aes"):
        assert any(needle in n for n in names), needle


def test_no_hostile_file_hangs_crashes_or_raises_an_untyped_error(
    outcomes: dict[Path, Outcome],
) -> None:
    bad = {
        p.name: f"{o.status} {o.error} {o.detail[:200]}"
        for p, o in outcomes.items()
        if o.status not in ("ok", "typed")
    }
    assert not bad


def test_each_hostile_file_gives_its_expected_outcome(outcomes: dict[Path, Outcome]) -> None:
    wrong = {}
    for path, out in outcomes.items():
        expect = expectation(path)
        if expect == "any":
            continue
        got = "ok" if out.status == "ok" else out.error
        if expect == "ok" and out.status != "ok":
            wrong[path.name] = f"expected to read, got {got}: {out.detail[:200]}"
        elif expect == "error" and out.status != "typed":
            wrong[path.name] = f"expected a reader error, got {got}"
        elif expect not in ("ok", "error") and got != expect:
            wrong[path.name] = f"expected {expect}, got {got}: {out.detail[:200]}"
    assert not wrong


def test_typed_errors_name_the_file(outcomes: dict[Path, Outcome]) -> None:
    for path, out in outcomes.items():
        if out.status == "typed":
            assert path.name in out.detail, (path.name, out.detail)
