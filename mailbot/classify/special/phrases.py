"""The special-category lexicons (``classify/lexicons/special/<lang>.toml``), searched with
the classifier's anchor index (``classify.lexicon``): only the entries whose first word is
in the text are run.

An entry is a regular expression over folded text, written as the classifier's are. A
group named ``s`` marks the passage that is the data ("lid van (?P<s>groenlinks)"); without
one the whole match is. Each file's ``exclude`` phrases (idioms: "ziek van", "sick of",
"partei ergreifen") are blanked out before the categories are searched.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources

from mailbot.classify.lexicon import (
    LANGUAGES,
    Match,
    Phrase,
    PhraseIndex,
    compile_pattern,
    expand,
    required_words,
    words,
)
from mailbot.classify.special.model import Category
from mailbot.preload import preloaded

EXCLUDE = "exclude"
BLANK = "#"


@cache
def load(language: str) -> dict[str, dict[str, list[str] | str]]:
    path = resources.files("mailbot.classify").joinpath(f"lexicons/special/{language}.toml")
    return tomllib.loads(path.read_text("utf-8"))


@preloaded
def markers() -> Mapping[str, Mapping[Category, str]]:
    """language -> category -> its marker in a minimised text, e.g. "[gezondheid]"."""
    return {lang: {c: f"[{load(lang)['markers'][c.value]}]" for c in Category}
            for lang in LANGUAGES}


@cache
def _index(section_names: tuple[str, ...], languages: tuple[str, ...]) -> PhraseIndex:
    phrases: list[Phrase] = []
    for lang in languages:
        data = load(lang)
        for name in section_names:
            for source in data.get(name, {}).get("phrases", ()):
                phrases.extend(_phrases(name, lang, str(source)))
    return PhraseIndex(phrases)


def _phrases(section: str, lang: str, source: str) -> list[Phrase]:
    # Every entry ends at a word end, whatever its last token ("in de (?:kerk|moskee)"
    # must not match "in de Kerkstraat").
    # The source names its language: the index keeps one match per source and place, and
    # the same words may be in two lexicons.
    return [Phrase(section, lang, f"{lang}:{source}", compile_pattern(f"(?:{pattern})(?![a-z0-9])"),
                   anchor,
                   pattern[len(anchor):len(anchor) + 1] in ("", " "),
                   required_words(re.sub(r"\(\?P<\w+>", "(?:", pattern)), 1.0, False)
            for anchor, pattern in expand(source)]


def blank_idioms(folded: str, languages: tuple[str, ...]) -> str:
    """``folded`` with the idioms that look like special data blanked (same length)."""
    matches = _index((EXCLUDE,), languages).search(folded)
    if not matches:
        return folded
    chars = list(folded)
    for m in matches:
        chars[m.start:m.end] = BLANK * (m.end - m.start)
    return "".join(chars)


def search(folded: str, languages: Iterable[str] = LANGUAGES) -> list[tuple[Match, int, int]]:
    """Every category entry found in ``folded`` (idioms blanked first), with the span of
    its passage in ``folded``."""
    langs = tuple(lang for lang in LANGUAGES if lang in set(languages))
    text = blank_idioms(folded, langs)
    categories = tuple(c.value for c in Category if c is not Category.NATIONAL_ID)
    found = []
    for match in _index(categories, langs).search(text, words(text)):
        inner = match.phrase.regex.match(text, match.start)
        if inner is not None and "s" in match.phrase.regex.groupindex and inner.group("s"):
            found.append((match, inner.start("s"), inner.end("s")))
        else:
            found.append((match, match.start, match.end))
    return found
