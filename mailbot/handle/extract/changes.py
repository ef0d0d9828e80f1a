"""What a correction (art. 16) asks to change: a name, an address (street and number,
postcode "1234 AB", city), a phone number, an e-mail address; or, when none of these can be
read from the mail, the sentence that asks for the change (field ``text``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from mailbot.handle.extract.phrasebook import compile_any, section
from mailbot.preload import preloaded

LANGUAGES = ("nl", "en", "de", "fr")
FIELDS = ("name", "street", "postcode", "city", "phone", "email", "text")
# A value is looked for in the paragraph of the words that announce it; in the next one
# too when that paragraph ends in a colon ("Mijn nieuwe adres is:").
WINDOW = 300
MAX_TEXT = 300
MAX_CLOSING = 40

_UPPER = "A-ZÀ-ÖØ-Þ"
_APOSTROPHES = "'\u2019"
_QUOTES = "\"'\u201c\u201d\u2018\u2019"
_CAPITAL = rf"(?:'s-?)?[{_UPPER}][\w{_APOSTROPHES}.\-]*"
_PARTICLE = r"(?:van|de|der|den|het|'t|aan|op|in|ten|ter|te|bij|la|le)"
_STREET = rf"{_CAPITAL}(?: (?:{_PARTICLE} )*{_CAPITAL})*"
_NUMBER = r"\d{1,5}(?:-?[A-Za-z]{1,2}\b|[-/]\d{1,4}\b| (?:bis|hs|huis|I{1,3})\b)?"
_POSTCODE_NL = r"[1-9]\d{3} ?(?!SA|SD|SS)[A-Za-z]{2}\b"
_POSTCODE = rf"(?:{_POSTCODE_NL}|(?:D-|F-)?\d{{5}}\b)"  # Dutch; German and French
# A French street: the number first, then its kind in lower case ("12 rue de la Paix").
_VOIE = (r"(?:rue|avenue|av\.|boulevard|bd|place|chemin|allée|allee|impasse|quai|route|cours|"
         r"square|passage)(?: [\w'\u2019\-]+){1,5}?")
_CITY_WORD = rf"[{_UPPER}][\w{_APOSTROPHES}\-]*"
_CITY = rf"(?:'s-?)?{_CITY_WORD}(?: (?:(?:aan|den|de|op|bij|in|der|van) )*{_CITY_WORD}){{0,3}}"
_ADDRESS = re.compile(
    rf"(?:(?P<street>{_STREET}) (?P<number>{_NUMBER})"
    rf"|(?P<number_first>\d{{1,5}}[A-Za-z]?(?: bis| ter)?),? (?P<street_after>{_STREET}|{_VOIE}))"
    rf"\s*[,\n]?\s*(?P<postcode>{_POSTCODE})\s*,?[ \t]*(?P<city>{_CITY})")
_POSTCODE_ALONE = re.compile(rf"(?<!\d){_POSTCODE}")
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)[1-9]\d{0,2}(?:[ .\-]?\(0\))?(?:[ .\-]?\d){6,12}"
    r"|\(0\d{1,3}\) ?\d(?:[ .\-]?\d){5,7}"
    r"|0(?:[ .\-]?\d){9,11})(?![\d\w])")
_EMAIL = re.compile(r"(?<![\w.+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*"
                    r"\.[A-Za-z]{2,}\b")
# Capitalised words that can open a sentence before a street name without being part of it.
# No adjectives: "Nieuwe Gracht", "New Street", "Oude Kerkstraat" are whole street names.
_NOT_STREET = frozenset({"naar", "nu", "mijn", "my", "to", "is", "nach", "ist", "lautet",
                         "meine", "mein", "jetzt", "nun", "in", "zur", "à", "est", "ma", "mon",
                         "adres", "address", "op", "at", "per", "sinds", "vanaf", "ik", "i",
                         "we", "wij", "our", "ons", "onze", "het", "the"})
_NAME_PARTICLES = frozenset({"van", "de", "der", "den", "ter", "ten", "te", "het", "'t", "in",
                             "op", "la", "le", "du", "da", "di", "von", "vom", "zu", "del",
                             "della", "dos", "das", "el", "al", "bin", "van't"})
_INITIALS = re.compile(rf"^(?:[{_UPPER}]\.)+$")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n\s*\n")


@dataclass(frozen=True, slots=True)
class Correction:
    """One thing to change: ``field`` is one of FIELDS, ``value`` the new value."""

    field: str
    value: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "value": self.value}


@dataclass(frozen=True, slots=True)
class _Phrases:
    name_lead: re.Pattern[str]
    cues: dict[str, re.Pattern[str]]
    target: re.Pattern[str]
    request: re.Pattern[str]
    closing: re.Pattern[str]


@preloaded
def _phrases() -> _Phrases:
    def compiled(name: str) -> re.Pattern[str]:
        pattern = compile_any(section("changes", name, LANGUAGES), re.IGNORECASE, r"\s+")
        if pattern is None:
            raise ValueError(f"data/changes.toml has no {name} phrases")
        return pattern

    return _Phrases(
        name_lead=compiled("name_lead"),
        cues={field: compiled(f"{field}_cue") for field in ("address", "phone", "email",
                                                             "postcode")},
        target=compiled("target"), request=compiled("request"), closing=compiled("closing"))


def _prepare(text: str) -> str:
    """Spaces collapsed, line breaks kept, the signature (from the closing line on) cut."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    closing = _phrases().closing
    for index, line in enumerate(lines):
        if line == "--" or (index and len(line) <= MAX_CLOSING
                            and closing.fullmatch(line.rstrip(",.!"))):
            lines = lines[:index]
            break
    return "\n".join(lines).strip()


def _window(text: str, start: int) -> tuple[int, int]:
    """Where the value announced at ``start`` may be: the rest of that paragraph, and the
    next paragraph too when this one ends in a colon."""
    end = text.find("\n\n", start)
    if end == -1:
        return start, min(len(text), start + WINDOW)
    if text[:end].rstrip().endswith(":"):
        following = text.find("\n\n", end + 2)
        end = len(text) if following == -1 else following
    return start, min(end, start + WINDOW)


def _pick(text: str, start: int, end: int,
          found: list[re.Match[str]]) -> re.Match[str] | None:
    """Of several values after one cue, the one words like "naar", "new" introduce; else
    the first ("van Kerkweg 1 naar Dorpsstraat 12" gives Dorpsstraat 12)."""
    if not found:
        return None
    target = _phrases().target
    previous = start
    for index, match in enumerate(found):
        if index and target.search(text, previous, match.start()):
            return match
        previous = match.end()
    return found[0]


def _value_after_cues(text: str, cue: re.Pattern[str], value: re.Pattern[str],
                      accept: Callable[[re.Match[str]], bool] | None = None,
                      ) -> re.Match[str] | None:
    for announced in cue.finditer(text):
        start, end = _window(text, announced.end())
        found = [m for m in value.finditer(text, start, end)
                 if accept is None or accept(m)]
        chosen = _pick(text, start, end, found)
        if chosen is not None:
            return chosen
    return None


def _name_at(text: str, position: int) -> str | None:
    """The personal name that starts at ``position`` (after quotes and a colon)."""
    rest = text[position:].lstrip(f" :=-{_QUOTES}")
    words: list[str] = []
    for raw in rest.split("\n", 1)[0].split(" "):
        word = raw.strip(f"(){_QUOTES}")
        ends = word[-1:] in ".,;:!?" and not _INITIALS.match(word)
        word = word.rstrip(".,;:!?") if ends else word
        if not word:
            break
        particle = word.islower() and word in _NAME_PARTICLES
        capital = word[0].isupper() and all(c.isalpha() or c in f"-.{_APOSTROPHES}"
                                            for c in word)
        if not (particle or capital):
            break
        words.append(word)
        if ends or len(words) == 6:
            break
    while words and words[-1].islower():
        words.pop()
    return " ".join(words) if words else None


def _name(text: str) -> str | None:
    for lead in _phrases().name_lead.finditer(text):
        name = _name_at(text, lead.end())
        if name:
            return name
    return None


def _street(match: re.Match[str]) -> str:
    if match.group("number_first"):
        return f"{match.group('number_first')} {match.group('street_after')}"
    words = match.group("street").split(" ")
    while len(words) > 1 and words[0].lower() in _NOT_STREET:
        words.pop(0)
    return f"{' '.join(words)} {match.group('number')}"


def _postcode(value: str) -> str:
    compact = value.replace(" ", "").upper()
    if compact[4:].isalpha():  # Dutch: "1234 AB"
        return f"{compact[:4]} {compact[4:]}"
    return compact.removeprefix("D-").removeprefix("F-")


def _phone(value: str) -> str | None:
    digits = sum(c.isdigit() for c in value)
    return " ".join(value.split()) if 10 <= digits <= 15 else None


def _free_text(text: str) -> str | None:
    """The first sentence asking a change, with the rest of its paragraph (which often
    holds the value: "Kunt u mijn geboortedatum aanpassen? Die is 3 mei 1980.")."""
    phrases = _phrases()
    for pattern in (phrases.request, *phrases.cues.values()):
        for paragraph in text.split("\n\n"):
            sentences = [" ".join(s.split()) for s in _SENTENCE.split(paragraph) if s.strip()]
            for index, sentence in enumerate(sentences):
                if pattern.search(sentence):
                    found = " ".join(sentences[index:])
                    return found if len(found) <= MAX_TEXT else found[:MAX_TEXT - 1] + "…"
    return None


def find_changes(text: str, *, ignore: Iterable[str] = ()) -> list[Correction]:
    """What ``text`` asks to change. ``ignore``: e-mail addresses that are not new ones
    (the sender's own, the organisation's)."""
    text = _prepare(text)
    phrases = _phrases()
    changes: list[Correction] = []
    name = _name(text)
    if name:
        changes.append(Correction("name", name))
    address = _value_after_cues(text, phrases.cues["address"], _ADDRESS)
    if address is not None:
        changes += [Correction("street", _street(address)),
                    Correction("postcode", _postcode(address.group("postcode"))),
                    Correction("city", address.group("city"))]
    else:
        postcode = _value_after_cues(text, phrases.cues["postcode"], _POSTCODE_ALONE)
        if postcode is not None:
            changes.append(Correction("postcode", _postcode(postcode.group())))
    phone = _value_after_cues(text, phrases.cues["phone"], _PHONE,
                              lambda m: _phone(m.group()) is not None)
    if phone is not None:
        changes.append(Correction("phone", _phone(phone.group()) or phone.group()))
    ignored = {a.lower() for a in ignore}
    email = _value_after_cues(text, phrases.cues["email"], _EMAIL,
                              lambda m: m.group().lower() not in ignored)
    if email is not None:
        changes.append(Correction("email", email.group().lower()))
    if not changes:
        sentence = _free_text(text)
        if sentence:
            changes.append(Correction("text", sentence))
    return changes


def find_addresses(text: str) -> list[str]:
    """Every e-mail address in ``text``, lower-cased, in order, each once."""
    return list(dict.fromkeys(m.group().lower() for m in _EMAIL.finditer(text)))
