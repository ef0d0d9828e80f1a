"""HTML to readable plain text with the standard library's tolerant ``html.parser``.

Script, style and similar content is dropped, block elements become line breaks (paragraphs
a blank line), table cells are separated by a space, list items start with "- ", entities
are decoded and runs of blank lines are collapsed.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

_DROPPED = frozenset({"script", "style", "template", "title", "noscript", "svg", "object"})
# Paragraph-like elements get a blank line around them, other blocks a line break; runs of
# such breaks collapse into one (the strongest), as a browser's layout would show them.
_PARAGRAPHS = frozenset({
    "address", "blockquote", "dl", "fieldset", "figure", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "ol", "p", "pre", "table", "ul",
})
_LINES = frozenset({
    "article", "aside", "center", "dd", "div", "dt", "figcaption", "footer", "header", "li",
    "main", "nav", "section", "tbody", "tfoot", "thead", "tr",
})
_LINE, _PARAGRAPH = "\x00L", "\x00P"
_BREAKS = re.compile(r"(?:[ \t]*\x00[LP])+[ \t]*")
_CELLS = frozenset({"td", "th"})
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u200b\x00]+")
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
        elif tag in _PARAGRAPHS:
            self.chunks.append(_PARAGRAPH)
            if tag == "pre":
                self._pre += 1
        elif tag in _LINES:
            self.chunks.append(_LINE)
            if tag == "li":
                self.chunks.append("- ")
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
        elif tag in _PARAGRAPHS:
            self.chunks.append(_PARAGRAPH)
            if tag == "pre" and self._pre:
                self._pre -= 1
        elif tag in _LINES:
            self.chunks.append(_LINE)

    def handle_data(self, data: str) -> None:
        if self._dropping:
            return
        if self._pre:
            self.chunks.append(data.replace("\u00a0", " ").replace("\x00", ""))
        else:
            self.chunks.append(_SPACES.sub(" ", data))


def _break(match: re.Match[str]) -> str:
    return "\n\n" if _PARAGRAPH in match[0] else "\n"


def html_to_text(markup: str) -> str:
    """Readable text of an HTML document or fragment; never raises."""
    collector = _TextCollector()
    try:
        collector.feed(markup)
        collector.close()
        raw = _BREAKS.sub(_break, "".join(collector.chunks))
    except Exception:  # html.parser can still trip over some malformed declarations
        raw = _SPACES.sub(" ", unescape(_TAG.sub(" ", markup)))
    lines = (_LINE_SPACES.sub(" ", line).strip() for line in raw.split("\n"))
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()
