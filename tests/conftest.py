from __future__ import annotations

import pytest

import custfocus


@pytest.fixture(scope="session")
def analyzer() -> custfocus.Analyzer:
    """One analyzer for the suite: seller Acme (product Acme Cloud), customer Globex."""
    return custfocus.Analyzer(seller=["Acme", "Acme Cloud"], customer=["Globex"])
