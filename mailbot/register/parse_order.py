"""A client's processing order as text → the art. 30(2) fields found, and those missing.

Labelled lines ("Categorieën van betrokkenen: klanten") are read first, in Dutch,
English, German or French; what the labels do not give is looked for in the rest of the
text with the category words of ``labels/<lang>.toml``. Pure: no database, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from mailbot.preload import preloaded
from mailbot.register.dates import FoundDate, find_dates, first_date
from mailbot.register.vocabulary import (
    LANGUAGES,
    Term,
    all_vocabularies,
    fold,
    fold_label,
    vocabulary,
)

Intent = Literal["new", "amend", "end"]

# Every field an entry can hold, in the order the register shows them.
FIELDS = ("order_key", "client_named", "dpo", "processing", "data_subjects", "personal_data",
          "transfers", "safeguards", "security", "start", "end")
# What the register needs from the client. Security measures are the processor's own (art.
# 30(2)(d), from organisation.security_measures): a client is never asked for them.
REQUIRED = ("processing", "data_subjects", "personal_data", "start")
# Fields holding a list of categories: free text found in an amendment adds to them.
LIST_FIELDS = frozenset({"processing", "data_subjects", "personal_data", "security",
                         "safeguards"})
NONE = "none"

_BULLET = re.compile(r"^\s*(?:[-*•·>]+|\d{1,2}[.)]|[a-z][.)])\s+|^\s*[-*•·]+(?=\S)")
_DECORATION = re.compile(r"^[*_\s]+|[*_\s]+$")
_BRACKETS_AT_END = re.compile(r"\s*\([^)]*\)$")
_QUOTED_ORDER = re.compile(
    r"(?i:\b(?:verwerkings)?opdracht|\bprocessing order|\border|\breference|\bkenmerk)"
    r"\s+[\"'\u201c\u2018](?P<name>[^\"'\u201d\u2019\n]{2,80})[\"'\u201d\u2019]")
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_END_DATE_WITHIN = 100  # characters between "beëindiging" and its date
_NL_WORDS = frozenset({"de", "het", "een", "van", "en", "wij", "we", "onze", "ons", "voor",
                       "met", "dat", "die", "is", "zijn", "niet", "graag", "uw", "u", "hierbij"})
_EN_WORDS = frozenset({"the", "a", "an", "of", "and", "we", "our", "for", "with", "that", "is",
                       "are", "not", "please", "your", "you", "hereby", "to", "this"})
_DE_WORDS = frozenset({"der", "die", "das", "und", "wir", "unser", "unsere", "fur", "mit",
                       "ist", "sind", "nicht", "bitte", "ihr", "ihre", "sie", "hiermit", "zu"})
_FR_WORDS = frozenset({"le", "la", "les", "de", "des", "du", "et", "nous", "notre", "pour", "avec",
                       "est", "sont", "pas", "votre", "vous", "par", "une", "au"})
_WORDS = {"nl": _NL_WORDS, "en": _EN_WORDS, "de": _DE_WORDS, "fr": _FR_WORDS}


@dataclass(frozen=True, slots=True)
class ParsedOrder:
    intent: Intent
    fields: dict[str, str]  # field -> text as found; dates as ISO (YYYY-MM-DD)
    labelled: frozenset[str]  # fields read after a label; the others came from free text
    missing: tuple[str, ...]  # required fields not found
    language: str

    @property
    def start(self) -> date | None:
        return _iso(self.fields.get("start"))

    @property
    def end(self) -> date | None:
        return _iso(self.fields.get("end"))

    @property
    def order_key(self) -> str | None:
        """The client's own name for the order, as a key; else one made from the
        categories of processing; else None."""
        if self.fields.get("order_key"):
            return order_key(self.fields["order_key"])
        if self.fields.get("processing"):
            return order_key(self.fields["processing"])[:80]
        return None


def order_key(title: str) -> str:
    """The form under which an order is found again: folded, only letters and digits."""
    return re.sub(r"[^a-z0-9]+", " ", fold(title)).strip()[:200]


def missing_fields(fields: Mapping[str, object], intent: Intent = "new") -> tuple[str, ...]:
    if intent == "end":
        return () if fields.get("end") else ("end",)
    return tuple(field for field in REQUIRED if not fields.get(field))


def parse_order(text: str, subject: str = "", language: str | None = None) -> ParsedOrder:
    """Read the order in ``text`` (the mail's own text, quotes removed)."""
    own = _own_lines(text)
    labelled, loose = _labelled(own)
    free = "\n".join(loose)
    language = language if language in LANGUAGES else _guess_language(text)
    words = vocabulary(language)
    fields: dict[str, str] = {}
    for field, value in labelled.items():
        if field in ("start", "end", "duration"):
            continue
        fields[field] = _transfers(value) if field == "transfers" else value
    _labelled_dates(labelled, fields)
    folded_free = fold_lines(free)
    for field, terms in words.terms.items():
        if field in LIST_FIELDS and field not in labelled:
            found = _terms(folded_free, terms)
            if found:
                fields[field] = ", ".join(found)
    if "transfers" not in labelled:
        countries = _terms(folded_free, words.terms["transfers"])
        if countries:
            fields["transfers"] = ", ".join(countries)
        elif _terms(folded_free, words.terms["transfers_none"]):
            fields["transfers"] = NONE
    if "order_key" not in labelled and (quoted := _QUOTED_ORDER.search(free)):
        fields["order_key"] = quoted.group("name").strip()
    starts, ends = _cued_dates(folded_free)
    if "start" not in fields and starts:
        fields["start"] = starts[0].isoformat()
    if "end" not in fields and ends:
        fields["end"] = ends[0].isoformat()
    folded_own = fold_lines("\n".join(own))
    intent = _intent(subject, folded_own, labelled)
    if intent == "end":
        ending = _ending_date(folded_own) or first_date(folded_own)
        if "end" not in fields and ending is not None:
            fields["end"] = ending.isoformat()
        fields.pop("start", None)  # a date in an ending is when the order ends
    fields = {field: fields[field] for field in FIELDS if fields.get(field)}
    found_by_label = frozenset(f for f in labelled if f in fields) | (
        {"start", "end"} & set(fields) if "duration" in labelled else frozenset())
    return ParsedOrder(intent, fields, found_by_label, missing_fields(fields, intent), language)


def _iso(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _own_lines(text: str) -> list[str]:
    """The lines the client wrote: quoted lines dropped, the signature after a closing too."""
    closings = frozenset().union(*(v.closings for v in all_vocabularies()))
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.startswith(">"):
            continue
        if line.rstrip() in ("--", "-- ") or fold(line).rstrip(",.!") in closings:
            break
        lines.append(line)
    return lines


@preloaded
def _label_fields() -> dict[str, str]:
    """Every folded label of every language -> its field."""
    fields: dict[str, str] = {}
    for words in all_vocabularies():
        for field, labels in words.labels.items():
            for label in labels:
                fields.setdefault(label, field)
    return fields


def _label_of(line: str) -> tuple[str, str] | None:
    """(field, value as written) when ``line`` starts with a known label and a colon."""
    head, colon, value = line.partition(":")
    if not colon or len(head) > 80:
        return None
    head = _BULLET.sub("", head)
    label = _BRACKETS_AT_END.sub("", _DECORATION.sub("", fold_label(head)))
    field = _label_fields().get(label)
    if field is None:
        return None
    return field, _DECORATION.sub("", value).strip()


def _labelled(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """The values after labels (a value may go on over the following lines), and the lines
    that belong to no label."""
    values: dict[str, list[str]] = {}
    loose: list[str] = []
    current: list[str] | None = None
    listing = False  # the label stood alone: each following line is an item
    for line in lines:
        labelled = _label_of(line)
        if labelled is not None:
            field, value = labelled
            current = values.setdefault(field, [])
            listing = not value
            if value:
                current.append(value)
            continue
        stripped = line.strip()
        if current is not None and stripped and not stripped.startswith(">"):
            bullet = _BULLET.match(line) is not None
            item = _BULLET.sub("", line).strip()
            if listing or bullet or not current:
                current.append(item)
            else:
                current[-1] = f"{current[-1]} {item}"
            continue
        if not stripped and current is not None and (current or not listing):
            current = None
        if current is None:
            loose.append(line)
    joined = {field: "; ".join(v.rstrip(";,") for v in items if v)
              for field, items in values.items()}
    return {field: value for field, value in joined.items() if value}, loose


def _labelled_dates(labelled: Mapping[str, str], fields: dict[str, str]) -> None:
    for field in ("start", "end"):
        if field in labelled and (value := first_date(fold(labelled[field]))):
            fields[field] = value.isoformat()
    if "duration" in labelled:
        folded = fold(labelled["duration"])
        starts, ends = _cued_dates(folded)
        plain = [d.value for d in find_dates(folded)]
        unmarked = [d for d in plain if d not in ends]
        start = starts[0] if starts else (unmarked[0] if unmarked else None)
        end = ends[0] if ends else (plain[1] if len(plain) > 1 else None)
        if start and "start" not in fields:
            fields["start"] = start.isoformat()
        if end and "end" not in fields:
            fields["end"] = end.isoformat()


def _transfers(value: str) -> str:
    """"Geen", "n.v.t.", "None - all data stays in the EEA" become ``none`` (with the rest
    of the sentence); anything else stays as written."""
    folded = fold(value)
    for words in all_vocabularies():
        for pattern in words.no_transfers:
            m = re.match(rf"(?:{pattern})(?!\w)", folded)
            if m:
                rest = " ".join(value.split()[len(m.group().split()):]).lstrip(" .,;:-\u2013\u2014")
                return f"{NONE} ({rest})" if rest else NONE
    return value


def _terms(folded: str, terms: Iterable[Term]) -> list[str]:
    """The categories ``folded`` names, in the order it names them; a longer match wins
    over a shorter one inside it ("ip-adres" is not also "adres")."""
    hits = sorted((m.start(), -(m.end() - m.start()), m.end(), term.name)
                   for term in terms for m in term.pattern.finditer(folded))
    taken_to = -1
    names: list[str] = []
    for start, _, end, name in hits:
        if start < taken_to:
            continue
        taken_to = end
        if name not in names:
            names.append(name)
    return names


@preloaded
def _cue_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    starts = [cue for words in all_vocabularies() for cue in words.start_cues]
    ends = [cue for words in all_vocabularies() for cue in words.end_cues]
    return (re.compile(rf"(?<!\w)(?:{'|'.join(starts)})\W{{0,3}}$"),
            re.compile(rf"(?<!\w)(?:{'|'.join(ends)})\W{{0,3}}$"))


def _cued_dates(folded: str) -> tuple[list[date], list[date]]:
    """Dates right after a start cue ("per", "from") and after an end cue ("tot en met",
    "until", "beëindiging per")."""
    start_cue, end_cue = _cue_patterns()
    starts: list[date] = []
    ends: list[date] = []
    for found in find_dates(folded):
        before = folded[max(0, found.start - 120):found.start]
        if end_cue.search(before):
            ends.append(found.value)
        elif start_cue.search(before):
            starts.append(found.value)
    return starts, ends


def _ending_date(folded: str) -> date | None:
    """The date that closely follows "beëindiging", "terminate"...: the order's end."""
    dates = find_dates(folded)
    for words in all_vocabularies():
        for m in words.end_text.finditer(folded):
            following = _date_after(dates, m.end(), folded)
            if following is not None:
                return following.value
    return None


def _date_after(dates: list[FoundDate], position: int, folded: str) -> FoundDate | None:
    for found in dates:
        if position <= found.start <= position + _END_DATE_WITHIN:
            return None if "\n\n" in folded[position:found.start] else found
    return None


def _intent(subject: str, folded_text: str, labelled: Mapping[str, str]) -> Intent:
    folded_subject = fold(subject)
    vocabularies = all_vocabularies()
    if any(v.end_subject.search(folded_subject) for v in vocabularies):
        return "end"
    full_order = sum(field in labelled for field in (*REQUIRED, "security")) >= 3
    if not full_order and _ending_date(folded_text) is not None:
        return "end"
    if any(v.amend_subject.search(folded_subject) or v.amend_text.search(folded_text)
           for v in vocabularies):
        return "amend"
    return "new"


def _guess_language(text: str) -> str:
    tokens = re.findall(r"[a-z]+", fold(text))
    counts = {language: sum(token in words for token in tokens)
              for language, words in _WORDS.items()}
    return max(counts, key=lambda language: counts[language])  # Dutch on a tie


def fold_lines(text: str) -> str:
    """``fold`` per paragraph: lines wrapped mid-phrase join up, a blank line still
    separates paragraphs (as ``"\\n\\n"``)."""
    return "\n\n".join(fold(p) for p in _PARAGRAPH_BREAK.split(text) if p.strip())
