"""Project settings from ``custfocus.toml`` or ``[tool.custfocus]`` in ``pyproject.toml``.

```toml
[tool.custfocus]
seller = ["Acme", "Acme Cloud"]
customer = ["Globex"]
lexicons = ["lexicons/our_products.txt"]        # relative to the config file
seller_speakers = ["Sam Rivera"]
model = "default"                                # or a path you trust, or "none"
fail_under = 40                                  # fail self-centred files (scoring.BANDS)

[tool.custfocus.weights]                         # component weights
reference = 0.35
content = 0.65

[tool.custfocus.rule_weights]
"self.name" = 2.0
```
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .scoring import ScoringConfig

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["Settings", "find_config", "load_settings"]

_KEYS = {
    "seller",
    "customer",
    "lexicons",
    "seller_speakers",
    "model",
    "fail_under",
    "weights",
    "rule_weights",
    "label_credit",
    "scoring",
}


@dataclass(frozen=True)
class Settings:
    """Everything an audit needs to build an Analyzer; picklable, so workers can use it."""

    seller: tuple[str, ...] = ()
    customer: tuple[str, ...] = ()
    lexicons: tuple[str, ...] = ()
    seller_speakers: tuple[str, ...] | None = None
    model: str | None = "default"
    scoring: Mapping[str, Any] = field(default_factory=dict)
    fail_under: float | None = None
    source: str | None = None
    #: A manifest CSV (absolute path) giving files their rep, account, names... (see
    #: :mod:`custfocus.context`); each worker process reads it once.
    manifest: str | None = None
    #: Infer a file's context (names, rep, account...) from the file where nothing gave it.
    infer_context: bool = True
    #: Collect each file's team statements (claims, customer statements) in audits.
    team_statements: bool = True

    def scoring_config(self) -> ScoringConfig:
        return ScoringConfig.from_dict(self.scoring)

    def merged(self, **overrides: Any) -> Settings:
        """A copy with the non-empty overrides applied (command-line flags win)."""
        values = {k: v for k, v in overrides.items() if v not in (None, (), [])}
        return Settings(**{**self.__dict__, **values})

    def replace_model(self, model: str | None) -> Settings:
        """A copy using ``model`` (``None``: reference focus only)."""
        return Settings(**{**self.__dict__, "model": model})


def find_config(start: str | os.PathLike[str] = ".") -> Path | None:
    """``custfocus.toml`` or a ``pyproject.toml`` with ``[tool.custfocus]`` in ``start``."""
    here = Path(start)
    if (here / "custfocus.toml").is_file():
        return here / "custfocus.toml"
    pyproject = here / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            return None
        if "custfocus" in data.get("tool", {}):
            return pyproject
    return None


def load_settings(path: str | os.PathLike[str] | None = None) -> Settings:
    """Read settings from ``path`` (or the one :func:`find_config` finds); defaults if none."""
    file = Path(path) if path is not None else find_config()
    if file is None:
        return Settings()
    try:
        data = tomllib.loads(file.read_text("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{file}: configuration file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: not valid TOML ({exc})") from None
    if file.name == "pyproject.toml" or "tool" in data:
        data = data.get("tool", {}).get("custfocus", {})
    unknown = set(data) - _KEYS
    if unknown:
        raise ConfigError(f"{file}: unknown settings {sorted(unknown)}; known: {sorted(_KEYS)}")
    base = file.parent

    def names(key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{file}: {key} must be a list of strings")
        return tuple(value)

    scoring: dict[str, Any] = dict(data.get("scoring", {}))
    for key, target in (
        ("weights", "component_weights"),
        ("rule_weights", "rule_weights"),
        ("label_credit", "label_credit"),
    ):
        if key in data:
            scoring[target] = dict(data[key])
    try:
        ScoringConfig.from_dict(scoring)
    except ConfigError as exc:
        raise ConfigError(f"{file}: {exc}") from None
    model = data.get("model", "default")
    if isinstance(model, str) and model.lower() == "none":
        model = None
    elif isinstance(model, str) and model != "default":
        model = str((base / model).resolve())
    fail_under = data.get("fail_under")
    if fail_under is not None and not isinstance(fail_under, (int, float)):
        raise ConfigError(f"{file}: fail_under must be a number")
    speakers = names("seller_speakers") if "seller_speakers" in data else None
    return Settings(
        seller=names("seller"),
        customer=names("customer"),
        lexicons=tuple(str((base / p).resolve()) for p in names("lexicons")),
        seller_speakers=speakers,
        model=model,
        scoring=scoring,
        fail_under=float(fail_under) if fail_under is not None else None,
        source=str(file),
    )
