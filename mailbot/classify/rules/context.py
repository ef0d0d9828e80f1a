"""Rules about what kind of letter this is: a reminder, a complaint, other rights, thanks."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mailbot.classify.clauses import cue, hypothetical, tagged
from mailbot.classify.document import Doc, Findings, Hit
from mailbot.classify.rules.clause import clause_languages, opening_agreement
from mailbot.classify.rules.subject import content_words, keyword_kinds
from mailbot.domain.kinds import RequestKind
from mailbot.domain.mail import Evidence

_REQUEST_KINDS = (RequestKind.ACCESS, RequestKind.CORRECTION, RequestKind.ERASURE,
                  RequestKind.UNSUBSCRIBE, RequestKind.REGISTER_INSTRUCTION)
# A reminder of an earlier request is recorded, but a person checks it against the original.
REMINDER_CAP = 0.55
_STATEMENT = ("states, does not ask", "says 'earlier'")
# The lexicon sections whose phrases name a request of that kind.
_SECTION_KINDS = {str(kind): kind for kind in _REQUEST_KINDS}
_CHASE_WORDS = 3  # "je vous ai adresse une demande", not a bare "reminder"


@dataclass(frozen=True, slots=True)
class OtherRights:
    """Rights mailbot does not handle itself (portability, restriction, 21(1) objection)."""

    name: str = "other_rights"

    def apply(self, doc: Doc, found: Findings) -> None:
        for m in doc.matches:
            if m.phrase.section == "other_rights":
                found.hits.append(Hit(Evidence(self.name, RequestKind.OTHER, m.text, 0.0),
                                      m.phrase.language, m))


@dataclass(frozen=True, slots=True)
class Reminder:
    """A chase of an earlier request ("op 1 maart heb ik u een verzoek gestuurd ...")."""

    name: str = "reminder"

    def apply(self, doc: Doc, found: Findings) -> None:
        said = [m.text for m in doc.matches if m.phrase.section == "reminder"]
        if not said:
            # languages without a phrase lexicon keep their chases among the clause cues
            said = [m.group() for lang in clause_languages(doc)
                    if (m := cue("reminder", doc.body, lang)) is not None]
        if not said:
            return
        found.notes.extend(Evidence(self.name, None, text, 0.0) for text in said)
        # "Le 3 fevrier je vous ai adresse une demande d'acces": the request chased is named
        # in the chasing sentence, set aside as asking nothing; it is the kind recorded (and
        # held, as every chase is)
        chased = dict.fromkeys(e.kind for e, why in found.dropped
                               if e.kind in _REQUEST_KINDS and why.startswith(_STATEMENT)
                               and any(len(text.split()) >= _CHASE_WORDS and text in e.matched
                                       for text in said))
        if doc.is_reply:
            # ("Re: Ontvangstbevestiging inzageverzoek" over "nog steeds niks gehoord"): the
            # request chased is the one our mail named
            chased.update(dict.fromkeys(
                kind for m in doc.subject_matches
                if (kind := _SECTION_KINDS.get(m.phrase.section)) is not None))
        found.hits.extend(Hit(Evidence(self.name, kind, said[0], REMINDER_CAP))
                          for kind in chased)
        for kind in _REQUEST_KINDS:
            found.caps[kind] = min(found.caps.get(kind, 1.0), REMINDER_CAP)


@dataclass(frozen=True, slots=True)
class AgreesUnderOurMail:
    """A reply that opens by agreeing to what our mail proposed ("Re: Uw verwijderverzoek -
    wat wij gaan verwijderen" over "Akkoord, doe maar zo. De rest mag weg zoals jullie
    schrijven.") goes on with the request our mail named: that kind is recorded, held for a
    person who links it and reads what the writer changed."""

    name: str = "agrees_under_our_mail"

    def apply(self, doc: Doc, found: Findings) -> None:
        if not doc.is_reply or any(h.evidence.kind in _REQUEST_KINDS for h in found.hits):
            return
        said = next((m.group() for lang in clause_languages(doc)[:1]
                     if (m := opening_agreement(doc, lang) or cue("keeps_request", doc.body,
                                                                  lang)) is not None), None)
        if said is None:
            return
        kinds = dict.fromkeys(kind for m in doc.subject_matches
                              if (kind := _SECTION_KINDS.get(m.phrase.section)) is not None)
        kinds.update(dict.fromkeys(keyword_kinds(doc.subject)))
        if not kinds:
            kinds.update(dict.fromkeys(_subject_topics(doc)))
        found.hits.extend(Hit(Evidence(self.name, kind, said.strip(), REMINDER_CAP))
                          for kind in kinds)


def _subject_topics(doc: Doc) -> list[RequestKind]:
    """The requests our subject names in its last part that names any ("Re: Deleting your
    account"; "Re: Uw verzoek: kopie ontvangen, nu verwijderen?" asks about the erasure)."""
    for lang in clause_languages(doc)[:1]:
        for part in reversed(doc.subject.split(",")):
            named = [_TOPICS[s.concept] for *_, spans in tagged(part, lang) for s in spans
                     if s.concept in _TOPICS]
            if named:
                return named
    return []


# The actions our subject may name, and the request each is.
_TOPICS = {"erase": RequestKind.ERASURE, "erase_noun": RequestKind.ERASURE,
           "access": RequestKind.ACCESS, "access_noun": RequestKind.ACCESS,
           "correct": RequestKind.CORRECTION, "correct_noun": RequestKind.CORRECTION,
           "optout": RequestKind.UNSUBSCRIBE}


# Art. 77 GDPR (the complaint to a supervisory authority) cited in any language: "artikel
# 77", "Art. 77", "articolo 77", "artículo 77", "článku 77", "člankom 77".
_ARTICLE_77 = re.compile(r"\b(?:art[a-z]*|cl[a-z]*)\.? ?77(?![0-9])")


@dataclass(frozen=True, slots=True)
class Complaint:
    """A complaint to a supervisory authority names requests but makes none of us. A
    complaint only threatened ("als ik geen bevestiging krijg, dien ik een klacht in"; "sonst
    beschwere ich mich") is the writer's next step, and their requests stand."""

    name: str = "complaint"

    def apply(self, doc: Doc, found: Findings) -> None:
        said = [(m.text, m.phrase.language, m) for m in doc.matches
                if m.phrase.section == "complaint"
                and not _threatened(doc, m.start, m.phrase.language)]
        if not said:
            cited = _ARTICLE_77.search(doc.body)
            if cited is None or _threatened(doc, cited.start(), None):
                return
            said = [(cited.group(), None, None)]
        for hit in list(found.hits):
            if hit.evidence.kind in _REQUEST_KINDS:
                found.drop(hit, "a complaint to a supervisory authority")
        found.hits.extend(Hit(Evidence(self.name, RequestKind.OTHER, text, 0.0), lang, m)
                          for text, lang, m in said)


def _threatened(doc: Doc, at: int, language: str | None) -> bool:
    return any(hypothetical(doc.body, at, lang)
               for lang in dict.fromkeys((language, *clause_languages(doc))) if lang)


@dataclass(frozen=True, slots=True)
class ThanksOnly:
    """A mail that only thanks or greets ("thanks!" in a thread) is no request."""

    name: str = "thanks_only"

    def apply(self, doc: Doc, found: Findings) -> None:
        if found.hits or not doc.body or content_words(doc):
            return
        found.hits.append(Hit(Evidence(self.name, RequestKind.OTHER, doc.body[:80], 0.0)))


_WHOLE_ERASURE = frozenset({"erasure_phrase", "erasure_clause/erase+about_me",
                            "erasure_clause/close+account", "erasure_clause/forget+me"})
_MOVED = "correction_clause/moved"
# ("op mijn meisjesnaam Wendy Hofstra ... wis dat account": the name finds the record)
_TOLD_DETAILS = frozenset({"correction_clause/field+new", "correction_clause/married+field"})


@dataclass(frozen=True, slots=True)
class ReasonToLeave:
    """A move only told ("I moved back to the States", "ik ben verhuisd naar het
    buitenland") in a mail that asks to erase the account or all one's data is the reason to
    leave, not a correction: data about to be erased is not corrected first. A new detail
    only told beside such an erasure ("the account email is this one", "meine Adresse hat
    sich geändert") may be a pointer to the record or a correction: a person decides. A
    correction asked in its own words ("please update ...") stands."""

    name: str = "reason_to_leave"

    def apply(self, doc: Doc, found: Findings) -> None:
        if not any(h.evidence.rule in _WHOLE_ERASURE for h in found.hits):
            return
        told = [h for h in found.hits if h.evidence.kind is RequestKind.CORRECTION]
        moves = [h.evidence.matched for h in told if h.evidence.rule == _MOVED]
        # ("ik ben verhuisd" is also a phrase; within the told move it says no more)
        moved = [h for h in told if h.evidence.rule == _MOVED
                 or any(h.evidence.matched in m for m in moves)]
        rest = [h for h in told if h not in moved]
        if not all(h.evidence.rule in _TOLD_DETAILS for h in rest):
            return
        for hit in moved:
            found.drop(hit, "a move told beside an erasure of everything: the reason to "
                            "leave, not a correction")
        if rest:
            found.holds.append(f"a detail told beside an erasure of everything "
                               f"({rest[0].evidence.matched[:60]!r}): a person decides "
                               "whether it is a correction")
