"""Per-language lexicons (``lexicons/<lang>.toml``) compiled into one searchable index.

A lexicon entry is a regular expression over folded text (see ``normalize.fold``). It must
begin with a literal word, or with a group of alternatives that each begin with one
(``(?:wis|verwijder) ...``, which is split into one expression per alternative): that word
is its *anchor*. A mail's words are looked up in the anchor table first (an anchor followed
by a space must be one of the words; one followed by more pattern, "afmeld\\w*", must begin
one), and so are the other whole words the pattern cannot match without; only the entries
that pass are run, so a mail pays only for the phrases it could contain.

Shorthand in patterns: ``<gapN>`` stands for up to N words within one sentence.
"""

from __future__ import annotations

import operator
import re
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from mailbot.domain.kinds import RequestKind
from mailbot.preload import preloaded

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

_FIRST_THREE = operator.itemgetter(slice(0, 3))
_GAP = re.compile(r"<gap(\d+)>")
_ANCHOR_GROUP = re.compile(r"^\(\?:([^()]+)\)")
_ANCHOR_WORD = re.compile(r"^([a-z]+)")
_WORD_BREAKS = "'.,;:!?()[]{}<>\"/\\|*_=+-#@&%$\n\t"
_SPLIT_WORDS = str.maketrans({c: " " for c in _WORD_BREAKS})
_SPLIT_ASCII_WORDS = bytes.maketrans(_WORD_BREAKS.encode(), b" " * len(_WORD_BREAKS))


@dataclass(frozen=True, slots=True, eq=False)
class Phrase:
    """One lexicon entry, compiled."""

    section: str  # "access", ..., "not_a_request", ...
    language: str
    source: str  # the pattern as written in the lexicon
    regex: re.Pattern[str]
    anchor: str  # the literal word the pattern starts with
    whole_word: bool  # the anchor is a whole word, not the start of one
    required: frozenset[str]  # whole words every match contains: all must be in the text
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
    transactional: tuple[str, ...]


class PhraseIndex:
    """Every phrase of every lexicon, looked up by the anchor words a text contains."""

    def __init__(self, phrases: Sequence[Phrase]) -> None:
        self.phrases = tuple(phrases)
        whole: dict[str, list[Phrase]] = {}  # anchors that are whole words: looked up as such
        stems: dict[str, list[Phrase]] = {}  # anchors that begin longer words ("afmeld\w*")
        for phrase in phrases:
            table = whole if phrase.whole_word or len(phrase.anchor) < 3 else stems
            table.setdefault(phrase.anchor, []).append(phrase)
        self._whole = {a: tuple(p) for a, p in whole.items()}
        self._whole_words = frozenset(whole)
        self._by_prefix: dict[str, list[tuple[str, tuple[Phrase, ...]]]] = {}
        for anchor, group in stems.items():
            self._by_prefix.setdefault(anchor[:3], []).append((anchor, tuple(group)))

    def candidates(self, tokens: set[str] | frozenset[str], text: str) -> list[Phrase]:
        """The phrases whose anchor is one of the distinct words ``tokens`` of ``text``, or
        begins one, and whose other required words are there too."""
        found: set[Phrase] = set()
        for word in self._whole_words & tokens:
            found.update(self._whole[word])
        by_prefix = self._by_prefix
        for prefix in by_prefix.keys() & set(map(_FIRST_THREE, tokens)):
            for anchor, group in by_prefix[prefix]:
                # A stem found inside a word only costs a search that finds nothing.
                if len(anchor) == 3 or anchor in text:
                    found.update(group)
        return [phrase for phrase in found if phrase.required <= tokens]

    def search(self, text: str, tokens: Iterable[str] | None = None) -> list[Match]:
        """All matches in ``text`` that begin at a word start, in text order.

        ``tokens`` are the distinct words of ``text`` (see :func:`words`), if known.
        """
        matches: dict[tuple[str, int], Match] = {}
        distinct = set(tokens if tokens is not None else words(text))
        for phrase in self.candidates(distinct, text):
            for m in phrase.regex.finditer(text):
                start = m.start()
                if start and text[start - 1].isalnum():
                    continue
                key = (phrase.source, start)
                # Of one source in two languages ("rectification", weak in English and strong
                # in French) the longer match wins, then the stronger phrase, then the
                # language listed first: the same whatever order the set gives.
                rank = (m.end(), phrase.weight, -LANGUAGES.index(phrase.language))
                held = matches.get(key)
                if held is None or (held.end, held.phrase.weight,
                                    -LANGUAGES.index(held.phrase.language)) < rank:
                    matches[key] = Match(phrase, start, m.end(), m.group())
        return sorted(matches.values(), key=lambda m: (m.start, -m.end))


def words(folded: str) -> list[str]:
    """The words of a folded text, in order (apostrophes split "m'n" into "m", "n")."""
    if folded.isascii():  # folded text is; bytes.translate is many times faster on it
        return folded.encode("ascii").translate(_SPLIT_ASCII_WORDS).decode("ascii").split()
    return folded.translate(_SPLIT_WORDS).split()


_GROUP = re.compile(r"\((?:\?[:!=])?([^()]*)\)(?:[?*+]|\{\d*,?\d*\})?")
_MARK = "\x00"


def required_words(pattern: str) -> frozenset[str]:
    """The whole words outside any group or optional part: every match has them all.

    ``i (?:just |recently )?moved (?:house|to)`` requires "i" and "moved";
    ``(?:persoons)?gegevens`` requires nothing, since "gegevens" may end a longer word.
    """
    p = _GAP.sub(" ", pattern)
    p = re.sub(r"\\.|\[[^\]]*\]|\.", _MARK, p)
    while (m := _GROUP.search(p)) is not None:
        alternatives = m.group(1).split("|")
        left = " " if all(a.startswith(" ") for a in alternatives) else _MARK
        right = " " if all(a.endswith(" ") for a in alternatives) else _MARK
        p = f"{p[:m.start()]}{left}{_MARK}{right}{p[m.end():]}"
    p = re.sub(r".[?*+]|.\{\d*,?\d*\}", _MARK, p)
    return frozenset(w for w in p.split(" ") if w.isalpha() and w.isascii())


def compile_pattern(source: str) -> re.Pattern[str]:
    expanded = _GAP.sub(lambda m: rf"(?:[^ .!?\n]+ ){{0,{m.group(1)}}}", source)
    return re.compile(expanded + r"(?![a-z0-9])" if source[-1:].isalpha() else expanded)


def expand(source: str) -> list[tuple[str, str]]:
    """Split a pattern into (anchor, pattern) pairs that each start with a literal word.

    ``(?:wis|verwijder) mijn`` becomes ``wis mijn`` and ``verwijder mijn``: a regular
    expression that starts with literal text is searched many times faster than one that
    starts with a choice. ValueError when the pattern does not start with literal words.
    """
    group = _ANCHOR_GROUP.match(source)
    if group and source[group.end():group.end() + 1] in ("?", "*", "+", "{"):
        raise ValueError(f"lexicon pattern starts with an optional group: {source!r}")
    alternatives = group.group(1).split("|") if group else [source]
    rest = source[group.end():] if group else ""
    pairs = []
    for alternative in alternatives:
        word = _ANCHOR_WORD.match(alternative)
        if not word:
            raise ValueError(f"lexicon pattern must start with a literal word: {source!r}")
        pairs.append((word.group(1), alternative + rest))
    return pairs


@preloaded
def lexicons() -> dict[str, Lexicon]:
    return {lang: _lexicon(lang, _load(lang)) for lang in LANGUAGES}


@cache
def index(languages: tuple[str, ...] = LANGUAGES) -> PhraseIndex:
    """The phrases of ``languages`` (all four by default)."""
    return PhraseIndex([p for lang in LANGUAGES if lang in languages for p in _phrases_of(lang)])


@cache
def _phrases_of(lang: str) -> tuple[Phrase, ...]:
    """One language's phrases, compiled once for every index that holds them."""
    data = _load(lang)
    negations = frozenset(data["negation"]["cues"])
    phrases: list[Phrase] = []
    for section in (*REQUEST_SECTIONS, *PHRASE_SECTIONS):
        entries = data.get(section, {})
        for strength, weight in STRENGTHS.items():
            for source in entries.get(strength, ()):
                phrases.extend(_phrases(section, lang, source, weight, negations))
        for source in entries.get("phrases", ()):
            phrases.extend(_phrases(section, lang, source, 1.0, negations))
    return tuple(phrases)


def _phrases(section: str, lang: str, source: str, weight: float,
             negations: frozenset[str]) -> Iterator[Phrase]:
    self_negated = bool(set(re.findall(r"[a-z]+", source)) & negations)
    for anchor, pattern in expand(source):
        whole = pattern[len(anchor):len(anchor) + 1] in ("", " ")
        yield Phrase(section, lang, source, compile_pattern(pattern), anchor, whole,
                     required_words(pattern), weight, self_negated)


def _lexicon(lang: str, data: dict) -> Lexicon:
    subject = data.get("subject", {})
    return Lexicon(
        language=lang,
        negations=frozenset(data["negation"]["cues"]),
        clause_breaks=frozenset(data["negation"]["clause_breaks"]),
        article_words=tuple(data["article"]["words"]),
        laws=tuple(data["article"]["laws"]),
        subject_keywords={kind: tuple(subject.get(str(kind), ()))
                          for kind in REQUEST_SECTIONS.values()},
        thanks=tuple(data["short"]["thanks"]),
        greetings=tuple(data["short"]["greetings"]),
        order_fields=tuple(data["processing_order"]["fields"]),
        transactional=tuple(data["transactional"]["words"]),
    )


@cache
def _load(lang: str) -> dict:
    text = resources.files("mailbot.classify").joinpath(f"lexicons/{lang}.toml").read_text("utf-8")
    return tomllib.loads(text)
