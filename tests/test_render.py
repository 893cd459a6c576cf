"""HTML output: highlighted mentions, labelled sentences, self-contained pages."""

from __future__ import annotations

from html.parser import HTMLParser

from custfocus import Analyzer


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.classes: list[str] = []
        self.external: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.classes.extend((a.get("class") or "").split())
        for key in ("src", "href"):
            value = a.get(key) or ""
            if value.startswith(("http:", "https:", "//")):
                self.external.append(value)


def test_report_html_highlights_customer_and_self_mentions_in_two_colours() -> None:
    report = Analyzer(seller=["Acme"]).score(
        "Acme is award-winning. How does your team plan renewals? Thank you."
    )
    html = report._repr_html_()
    parser = Collector()
    parser.feed(html)
    assert {"m-customer", "m-self", "x"} <= set(parser.classes)
    assert "s-pitch" in parser.classes or "s-discovery" in parser.classes
    assert not parser.external
    assert "&lt;" not in report.text and "<script" not in html


def test_user_text_is_escaped_in_html() -> None:
    html = Analyzer(model=None).score("<script>alert('you')</script>")._repr_html_()
    assert "<script>alert" not in html and "&lt;script&gt;" in html
