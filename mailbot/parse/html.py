"""HTML to readable plain text, parsed as a browser would by lexbor (through selectolax).

Script, style and similar content is dropped, block elements become line breaks (paragraphs
a blank line), table cells are separated by a space, list items start with "- ", entities
are decoded and runs of blank lines are collapsed.
"""

from __future__ import annotations

import re
from html import unescape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selectolax.lexbor import LexborNode

# iframe, noembed and noframes hold raw markup for browsers that lack a feature: never shown.
_DROPPED = frozenset({
    "script", "style", "template", "title", "noscript", "svg", "object", "iframe", "noembed",
    "noframes",
})
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
# Markers in the collected text start with NUL, which is removed from the markup first.
_LINE, _PARAGRAPH, _NEWLINE = "\x00L", "\x00P", "\x00N"
_PRE_START, _PRE_END = "\x00[", "\x00]"
_STARTS = {
    **dict.fromkeys(_PARAGRAPHS, _PARAGRAPH), **dict.fromkeys(_LINES, _LINE),
    "pre": _PARAGRAPH + _PRE_START, "li": _LINE + "- ", "td": " ", "th": " ", "br": _NEWLINE,
}
_ENDS = {
    **dict.fromkeys(_PARAGRAPHS, _PARAGRAPH), **dict.fromkeys(_LINES, _LINE),
    "pre": _PRE_END + _PARAGRAPH,
}
_BREAKS = re.compile(r"(?:[ \t]*\x00[LP])+[ \t]*")
_PRE_MARKS = re.compile(r"(\x00[\[\]])")
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")
_LINE_SPACES = re.compile(r"[ \t]{2,}")
_BLANK_RUNS = re.compile(r"\n{3,}")
_TAG = re.compile(r"<[^<>]*>")
# Building the tree takes time in proportion to tags times nesting depth (and more where
# formatting elements that differ in their attributes are reopened again and again), so that a
# hostile mail could take minutes. Long markup is therefore parsed in pieces of _PIECE_TAGS
# tags, with the attributes of formatting elements stripped (which bounds how many can be
# reopened); each later piece starts inside table cells, so that the cells and rows of a table
# cut in two are still kept apart.
_PIECE_TAGS = 2000
_PIECE = re.compile(rf"[^<]*(?:<[^<]*){{1,{_PIECE_TAGS}}}")
_PIECE_CONTEXT = "<table><tr><td>" * 3
# Elements whose content is text up to their end tag: a piece never ends inside one.
_RAW_TEXT_TAG = re.compile(
    r"<(/?)(script|style|textarea|title|xmp|iframe|noembed|noframes|noscript)(?=[\s/>])",
    re.IGNORECASE,
)
_FORMATTING_ATTRIBUTES = re.compile(
    r"""<((?i:[abisu]|big|code|em|font|nobr|small|strike|strong|tt))[\s/]"""
    r"""(?:[^<>"']|"[^"<>]*"|'[^'<>]*')*>"""
)


def _pieces(markup: str) -> list[str]:
    if markup.count("<") <= _PIECE_TAGS:
        return [markup]
    pieces: list[str] = []
    pending: list[str] = []
    raw_text: str | None = None  # the script, style... element a cut would fall inside
    for piece in _PIECE.findall(_FORMATTING_ATTRIBUTES.sub(r"<\1>", markup)):
        pending.append(piece)
        raw_text = _open_raw_text(piece, raw_text)
        if raw_text is None:
            pieces.append("".join(pending))
            pending.clear()
    if pending:
        pieces.append("".join(pending))
    return [pieces[0], *(_PIECE_CONTEXT + piece for piece in pieces[1:])]


def _open_raw_text(piece: str, open_element: str | None) -> str | None:
    """The raw-text element (script, style, ...) still open at the end of ``piece``."""
    for tag in _RAW_TEXT_TAG.finditer(piece):
        name = tag[2].lower()
        if open_element is None and not tag[1]:
            open_element = name
        elif open_element == name and tag[1]:
            open_element = None
    return open_element


def _collect(markup: str, chunks: list[str]) -> None:
    """Append the text of ``markup`` to ``chunks``, with markers where elements start and end."""
    # here, not at start: lexbor is 1.8 MiB, which a mail with a plain text part never needs
    from selectolax.lexbor import LexborHTMLParser

    document = LexborHTMLParser(markup.encode("utf-8", "replace"), scripting=True)
    node: LexborNode | None = document.root
    open_elements: list[tuple[LexborNode, str]] = []
    while node is not None:
        name = node.tag
        if name == "-text":
            chunks.append(node.text_content or "")
        elif name and name[0] != "-" and name not in _DROPPED:  # not a comment or doctype
            start = _STARTS.get(name)
            if start is not None:
                chunks.append(start)
            elif name == "img":
                chunks.append(node.attrs.get("alt") or "")
            child = node.first_child
            if child is not None:
                open_elements.append((node, name))
                node = child
                continue
            chunks.append(_ENDS.get(name, ""))
        following = node.next
        while following is None and open_elements:
            node, name = open_elements.pop()
            chunks.append(_ENDS.get(name, ""))
            following = node.next
        node = following


def _collapse_spaces(text: str) -> str:
    """Each run of white space becomes one space; inside <pre> only no-break spaces change."""
    if _PRE_START not in text:
        return _SPACES.sub(" ", text)
    depth = 0
    parts: list[str] = []
    for part in _PRE_MARKS.split(text):
        if part == _PRE_START:
            depth += 1
        elif part == _PRE_END:
            depth -= 1
        else:
            parts.append(part.replace("\u00a0", " ") if depth else _SPACES.sub(" ", part))
    return "".join(parts)


def _break(match: re.Match[str]) -> str:
    return "\n\n" if _PARAGRAPH in match[0] else "\n"


def html_to_text(markup: str) -> str:
    """Readable text of an HTML document or fragment; never raises."""
    markup = markup.replace("\x00", "")
    try:
        chunks: list[str] = []
        for piece in _pieces(markup):
            _collect(piece, chunks)
        raw = _BREAKS.sub(_break, _collapse_spaces("".join(chunks))).replace(_NEWLINE, "\n")
    except Exception:  # e.g. out of memory in the parser
        raw = _SPACES.sub(" ", unescape(_TAG.sub(" ", markup)))
    lines = (_LINE_SPACES.sub(" ", line).strip() for line in raw.split("\n"))
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()
