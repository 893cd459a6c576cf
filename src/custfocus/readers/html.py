"""HTML: only the text a visitor sees (no script, style, head or hidden elements)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from ..document import Document, Segment
from ._base import decode_text

_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe", "object"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr"}
)  # fmt: skip
_BLOCK = frozenset(
    {"p", "div", "li", "ul", "ol", "section", "article", "header", "footer", "main", "nav",
     "aside", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th",
     "br", "hr", "dt", "dd", "figcaption", "caption", "form", "label", "button", "pre"}
)  # fmt: skip
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, hides its content)
        self.segments: list[Segment] = []
        self.buf: list[str] = []
        self.kind = "body"
        self.title: list[str] = []
        self.in_title = False
        self.table = 0
        self.row = 0
        self.para = 0

    def hidden(self) -> bool:
        return any(h for _, h in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "title":
            self.in_title = True
        if tag in _BLOCK:
            self.flush()
        if tag == "table":
            self.table += 1
            self.row = 0
        elif tag == "tr":
            self.row += 1
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.kind = "heading"
        elif tag in ("td", "th"):
            self.kind = "table"
        elif tag in ("figcaption", "caption"):
            self.kind = "caption"
        if tag in _VOID:
            return
        hides = (
            tag in _SKIP
            or "hidden" in a
            or a.get("aria-hidden", "").lower() == "true"
            or bool(_HIDDEN_STYLE.search(a.get("style", "")))
        )
        self.stack.append((tag, hides))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in _BLOCK:
            self.flush()
        # Close up to the matching open tag (tolerates unclosed tags).
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
            return
        if not self.hidden():
            self.buf.append(data)

    def flush(self) -> None:
        text = " ".join("".join(self.buf).split())
        self.buf = []
        if text:
            if self.kind == "table" and self.table:
                loc = f"table {self.table} row {self.row}"
                if self.segments and self.segments[-1].location == loc:
                    prev = self.segments.pop()
                    text = f"{prev.text} | {text}"
            else:
                self.para += 1
                loc = f"paragraph {self.para}"
            self.segments.append(Segment(text, loc, self.kind))
        self.kind = "body"


def html_segments(markup: str) -> list[Segment]:
    """Visible text of an HTML string as segments (used for web pages and HTML email)."""
    parser = _Visible()
    parser.feed(markup)
    parser.close()
    parser.flush()
    title = " ".join("".join(parser.title).split())
    head = [Segment(title, "title", "title")] if title else []
    return head + parser.segments


def read_html(path: Path, data: bytes) -> Document:
    return Document(tuple(html_segments(decode_text(path, data))), path=str(path), format="html")
