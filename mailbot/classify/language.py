"""Language of a mail (ISO 639-1), tuned for short mails.

Non-Latin scripts decide by Unicode block (el, Cyrillic, ja, ko, zh); Cyrillic text is
Russian, Ukrainian or Bulgarian by the letters and words of each. Latin-script text is
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
from mailbot.preload import preloaded

SUPPORTED = ("nl", "en", "de", "fr")
# The official languages of the EU: requests in them are recognised and recorded with their
# language (answered in English where no template exists).
EU_LANGUAGES = ("bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu",
                "it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv")
UNDETERMINED = "und"

_SAMPLE_CHARS = 1500
_SAMPLE_WORDS = 150
_SUPPORTED_BONUS = 1.15
_HINT_WEIGHT = 1.5
_MIN_SCORE = 0.6
_NON_LATIN = re.compile(
    "[\u0370-\u03ff\u1f00-\u1fff\u0400-\u04ff\u3040-\u30ff\uac00-\ud7af\u1100-\u11ff"
    "\u3130-\u318f\u4e00-\u9fff\u3400-\u4dbf]"
)
_ASCII_LETTERS = re.compile("[a-z]")
_IDEOGRAPH_WEIGHT = 4
_SPLIT = str.maketrans({c: " " for c in "'\u2019.,;:!?()[]{}<>\"/\\|*_=+-#@&%$0123456789\n\t"})


# Word and letter weights are whole multiples of 1/_UNIT (a word of k languages counts 1/k,
# k <= 9): integer sums do not depend on the order in which the words are added.
_UNIT = 2520


@dataclass(frozen=True, slots=True, eq=False)
class _Owners:
    """The languages a word belongs to, each counting ``share`` units. One object per group
    of languages: Counter tallies them by identity, which hashes fastest."""

    languages: tuple[str, ...]
    share: int


@preloaded
def _data() -> dict:
    return tomllib.loads(
        resources.files("mailbot.classify").joinpath("lexicons/languages.toml").read_text("utf-8")
    )


@preloaded
def _tables() -> tuple[dict[str, _Owners], dict[str, tuple[str, ...]]]:
    """Each known word and each telling letter, with the languages it belongs to."""
    data = _data()
    owners: dict[str, list[str]] = {}
    for lang, words in data["words"].items():
        for word in set(words.split()):
            owners.setdefault(word, []).append(lang)
    groups: dict[tuple[str, ...], _Owners] = {}
    words = {}
    for word, langs in owners.items():
        key = tuple(sorted(langs))
        if key not in groups:
            groups[key] = _Owners(key, _unit_share(len(key)))
        words[word] = groups[key]
    letters = {ch: tuple(langs.split()) for ch, langs in data["letters"].items()}
    for langs in letters.values():
        _unit_share(len(langs))
    return words, letters


def _unit_share(owners: int) -> int:
    if _UNIT % owners:
        raise ValueError(f"a word or letter of {owners} languages: at most 9 can share one")
    return _UNIT // owners


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
    scores = dict(evidence.scores)
    for lang in hints:
        scores[lang] = scores.get(lang, 0.0) + _HINT_WEIGHT
    best, best_key = UNDETERMINED, (0.0, False)
    for lang, score in scores.items():
        supported = lang in SUPPORTED
        key = (score * _SUPPORTED_BONUS if supported else score, supported)
        if key > best_key or (key == best_key and lang < best):
            best, best_key = lang, key
    return best if best_key[0] >= _MIN_SCORE else UNDETERMINED


def detect(text: str, hints: Iterable[str] = (), tokens: Sequence[str] | None = None) -> str:
    """The language of ``text`` (casefolded, accents kept), or "und" when nothing tells."""
    return decide(measure(text, tokens), hints)


def _latin_scores(sample: str, tokens: Sequence[str]) -> dict[str, float]:
    words, letters = _tables()
    units: dict[str, int] = {}
    for owners, count in Counter(map(words.get, tokens)).items():
        if owners is not None:
            share = count * owners.share
            for lang in owners.languages:
                units[lang] = units.get(lang, 0) + share
    if not sample.isascii():
        for ch, count in Counter(_letter_pattern().findall(sample)).items():
            owners = letters[ch]
            share = min(count, 5) * _unit_share(len(owners))
            for lang in owners:
                units[lang] = units.get(lang, 0) + share
    return {lang: total / _UNIT for lang, total in units.items()}


@preloaded
def _letter_pattern() -> re.Pattern[str]:
    return re.compile("[" + re.escape("".join(_tables()[1])) + "]")


_SCRIPTS = (
    ("el", re.compile("[\u0370-\u03ff\u1f00-\u1fff]")),
    ("ru", re.compile("[\u0400-\u04ff]")),
    ("ja", re.compile("[\u3040-\u30ff]")),
    ("ko", re.compile("[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")),
    ("zh", re.compile("[\u4e00-\u9fff\u3400-\u4dbf]")),
)
_CYRILLIC = ("ru", "uk", "bg")  # a tie goes to the first
_CYRILLIC_WORD = re.compile("[\u0400-\u04ff]+")


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
    if counts["ru"]:
        counts[_cyrillic_language(sample)] = counts.pop("ru")
    return max(counts, key=lambda lang: counts[lang])


@preloaded
def _cyrillic_tables() -> tuple[dict[str, str], dict[str, str]]:
    """The words and letters that belong to one of the languages written in Cyrillic."""
    data = _data()["cyrillic"]
    words = {word: lang for lang, text in data["words"].items() for word in text.split()}
    return words, dict(data["letters"])


def _cyrillic_language(sample: str) -> str:
    """Russian, Ukrainian or Bulgarian: each letter of one of them counts (at most five times
    each), and each of its words."""
    words, letters = _cyrillic_tables()
    scores = dict.fromkeys(_CYRILLIC, 0)
    for ch, count in Counter(ch for ch in sample if ch in letters).items():
        scores[letters[ch]] += min(count, 5)
    for word in _CYRILLIC_WORD.findall(sample):
        lang = words.get(word)
        if lang is not None:
            scores[lang] += 1
    return max(_CYRILLIC, key=lambda lang: scores[lang])


@cache
def common_words(language: str) -> frozenset[str]:
    """The function words and everyday mail words listed for ``language`` (folded)."""
    words, _ = _tables()
    return frozenset(word for word, owners in words.items() if language in owners.languages)
