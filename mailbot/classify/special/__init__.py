"""Special categories of personal data in a mail (art. 9 and 10 GDPR) and national
identification numbers (art. 87), in Dutch, English, German and French.

    detect(text, languages=LANGUAGES) -> Detection
        .flagged -> bool                    anything found
        .categories -> tuple[Category, ...]
        .findings -> tuple[Finding, ...]    category, span in ``text``, passage, rule
        .minimised(language) -> str         ``text`` with each passage replaced by a marker
                                            in the mail's language: "[gezondheid]", "[health]"
        .as_dict() -> dict                  for staff and the evidence record

Pure: lexicons (``classify/lexicons/special/*.toml``) are loaded once, no other I/O.
The passages themselves are personal data of the most sensitive kind: store them as mail
text is stored (sealed), and show them to staff only.

What it looks for: words and phrases a person uses to state such data about themselves or
someone else ("ik heb diabetes", "lid van GroenLinks", "meine Tochter ist Muslima"), not
every word of the topic: idioms are left alone ("ziek van jullie mails", "I'm sick of your
newsletter", "Partei ergreifen"), and so are words that only look alike ("religiously",
"third parties", "politique de confidentialité"). Numbers count only with valid check digits
and a word that names them, or in a form only an ID has (see ``ids``).
"""

from __future__ import annotations

from collections.abc import Iterable

from mailbot.classify.folding import Folded, fold_with_origins
from mailbot.classify.lexicon import LANGUAGES
from mailbot.classify.special import ids, phrases
from mailbot.classify.special.model import Category, Detection, Finding, replace_spans


def detect(text: str, languages: Iterable[str] = LANGUAGES) -> Detection:
    """The special-category data in ``text``, searched with the lexicons of ``languages``
    (all four by default: a mail may mix languages, and its detected language may be
    wrong). National ID numbers are searched whatever the languages."""
    folded = fold_with_origins(text)
    findings = [*_phrase_findings(folded, languages), *_id_findings(folded)]
    return Detection(text, _distinct(findings), phrases.markers())


def _phrase_findings(folded: Folded, languages: Iterable[str]) -> list[Finding]:
    found = []
    order = {lang: n for n, lang in enumerate(LANGUAGES)}  # the same words in two lexicons
    hits = sorted(phrases.search(folded.text, languages),
                  key=lambda hit: (hit[1], -hit[2], order[hit[0].phrase.language]))
    for match, start, end in hits:
        first, last = folded.span(start, end)
        whole_first, whole_last = folded.span(match.start, match.end)
        found.append(Finding(Category(match.phrase.section), first, last,
                             folded.original[first:last],
                             folded.original[whole_first:whole_last],
                             f"{match.phrase.language}:{match.phrase.section}"))
    return found


def _id_findings(folded: Folded) -> list[Finding]:
    found = []
    for number in ids.find_ids(folded.text):
        first, last = folded.span(number.start, number.end)
        passage = folded.original[first:last]
        found.append(Finding(Category.NATIONAL_ID, first, last, passage, passage,
                             f"id:{number.scheme}"))
    return found


def _distinct(findings: list[Finding]) -> tuple[Finding, ...]:
    """One finding per passage and category: the longest of those that overlap."""
    kept: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.start - f.end, f.start)):
        if not any(k.category == f.category and f.start < k.end and k.start < f.end
                   for k in kept):
            kept.append(f)
    return tuple(sorted(kept, key=lambda f: (f.start, f.end)))


def minimise(text: str, findings: Iterable[Finding], language: str) -> str:
    """``text`` with the passages of ``findings`` replaced by markers in ``language``;
    for findings kept from an earlier ``detect`` of the same text."""
    markers = phrases.markers()
    return replace_spans(text, findings, markers.get(language) or markers["en"])


__all__ = ["Category", "Detection", "Finding", "detect", "minimise"]
