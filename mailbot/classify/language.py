"""Language of a mail (ISO 639-1), tuned for short mails.

Non-Latin scripts decide by Unicode block (el, ru/uk, ja, ko, zh). Latin-script text is
scored by the function words of each language (``lexicons/languages.toml``) plus letters
that belong to few languages; the four languages mailbot answers in get a small head start
and the words a request rule matched count for their lexicon's language, so "Afmelden"
alone is Dutch.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from mailbot.classify.normalize import strip_accents

SUPPORTED = ("nl", "en", "de", "fr")
UNDETERMINED = "und"

_SAMPLE_CHARS = 1500
_SAMPLE_WORDS = 150
_SUPPORTED_BONUS = 1.15
_HINT_WEIGHT = 1.5
_LETTER_WEIGHT = 1.0
_MIN_SCORE = 0.6
_NON_LATIN = re.compile(
    "[\u0370-\u03ff\u1f00-\u1fff\u0400-\u04ff\u3040-\u30ff\uac00-\ud7af\u1100-\u11ff"
    "\u3130-\u318f\u4e00-\u9fff\u3400-\u4dbf]"
)
_ASCII_LETTERS = re.compile("[a-z]")
_IDEOGRAPH_WEIGHT = 4
_SPLIT = str.maketrans({c: " " for c in "'\u2019.,;:!?()[]{}<>\"/\\|*_=+-#@&%$0123456789\n\t"})


@cache
def _tables() -> tuple[dict[str, tuple[tuple[str, float], ...]], dict[str, tuple[str, ...]]]:
    data = tomllib.loads(
        resources.files("mailbot.classify").joinpath("lexicons/languages.toml").read_text("utf-8")
    )
    owners: dict[str, list[str]] = {}
    for lang, words in data["words"].items():
        for word in set(words.split()):
            owners.setdefault(word, []).append(lang)
    words = {w: tuple((lang, 1.0 / len(langs)) for lang in langs) for w, langs in owners.items()}
    letters = {ch: tuple(langs.split()) for ch, langs in data["letters"].items()}
    return words, letters


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the text itself says about its language, before lexicon hints are added."""

    script: str | None  # a language named by a non-Latin script, if that decides
    scores: Mapping[str, float]  # Latin-script scores per language


def measure(text: str, tokens: Sequence[str] | None = None, *, latin: bool = False) -> Evidence:
    """Score ``text`` (casefolded, accents kept); ``tokens`` are its folded words, if known.

    ``latin=True`` says the caller knows the text is in Latin script (folding kept it whole).
    """
    sample = text[:_SAMPLE_CHARS]
    script = None if latin else _script_language(sample)
    if script is not None:
        return Evidence(script, {})
    if tokens is None:
        tokens = strip_accents(sample).translate(_SPLIT).split()
    return Evidence(None, _latin_scores(sample, tokens[:_SAMPLE_WORDS]))


def decide(evidence: Evidence, hints: Iterable[str] = ()) -> str:
    """The language, or "und"; ``hints`` are the languages of lexicon phrases that matched."""
    if evidence.script is not None:
        return evidence.script
    scores = Counter(evidence.scores)
    for lang in hints:
        scores[lang] += _HINT_WEIGHT
    if not scores:
        return UNDETERMINED
    for lang in SUPPORTED:
        if lang in scores:
            scores[lang] *= _SUPPORTED_BONUS
    best, score = max(sorted(scores.items()), key=lambda item: (item[1], item[0] in SUPPORTED))
    return best if score >= _MIN_SCORE else UNDETERMINED


@cache
def _known_words() -> frozenset[str]:
    return frozenset(_tables()[0])


def detect(text: str, hints: Iterable[str] = (), tokens: Sequence[str] | None = None) -> str:
    """The language of ``text`` (casefolded, accents kept), or "und" when nothing tells."""
    return decide(measure(text, tokens), hints)


def _latin_scores(sample: str, tokens: Sequence[str]) -> dict[str, float]:
    words, letters = _tables()
    result: dict[str, float] = {}
    counts = Counter(tokens)
    for token in sorted(_known_words().intersection(counts)):  # a fixed order: same sums
        count = counts[token]
        for lang, weight in words[token]:
            result[lang] = result.get(lang, 0.0) + weight * count
    if not sample.isascii():
        for ch, count in Counter(_letter_pattern().findall(sample)).items():
            owners = letters[ch]
            share = _LETTER_WEIGHT * min(count, 5) / len(owners)
            for lang in owners:
                result[lang] = result.get(lang, 0.0) + share
    return result


@cache
def _letter_pattern() -> re.Pattern[str]:
    return re.compile("[" + re.escape("".join(_tables()[1])) + "]")


_SCRIPTS = (
    ("el", re.compile("[\u0370-\u03ff\u1f00-\u1fff]")),
    ("ru", re.compile("[\u0400-\u04ff]")),
    ("ja", re.compile("[\u3040-\u30ff]")),
    ("ko", re.compile("[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")),
    ("zh", re.compile("[\u4e00-\u9fff\u3400-\u4dbf]")),
)
_UKRAINIAN = re.compile("[\u0456\u0457\u0454\u0491]")  # Ukrainian letters that Russian lacks


def _script_language(sample: str) -> str | None:
    """The language a non-Latin script names, when its letters outweigh the Latin ones."""
    if sample.isascii() or not _NON_LATIN.search(sample):
        return None
    counts = {lang: len(pattern.findall(sample)) for lang, pattern in _SCRIPTS}
    # A Chinese, Japanese or Korean character carries about as much as a short Latin word.
    weight = counts["el"] + counts["ru"] + _IDEOGRAPH_WEIGHT * (
        counts["ja"] + counts["ko"] + counts["zh"])
    if weight < len(_ASCII_LETTERS.findall(sample)):
        return None
    if counts["ja"]:
        return "ja"  # Japanese mixes kana with Chinese characters
    if counts["ru"] and len(_UKRAINIAN.findall(sample)) >= 3:
        counts["uk"] = counts.pop("ru")
    return max(counts, key=lambda lang: counts[lang])
