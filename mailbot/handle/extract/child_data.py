"""What a mail says about a child: who writes (a parent about their child, or a young
person about themselves), and what a parent gives about the child: age or birth date,
name, e-mail address and postal address; and whether the parent asks to erase their own
data as well.

    child_data(text, on, known_addresses=()) -> ChildData | None

Pure. Reads the sender's own words only (quoted history and signature cut, see
``parse.quotes``), in nl, en, de and fr (``data/child.toml``). None when the mail names
no child of the writer and gives no age under 18 of the writer's own. A young person's
own name and addresses are the sender's, so they are not read; nor is anything the mail
does not attribute to the child: an address the text does not say is the child's stays
unread.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from mailbot.classify.folding import Folded, fold_with_origins
from mailbot.handle.extract.changes import find_addresses
from mailbot.handle.extract.child import (
    UNDER,
    ChildSign,
    Phrases,
    birth_dates,
    child_phrases,
    languages,
    stated_ages,
)
from mailbot.handle.extract.phrasebook import LANGUAGES, any_of, expand, load
from mailbot.parse.quotes import own_text
from mailbot.preload import preloaded

NAME_WORDS = 4
YOUNG = 18  # a writer's own age below this is a young person's
MAX_AGE = 100
ADDRESS_LINES = 3  # lines read after an address cue that ends its line ("Haar adres:")
MAX_ADDRESS = 120
EMAIL_WITHIN = 80  # characters between an e-mail cue and the address

_UPPER = "A-ZÀ-ÖØ-Þ"
_NAME_WORD = re.compile(rf"[{_UPPER}][\w'\u2019-]*")
_PARTICLES = frozenset({"van", "de", "der", "den", "ter", "ten", "te", "von", "vom", "zu",
                        "le", "la", "du", "des", "di", "da", "del"})
_ADDRESS_END = re.compile(
    r"\.(?=\s+[A-ZÀ-Þ])|[;!?]|\n|\.$| (?:en|and|und|et|maar|but|aber|mais|want|because|weil|"
    r"car) (?=[a-zà-ÿ])")
_AGE_AFTER_NAME = re.compile(
    r"\s*(?:\((?P<a>\d{1,2})\)|,?\s*(?:is |ist |a |est |who is |van |de |von )?"
    r"(?P<b>\d{1,2})(?: (?:jaar(?: oud)?|years?(?: old)?|jahre(?: alt)?|ans))?"
    r"(?=\s*(?:[.,;:!?)]|$)))")
_EMAIL_SHAPE = re.compile(r"[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)+", re.ASCII)


class Writer(StrEnum):
    PARENT = "parent"  # a parent or guardian writing about their child
    SELF = "self"  # a young person writing about themselves


@dataclass(frozen=True, slots=True)
class ChildData:
    """What the mail says about the child; None where it says nothing."""

    writer: Writer
    age: int | None = None
    birth_date: date | None = None  # when a whole date is given
    name: str | None = None
    email: str | None = None
    address: str | None = None  # as written: "Kerkstraat 12, 1234 AB Utrecht"
    relation: str | None = None  # the word the parent used: "dochter", "son", "Tochter"
    evidence: tuple[str, ...] = field(default=())  # the words each item was read from
    own_too: bool = False  # the parent asks to erase their own data as well

    @property
    def under_16(self) -> bool | None:
        """Whether the child is under 16; None when the mail gives no age."""
        return None if self.age is None else self.age < UNDER

    def as_dict(self) -> dict[str, object]:
        return {"writer": self.writer.value, "age": self.age,
                "birth_date": self.birth_date.isoformat() if self.birth_date else None,
                "name": self.name, "email": self.email, "address": self.address,
                "relation": self.relation, "evidence": list(self.evidence),
                "own_too": self.own_too}


@dataclass(frozen=True, slots=True)
class _Cues:
    language: str
    relation: re.Pattern[str]  # possessive + child word, the word in group "rel"
    their_age: tuple[re.Pattern[str], ...]
    guardian: re.Pattern[str]
    self_birth: re.Pattern[str]
    their_data: re.Pattern[str]
    name: re.Pattern[str]
    address: re.Pattern[str]
    email: re.Pattern[str]
    not_names: frozenset[str]
    own_too: re.Pattern[str]


@preloaded
def _cues() -> tuple[_Cues, ...]:
    found = []
    for lang in LANGUAGES:
        table = load("child")[lang]
        child = "(?:" + "|".join(re.escape(w) for w in table["child"]) + ")"

        def cue(name: str, lang: str = lang) -> re.Pattern[str]:
            return re.compile(any_of(child_phrases(lang, name)))

        possessive = "|".join(re.escape(w) for w in table["possessive"])
        relation = re.compile(rf"\b(?:{possessive}) (?:\w+ )?(?P<rel>{child})\b")
        found.append(_Cues(
            lang, relation,
            tuple(re.compile(expand(p)) for p in table["their_age"]),
            cue("guardian"), cue("self_birth"), cue("their_data"), cue("name_cue"),
            cue("address_cue"), cue("email_cue"), frozenset(table["not_names"]),
            cue("own_too")))
    return tuple(found)


def child_data(text: str, on: date, *,
               known_addresses: Iterable[str] = ()) -> ChildData | None:
    """What ``text`` says about a child, on the day ``on`` the mail arrived.

    ``known_addresses``: e-mail addresses that are not the child's (the sender's own, the
    organisation's)."""
    folded = fold_with_origins(own_text(text).text)
    read = list(zip(_cues(), languages(), strict=True))
    for cues, phrases in read:
        relation = cues.relation.search(folded.text)
        guardian = cues.guardian.search(folded.text)
        if relation or guardian or _their_child(folded.text, cues, phrases, on):
            return _parent(folded, cues, phrases, relation, guardian, on, known_addresses)
    for cues, phrases in read:
        own_age = next((a for a in stated_ages(folded.text, phrases) if a.about == "self"),
                       None)
        births = list(birth_dates(folded.text, phrases, on)) \
            if own_age or cues.self_birth.search(folded.text) else []
        sign = own_age or (births[0][0] if births else None)
        if sign is not None and sign.age < YOUNG:
            return ChildData(Writer.SELF, sign.age, _date(births[0] if births else None),
                             evidence=(sign.evidence,))
    return None


def _their_child(text: str, cues: _Cues, phrases: Phrases, on: date) -> bool:
    """Someone else's data ("haar gegevens") and a child's age ("ze is 12") or a birth
    date: a parent who names no child word."""
    if not cues.their_data.search(text):
        return False
    ages = (a for a in stated_ages(text, phrases, cues.their_age) if a.about == "child")
    return any(a.age < UNDER for a in ages) or \
        any(s.age < UNDER for s, _born in birth_dates(text, phrases, on))


def _parent(folded: Folded, cues: _Cues, phrases: Phrases, relation: re.Match[str] | None,
            guardian: re.Match[str] | None, on: date,
            known_addresses: Iterable[str]) -> ChildData:
    their = cues.their_data.search(folded.text)
    evidence = [folded.original[slice(*folded.span(*m.span()))]
                for m in (relation, guardian, their) if m is not None]
    age_sign = next((a for a in stated_ages(folded.text, phrases, cues.their_age)
                     if a.about == "child"), None)
    birth = next(birth_dates(folded.text, phrases, on), None)
    name, after_name = _name(folded, cues, relation, guardian)
    age = age_sign.age if age_sign else birth[0].age if birth else _age_after_name(after_name)
    evidence += [s.evidence for s in (age_sign, birth[0] if birth else None) if s]
    email = _email(folded, cues, known_addresses)
    address = _address(folded, cues)
    evidence += [v for v in (name, email, address) if v]
    own_too = next((m for c in _cues() if (m := c.own_too.search(folded.text))), None)
    if own_too is not None:
        evidence.append(folded.original[slice(*folded.span(*own_too.span()))])
    return ChildData(
        Writer.PARENT, age, _date(birth), name, email, address,
        folded.original[slice(*folded.span(*relation.span("rel")))] if relation else None,
        tuple(evidence), own_too is not None)


def _date(birth: tuple[ChildSign, date | int] | None) -> date | None:
    return birth[1] if birth and isinstance(birth[1], date) else None


def _name(folded: Folded, cues: _Cues, relation: re.Match[str] | None,
          guardian: re.Match[str] | None) -> tuple[str | None, str]:
    """The name right after the child word ("mijn dochter Emma"), after a name cue ("ze
    heet Emma"), or after a guardian's "moeder van"; with the text that follows it."""
    starts = [m.end() for m in (relation, guardian) if m is not None]
    starts += [m.end() for m in cues.name.finditer(folded.text)]
    for start in starts:
        at = folded.at(start)
        name, end = _name_at(folded.original, at, cues.not_names)
        if name:
            return name, folded.original[end:end + 40]
    return None, ""


def _age_after_name(text: str) -> int | None:
    """An age right after the child's name: "Sanne (12)", "Sanne, 12 jaar"."""
    found = _AGE_AFTER_NAME.match(text)
    if found is None:
        return None
    age = int(found.group("a") or found.group("b"))
    return age if age < MAX_AGE else None


def _name_at(text: str, at: int, not_names: frozenset[str]) -> tuple[str | None, int]:
    """The name that starts at ``at`` (after a comma), and where it ends."""
    rest = text[at:at + 80]
    offset = at + (len(rest) - len(rest.lstrip(" ,")))
    rest = rest.lstrip(" ,")
    words: list[str] = []
    end = offset
    for raw in re.finditer(r"\S+", rest.split("\n", 1)[0]):
        word = raw.group().strip("\"'\u201c\u201d:")
        ends = raw.group()[-1:] in ".,;:!?)"
        word = word.rstrip(".,;:!?")
        if word in _PARTICLES and words:
            words.append(word)
        elif _NAME_WORD.fullmatch(word) and word not in not_names:
            words.append(word.removesuffix("'s").removesuffix("\u2019s"))
            end = offset + raw.start() + len(words[-1])
        else:
            break
        if ends or len(words) == NAME_WORDS:
            break
    while words and words[-1] in _PARTICLES:
        words.pop()
    return " ".join(words) or None, end


def _email(folded: Folded, cues: _Cues, known: Iterable[str]) -> str | None:
    """The address after an e-mail cue of the child's ("haar e-mailadres is ...")."""
    ignored = {a.lower() for a in known}
    for cue in cues.email.finditer(folded.text):
        window = folded.text[cue.end():cue.end() + EMAIL_WITHIN]
        for address in find_addresses(window):
            if address not in ignored and _EMAIL_SHAPE.fullmatch(address):
                return address
    return None


def _address(folded: Folded, cues: _Cues) -> str | None:
    """The postal address after an address cue of the child's: the rest of its sentence,
    or the lines that follow when the cue ends its line ("Haar adres:")."""
    for cue in cues.address.finditer(folded.text):
        rest = folded.original[folded.at(cue.end()):].lstrip(" \t:")
        if rest.startswith(("\n", "\r")):
            lines = [ln.strip() for ln in rest.strip().splitlines()[:ADDRESS_LINES]]
            lines = lines[:next((i for i, ln in enumerate(lines) if not ln), len(lines))]
            value = ", ".join(ln.rstrip(",") for ln in lines)
        else:
            end = _ADDRESS_END.search(rest)
            value = rest[:end.start() if end else len(rest)]
        value = " ".join(value.split()).strip(" ,.")
        if value and any(c.isdigit() for c in value) and len(value) <= MAX_ADDRESS:
            return value
    return None
