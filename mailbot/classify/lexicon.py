"""Per-language lexicons (``lexicons/<lang>.toml``) compiled into one searchable index.

A lexicon entry is a regular expression over folded text (see ``normalize.fold``). It must
begin with a literal word of at least three letters, or with a group of such words
(``(?:wis|verwijder) ...``): that word is its *anchor*. A mail's words are looked up in the
anchor table first, and only the entries whose anchor occurs are run, so a mail pays only
for the phrases it could contain.

Shorthand in patterns: ``<gapN>`` stands for up to N words within one sentence.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from mailbot.domain.kinds import RequestKind

LANGUAGES = ("nl", "en", "de", "fr")

# Lexicon sections that hold plain phrase lists, and what a match of each one means.
REQUEST_SECTIONS = {
    "access": RequestKind.ACCESS,
    "correction": RequestKind.CORRECTION,
    "erasure": RequestKind.ERASURE,
    "unsubscribe": RequestKind.UNSUBSCRIBE,
}
PHRASE_SECTIONS = (
    "not_a_request",  # newsletter footers, offers to the reader: masked before requests are read
    "other_rights",  # rights mailbot does not handle itself (portability, restriction, ...)
    "reminder",  # a chase of an earlier request
    "complaint",  # a complaint to a supervisory authority
    "processing_order",  # words that name a client's processing order
)
STRENGTHS = {"strong": 0.9, "weak": 0.45}

_GAP = re.compile(r"<gap(\d+)>")
_ANCHOR_GROUP = re.compile(r"^\(\?:([^()]+)\)")
_ANCHOR_WORD = re.compile(r"^([a-z]+)")
SPLIT_WORDS = str.maketrans({c: " " for c in "'.,;:!?()[]{}<>\"/\\|*_=+-#@&%$\n\t"})


@dataclass(frozen=True, slots=True, eq=False)
class Phrase:
    """One lexicon entry, compiled."""

    section: str  # "access", ..., "not_a_request", ...
    language: str
    source: str  # the pattern as written in the lexicon
    regex: re.Pattern[str]
    anchors: tuple[str, ...]
    weight: float
    self_negated: bool  # the phrase itself holds a negation ("bel me niet meer")

    @property
    def kind(self) -> RequestKind | None:
        return REQUEST_SECTIONS.get(self.section)


@dataclass(frozen=True, slots=True)
class Match:
    phrase: Phrase
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Lexicon:
    """What one language's file says beyond its phrases."""

    language: str
    negations: frozenset[str]
    clause_breaks: frozenset[str]
    article_words: tuple[str, ...]
    laws: tuple[str, ...]
    subject_keywords: dict[RequestKind, tuple[str, ...]]
    thanks: tuple[str, ...]
    greetings: tuple[str, ...]
    order_fields: tuple[str, ...]


class PhraseIndex:
    """Every phrase of every lexicon, looked up by the anchor words a text contains."""

    def __init__(self, phrases: Sequence[Phrase]) -> None:
        self.phrases = tuple(phrases)
        self._by_prefix: dict[str, list[tuple[str, Phrase]]] = {}
        for phrase in phrases:
            for anchor in phrase.anchors:
                self._by_prefix.setdefault(anchor[:3], []).append((anchor, phrase))

    def candidates(self, text: str) -> list[Phrase]:
        found: dict[int, Phrase] = {}
        by_prefix = self._by_prefix
        for token in set(text.translate(SPLIT_WORDS).split()):
            for anchor, phrase in by_prefix.get(token[:3], ()):
                if token.startswith(anchor) if len(anchor) > 2 else token == anchor:
                    found[id(phrase)] = phrase
        return list(found.values())

    def search(self, text: str) -> list[Match]:
        """All matches in ``text`` that begin at a word start, in text order."""
        matches: list[Match] = []
        for phrase in self.candidates(text):
            for m in phrase.regex.finditer(text):
                start = m.start()
                if start and text[start - 1].isalnum():
                    continue
                matches.append(Match(phrase, start, m.end(), m.group()))
        matches.sort(key=lambda m: (m.start, -m.end))
        return matches


def compile_pattern(source: str) -> re.Pattern[str]:
    expanded = _GAP.sub(lambda m: rf"(?:[^ .!?\n]+ ){{0,{m.group(1)}}}", source)
    return re.compile(expanded + r"(?![a-z0-9])" if source[-1:].isalpha() else expanded)


def anchors_of(source: str) -> tuple[str, ...]:
    """The literal word(s) a pattern starts with; ValueError when it starts otherwise."""
    group = _ANCHOR_GROUP.match(source)
    alternatives = group.group(1).split("|") if group else [source]
    words = tuple(m.group(1) if (m := _ANCHOR_WORD.match(alt)) else "" for alt in alternatives)
    if not all(words):
        raise ValueError(f"lexicon pattern must start with a literal word: {source!r}")
    return words


@cache
def lexicons() -> dict[str, Lexicon]:
    return {lang: _lexicon(lang, _load(lang)) for lang in LANGUAGES}


@cache
def index() -> PhraseIndex:
    return PhraseIndex(list(_all_phrases()))


def _all_phrases() -> Iterator[Phrase]:
    for lang in LANGUAGES:
        data = _load(lang)
        negations = frozenset(data["negation"]["cues"])
        for section in (*REQUEST_SECTIONS, *PHRASE_SECTIONS):
            entries = data.get(section, {})
            for strength, weight in STRENGTHS.items():
                for source in entries.get(strength, ()):
                    yield _phrase(section, lang, source, weight, negations)
            for source in entries.get("phrases", ()):
                yield _phrase(section, lang, source, 1.0, negations)


def _phrase(section: str, lang: str, source: str, weight: float,
            negations: frozenset[str]) -> Phrase:
    words = set(re.findall(r"[a-z']+", source))
    return Phrase(section, lang, source, compile_pattern(source), anchors_of(source), weight,
                  bool(words & negations))


def _lexicon(lang: str, data: dict) -> Lexicon:
    subject = data.get("subject", {})
    return Lexicon(
        language=lang,
        negations=frozenset(data["negation"]["cues"]),
        clause_breaks=frozenset(data["negation"]["clause_breaks"]),
        article_words=tuple(data["article"]["words"]),
        laws=tuple(data["article"]["laws"]),
        subject_keywords={kind: tuple(subject.get(str(kind), ())) for kind in REQUEST_SECTIONS.values()},
        thanks=tuple(data["short"]["thanks"]),
        greetings=tuple(data["short"]["greetings"]),
        order_fields=tuple(data["processing_order"]["fields"]),
    )


@cache
def _load(lang: str) -> dict:
    text = resources.files("mailbot.classify").joinpath(f"lexicons/{lang}.toml").read_text("utf-8")
    return tomllib.loads(text)
