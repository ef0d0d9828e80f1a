"""The words of a processing order per language, loaded from ``labels/<lang>.toml``."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from mailbot.classify.normalize import casefold, strip_accents

LANGUAGES = ("nl", "en", "de", "fr")
_PLURAL_IN_BRACKETS = re.compile(r"(?<=\w)\((\w{1,3})\)")


def fold(text: str) -> str:
    """Lower case, accents removed, one space between words: what patterns are written for."""
    return " ".join(strip_accents(casefold(text)).split())


def fold_label(text: str) -> str:
    """A label as written, folded; a plural in brackets ("categorie(ën)") written out."""
    return _PLURAL_IN_BRACKETS.sub(r"\1", fold(text))


def words(patterns: list[str] | tuple[str, ...]) -> re.Pattern[str]:
    """One expression for ``patterns``, each matched as whole words."""
    return re.compile(r"(?<!\w)(?:" + "|".join(patterns) + r")(?!\w)")


@dataclass(frozen=True, slots=True)
class Term:
    """A category as the register writes it, and the words in free text that mean it."""

    name: str
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Vocabulary:
    language: str
    labels: dict[str, tuple[str, ...]]  # field -> folded labels
    names: dict[str, str]  # field -> how replies and the register name it
    amend_subject: re.Pattern[str]
    amend_text: re.Pattern[str]
    end_subject: re.Pattern[str]
    end_text: re.Pattern[str]
    months: dict[str, int]  # folded month name or abbreviation -> 1..12
    start_cues: tuple[str, ...]
    end_cues: tuple[str, ...]
    no_transfers: tuple[str, ...]
    closings: frozenset[str]
    terms: dict[str, tuple[Term, ...]]  # field -> categories found in free text
    page: dict[str, str]
    columns: dict[str, str]
    values: dict[str, str]


@cache
def vocabulary(language: str) -> Vocabulary:
    """The vocabulary of ``language``; English for a language without one."""
    language = language if language in LANGUAGES else "en"
    text = resources.files("mailbot.register").joinpath(f"labels/{language}.toml")
    data = tomllib.loads(text.read_text("utf-8"))
    intent = data["intent"]
    return Vocabulary(
        language=language,
        labels={field: tuple(fold_label(label) for label in labels)
                for field, labels in data["labels"].items()},
        names=dict(data["names"]),
        amend_subject=words(intent["amend_subject"]),
        amend_text=words(intent["amend_text"]),
        end_subject=words(intent["end_subject"]),
        end_text=words(intent["end_text"]),
        months={fold(name): number for number, names in enumerate(data["dates"]["months"], 1)
                for name in names},
        start_cues=tuple(data["dates"]["start_cues"]),
        end_cues=tuple(data["dates"]["end_cues"]),
        no_transfers=tuple(data["transfers"]["none"]),
        closings=frozenset(fold(line) for line in data["closings"]["lines"]),
        terms={field: tuple(Term(name, words(patterns)) for name, patterns in found.items())
               for field, found in data["terms"].items()},
        page=dict(data["page"]),
        columns=dict(data["columns"]),
        values=dict(data["values"]),
    )


def all_vocabularies() -> tuple[Vocabulary, ...]:
    return tuple(vocabulary(language) for language in LANGUAGES)
