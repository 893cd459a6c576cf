"""The tutorial notebooks run from top to bottom and show what they promise.

They are committed without outputs; the test executes each one (every notebook in
notebooks/, so a new one is picked up) and checks its outputs: every cell that plots shows
an image, every rich object renders as HTML, and the numbers printed match the API.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import custfocus

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def _text(cell: Any) -> str:
    """Everything a code cell printed or returned as plain text."""
    out = []
    for o in cell.get("outputs", []):
        if o.get("output_type") == "stream":
            out.append(o.get("text", ""))
        elif "data" in o:
            out.append(o["data"].get("text/plain", ""))
    return "".join(out)


def _ends_in_expression(source: str) -> bool:
    """Whether a cell's last statement is an expression, whose value (or plot) should show."""
    lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return False
    return (
        bool(tree.body)
        and isinstance(tree.body[-1], ast.Expr)
        and not source.rstrip().endswith(";")
    )


def _has(cell: Any, mime: str) -> bool:
    return any(mime in o.get("data", {}) for o in cell.get("outputs", []))


def _cell(nb: Any, needle: str) -> Any:
    return next(c for c in nb.cells if c.cell_type == "code" and needle in c.source)


def _quickstart(nb: Any) -> None:
    first = nb.cells[1].source
    sample = first.split('"""')[1]
    report = custfocus.score(
        sample, seller=["Northwind", "Northwind Forecast"], customer=["Globex"]
    )
    printed = _text(_cell(nb, "print(report.score"))
    assert printed.startswith(f"{report.score} {report.customer_share} {report.naive_we_we}")
    assert _has(nb.cells[1], "text/html")  # the report renders, highlighted


def _walkthrough(nb: Any) -> None:
    from _report_page import examples_audit

    worst = min(
        (r for r in examples_audit().rows if r.score is not None), key=lambda r: r.score or 0
    )
    printed = _text(_cell(nb, "print(worst.path"))
    assert printed.split()[1] == str(worst.score) and printed.split()[0].endswith(
        Path(worst.path).name
    )
    table = _cell(nb, "result  #")
    html = next(o["data"]["text/html"] for o in table.outputs if "text/html" in o.get("data", {}))
    assert "cf-sortable" in html and "<script>" in html and "href=" not in html
    assert "audit-report.html True" in _text(_cell(nb, "to_html("))


#: What each notebook promises beyond running and plotting (by file stem).
CLAIMS: dict[str, Callable[[Any], None]] = {
    "quickstart": _quickstart,
    "audit_walkthrough": _walkthrough,
}


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_and_shows_what_it_promises(path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(path, as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert all(not cell.get("outputs") for cell in code), "commit notebooks without outputs"
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    for cell in code:
        if _ends_in_expression(cell.source):
            assert cell.get("outputs"), f"a cell that shows nothing: {cell.source[-60:]!r}"
    for cell in code:
        if "plt." in cell.source or ".plot" in cell.source:
            assert _has(cell, "image/png"), f"a plot that does not appear: {cell.source[:60]!r}"
    CLAIMS.get(path.stem, lambda nb: None)(nb)
