"""What a person's own words say to a question we asked by mail ("did you send this
request?"): a refusal, a yes, or neither. Patterns in ``data/answers.toml`` for nl, en, de
and fr; every language is tried, since a person may answer in another than they asked in."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources


class Said(StrEnum):
    REFUSAL = "refusal"  # "Ik heb dit NIET aangevraagd", "not me", "fraud"
    YES = "yes"
    NEITHER = "neither"


@dataclass(frozen=True, slots=True)
class Answer:
    said: Said
    cue: str = ""  # the words that decided, as found (folded)


def read_answer(own_text: str) -> Answer:
    """What ``own_text`` (the sender's own words, quotes cut off) answers. A refusal in any
    line wins: a "yes, but I did not ask for the erasure" is no yes; a question ("Waarom
    moet ik dit bevestigen?") is no yes either."""
    text = _fold(own_text)
    refusal, yes = _patterns()
    for line in text.splitlines():
        found = refusal.search(line.strip())
        if found:
            return Answer(Said.REFUSAL, found.group().strip())
    for line in text.splitlines():
        found = None if line.rstrip().endswith("?") else yes.search(line.strip())
        if found:
            return Answer(Said.YES, found.group().strip())
    return Answer(Said.NEITHER)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("\u2019", "'"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.replace("'", " ")


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    source = resources.files("mailbot.parse").joinpath("data/answers.toml")
    data = tomllib.loads(source.read_text("utf-8"))
    refusal = [p for lang in data.values() for p in lang["refusal"]]
    yes = [p for lang in data.values() for p in lang["yes"]]
    return re.compile("|".join(refusal)), re.compile("|".join(yes))
