"""Lexicon phrases: what is not a request is masked, request phrases become evidence, and
that evidence is set aside when the clause negates it or is about invoices and orders."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mailbot.classify.document import Doc, Findings, Hit
from mailbot.classify.lexicon import Match, lexicons
from mailbot.domain.kinds import RequestKind
from mailbot.domain.mail import Evidence
from mailbot.preload import preloaded

_CLAUSE_PUNCTUATION = re.compile(r"[.,;:!?\n()\"]|\s-+\s")  # ("not your customer - delete")
_WORD = re.compile(r"[a-z]+")
_NEGATION_WINDOW_CHARS = 60
_NEGATION_WINDOW_WORDS = 6
_CLAUSE_ENDS = ".,;:!?\n"
_NEGATION_AFTER_WORDS = 2
# "niet alleen" (not only) after a phrase does not negate it.
_NOT_ONLY = {"nl": "alleen", "en": "only", "de": "nur", "fr": "seulement"}
QUOTED = "quoted from another text"


@dataclass(frozen=True, slots=True)
class NotARequest:
    """Newsletter footers and offers to the reader ("klik hier om je af te melden").

    Their spans are masked: a request phrase that starts inside one is set aside.
    """

    name: str = "not_a_request"

    def apply(self, doc: Doc, found: Findings) -> None:
        for m in doc.matches:
            if m.phrase.section == "not_a_request":
                found.masked.append((m.start, m.end))
                found.notes.append(Evidence(self.name, None, m.text, 0.0))


@dataclass(frozen=True, slots=True)
class RequestPhrase:
    """A lexicon phrase of one request kind, in the body or in a subject of a new thread."""

    kind: RequestKind

    @property
    def name(self) -> str:
        return f"{self.kind}_phrase"

    def apply(self, doc: Doc, found: Findings) -> None:
        for m in doc.matches:
            if m.phrase.kind is self.kind:
                if any(start <= m.start < end for start, end in found.masked):
                    found.dropped.append((self._evidence(m), "inside a newsletter footer or offer"))
                    continue
                if any(start <= m.start < end for start, end in doc.quoted):
                    found.dropped.append((self._evidence(m), QUOTED))
                    continue
                found.hits.append(Hit(self._evidence(m), m.phrase.language, m))
        if doc.is_reply:
            return
        for m in doc.subject_matches:
            if m.phrase.kind is self.kind:
                found.hits.append(Hit(self._evidence(m), m.phrase.language, m, in_subject=True))

    def _evidence(self, m: Match) -> Evidence:
        return Evidence(self.name, self.kind, m.text, m.phrase.weight)


@dataclass(frozen=True, slots=True)
class Negation:
    """A request phrase with a negation in the same clause, before it, inside it or right
    after it, is not one.

    "ik wil me niet afmelden, maar mijn adres is veranderd": the first clause is negated;
    so is "verwijder mijn account niet". Phrases that carry their own negation ("bel me niet
    meer") are only checked before.
    """

    name: str = "negation"

    def apply(self, doc: Doc, found: Findings) -> None:
        for hit in list(found.hits):
            m = hit.match
            if m is None or hit.language is None:
                continue
            text = doc.subject if hit.in_subject else doc.body
            cue = negation_cue(text, m, hit.language)
            if cue:
                found.drop(hit, f"negated by {cue!r}")
                if hit.evidence.kind is not None:
                    found.negated.add(hit.evidence.kind)
                found.notes.append(Evidence(self.name, None, f"{cue} … {m.text}", 0.0))


@preloaded
def _transactional() -> re.Pattern[str]:
    """Every language's words: mails mix them ("stop de paper statements")."""
    stems = "|".join(sorted({s for lexicon in lexicons().values() for s in lexicon.transactional}))
    return re.compile(rf"(?<![a-z])(?:{stems})")


@dataclass(frozen=True, slots=True)
class Transactional:
    """An opt-out or access phrase whose clause is about invoices, orders or a phone number
    is neither ("stop sending me paper invoices", "send me a copy of my invoice"): a person
    handles it."""

    name: str = "transactional"
    kinds: frozenset[RequestKind] = frozenset({RequestKind.UNSUBSCRIBE, RequestKind.ACCESS})

    def apply(self, doc: Doc, found: Findings) -> None:
        for hit in list(found.hits):
            m = hit.match
            if m is None or hit.evidence.kind not in self.kinds:
                continue
            text = doc.subject if hit.in_subject else doc.body
            start = max((text.rfind(c, 0, m.start) for c in _CLAUSE_ENDS), default=-1) + 1
            ends = [i for c in _CLAUSE_ENDS if (i := text.find(c, m.end)) >= 0]
            clause = text[start:min(ends, default=len(text))]
            about = _transactional().search(clause)
            if about:
                found.drop(hit, f"about {about.group()!r}, not marketing or personal data")
                found.notes.append(Evidence(self.name, None, clause.strip(), 0.0))


def negation_cue(text: str, m: Match, language: str) -> str | None:
    """The negation word that cancels match ``m`` of ``text``, if there is one."""
    return clause_negation(text, m.start, m.end, language, inside=not m.phrase.self_negated)


def clause_negation(text: str, start: int, end: int, language: str, *,
                    inside: bool = True) -> str | None:
    """The negation word in the clause of ``text[start:end]``: before it, inside it (unless
    ``inside`` is false) or right after it; None when there is none."""
    lexicon = lexicons()[language]
    before = text[max(0, start - _NEGATION_WINDOW_CHARS):start]
    clause = _CLAUSE_PUNCTUATION.split(before)[-1]
    words = _WORD.findall(clause)[-_NEGATION_WINDOW_WORDS:]
    for i in range(len(words) - 1, -1, -1):
        if words[i] in lexicon.clause_breaks:
            words = words[i + 1:]
            break
    for word in words:
        if word in lexicon.negations:
            return word
    if not inside:
        return None
    for word in _WORD.findall(text[start:end]):
        if word in lexicon.negations:
            return word
    # "verwijder mijn account niet", "löschen Sie mein Konto nicht": the cue may follow.
    after = _CLAUSE_PUNCTUATION.split(text[end:end + _NEGATION_WINDOW_CHARS])[0]
    following = _WORD.findall(after)[:_NEGATION_AFTER_WORDS + 1]
    for i, word in enumerate(following[:_NEGATION_AFTER_WORDS]):
        if word in lexicon.clause_breaks:
            break
        if word in lexicon.negations and following[i + 1:i + 2] != [_NOT_ONLY[language]]:
            return word
    return None
