"""The wheel ships the lexicons (and model) and works from a fresh virtual environment."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return next(out.glob("custfocus-*.whl"))


@pytest.mark.slow
def test_wheel_contains_every_lexicon_and_the_typing_marker(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for lexicon in (ROOT / "data" / "lexicons").glob("*.txt"):
        assert f"custfocus/lexicons/{lexicon.name}" in names
    assert "custfocus/py.typed" in names
    assert {"custfocus/models/content.npz", "custfocus/models/content.json"} <= names


@pytest.mark.slow
def test_wheel_scores_text_from_a_fresh_virtual_environment(wheel: Path, tmp_path: Path) -> None:
    env = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env)
    python = env / "bin" / "python"
    site = Path(
        subprocess.check_output(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True
        ).strip()
    )
    # Dependencies come from this environment (appended to sys.path, after the fresh
    # site-packages); custfocus itself only from the wheel, unpacked as pip would.
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    code = (
        "import custfocus, importlib.resources as r\n"
        "assert custfocus.__file__.startswith(sys.argv[1]), custfocus.__file__\n"
        "assert r.files('custfocus.lexicons').joinpath('courtesy.txt').is_file()\n"
        "rep = custfocus.score('Thank you! Acme helps your team.', seller=['Acme'])\n"
        "print(rep.counts['customer'], rep.counts['self'], rep.counts['excluded'])\n"
    )
    out = subprocess.run(
        [python, "-c", "import sys\n" + code, str(site)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["1", "1", "1"]
