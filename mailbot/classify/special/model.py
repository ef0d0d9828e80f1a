"""What the special-category scan reports: categories, findings and the minimised text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class Category(StrEnum):
    """Special categories of personal data (art. 9(1)), criminal data (art. 10) and national
    identification numbers (art. 87; in the Netherlands the BSN, UAVG art. 46)."""

    HEALTH = "health"
    RELIGION = "religion"  # religious or philosophical beliefs
    POLITICAL = "political"  # political opinions
    ETHNICITY = "ethnicity"  # racial or ethnic origin
    SEXUAL = "sexual"  # sex life or sexual orientation
    TRADE_UNION = "trade_union"  # trade-union membership
    GENETIC_BIOMETRIC = "genetic_biometric"  # genetic data, biometric data
    CRIMINAL = "criminal"  # criminal convictions and offences
    NATIONAL_ID = "national_id"  # BSN, Steuer-ID, NIR, rijksregisternummer


@dataclass(frozen=True, slots=True)
class Finding:
    """One passage of special-category data: ``text[start:end]`` of the scanned text."""

    category: Category
    start: int
    end: int
    text: str  # the passage itself, what a minimised text leaves out (staff only)
    phrase: str  # the words that showed it, around ``text`` ("lid van GroenLinks")
    rule: str  # the lexicon entry or ID scheme: "nl:political", "id:bsn"

    def as_dict(self) -> dict[str, object]:
        return {"category": self.category.value, "start": self.start, "end": self.end,
                "text": self.text, "phrase": self.phrase, "rule": self.rule}


@dataclass(frozen=True, slots=True)
class Detection:
    """The special-category data found in one text."""

    text: str
    findings: tuple[Finding, ...]
    markers: Mapping[str, Mapping[Category, str]]  # language -> category -> "[gezondheid]"

    @property
    def flagged(self) -> bool:
        return bool(self.findings)

    @property
    def categories(self) -> tuple[Category, ...]:
        """The categories found, in the order of ``Category``."""
        found = {f.category for f in self.findings}
        return tuple(c for c in Category if c in found)

    def minimised(self, language: str) -> str:
        """The text with every finding replaced by its category's marker in ``language``
        (English markers for a language without its own)."""
        markers = self.markers.get(language) or self.markers["en"]
        return replace_spans(self.text, self.findings, markers)

    def as_dict(self) -> dict[str, object]:
        """For staff and the evidence record: holds the sensitive passages themselves."""
        return {"categories": [c.value for c in self.categories],
                "findings": [f.as_dict() for f in self.findings]}


def replace_spans(text: str, findings: Iterable[Finding],
                  markers: Mapping[Category, str]) -> str:
    """``text`` with each finding's span replaced by its marker; overlapping spans become
    one, marked for the finding that starts first (the longer one on a tie)."""
    merged: list[tuple[int, int, Category]] = []
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if merged and f.start < merged[-1][1]:
            start, end, category = merged[-1]
            merged[-1] = (start, max(end, f.end), category)
        else:
            merged.append((f.start, f.end, f.category))
    parts: list[str] = []
    at = 0
    for start, end, category in merged:
        parts.append(text[at:start])
        parts.append(markers[category])
        at = end
    parts.append(text[at:])
    return "".join(parts)
