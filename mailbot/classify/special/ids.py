"""National identification numbers (art. 87): the Dutch BSN, the German Steuer-ID, the
French NIR and the Belgian rijksregisternummer, each recognised by its check digits.

A number of the right length with valid check digits is not enough: one in eleven order
numbers of nine digits passes the BSN's 11-proof. A number counts when a word for the
number ("BSN", "Steuer-ID", "numéro de sécurité sociale") comes shortly before it, or
when it is written in a form only that number has: a BSN as 1234.56.782, a
rijksregisternummer as 85.07.30-033.28, a NIR (its fifteen characters say sex, year, month
and département before the key); and a number after a label for another kind of number
(order, invoice, customer, phone) never counts by its form alone.

No number may follow a letter, a digit and a separator, or "+": so no group of an IBAN
("NL91ABNA0417164300", "NL91 ABNA 0417 1643 00") and no phone number with its country code
("+31 612 345 609") is ever taken for one.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib import resources

from mailbot.preload import preloaded

KEYWORD_WINDOW = 40  # characters between the end of a keyword and the number
LABEL_WINDOW = 25  # characters between the end of another number's label and the number
_BEFORE = r"(?<![\w.,/+#-])(?<!\d[ .-])"
_AFTER = r"(?![\w]|[ .,/-]\d)"


@dataclass(frozen=True, slots=True)
class Scheme:
    name: str  # "bsn", "de_steuer_id", "fr_nir", "be_rrn"
    pattern: re.Pattern[str]
    valid: Callable[[str], bool]  # on the number without separators
    distinctive: re.Pattern[str] | None  # a form that needs no keyword


@dataclass(frozen=True, slots=True)
class IdNumber:
    scheme: str
    start: int  # in the folded text searched
    end: int
    keyword: str | None  # the word before it that named it, if any


def bsn_valid(digits: str) -> bool:
    """The 11-proof: 9 d1 + 8 d2 + ... + 2 d8 - d9 is a multiple of 11 (and not 0)."""
    if len(digits) != 9 or not digits.isdigit() or int(digits) == 0:
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


def steuer_id_valid(digits: str) -> bool:
    """11 digits, no leading zero; in the first ten one digit occurs two or three times
    (not three in a row) and every other at most once; check digit by ISO 7064 MOD 11,10."""
    if len(digits) != 11 or not digits.isdigit() or digits[0] == "0":
        return False
    body = digits[:10]
    counts = sorted((body.count(d) for d in set(body)), reverse=True)
    if counts[0] not in (2, 3) or counts[1:2] not in ([1], []) or \
            any(d * 3 in body for d in body):
        return False
    product = 10
    for d in body:
        total = (int(d) + product) % 10 or 10
        product = total * 2 % 11
    return (11 - product) % 10 == int(digits[10])


def nir_valid(chars: str) -> bool:
    """Sex (1, 2, 7, 8), year, month (01-12, or 20 and above for unknown months), two
    département characters (2A and 2B for Corsica), commune, order number, and the key
    97 - (the first thirteen as a number, 2A as 19 and 2B as 18) mod 97."""
    if len(chars) != 15 or chars[0] not in "1278":
        return False
    month = chars[3:5]
    if not month.isdigit() or month == "00" or "13" <= month <= "19":
        return False
    body = chars[:13].replace("2a", "19").replace("2b", "18")
    if not body.isdigit() or not chars[13:].isdigit():
        return False
    return 97 - int(body) % 97 == int(chars[13:])


def rrn_valid(digits: str) -> bool:
    """Birth date YYMMDD (month and day may be 00; month + 20 or + 40 for bis numbers),
    a counter of three digits and a check of 97 - (the first nine digits, with a 2 before
    them for those born from 2000) mod 97."""
    if len(digits) != 11 or not digits.isdigit():
        return False
    month, day = int(digits[2:4]) % 20, int(digits[4:6])
    if month > 12 or day > 31 or int(digits[2:4]) > 52:
        return False
    if month and day and not _real_day(int(digits[:2]), month, day):
        return False
    check = int(digits[9:])
    return any(97 - int(prefix + digits[:9]) % 97 == check for prefix in ("", "2"))


def _real_day(year: int, month: int, day: int) -> bool:
    for century in (1900, 2000):
        try:
            date(century + year, month, day)
        except ValueError:
            continue
        return True
    return False


def _scheme(name: str, forms: str, valid: Callable[[str], bool],
            distinctive: str | None = None) -> Scheme:
    return Scheme(name, re.compile(f"{_BEFORE}(?:{forms}){_AFTER}"), valid,
                  re.compile(distinctive) if distinctive else None)


SCHEMES = (
    _scheme("bsn", r"\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3}[ .-]\d{3}[ .-]\d{3}|\d{4} \d{2} \d{3}",
            bsn_valid, r"\d{4}\.\d{2}\.\d{3}"),
    _scheme("de_steuer_id", r"[1-9]\d{10}|[1-9]\d \d{3} \d{3} \d{3}", steuer_id_valid),
    _scheme("fr_nir", r"[12378] ?\d{2} ?\d{2} ?(?:\d{2}|2a|2b) ?\d{3} ?\d{3} ?\d{2}",
            nir_valid, r".+"),
    _scheme("be_rrn", r"\d{2}\.?\d{2}\.?\d{2}[ .-]?\d{3}[ .]?\d{2}", rrn_valid,
            r"\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}"),
)


@preloaded
def _words() -> tuple[dict[str, re.Pattern[str]], re.Pattern[str]]:
    """Per scheme (and "any"), the words that name it; and the labels of other numbers."""
    path = resources.files("mailbot.classify").joinpath("lexicons/special/ids.toml")
    data = tomllib.loads(path.read_text("utf-8"))

    def alternation(words: list[str]) -> re.Pattern[str]:
        spelled = sorted((re.escape(w) for w in words), key=len, reverse=True)
        return re.compile(rf"(?<![a-z0-9])(?:{'|'.join(spelled)})(?![a-z0-9])")

    keywords = {name: alternation(section["keywords"])
                for name, section in data.items() if name != "other_numbers"}
    return keywords, alternation(data["other_numbers"]["labels"])


def _before(text: str, start: int, pattern: re.Pattern[str], window: int) -> str | None:
    """The last match of ``pattern`` ending within ``window`` characters before ``start``,
    in the same paragraph and with no digit in between."""
    lead = text[max(0, start - window - 60):start]
    last = None
    for m in pattern.finditer(lead):
        between = lead[m.end():]
        if len(between) <= window and "\n" not in between and \
                not any(c.isdigit() for c in between):
            last = m.group()
    return last


def find_ids(text: str) -> list[IdNumber]:
    """The national identification numbers in a folded text (see the module docstring)."""
    keywords, other_labels = _words()
    found: list[IdNumber] = []
    for scheme in SCHEMES:
        for m in scheme.pattern.finditer(text):
            if not scheme.valid(re.sub(r"[ .-]", "", m.group())):
                continue
            keyword = _before(text, m.start(), keywords[scheme.name], KEYWORD_WINDOW) or \
                _before(text, m.start(), keywords["any"], KEYWORD_WINDOW)
            if keyword is not None or _by_form(scheme, m, text, other_labels):
                found.append(IdNumber(scheme.name, m.start(), m.end(), keyword))
    return _longest_first(found)


def _by_form(scheme: Scheme, m: re.Match[str], text: str, labels: re.Pattern[str]) -> bool:
    """True when the number is written as only this ID is, and no label of another kind of
    number comes before it."""
    return (scheme.distinctive is not None and scheme.distinctive.fullmatch(m.group()) is not None
            and _before(text, m.start(), labels, LABEL_WINDOW) is None)


def _longest_first(found: list[IdNumber]) -> list[IdNumber]:
    """One number per stretch of text: a keyword's scheme over a guess, then the longer."""
    chosen: list[IdNumber] = []
    for n in sorted(found, key=lambda n: (n.keyword is None, n.start - n.end)):
        if all(n.end <= c.start or n.start >= c.end for c in chosen):
            chosen.append(n)
    return sorted(chosen, key=lambda n: n.start)
