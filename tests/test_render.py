"""HTML output: highlighted mentions, labelled sentences, self-contained pages."""

from __future__ import annotations

from _helpers import HTMLCollector

from custfocus import Analyzer


def test_report_html_highlights_customer_and_self_mentions_in_two_colours() -> None:
    report = Analyzer(seller=["Acme"]).score(
        "Acme is award-winning. How does your team plan renewals? Thank you."
    )
    html = report._repr_html_()
    parser = HTMLCollector(html)
    assert {"m-customer", "m-self", "x"} <= set(parser.classes)
    assert "s-pitch" in parser.classes or "s-discovery" in parser.classes
    assert not parser.external
    assert "&lt;" not in report.text and "<script" not in html


def test_user_text_is_escaped_in_html() -> None:
    html = Analyzer(model=None).score("<script>alert('you')</script>")._repr_html_()
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_the_score_is_coloured_by_its_band() -> None:
    report = Analyzer(seller=["Acme"]).score(
        "Acme is award-winning. Our platform has 200 features."
    )
    classes = set(HTMLCollector(report._repr_html_()).classes)
    assert f"cf-band-{report.band}" in classes
    assert report.band == "self-centred"
