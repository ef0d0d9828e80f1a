"""The matching form of a text (see ``classify.normalize.fold``) with, for every character
of it, where it came from in the original, so that a match can be shown and cut out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from mailbot.classify.normalize import casefold, strip_accents

_CHUNKS = re.compile(r"\s+|\S+")


@dataclass(frozen=True, slots=True)
class Folded:
    original: str
    text: str  # lower case, accents removed, one space between words, "\n" between paragraphs
    origins: tuple[int, ...]  # origins[i]: index in `original` that text[i] came from

    def at(self, index: int) -> int:
        """Where in the original ``text[index]`` came from (the end for the end)."""
        return self.origins[index] if index < len(self.text) else len(self.original)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original that ``text[start:end]`` came from."""
        first, last = self.at(start), self.at(end)
        while last > first and self.original[last - 1].isspace():
            last -= 1
        return first, last


def fold_with_origins(original: str) -> Folded:
    chars: list[str] = []
    origins: list[int] = []
    for chunk in _CHUNKS.finditer(original):
        piece, at = chunk.group(), chunk.start()
        if piece.isspace():
            chars.append("\n" if piece.count("\n") >= 2 else " ")
            origins.append(at)
        elif piece.isascii():
            chars.append(piece.lower())
            origins.extend(range(at, chunk.end()))
        else:
            for offset, char in enumerate(piece):
                folded = _fold_char(char)
                chars.append(folded)
                origins.extend([at + offset] * len(folded))
    return Folded(original, "".join(chars), tuple(origins))


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    return strip_accents(casefold(char))
