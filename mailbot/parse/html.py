"""HTML to readable plain text with the standard library's tolerant ``html.parser``.

Script, style and similar content is dropped, block elements become line breaks, table cells
are separated by a space, entities are decoded and runs of blank lines are collapsed.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

_DROPPED = frozenset({"script", "style", "template", "title", "noscript", "svg", "object"})
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "center", "dd", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody",
    "thead", "tfoot", "tr", "ul",
})
_CELLS = frozenset({"td", "th"})
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")
_LINE_SPACES = re.compile(r"[ \t]{2,}")
_BLANK_RUNS = re.compile(r"\n{3,}")
_TAG = re.compile(r"<[^>]*>")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._dropping: list[str] = []
        self._pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            self._dropping.append(tag)
        elif tag == "br":
            self.chunks.append("\n")
        elif tag in _BLOCKS:
            self.chunks.append("\n")
            if tag == "li":
                self.chunks.append("- ")
            elif tag == "pre":
                self._pre += 1
        elif tag in _CELLS:
            self.chunks.append(" ")
        elif tag == "img" and not self._dropping:
            alt = dict(attrs).get("alt")
            if alt:
                self.chunks.append(alt)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _DROPPED:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            if tag in self._dropping:
                del self._dropping[self._dropping.index(tag) :]
        elif tag in _BLOCKS:
            self.chunks.append("\n")
            if tag == "pre" and self._pre:
                self._pre -= 1

    def handle_data(self, data: str) -> None:
        if self._dropping:
            return
        if self._pre:
            self.chunks.append(data.replace("\u00a0", " "))
        else:
            self.chunks.append(_SPACES.sub(" ", data))


def html_to_text(markup: str) -> str:
    """Readable text of an HTML document or fragment; never raises."""
    collector = _TextCollector()
    try:
        collector.feed(markup)
        collector.close()
        raw = "".join(collector.chunks)
    except Exception:  # html.parser can still trip over some malformed declarations
        raw = _SPACES.sub(" ", unescape(_TAG.sub(" ", markup)))
    lines = (_LINE_SPACES.sub(" ", line).strip() for line in raw.split("\n"))
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()
