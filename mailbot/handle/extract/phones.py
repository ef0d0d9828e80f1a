"""Phone numbers a person gives in their mail ("bel me niet meer op 06-12345678"): a number
in international form anywhere, or a national one announced by a word for a phone."""

from __future__ import annotations

import re

from mailbot.domain.phones import normalise
from mailbot.handle.extract.phrasebook import compile_any, section
from mailbot.preload import preloaded

# +31 6 12345678, 0031-6-12345678, 06-12345678, 020 123 45 67, +31 (0)20 1234567
_SHAPE = re.compile(r"(?<![\w+])(?:\+|00)?\d[\d\s\-./()]{6,20}\d(?![\w@])")
_CUE_WINDOW = 40


@preloaded
def _cue() -> re.Pattern[str]:
    pattern = compile_any(section("phones", "cue"), re.IGNORECASE)
    if pattern is None:
        raise ValueError("data/phones.toml needs cue phrases")
    return pattern


def find_phones(text: str, calling_code: str) -> list[str]:
    """Every phone number in ``text``, normalised, in the order written, once each."""
    found: dict[str, None] = {}
    for match in _SHAPE.finditer(text):
        raw = match.group().strip()
        if "\n" in raw:
            continue
        international = raw.startswith(("+", "00"))
        before = text[max(0, match.start() - _CUE_WINDOW):match.start()]
        if not international and not _cue().search(before.rsplit("\n", 1)[-1]):
            continue
        number = normalise(raw, calling_code)
        if number is not None:
            found[number] = None
    return list(found)
