"""Which purposes an objection (art. 21) names: "haal me van de nieuwsbrief en bel me niet
meer" names content mailings and sales calls. When a mail names no purpose, or speaks of
marketing in general, it objects to all marketing; website statistics only when named."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from mailbot.classify.normalize import fold
from mailbot.handle.extract.phrasebook import any_of, compile_any, section
from mailbot.preload import preloaded


class Purpose(StrEnum):
    CONTENT_MAILINGS = "content_mailings"  # newsletters and other marketing mail
    EVENT_MAILINGS = "event_mailings"  # invitations to events
    SALES_CALLS = "sales_calls"  # marketing by phone
    STATISTICS = "statistics"  # website statistics, analytics, cookies
    AD_NETWORKS = "ad_networks"  # advertising networks, retargeting


ALL_MARKETING: tuple[Purpose, ...] = (Purpose.CONTENT_MAILINGS, Purpose.EVENT_MAILINGS,
                                      Purpose.SALES_CALLS, Purpose.AD_NETWORKS)

# Each phrase section of data/purposes.toml and the purposes a match of it names; the
# specific sections come first, as they win over a general phrase they overlap.
_SECTIONS: tuple[tuple[str, tuple[Purpose, ...]], ...] = (
    *((p.value, (p,)) for p in Purpose),
    ("all_mailings", (Purpose.CONTENT_MAILINGS, Purpose.EVENT_MAILINGS)),
    ("all_marketing", ALL_MARKETING),
)
_GENERAL = "all_marketing"
_CLAUSE_END = re.compile(r"[.!?;\n]+")


@dataclass(frozen=True, slots=True)
class PurposeFinding:
    purposes: tuple[Purpose, ...]  # what the objection covers, in the order of ``Purpose``
    named: dict[str, str]  # purpose -> the words that named it
    kept: tuple[Purpose, ...]  # what the person said they still want
    general: bool  # all marketing: nothing specific was named, or marketing in general was


@dataclass(frozen=True, slots=True)
class _Hit:
    section: str
    start: int
    end: int
    text: str


@preloaded
def _patterns() -> tuple[dict[str, re.Pattern[str]], re.Pattern[str], re.Pattern[str],
                         re.Pattern[str]]:
    sections = {}
    for name, _ in _SECTIONS:
        pattern = compile_any(section("purposes", name))
        if pattern is not None:
            sections[name] = pattern
    keep = compile_any(section("purposes", "keep"))
    split = any_of(section("purposes", "split"))
    excepts = any_of(section("purposes", "except"))
    if keep is None or not split or not excepts:
        raise ValueError("data/purposes.toml needs keep, split and except phrases")
    return sections, keep, re.compile(rf"\s*,?\s*(?:{split})\s+"), re.compile(excepts)


def _clauses(folded: str) -> list[tuple[str, bool]]:
    """The clauses of the text, each with whether it names what the person keeps."""
    _, _, split, excepts = _patterns()
    clauses = []
    for sentence in _CLAUSE_END.split(folded):
        for clause in split.split(sentence):
            found = excepts.search(clause)
            if found:
                clauses.append((clause[:found.start()], False))
                clauses.append((clause[found.end():], True))
            elif clause.strip():
                clauses.append((clause, False))
    return clauses


def _hits(clause: str) -> list[_Hit]:
    sections, _, _, _ = _patterns()
    hits: list[_Hit] = []
    for name, _ in _SECTIONS:
        pattern = sections.get(name)
        if pattern is None:
            continue
        for match in pattern.finditer(clause):
            if any(h.start < match.end() and match.start() < h.end for h in hits):
                continue  # a more specific phrase already covers these words
            hits.append(_Hit(name, match.start(), match.end(), match.group()))
    return hits


def find_purposes(text: str) -> PurposeFinding:
    """The purposes ``text`` (subject and body of an objection) objects to."""
    _, keep, _, _ = _patterns()
    purposes_of = dict(_SECTIONS)
    named: dict[str, str] = {}
    kept: set[Purpose] = set()
    general = False
    for clause, excepted in _clauses(fold(text)):
        hits = _hits(clause)
        keeping = excepted or keep.search(clause) is not None
        for hit in hits:
            if keeping:
                if hit.section != _GENERAL:
                    kept.update(purposes_of[hit.section])
            elif hit.section == _GENERAL:
                general = True
            else:
                for purpose in purposes_of[hit.section]:
                    named.setdefault(purpose.value, hit.text)
    chosen = {Purpose(p) for p in named}
    if general or not chosen:
        chosen |= set(ALL_MARKETING) - kept
        general = True
    return PurposeFinding(
        purposes=tuple(p for p in Purpose if p in chosen), named=named,
        kept=tuple(p for p in Purpose if p in kept and p not in chosen), general=general)
