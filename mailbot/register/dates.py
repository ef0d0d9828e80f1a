"""Dates as clients write them: "1 maart 2027", "01-03-2027", "March 1, 2027", "2027-03-01",
"1. März 2027", "1er mars 2027".

Numeric dates are read day first (01-03-2027 is 1 March), as in the Netherlands; only the
ISO form puts the year first. Text passed in is folded (see ``vocabulary.fold``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from mailbot.preload import preloaded
from mailbot.register.vocabulary import all_vocabularies


@dataclass(frozen=True, slots=True)
class FoundDate:
    start: int  # position in the folded text
    end: int
    value: date


@preloaded
def _months() -> dict[str, int]:
    months: dict[str, int] = {}
    for vocabulary in all_vocabularies():
        months.update(vocabulary.months)
    return months


@preloaded
def _pattern() -> re.Pattern[str]:
    names = "|".join(sorted(map(re.escape, _months()), key=len, reverse=True))
    ordinal = r"(?:st|nd|rd|th|e|ste|de|er|\.)?"  # 1st, 1e, 1ste, 1er, 1. (German)
    return re.compile(
        r"(?<![\w-])(?:"
        r"(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})"
        r"|(?P<nd>\d{1,2})[-/.](?P<nm>\d{1,2})[-/.](?P<ny>\d{4})"
        rf"|(?P<td>\d{{1,2}}){ordinal}\s+(?:of\s+)?(?P<tm>{names})\.?,?\s+(?P<ty>\d{{4}})"
        rf"|(?P<mm>{names})\.?\s+(?P<md>\d{{1,2}}){ordinal},?\s+(?P<my>\d{{4}})"
        r")(?![\w-])")


def _date(year: str, month: str | int, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def find_dates(folded: str) -> list[FoundDate]:
    """Every valid date in ``folded``, in order; impossible ones (31 February) are skipped."""
    months = _months()
    found = []
    for m in _pattern().finditer(folded):
        g = m.groupdict()
        if g["iy"]:
            value = _date(g["iy"], g["im"], g["id"])
        elif g["ny"]:
            value = _date(g["ny"], g["nm"], g["nd"])
        elif g["ty"]:
            value = _date(g["ty"], months[g["tm"]], g["td"])
        else:
            value = _date(g["my"], months[g["mm"]], g["md"])
        if value is not None:
            found.append(FoundDate(m.start(), m.end(), value))
    return found


def first_date(folded: str) -> date | None:
    found = find_dates(folded)
    return found[0].value if found else None
