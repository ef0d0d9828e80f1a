"""Text normalisation for matching: NFKC, casefold, accents removed, whitespace collapsed.

Lexicon patterns are written against the output of :func:`fold`: lower case, no accents,
single spaces, paragraphs separated by ``"\\n"``.
"""

from __future__ import annotations

import re
import unicodedata

_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
})


def _accent_table() -> dict[int, str]:
    """Map every precomposed Latin/Greek letter to its letters without combining marks."""
    table: dict[int, str] = {}
    for code in (*range(0x00C0, 0x0250), *range(0x0370, 0x0400), *range(0x1E00, 0x1F00)):
        char = chr(code)
        decomposed = unicodedata.normalize("NFD", char)
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if base and base != char:
            table[code] = base
    # Letters that carry no combining mark but are spelled out when accents are dropped.
    table.update({ord("ø"): "o", ord("đ"): "d", ord("ł"): "l", ord("ı"): "i", ord("ŀ"): "l"})
    return table


_ACCENTS = _accent_table()
_COMBINING = dict.fromkeys(range(0x0300, 0x0370))


def casefold(text: str) -> str:
    """NFKC and casefold, accents kept: what the language detector looks at."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_QUOTES)


def strip_accents(text: str) -> str:
    if text.isascii():
        return text
    return text.translate(_ACCENTS).translate(_COMBINING)


def fold(text: str) -> str:
    """The matching form: casefolded, accents removed, one space between words.

    Single line breaks become spaces (mail clients wrap lines mid-phrase); a blank line
    becomes ``"\\n"``, so a phrase never matches across paragraphs.
    """
    text = strip_accents(casefold(text)).replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = (" ".join(p.split()) for p in _PARAGRAPH_BREAK.split(text))
    return "\n".join(p for p in paragraphs if p)


def fold_lines(text: str) -> list[str]:
    """Each line of ``text`` folded on its own: for rules that look at line structure."""
    return [" ".join(strip_accents(casefold(line)).split()) for line in text.splitlines()]
