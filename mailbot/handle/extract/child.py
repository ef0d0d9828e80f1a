"""Signs that a mail is about a child under 16: a parent giving the child's age ("mijn zoon
van 13", "my daughter is 12"), the writer's own age ("ik ben 14 jaar"), or a birth date that
makes someone younger than 16 on the day the mail arrived ("geboren op 3 mei 2014").

Children's data is handled as erasure (art. 17(1)(f)); staff see why it was flagged.
What a parent gives about the child (name, addresses) is read by ``child_data``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from mailbot.classify.normalize import fold
from mailbot.handle.extract.phrasebook import LANGUAGES, any_of, expand, load
from mailbot.preload import preloaded

UNDER = 16
# How far after "geboren", "born" ... a date may start.
BIRTH_DATE_WITHIN = 4


@dataclass(frozen=True, slots=True)
class ChildSign:
    """Why the mail is taken to be about a child: how it was seen, the age, the words."""

    reason: str  # "age": an age stated; "birth_date": a birth date or year
    age: int
    evidence: str
    # Whose age: "child" (a parent's child's), "self" (the writer's own), "unknown" (a
    # birth date, which does not say).
    about: str = "child"

    def as_dict(self) -> dict[str, object]:
        return {"reason": self.reason, "age": self.age, "evidence": self.evidence}


@dataclass(frozen=True, slots=True)
class Phrases:
    age: tuple[re.Pattern[str], ...]
    self_age: tuple[re.Pattern[str], ...]
    age_adjective: tuple[re.Pattern[str], ...]
    tail: re.Pattern[str]  # what must follow a stated age
    birth: re.Pattern[str]


def child_phrases(lang: str, name: str) -> list[str]:
    """Section ``name`` of ``lang`` in ``data/child.toml``, each ``<child>`` in it spelled
    out as the language's words for a child."""
    table = load("child")[lang]
    child = "(?:" + "|".join(re.escape(w) for w in table["child"]) + ")"
    return [p.replace("<child>", child) for p in table[name]]


@preloaded
def _languages() -> tuple[Phrases, ...]:
    compiled = []
    for lang in LANGUAGES:
        table = load("child")[lang]

        def patterns(name: str, lang: str = lang) -> tuple[re.Pattern[str], ...]:
            return tuple(re.compile(expand(p)) for p in child_phrases(lang, name))

        years = "|".join(re.escape(w) for w in table["years"])
        after = "|".join(re.escape(w) for w in table["after"])
        tail = re.compile(rf"(?P<years> ?(?:{years})\b)?(?: ?(?:[.,;:!?)]|$)| (?:{after})\b)")
        compiled.append(Phrases(patterns("age"), patterns("self_age"),
                                  patterns("age_adjective"), tail,
                                  re.compile(rf"(?:{any_of(table['birth'])})[ :.]*")))
    return tuple(compiled)


@preloaded
def _dates() -> tuple[re.Pattern[str], dict[str, int]]:
    months: dict[str, int] = {}
    for lang in LANGUAGES:
        for number, names in enumerate(load("child")[lang]["months"], start=1):
            for name in names:
                months[name] = number
    names = "|".join(sorted((re.escape(n) for n in months), key=len, reverse=True))
    pattern = re.compile(
        rf"(?P<d1>\d{{1,2}})(?:e|de|ste|st|nd|rd|th|er)?\.? (?P<m1>{names})\.? (?P<y1>\d{{4}})"
        rf"|(?P<m2>{names})\.? (?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,? (?P<y2>\d{{4}})"
        rf"|(?P<d3>\d{{1,2}})[-/.](?P<m3>\d{{1,2}})[-/.](?P<y3>\d{{4}})"
        rf"|(?P<y4>\d{{4}})-(?P<m4>\d{{1,2}})-(?P<d4>\d{{1,2}})"
        rf"|(?P<y5>(?:19|20)\d\d)\b")
    return pattern, months


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _born(match: re.Match[str], months: dict[str, int]) -> date | int | None:
    """The birth date in ``match``, or its year when only a year is given; None when it
    is no date."""
    groups = match.groupdict()
    if groups["y5"]:
        return int(groups["y5"])
    for n in "1234":
        if groups[f"y{n}"]:
            month = groups[f"m{n}"]
            try:
                return date(int(groups[f"y{n}"]),
                            months[month] if month in months else int(month),
                            int(groups[f"d{n}"]))
            except ValueError:
                return None
    return None


def _birth_age(match: re.Match[str], on: date, months: dict[str, int]) -> int | None:
    """The age the birth date in ``match`` gives on ``on``; None when it is no date or in
    the future. A year alone gives the highest age it allows."""
    born = _born(match, months)
    if isinstance(born, int):
        return on.year - born if born <= on.year else None
    if born is None:
        return None
    return age_on(born, on) if born <= on else None


def stated_ages(folded: str, language: Phrases,
                extra: tuple[re.Pattern[str], ...] = ()) -> Iterator[ChildSign]:
    """Every age ``folded`` states, any age, in the order ``is_child`` weighs them; then
    those of the ``extra`` patterns (followed as ``age`` is)."""
    for pattern in language.age_adjective:
        for match in pattern.finditer(folded):
            yield ChildSign("age", int(match.group("age")), match.group())
    for patterns, about in ((language.age, "child"), (language.self_age, "self"),
                            (extra, "child")):
        for pattern in patterns:
            for match in pattern.finditer(folded):
                tail = language.tail.match(folded, match.end())
                if tail is not None:
                    yield ChildSign("age", int(match.group("age")),
                                    match.group() + (tail.group("years") or ""), about)


def birth_dates(folded: str, language: Phrases,
                on: date) -> Iterator[tuple[ChildSign, date | int]]:
    """Every birth date (or year) ``folded`` gives that is not after ``on``, with the age
    it gives on ``on``."""
    dates, months = _dates()
    for cue in language.birth.finditer(folded):
        rest = folded[cue.end():]
        words = rest.split(" ")
        window = " ".join(words[:BIRTH_DATE_WITHIN + 3])
        found = dates.search(window)
        if found is None or len(window[:found.start()].split()) > BIRTH_DATE_WITHIN:
            continue
        age = _birth_age(found, on, months)
        born = _born(found, months)
        if age is not None and age >= 0 and born is not None:
            evidence = f"{cue.group()}{window[:found.end()]}".strip()
            yield ChildSign("birth_date", age, evidence, "unknown"), born


def _stated_age(folded: str, language: Phrases) -> ChildSign | None:
    return next((s for s in stated_ages(folded, language) if s.age < UNDER), None)


def _birth(folded: str, language: Phrases, on: date) -> ChildSign | None:
    return next((s for s, _born in birth_dates(folded, language, on) if s.age < UNDER), None)


def languages() -> tuple[Phrases, ...]:
    """The compiled phrases of every language, in the order they are tried."""
    return _languages()


def is_child(text: str, on: date) -> ChildSign | None:
    """A sign that ``text`` is about someone under 16 on the day ``on`` (the day the mail
    arrived), or None."""
    folded = fold(text)
    for language in _languages():
        sign = _stated_age(folded, language) or _birth(folded, language, on)
        if sign is not None:
            return sign
    return None
