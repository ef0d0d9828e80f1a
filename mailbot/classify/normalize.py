"""Text normalisation for matching: NFKC, casefold, accents removed, whitespace collapsed.

Lexicon patterns are written against the output of :func:`fold`: lower case, no accents,
single spaces, paragraphs separated by ``"\\n"``.
"""

from __future__ import annotations

import re
import unicodedata

_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_MARK = "\x00"
_PUNCTUATION = (
    ("\u2018", "'"), ("\u2019", "'"), ("\u201a", "'"), ("\u201b", "'"), ("\u2032", "'"),
    ("\u201c", '"'), ("\u201d", '"'), ("\u201e", '"'), ("\u00ab", '"'), ("\u00bb", '"'),
    ("\u2010", "-"), ("\u2011", "-"), ("\u2013", "-"), ("\u2014", "-"),
)
# Letters that carry no combining mark but are spelled without one when accents are dropped.
_LETTERS = (("ø", "o"), ("đ", "d"), ("ł", "l"), ("\u0131", "i"), ("æ", "ae"), ("œ", "oe"),
            ("ŀ", "l"), ("ħ", "h"))


def casefold(text: str) -> str:
    """NFKC and casefold, accents kept: what the language detector looks at."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if text.isascii():
        return text
    for old, new in _PUNCTUATION:
        if old in text:
            text = text.replace(old, new)
    return text


# Greek letters spelled in Latin (after accents are split off), so that Greek letters reach
# the clause lexicons (lexicons/clauses/el.toml is written in this spelling): "διαγραφή" ->
# "diagrafi".
_GREEK = re.compile("[\u0370-\u03ff\u1f00-\u1fff]")
_GREEK_LETTERS = "αβγδεζηθικλμνξοπρσςτυφχψω\u037e\u0387"
_LATIN_SPELLING = ("a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x", "o", "p",
                   "r", "s", "s", "t", "y", "f", "ch", "ps", "o", ";", ";")
_GREEK_LATIN = str.maketrans(dict(zip(_GREEK_LETTERS, _LATIN_SPELLING, strict=True)))


# Cyrillic letters spelled in Latin the way Bulgarian is romanised (its official
# transliteration, streamlined), so that a Bulgarian request reaches its clause lexicon:
# "изтриете" -> "iztriete". Russian and Ukrainian letters Bulgarian lacks are spelled too.
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_CYRILLIC_SPELLING = ("a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o",
                      "p", "r", "s", "t", "u", "f", "h", "ts", "ch", "sh", "sht", "a", "y", "y",
                      "e", "yu", "ya")  # U+0430 to U+044F, in order
_CYRILLIC_LATIN = str.maketrans({
    **{chr(0x430 + i): latin for i, latin in enumerate(_CYRILLIC_SPELLING)},
    "\u0451": "e", "\u0454": "e", "\u0456": "i", "\u0457": "i", "\u0491": "g"})


def strip_accents(text: str) -> str:
    """Drop accents ("é" -> "e"); Greek and Cyrillic letters are spelled in Latin ones,
    letters of other non-Latin scripts are dropped.

    Only Latin-script words are ever matched against the lexicons, and going through ASCII
    is many times faster than removing combining marks one by one.
    """
    if text.isascii():
        return text
    for old, new in _LETTERS:
        if old in text:
            text = text.replace(old, new)
    text = unicodedata.normalize("NFD", text)
    if _GREEK.search(text):
        text = text.lower().translate(_GREEK_LATIN)
    if _CYRILLIC.search(text):
        text = text.lower().translate(_CYRILLIC_LATIN)
    return text.encode("ascii", "ignore").decode("ascii")


def has_greek(text: str) -> bool:
    return _GREEK.search(text) is not None


def has_cyrillic(text: str) -> bool:
    return _CYRILLIC.search(text) is not None


def fold(text: str) -> str:
    """The matching form: casefolded, accents removed, one space between words.

    Single line breaks become spaces (mail clients wrap lines mid-phrase); a blank line
    becomes ``"\\n"``, so a phrase never matches across paragraphs.
    """
    return fold_casefolded(casefold(text))


def fold_casefolded(text: str) -> str:
    """:func:`fold` of text that has been through :func:`casefold` already."""
    text = strip_accents(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _MARK in text:
        paragraphs = (" ".join(p.split()) for p in _PARAGRAPH_BREAK.split(text))
        return "\n".join(p for p in paragraphs if p)
    # One split and join over the whole text, its paragraph breaks marked beforehand.
    marked = " ".join(_PARAGRAPH_BREAK.sub(_MARK, text).split())
    return marked.replace(" " + _MARK, _MARK).strip(_MARK).replace(_MARK, "\n")
