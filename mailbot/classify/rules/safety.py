"""Safety rules that hold whatever the wording: they never add a request; they make a sure
one wait for a person (``Findings.holds``), or set aside what the writer says is none yet."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mailbot.classify.clauses import cue, for_relative, personal, said, tagged, theirs
from mailbot.classify.document import Doc, Findings, Hit
from mailbot.classify.rules.clause import ORDER_REFERENCE, clause_languages, secondary
from mailbot.domain.kinds import RequestKind

_SENTENCE_END = re.compile(r"[.!?;]+(?=\s|$)|\n")
_RECORDS = frozenset({RequestKind.CORRECTION, RequestKind.ERASURE})
_POSSESSIVE = re.compile(r"\b(?:mijn|m n|my|mein|meine|meinen|meiner|meinem|mon|ma|mes)\b")
_EVERYTHING = frozenset({"erasure_clause/erase+about_me", "erasure_clause/forget+me"})


def sentence_of(doc: Doc, hit: Hit) -> str:
    """The folded sentence (of the body, or the subject) that ``hit`` stands in."""
    if hit.in_subject:
        return doc.subject
    text = doc.body
    if hit.match is not None:
        start, end = hit.match.start, hit.match.end
    elif hit.at is not None:
        # a clause hit stands at its sentence's start: read up to the sentence's end
        start, end = hit.at, hit.at + 1
    else:
        return ""
    before = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    after = _SENTENCE_END.search(text, end)
    return text[before:after.start() if after else len(text)]


@dataclass(frozen=True, slots=True)
class AboutTransactions:
    """A correction or erasure said of an invoice, an amount, an order, a payment or a
    replaced meter ("het factuurbedrag corrigeren", "supprimer le doublon de la facture",
    "remove the old meter from my account") may be about accounts, not personal data: the
    mail waits for a person, who decides (``cues.accounts``)."""

    name: str = "about_transactions"

    def apply(self, doc: Doc, found: Findings) -> None:
        languages = clause_languages(doc)
        for hit in found.hits:
            if hit.evidence.kind not in _RECORDS:
                continue
            sentence = sentence_of(doc, hit)
            if hit.evidence.rule in _EVERYTHING and any(
                    said(sentence, lang, concept, secondary(doc, lang))
                    for lang in languages for concept in ("everything", "data")):
                # ("once the final bill is settled, please wipe everything you hold about
                # me": all of one's data, whatever else the sentence names; not "remove the
                # second payment from my account")
                continue
            about = next((m for lang in dict.fromkeys((hit.language, *languages)) if lang
                          if (m := cue("accounts", sentence, lang))), None)
            if about:
                found.holds.append(f"{hit.evidence.kind} said of {about.group()!r}: invoices, "
                                   "amounts, orders and meters are for a person to judge")
                return


_PART_OF_ORDER = frozenset({"part of a processing order", "part of a client's processing order"})
_DATA_SUBJECT = frozenset({RequestKind.ACCESS, RequestKind.CORRECTION, RequestKind.ERASURE,
                           RequestKind.UNSUBSCRIBE})
_FOR_ANOTHER = frozenset({RequestKind.ACCESS, RequestKind.UNSUBSCRIBE, RequestKind.ERASURE,
                          RequestKind.CORRECTION})
_SOMEONE_ELSE = "about someone else: a person decides"


def about_an_order(doc: Doc, languages: tuple[str, ...]) -> str | None:
    """What shows that the mail speaks of data processed for a client: a processing-order
    phrase, an order's reference, or words such as "on our behalf", "subscriber data"."""
    named = next((m.text for m in (*doc.matches, *doc.subject_matches)
                  if m.phrase.section == "processing_order"), None)
    if named is not None:
        return named
    ref = ORDER_REFERENCE.search(doc.subject) or ORDER_REFERENCE.search(doc.body)
    if ref is not None:
        return ref.group()
    for lang in languages:
        for text in (doc.subject, doc.body):
            # (the categories of data are also what an access request asks to be told)
            words = [w for w in said(text, lang, "processor_context", secondary(doc, lang))
                     if "ategor" not in w]
            if words:
                return words[0]
    return None


@dataclass(frozen=True, slots=True)
class OrderContext:
    """A mail about a client's processing order that also seems to make a data subject's
    request ("terminate the order and delete the subscriber data", a client contact's own
    opt-out beside an amendment) waits for a person: whose data, and on whose authority,
    is theirs to judge. Nothing in it is acted on in part."""

    name: str = "order_context"

    def apply(self, doc: Doc, found: Findings) -> None:
        languages = clause_languages(doc)
        # A client's order that also asks something of the writer's own ("mijn nummer is nu
        # ..., wil je dat aanpassen?") is not the order alone.
        own = [e for e, why in found.dropped if e.kind in _DATA_SUBJECT
               and why in _PART_OF_ORDER
               and any(personal(e.matched, lang) for lang in languages)]
        if own:
            # a request about what is the writer's own ("mijn nummer is nu ...") is recorded
            # with its kind, for the person to confirm ("send me the annex" is no such)
            found.hits.extend(Hit(e) for e in own if _POSSESSIVE.search(e.matched))
            found.holds.append(f"a processing order that also speaks of the writer's own "
                               f"data ({own[0].matched[:60]!r}): a person decides")
            return
        if not any(h.evidence.kind in _DATA_SUBJECT for h in found.hits):
            return
        said = about_an_order(doc, languages)
        if said is not None:
            found.holds.append(f"speaks of a processing order ({said!r}) and of a data "
                               "subject's request: a person decides whose data it is")



_LIST_ITEMS = 5  # a person's own list of requests is short
# What a list item's action asks for, when no request was read from the item.
_ASKS_FOR = {
    "erase": {RequestKind.ERASURE}, "erase_noun": {RequestKind.ERASURE},
    "remove": {RequestKind.ERASURE, RequestKind.UNSUBSCRIBE},
    "correct": {RequestKind.CORRECTION}, "correct_noun": {RequestKind.CORRECTION},
    "stop": {RequestKind.UNSUBSCRIBE}, "optout": {RequestKind.UNSUBSCRIBE},
    "withdraw": {RequestKind.UNSUBSCRIBE}, "object": {RequestKind.UNSUBSCRIBE},
    "disable": {RequestKind.UNSUBSCRIBE}, "nomore": {RequestKind.UNSUBSCRIBE},
    "access": {RequestKind.ACCESS}, "access_noun": {RequestKind.ACCESS},
}


@dataclass(frozen=True, slots=True)
class ListedRequests:
    """Requests in a numbered or bulleted list ("1. ... 2. ... 3. ..."): when an item names
    the action of a request kind the mail was not found to make ("2. cesser toute
    prospection") and no request was read from it, the whole mail waits for a person, so
    that nothing in it is acted on in part."""

    name: str = "listed_requests"

    def apply(self, doc: Doc, found: Findings) -> None:
        if not any(h.evidence.kind in _DATA_SUBJECT for h in found.hits):
            return
        languages = clause_languages(doc)
        if not languages:
            return
        read = [_position(h) for h in found.hits if h.evidence.kind is not None]
        items = [(sentence, spans) for sentence, _, spans in tagged(doc.body, languages[0])
                 if sentence.item]
        if not 2 <= len(items) <= _LIST_ITEMS:
            # (a formal letter's long list names the rights it asks to be told about)
            return
        kinds = {h.evidence.kind for h in found.hits}
        for sentence, spans in items:
            end = sentence.at + len(sentence.text)
            if any(s.concept in _ASKS_FOR and not _ASKS_FOR[s.concept] & kinds
                   for s in spans) and not any(sentence.at <= at < end for at in read):
                found.holds.append(f"a listed request was not understood "
                                   f"({sentence.text.strip()[:60]!r}): a person reads the list")
                return


def _position(hit: Hit) -> int:
    if hit.in_subject:
        return -1
    if hit.match is not None:
        return hit.match.start
    return hit.at if hit.at is not None else -1



def _said_beside_a_request(doc: Doc, found: Findings, name: str) -> tuple[str, str] | None:
    """The language and the words of the first of the ``name`` cues in the body, when the
    mail was found to make a data subject's request."""
    if not any(h.evidence.kind in _DATA_SUBJECT for h in found.hits):
        return None
    for lang in clause_languages(doc):
        m = cue(name, doc.body, lang)
        if m is not None:
            return lang, m.group().strip()
    return None


def _set_aside(found: Findings, why: str, *, keep: str = "") -> None:
    """The writer's own words say the mail asks for nothing yet: what it seemed to ask is
    kept as evidence for the person who reads it, and the mail waits as one without a
    request kind (the person gives it one in a step, when it has one). A clause that asks
    for the writer's own data and holds the words ``keep`` stays: "before I decide, I want to
    know what data you hold about me" asks to know, whatever is decided after."""
    for hit in [h for h in found.hits if h.evidence.kind in _DATA_SUBJECT and not (
            keep and h.evidence.rule in _ASKS_OWN_DATA and keep in h.evidence.matched)]:
        found.drop(hit, why)
    found.holds.append(why)


_ASKS_OWN_DATA = frozenset({
    "access_clause/know+data+about_me", "access_clause/qword+data+hold",
    "access_clause/qword+hold+about_me", "access_clause/access+about_me",
    "access_clause/see+everything+about_me"})


@dataclass(frozen=True, slots=True)
class AlsoAsks:
    """"While you're at it", "als jullie toch bezig zijn", "wenn Sie schon dabei sind": the
    writer adds a second request. Where only one kind was found, the other was not
    understood, and nothing is done in part: the mail waits for a person."""

    name: str = "also_asks"

    def apply(self, doc: Doc, found: Findings) -> None:
        kinds = {h.evidence.kind for h in found.hits if h.evidence.kind in _DATA_SUBJECT}
        if len(kinds) != 1:
            return
        said = _said_beside_a_request(doc, found, "also_asks")
        if said is not None:
            found.holds.append(f"adds a second request ({said[1]!r}) that was not understood: "
                               "a person reads it")


@dataclass(frozen=True, slots=True)
class Undecided:
    """A writer who says they have not decided ("ik wil het even weten voordat ik iets
    beslis", "before I decide", "bevor ich mich entscheide") asks about a request rather than
    making it: whatever the mail seems to ask waits for a person."""

    name: str = "undecided"

    def apply(self, doc: Doc, found: Findings) -> None:
        said = _said_beside_a_request(doc, found, "undecided")
        if said is not None:
            _set_aside(found, f"the writer has not decided yet ({said[1]!r}): a person "
                       "reads what is asked",
                       keep=said[1] if cue("decide_after", said[1], said[0]) else "")


@dataclass(frozen=True, slots=True)
class SaysNoRequest:
    """A writer who says the mail asks for nothing ("dit is geen verzoek hoor", "this is not a
    request", "ce n'est pas une demande") only tells: what the mail seems to ask is set
    aside, and it waits for a person. Words that only suggest it ("thanks for the
    confirmation", "personnel file": ``no_request_context``) make the mail wait with what it
    seems to ask."""

    name: str = "says_no_request"

    def apply(self, doc: Doc, found: Findings) -> None:
        said = _said_beside_a_request(doc, found, "says_no_request")
        if said is not None:
            _set_aside(found, f"the writer says it is no request ({said[1]!r}): a person "
                       "reads what is asked")
            return
        suggested = _said_beside_a_request(doc, found, "no_request_context")
        if suggested is not None:
            found.holds.append(f"the writer may ask for nothing ({suggested[1]!r}): a person "
                               "reads what is asked")


@dataclass(frozen=True, slots=True)
class OurPublication:
    """A correction said of a detail on our own website, in our newsletter or privacy
    statement ("Auf Ihrer Website steht eine falsche Telefonnummer des Kundendienstes") may be
    about our text, not the writer's data: where that sentence names a detail or an error but
    nothing of the writer's, the mail waits for a person."""

    name: str = "our_publication"

    def apply(self, doc: Doc, found: Findings) -> None:
        if not any(h.evidence.kind is RequestKind.CORRECTION for h in found.hits):
            return
        for lang in clause_languages(doc):
            for sentence, _, spans in tagged(doc.body, lang):
                said_there = cue("our_publication", sentence.text, lang)
                if (said_there is not None and any(s.concept in ("field", "wrong") for s in spans)
                        and not personal(sentence.text, lang)):
                    found.holds.append(f"correction said of {said_there.group()!r}: our own "
                                       "text may be meant, not the writer's data: a person "
                                       "reads it")
                    return


@dataclass(frozen=True, slots=True)
class KeepAsIs:
    """A writer who wants a detail left as it is ("Ik heet sinds mijn huwelijk De Boer, maar
    voor jullie mag alles op Jansen blijven", "please keep my account in my maiden name") asks
    no correction, whatever the mail tells of a new name or address: the correction is set
    aside and the mail waits for a person. Other requests in it stay."""

    name: str = "keep_as_is"

    def apply(self, doc: Doc, found: Findings) -> None:
        told = [h for h in found.hits if h.evidence.kind is RequestKind.CORRECTION]
        if not told:
            return
        said = next((m.group().strip() for lang in clause_languages(doc)
                     if (m := cue("keep_as_is", doc.body, lang)) is not None), None)
        if said is None:
            return
        why = f"the writer wants it left as it is ({said!r}): a person reads what is asked"
        for hit in told:
            found.drop(hit, why)
        found.holds.append(why)


@dataclass(frozen=True, slots=True)
class RestoreWish:
    """A writer who wants back what was erased or closed ("Mijn account is verwijderd ... Zet
    het terug", "My account was deleted without me asking! Please restore it", "Bitte stellen
    Sie es wieder her") asks for no erasure, whatever the mail tells of one: the erasure is
    set aside and the mail waits for a person. Other requests in it stay."""

    name: str = "restore_wish"

    def apply(self, doc: Doc, found: Findings) -> None:
        told = [h for h in found.hits if h.evidence.kind is RequestKind.ERASURE]
        if not told:
            return
        said = next((m.group().strip() for lang in clause_languages(doc)
                     if (m := cue("restore", doc.body, lang)) is not None), None)
        if said is None:
            return
        why = f"the writer wants something back ({said!r}): a person reads what is asked"
        for hit in told:
            found.drop(hit, why)
        found.holds.append(why)


@dataclass(frozen=True, slots=True)
class Representative:
    """A writer who says they act for someone else ("namens mijn moeder", "as executor of my
    late mother's estate", "als Alleinerbe", "en tant que tuteur") makes that person's
    request: a person checks the authority before anything is done."""

    name: str = "representative"

    def apply(self, doc: Doc, found: Findings) -> None:
        claim = _said_beside_a_request(doc, found, "representative")
        if claim is not None:
            # the one the writer acts for is who the requests are about ("cease all direct
            # marketing to him", "sa nouvelle adresse"): each keeps its kind for the person
            for evidence, why in [d for d in found.dropped if d[1].endswith(_SOMEONE_ELSE)]:
                found.dropped.remove((evidence, why))
                found.hits.append(Hit(evidence, claim[0]))
            found.holds.append(f"written for someone else ({claim[1]!r}): a person "
                               "checks the authority first")


@dataclass(frozen=True, slots=True)
class ForARelative:
    """An opt-out, an access request or an erasure said for the writer's relative ("geen
    post meer voor mijn zoon", "my mother no longer wants your newsletter", "send me what you
    hold on my father", "delete the data of my partner") is that person's request, made by
    the writer: its kind is kept, and a person checks the authority first. An opt-out applied
    at once would apply to the writer's own address, a copy would show one person's data to
    another. So does one that speaks of their data after the relative was named in a sentence
    before ("Mijn dochter (14) ... Ik wil graag haar gegevens inzien"), and a correction of
    their detail ("die Adresse meiner Frau, sie ist umgezogen"). A parent's erasure of a
    child's data goes on as the parent's case (the organisation deletes children's data on
    request), and a correction of the writer's own detail that names a relative ("I took my
    husband's surname") is the writer's."""

    name: str = "for_a_relative"

    def apply(self, doc: Doc, found: Findings) -> None:
        for hit in list(found.hits):
            kind = hit.evidence.kind
            if kind not in _FOR_ANOTHER or hit.language is None:
                continue
            child = kind is not RequestKind.ERASURE
            of_another = theirs(hit.evidence.matched, hit.language)
            if kind is RequestKind.CORRECTION and not of_another:
                continue  # ("I took my husband's surname": the writer's own detail)
            named = for_relative(hit.evidence.matched, hit.language, child=child)
            if named is None and of_another:
                # ("Mijn dochter (14) heeft een account. Ik wil graag haar gegevens inzien":
                # the relative named in a sentence before)
                named = for_relative(doc.body, hit.language, child=child)
                if named is None and hit.evidence.rule.endswith(_ABOUT_THEM):
                    found.drop(hit, _SOMEONE_ELSE)
                    continue
            if named is not None:
                found.holds.append(f"written for someone else ({named!r}): a person "
                                   "checks the authority first")
                return


_ABOUT_THEM = "+about_them"


@dataclass(frozen=True, slots=True)
class PreviousOccupant:
    """Post, calls or data of someone who lived or rented there before ("letters for the
    previous occupant, can you update that address?", "het nieuwe adres van de vorige
    huurder") are most often that person's, not the writer's: the mail waits for a person,
    who decides whose it is."""

    name: str = "previous_occupant"

    def apply(self, doc: Doc, found: Findings) -> None:
        said = _said_beside_a_request(doc, found, "previous_occupant")
        if said is not None:
            found.holds.append(f"speaks of someone who lived there before ({said[1]!r}): a "
                               "person decides whose data it is")


@dataclass(frozen=True, slots=True)
class Deceased:
    """A mail that says someone died ("mijn vader is in januari overleden", "my late
    husband", "meine Mutter ist verstorben") and seems to ask something: the GDPR does not
    cover a deceased person's data, and who may ask for what is for a person to judge, so
    nothing is done before one has read it."""

    name: str = "deceased"

    def apply(self, doc: Doc, found: Findings) -> None:
        said = _said_beside_a_request(doc, found, "deceased")
        if said is not None:
            found.holds.append(f"speaks of someone who died ({said[1]!r}): a person replies")
