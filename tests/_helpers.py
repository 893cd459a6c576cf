"""Small assertion helpers shared by the tests."""

from __future__ import annotations

from html.parser import HTMLParser

import custfocus


def rules(report: custfocus.Report) -> list[tuple[str, str]]:
    """(text, rule) of every counted mention, for compact assertions."""
    return [(m.text, m.rule) for m in report.mentions]


def excluded(report: custfocus.Report) -> list[tuple[str, str]]:
    return [(e.text, e.rule) for e in report.excluded]


class HTMLCollector(HTMLParser):
    """Tags, classes, ids and external links of an HTML page (to check rendered output)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.classes: list[str] = []
        self.ids: list[str] = []
        self.external: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append(tag)
        self.classes.extend(a.get("class", "").split())
        if a.get("id"):
            self.ids.append(a["id"])
        for key in ("src", "href"):
            if a.get(key, "").startswith(("http:", "https:", "//")):
                self.external.append(a[key])
