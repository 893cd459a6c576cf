"""The audit page a manager reads: worst first, every figure explained, nothing fetched.

These read the generated HTML; tests/test_report_browser.py opens the same page in Chromium.
"""

from __future__ import annotations

import re
from html import escape as html_escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from _report_page import GENERATED, TEAM, examples_audit, examples_page

import custfocus
from custfocus.errors import ConfigError
from custfocus.report import FIGURES, audit_html, audit_table_html, figure
from custfocus.report.chart import BAND_COLOURS
from custfocus.report.page import asset
from custfocus.scoring import BANDS, band

ROOT = Path(__file__).resolve().parents[1]


class Page(HTMLParser):
    """Elements as (tag, attributes, text inside up to the next tag), plus hrefs and ids."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.text: list[tuple[str, dict[str, str], str]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.elements.append((tag, a))
        if "id" in a:
            self.ids.add(a["id"])
        if "href" in a:
            self.hrefs.append(a["href"])

    def handle_data(self, data: str) -> None:
        if self.elements:
            tag, a = self.elements[-1]
            self.text.append((tag, a, data))


@pytest.fixture(scope="module")
def page() -> str:
    return examples_page()


def _table_rows(html: str) -> list[str]:
    """The files table's rows, in page order (the first sortable table)."""
    table = html.split("cf-sortable", 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr data-status.*?</tr>", table)


def test_report_lists_files_worst_first(page: str) -> None:
    rows = _table_rows(page)
    found = [re.search(r"class='score[^']*' data-v='([\d.]+)'", r) for r in rows]
    scores = [float(m.group(1)) for m in found if m]
    assert len(scores) == 8 and scores == sorted(scores)
    statuses = [re.search(r"data-status='(\w+)'", r).group(1) for r in rows]  # type: ignore[union-attr]
    assert statuses[-1] == "skipped"  # errors and skipped files after the scored ones
    cards = re.findall(r"<section class='cf-file' id='(file-\d+)'", page)
    order = [re.search(r"href='#(file-\d+)'", r).group(1) for r in rows]  # type: ignore[union-attr]
    assert cards == order[:8]


def test_the_summary_names_the_files_that_need_work_with_links_and_a_first_fix(page: str) -> None:
    summary = page.split("<section id='summary'>", 1)[1].split("</section>", 1)[0]
    audit = examples_audit()
    needing = sorted((r for r in audit.rows if r.score is not None and r.score < BANDS[-1].low),
                     key=lambda r: r.score or 0.0)  # fmt: skip
    links = re.findall(r"<li><a href='#(file-\d+)'>([^<]+)</a>", summary)
    assert [name for _, name in links] == [Path(r.path).name for r in needing]
    assert all(f"id='{anchor}'" in page for anchor, _ in links)
    assert summary.count("cf-muted'>") >= len(needing)  # a suggestion under each


def test_every_link_on_the_page_lands_on_a_section(page: str) -> None:
    parsed = Page(page)
    internal = [h[1:] for h in parsed.hrefs if h.startswith("#")]
    assert internal and all(h in parsed.ids for h in internal), set(internal) - parsed.ids
    assert all(h.startswith("#") for h in parsed.hrefs), "only links within the page"
    ids = re.findall(r"\bid='([^']+)'", page)
    assert len(ids) == len(set(ids)), "an id given twice makes a link land on the wrong part"


def test_every_figure_has_a_definition_on_the_page(page: str) -> None:
    parsed = Page(page)
    used = {a["data-fig"] for _, a in parsed.elements if "data-fig" in a}
    assert {"score", "reference", "content", "customer_share"} <= used
    for key in used | set(FIGURES):
        assert FIGURES[key].anchor in parsed.ids, key
    # Every column of the files table says what it means and links to it.
    heads = re.findall(r"<th scope='col'[^>]*data-key='(\w+)'>(.*?)</th>", page)
    for key, cell in heads:
        if key in FIGURES:
            assert "title=" in cell and f"href='#m-{key}'" in cell, key
    # Every file's figures carry their one-sentence meaning next to them.
    for key in ("score", "reference", "customer_share", "naive_we_we"):
        assert page.count(FIGURES[key].meaning.replace("'", "&#x27;")) >= 8


def test_every_colour_comes_from_the_score_bands(page: str) -> None:
    classes = set(re.findall(r"cf-band-([a-z-]+)", page))
    assert classes == {b.name for b in BANDS}
    for r in examples_audit().rows:
        if r.score is not None:
            assert re.search(rf"class='score cf-band-{band(r.score)}' data-v='{r.score}'", page)
    css = asset("report.css")
    # The histogram's bars and the text use the same colour for each band, and only bands.
    assert set(BAND_COLOURS) == {b.name for b in BANDS}
    assert all(f".cf-band-{b.name}{{color:{BAND_COLOURS[b.name]}}}" in css for b in BANDS)


def test_the_readme_fail_under_example_is_a_band_cut_point() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    gates = {float(x) for x in re.findall(r"--fail-under\s+(\d+(?:\.\d+)?)", readme)}
    assert gates and gates <= {b.low for b in BANDS}, gates


def test_one_number_format_throughout(page: str) -> None:
    # Half-up on the decimal value, so a row's 9.85 is 9.9, as people round.
    assert figure(9.85) == "9.9" and figure(9.849) == "9.8" and figure(0.5, "share") == "50%"
    for r in examples_audit().rows:
        if r.score is None:
            continue
        shown = figure(r.score)
        # Table cell, summary or card badge: the same string for the same file.
        assert f"data-v='{r.score}'>{shown}</td>" in page
        assert f"{shown} · {r.band}</span></h3>" in page
        assert f">{shown} / 100 · {r.band}<" in page
    # Components are 0-100 everywhere (no 0.53 next to 53.0).
    assert not re.search(r"<td data-v='0\.\d+'>0\.\d\d</td>", page)


def test_the_histogram_has_axes_and_counts(page: str) -> None:
    svg = page.split("<svg class='cf-hist'", 1)[1].split("</svg>", 1)[0]
    assert ">Customer Focus Score (0-100)</text>" in svg and ">files</text>" in svg
    ticks = re.findall(r"text-anchor='middle'>(\d+)</text>", svg)
    assert [str(t) for t in range(0, 101, 10)] == ticks[:11]
    counts = [int(n) for n in re.findall(r"font-weight='600'>(\d+)</text>", svg)]
    assert sum(counts) == sum(r.score is not None for r in examples_audit().rows)


def test_report_fetches_nothing_from_the_network(page: str) -> None:
    parsed = Page(page)
    for tag, a in parsed.elements:
        assert tag not in ("link", "iframe", "img", "object", "embed"), tag
        for key in ("src", "href", "action", "xmlns"):
            assert not re.match(r"\s*(https?:|//|ftp:)", a.get(key, "")), (tag, a)
    code = asset("report.css") + asset("report.js")
    assert "url(" not in code and "@import" not in code and "fetch(" not in code
    assert "XMLHttpRequest" not in code and "http" not in code


def test_the_full_text_is_collapsed_and_the_summary_comes_first(page: str) -> None:
    first_sentence = page.find('class="s s-')
    assert page.find("id='summary'") < page.find("id='files'") < first_sentence
    cards = re.findall(r"<section class='cf-file'.*?</section>", page, flags=re.S)
    assert len(cards) == 8
    for card in cards:
        full = card.split("<details class='cf-full'>", 1)
        assert len(full) == 2 and "<summary>Full highlighted text (" in full[1]
        assert 'class="s s-' not in full[0]  # no sentence list before the details
        assert "<details class='cf-full' open" not in card


def test_errors_and_skipped_files_are_listed_with_their_reasons(tmp_path: Path) -> None:
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "notes.py").write_text("print('hi')\n", encoding="utf-8")
    (tmp_path / "ok.txt").write_text("How does your team plan renewals today?", encoding="utf-8")
    audit = custfocus.audit(tmp_path, isolate=False)
    html = audit_html(audit, generated=GENERATED)
    problems = html.split("<section id='problems'>", 1)[1].split("</section>", 1)[0]
    for row in audit.rows:
        if row.status != "ok":
            assert Path(row.path).name in problems
            assert html_escape(row.reason or "?") in problems
            assert f"id='file-{audit.rows.index(row)}'" in problems
    assert {"error", "skipped"} <= {r.status for r in audit.rows}


def test_filters_offer_every_status_format_and_band(page: str) -> None:
    for key, values in {
        "status": {r.status for r in examples_audit().rows},
        "format": {r.format for r in examples_audit().rows if r.format},
        "band": {r.band for r in examples_audit().rows if r.band},
    }.items():
        select = page.split(f"<select data-filter='{key}'>", 1)[1].split("</select>", 1)[0]
        assert set(re.findall(r"<option value='([^']+)'", select)) == values, key


def test_the_footer_names_settings_model_versions_and_date(page: str) -> None:
    about = page.split("id='about'>", 1)[1]
    assert "2026-12-01 09:30 UTC" in about and custfocus.__version__ in about
    assert "<dt>Seller names (given)</dt><dd>Northwind, Northwind Forecast</dd>" in about
    assert "<dt>Customer names (given)</dt><dd>Globex, Initech</dd>" in about
    assert "sha256 9db04eab8822" in about or "sha256" in about
    assert re.search(r"<dt>Lexicons</dt><dd>[^<–]+</dd>", about)
    assert "spaCy" in about and "numpy" in about


def test_the_footer_shows_what_a_caller_adds() -> None:
    html = audit_html(examples_audit(), about={"Inferred names": "Initech (from 3 files)"},
                      generated=GENERATED)  # fmt: skip
    assert "<dt>Inferred names</dt><dd>Initech (from 3 files)</dd>" in html


def test_extra_sections_appear_in_the_navigation_and_the_page(page: str) -> None:
    sid, title, body = TEAM
    assert f"<li><a href='#{sid}'>{title}</a></li>" in page.split("</nav>", 1)[0]
    assert f"<section class='cf-extra' id='{sid}'><h2>{title}</h2>{body}</section>" in page
    css = asset("report.css")
    assert "table.cf-table" in css and "div.cf-scroll" in css and ".cf-flag" in css


@pytest.mark.parametrize("sid", ["files", "1x", "a b", "m-score", "file-3", "<x>"])
def test_an_extra_section_with_a_clashing_or_unsafe_id_is_refused(sid: str) -> None:
    with pytest.raises(ConfigError, match="section id"):
        audit_html(examples_audit(), [(sid, "T", "<p>x</p>")])


def test_the_print_stylesheet_hides_navigation_and_opens_details() -> None:
    css = asset("report.css")
    printed = css.split("@media print", 1)[1]
    assert ".cf-nav" in printed and "display:none" in printed
    assert "details::details-content" in printed
    assert "beforeprint" in asset("report.js")


def test_sortable_headers_are_buttons(page: str) -> None:
    heads = re.findall(r"<th scope='col'[^>]*>(.*?)</th>", page)
    assert len(heads) == 9 and all(h.startswith("<button type='button'") for h in heads)


def test_the_notebook_table_sorts_with_its_own_script_and_has_no_dead_links() -> None:
    html = examples_audit()._repr_html_()
    assert "<a " not in html and "href=" not in html
    assert "<script>" in html and "cf-sortable" in html
    report = next(r for r in examples_audit().reports if r is not None)
    assert "href=" not in report._repr_html_()
    assert audit_table_html(examples_audit().rows).count("<tr data-status") == 9


def test_file_names_and_text_are_escaped_on_the_page(tmp_path: Path) -> None:
    name = "<b onmouseover='x'>deal\".txt"
    (tmp_path / name).write_text("<script>alert(1)</script> How does your team plan?", "utf-8")
    html = audit_html(custfocus.audit(tmp_path, isolate=False), generated=GENERATED)
    assert "<script>alert" not in html and "<b onmouseover" not in html
    assert "&lt;b onmouseover=&#x27;x&#x27;&gt;deal&quot;.txt" in html
    assert html.count("<script>") == 1  # the page's own script only


def test_a_page_without_kept_reports_still_lists_every_file_worst_first(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("We are the best. Our product wins.", "utf-8")
    (tmp_path / "b.txt").write_text("How does your team plan renewals today?", "utf-8")
    audit = custfocus.audit(tmp_path, isolate=False, keep_reports=False)
    html = audit_html(audit, generated=GENERATED)
    worst = min(audit.rows, key=lambda r: r.score or 0.0)
    assert html.count("Its full report was not kept") == 2
    assert f"data-v='{Path(worst.path).name}'" in _table_rows(html)[0]


def test_the_same_audit_renders_the_same_page() -> None:
    audit = examples_audit()
    assert audit_html(audit, generated=GENERATED) == audit_html(audit, generated=GENERATED)
    assert audit._repr_html_() == audit._repr_html_()  # several tables per notebook: no ids
