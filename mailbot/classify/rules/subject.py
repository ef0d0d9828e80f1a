"""Mails that say it in one word: "Afmelden" as the subject, or as the whole body."""

from __future__ import annotations

from dataclasses import dataclass

from mailbot.classify.clauses import NOT_DATA, tagged, transactional_in
from mailbot.classify.document import Doc, Findings, Hit
from mailbot.classify.lexicon import lexicons, words
from mailbot.classify.rules.base import MEDIUM, STRONG
from mailbot.classify.rules.phrases import clause_negation
from mailbot.domain.kinds import RequestKind
from mailbot.domain.mail import Evidence
from mailbot.preload import preloaded

# A subject keyword stands alone when the body adds at most this many words of its own.
_QUIET_BODY_WORDS = 8
_CONTENT_LIMIT = 10


@preloaded
def _keywords() -> dict[str, tuple[RequestKind, str]]:
    """Normalised keyword -> (kind, language)."""
    table: dict[str, tuple[RequestKind, str]] = {}
    for lang, lexicon in lexicons().items():
        for kind, keywords in lexicon.subject_keywords.items():
            for keyword in keywords:
                table.setdefault(" ".join(words(keyword)), (kind, lang))
    return table


@preloaded
def _filler() -> frozenset[str]:
    """Greetings, thanks and politeness words of every language."""
    filler: set[str] = set()
    for lexicon in lexicons().values():
        filler.update(lexicon.greetings)
        filler.update(lexicon.thanks)
    return frozenset(filler)


def content_words(doc: Doc) -> list[str]:
    """The body's words without greetings, thanks and the sender's own name.

    Only short bodies matter to the rules here, so counting stops past ``_CONTENT_LIMIT``.
    """
    if doc.content is None:
        filler = _filler()
        content: list[str] = []
        for word in doc.tokens:
            if word not in filler and word not in doc.sender_words:
                content.append(word)
                if len(content) > _CONTENT_LIMIT:
                    break
        doc.content = content
    return doc.content


def _negated_in_body(doc: Doc, kind: RequestKind) -> bool:
    """The body says a keyword of the subject's kind, in any language, with a negation:
    "Afmelden" / "ik wil me niet afmelden" (or "... niet uitschrijven")."""
    for language, lexicon in lexicons().items():
        for keyword in lexicon.subject_keywords[kind]:
            said = words(keyword)
            # "no more emails" holds its own negation: only one before it counts.
            inside = lexicon.negations.isdisjoint(said)
            if _negated_word(doc.body, " ".join(said), language, inside):
                return True
    return False


def _negated_word(body: str, keyword: str, language: str, inside: bool) -> bool:
    start = body.find(keyword)
    while start >= 0:
        if clause_negation(body, start, start + len(keyword), language, inside=inside):
            return True
        start = body.find(keyword, start + 1)
    return False


def keyword_kinds(subject: str) -> list[RequestKind]:
    """The kinds of the subject keywords that stand as words anywhere in ``subject`` (folded):
    "Re: Uw verwijderverzoek - wat wij gaan verwijderen" names an erasure."""
    table = _keywords()
    said = words(subject)
    found = [table[key][0] for n in (1, 2, 3) for i in range(len(said) - n + 1)
             if (key := " ".join(said[i:i + n])) in table]
    return list(dict.fromkeys(found))


ABOUT_ELSE = "the body tells what it is about, and asks no such request"


def about_else(doc: Doc, found: Findings, languages: tuple[str, ...],
               kind: RequestKind) -> bool:
    """The body's sentences read ``kind`` only as about something else ("je dois me
    désinscrire de l'atelier": a workshop, not marketing or personal data), or read no such
    request and do its action to an order, a booking or an appointment and to nothing of the
    writer's ("Please delete the duplicate booking on Thursday")."""
    whys = [why for k, start, _, why in found.readings if k is kind and start >= 0]
    if whys:
        return all(why is not None and why.endswith(NOT_DATA) for why in whys)
    acts = _ACTIONS.get(kind, frozenset())
    return bool(acts) and any(
        concepts & acts and not concepts & _HELD_OBJECTS
        and transactional_in(sentence.text, lang) is not None
        for lang in languages[:1] for sentence, _, spans in tagged(doc.body, lang)
        for concepts in ({s.concept for s in spans},))


_ACTIONS = {RequestKind.ERASURE: frozenset({"erase", "remove"}),
            RequestKind.CORRECTION: frozenset({"correct"}),
            RequestKind.UNSUBSCRIBE: frozenset({"optout", "stop"})}
_HELD_OBJECTS = frozenset({"data", "field", "account", "about_me", "everything", "document",
                           "system", "recording", "copy_doc", "id_copy", "me", "channel",
                           "mailing", "list", "marketing"})


@dataclass(frozen=True, slots=True)
class SubjectKeyword:
    """The whole subject of a new thread is a keyword such as "Afmelden" or "unsubscribe".

    Replies are skipped: their subject was written by whoever wrote first.
    """

    name: str = "subject_keyword"

    def apply(self, doc: Doc, found: Findings) -> None:
        if doc.is_reply or not doc.subject:
            return
        key = " ".join(words(doc.subject))
        entry = _keywords().get(key)
        if entry is None:
            return
        kind, lang = entry
        if kind in found.negated or _negated_in_body(doc, kind):
            found.dropped.append((Evidence(self.name, kind, doc.subject), "the body negates it"))
            return
        if about_else(doc, found, (lang,), kind):
            # ("Désinscription" over "je dois me désinscrire de l'atelier de mardi"): the
            # body tells what the word is about, and it is no request
            found.dropped.append((Evidence(self.name, kind, doc.subject), ABOUT_ELSE))
            return
        quiet = len(content_words(doc)) <= _QUIET_BODY_WORDS
        weight = STRONG if quiet else MEDIUM
        found.hits.append(Hit(Evidence(self.name, kind, doc.subject, weight), lang))


@dataclass(frozen=True, slots=True)
class BareKeyword:
    """The body says nothing but a keyword: "Afmelden graag. Groet, Jan"."""

    name: str = "bare_keyword"

    def apply(self, doc: Doc, found: Findings) -> None:
        rest = content_words(doc)
        if not rest or len(rest) > 3:
            return
        entry = _keywords().get(" ".join(rest))
        if entry is not None:
            kind, lang = entry
            found.hits.append(Hit(Evidence(self.name, kind, " ".join(rest), STRONG), lang))
