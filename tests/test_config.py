"""Settings from custfocus.toml or [tool.custfocus] in pyproject.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from custfocus.config import find_config, load_settings
from custfocus.errors import ConfigError


def test_pyproject_tool_section_is_read_with_paths_relative_to_it(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.custfocus]\nseller = ["Acme"]\ncustomer = ["Globex"]\n'
        'lexicons = ["lex/ours.txt"]\nfail_under = 55\nmodel = "none"\n'
        "[tool.custfocus.weights]\nreference = 0.5\n"
    )
    assert find_config(tmp_path) == tmp_path / "pyproject.toml"
    settings = load_settings(tmp_path / "pyproject.toml")
    assert settings.seller == ("Acme",) and settings.customer == ("Globex",)
    assert settings.lexicons == (str((tmp_path / "lex" / "ours.txt").resolve()),)
    assert settings.fail_under == 55.0 and settings.model is None
    assert settings.scoring_config().component_weights["reference"] == 0.5


def test_custfocus_toml_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.custfocus]\nseller = ["A"]\n')
    (tmp_path / "custfocus.toml").write_text('seller = ["B"]\n')
    assert load_settings(find_config(tmp_path)).seller == ("B",)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('sellr = ["A"]\n', "unknown settings"),
        ("seller = [1]\n", "list of strings"),
        ("seller = [\n", "not valid TOML"),
        ("[weights]\nreference = -1\n", "must be a number >= 0"),
    ],
)
def test_bad_settings_name_the_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "custfocus.toml"
    path.write_text(content)
    with pytest.raises(ConfigError, match=message) as info:
        load_settings(path)
    assert str(path) in str(info.value)
