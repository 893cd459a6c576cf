"""HTML: only the text a visitor sees (no script, style, head or hidden elements)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from ..document import Document, Segment
from ._base import MAX_CHARS, decode_text

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
#: A "<" that no ">" closes before the next "<" starts no tag. Python's HTMLParser rescans
#: the rest of the input for each such "<" (quadratic: 200k of them take minutes), so they
#: are escaped first. Linear: each lookahead stops at the next "<" or ">".
_LONE_LT = re.compile(r"<(?![^<>]*>)")


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, hides its content)
        self.open: dict[str, int] = {}  # how many of each tag are on the stack
        self.hiding = 0  # how many entries on the stack hide their content
        self.segments: list[Segment] = []
        self.buf: list[str] = []
        self.kind = "body"
        self.title: list[str] = []
        self.in_title = False
        self.table = 0
        self.row = 0
        self.para = 0

    def hidden(self) -> bool:
        return self.hiding > 0

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
        self.open[tag] = self.open.get(tag, 0) + 1
        self.hiding += hides

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in _BLOCK:
            self.flush()
        # Close up to the matching open tag (tolerates unclosed tags). Only a tag that is
        # open is searched for, so the search costs what it pops: linear in all.
        if not self.open.get(tag):
            return
        while self.stack:
            name, hides = self.stack.pop()
            self.open[name] -= 1
            self.hiding -= hides
            if name == tag:
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
    parser.feed(_LONE_LT.sub("&lt;", _strip_comments(markup)))
    parser.close()
    parser.flush()
    title = " ".join("".join(parser.title).split())
    head = [Segment(title, "title", "title")] if title else []
    return head + parser.segments


def _strip_comments(markup: str) -> str:
    """``markup`` without ``<!-- -->`` comments (an unclosed one runs to the end), in one pass."""
    out: list[str] = []
    pos = 0
    while True:
        start = markup.find("<!--", pos)
        if start < 0:
            out.append(markup[pos:])
            return "".join(out)
        out.append(markup[pos:start])
        end = markup.find("-->", start + 4)
        if end < 0:
            return "".join(out)
        pos = end + 3


def read_html(path: Path, data: bytes) -> Document:
    # Markup outweighs its visible text; four times the text budget in characters is ample.
    markup = decode_text(path, data, max_chars=4 * MAX_CHARS)
    return Document(tuple(html_segments(markup)), path=str(path), format="html")
