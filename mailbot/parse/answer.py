"""What a person's own words say to a question we asked by mail ("did you send this
request?"): a refusal, a yes, or neither; and whether they say anything at all beside a code.
Words and patterns in ``data/answers.toml`` for nl, en, de and fr; every language is tried,
since a person may answer in another than they asked in."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources

from mailbot.preload import preloaded

_SENTENCE = re.compile(r"[^.!?;\n]+[.!?;]*")
_WORD = re.compile(r"\w+")


class Said(StrEnum):
    REFUSAL = "refusal"  # "Ik heb dit NIET aangevraagd", "not me", "fraud"
    YES = "yes"
    NEITHER = "neither"


@dataclass(frozen=True, slots=True)
class Answer:
    said: Said
    cue: str = ""  # the words that decided, as found (folded)


@dataclass(frozen=True, slots=True)
class _Lexicon:
    refusal: re.Pattern[str]
    yes: re.Pattern[str]
    negation: frozenset[str]
    neutral: frozenset[str]


def read_answer(own_text: str) -> Answer:
    """What ``own_text`` (the sender's own words, quotes cut off) answers. A refusal in any
    line wins: a "yes, but I did not ask for the erasure" is no yes. A yes counts only in a
    sentence that denies nothing ("dat klopt niet" is no yes) and asks nothing ("Waarom moet
    ik dit bevestigen?")."""
    text = _fold(own_text)
    lexicon = _lexicon()
    for line in text.splitlines():
        found = lexicon.refusal.search(line.strip())
        if found:
            return Answer(Said.REFUSAL, found.group().strip())
    for line in text.splitlines():
        if line.rstrip().endswith("?"):
            continue
        for sentence in _SENTENCE.findall(line):
            found = lexicon.yes.search(sentence.strip())
            if found and not lexicon.negation & set(_WORD.findall(sentence)):
                return Answer(Said.YES, found.group().strip())
    return Answer(Said.NEITHER)


def says_nothing(text: str, allowed: Iterable[str] = ()) -> bool:
    """True when ``text`` (an answer with its codes taken out) holds only words that say
    nothing: "Hier is de code:", a greeting, thanks, and the ``allowed`` words (the sender's
    own name)."""
    known = _lexicon().neutral | {w for a in allowed for w in _WORD.findall(_fold(a))}
    return set(_WORD.findall(_fold(text))) <= known


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("\u2019", "'"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.replace("'", " ")


@preloaded
def _lexicon() -> _Lexicon:
    source = resources.files("mailbot.parse").joinpath("data/answers.toml")
    data = tomllib.loads(source.read_text("utf-8"))

    def joined(key: str) -> re.Pattern[str]:
        return re.compile("|".join(p for lang in data.values() for p in lang[key]))

    def words(key: str) -> frozenset[str]:
        return frozenset(_fold(w) for lang in data.values() for w in lang[key])

    return _Lexicon(joined("refusal"), joined("yes"), words("negation"), words("neutral"))
