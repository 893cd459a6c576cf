"""Project hygiene a user relies on: CI runs the README's test command, docs name real files."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```\n(python3 -m venv .venv && [^\n]+)\n```", text)


def test_ci_runs_exactly_the_readme_test_command() -> None:
    commands = readme_commands()
    assert len(commands) == 2, commands
    test_command = next(c for c in commands if "pytest" in c)
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_main_command_audits_the_bundled_examples() -> None:
    main = next(c for c in readme_commands() if "pytest" not in c)
    assert "custfocus audit examples" in main
    assert (ROOT / "examples").is_dir()
