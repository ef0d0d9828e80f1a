"""A client's processing order: a structured list of fields, from a known client contact."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mailbot.classify.clauses import cue, personal, tagged
from mailbot.classify.document import Doc, Findings, Hit
from mailbot.classify.lexicon import lexicons
from mailbot.classify.normalize import casefold, strip_accents
from mailbot.classify.rules.base import MEDIUM, STRONG
from mailbot.classify.rules.clause import clause_languages, opening_agreement, prose_order
from mailbot.domain.kinds import RequestKind
from mailbot.domain.mail import Evidence
from mailbot.preload import preloaded

_DATA_SUBJECT_KINDS = (RequestKind.ACCESS, RequestKind.CORRECTION, RequestKind.ERASURE,
                       RequestKind.UNSUBSCRIBE)
PROSE = "processing_order_prose"
AGREED = "processing_order_agreed"
_MIN_FIELDS = 3  # distinct field labels that make an order by themselves
_MIN_FIELDS_NAMED = 2  # ... when the mail also calls itself a processing order
_MAX_LABEL = 60  # a field label ends in a colon within this many characters of the line start


@preloaded
def _field_label() -> re.Pattern[str]:
    """One expression for every field label; the group that matched names the field. The
    colon may be missing where the label is a line of its own (a table cell: "Doel", then
    the purpose on the next line)."""
    fields = [source for lexicon in lexicons().values() for source in lexicon.order_fields]
    alternatives = "|".join(f"(?P<f{n}>{source})" for n, source in enumerate(fields))
    return re.compile(rf"(?:[-*•>]+ ?|\d+[.)] ?)?(?:{alternatives}) ?(?:\([^)]*\) ?)?(?::|$)")


def field_labels(text: str) -> list[str]:
    """The distinct order-field labels that start lines of ``text``, as written (folded)."""
    heads = []
    lines = text.splitlines()
    for n, line in enumerate(lines):
        colon = line.find(":", 0, _MAX_LABEL)
        if colon > 0:
            heads.append(line[:colon + 1])
        elif 0 < len(line.strip()) <= _MAX_LABEL and any(
                following.strip() for following in lines[n + 1:n + 3]):
            heads.append(line.strip())
    if len(heads) < _MIN_FIELDS_NAMED:
        return []
    label = _field_label()
    found: dict[str, str] = {}
    for head in strip_accents(casefold("\n".join(heads))).split("\n"):
        m = label.match(" ".join(head.split()))
        if m and m.lastgroup not in found:
            found[str(m.lastgroup)] = m.group().rstrip(": ")
    return list(found.values())


@dataclass(frozen=True, slots=True)
class ProcessingOrder:
    """Field lines such as "Categorieën van gegevens:", "Betrokkenen:", "Subverwerkers:".

    From a client contact this is a register instruction (one that only names itself an
    order, without fields, too, for a person to complete); from anyone else it goes to a
    person. Either way the data-subject requests its words resemble are set aside.
    """

    name: str = "processing_order"

    def apply(self, doc: Doc, found: Findings) -> None:
        labels = field_labels(doc.own.text)
        named = next((m for m in (*doc.matches, *doc.subject_matches)
                      if m.phrase.section == "processing_order"), None)
        named_in_subject = named is not None and named not in doc.matches
        if len(labels) < (_MIN_FIELDS if named is None else _MIN_FIELDS_NAMED):
            if not doc.client_contact:
                return
            prose = prose_order(doc)
            if named is not None and not named_in_subject and _negated(doc, named.start):
                # ("No changes to any of our processing orders, this is only about the
                # invoice"): an order named to say it is not touched
                found.holds.append(f"a processing order named in a negated sentence "
                                   f"({named.text!r}): a person reads what is asked")
            if named is not None and prose is None and _asks_for_a_copy(
                    doc, None if named_in_subject else named.start):
                # ("Könnten Sie mir eine Kopie unseres Vertrags zur Auftragsverarbeitung
                # noch einmal zuschicken?"): the agreement asked for, no order given
                why = (f"asks to be sent the agreement ({named.text!r}), gives no order: a "
                       "person replies")
                for hit in [h for h in found.hits if h.evidence.kind is RequestKind.ACCESS]:
                    found.drop(hit, why)
                found.holds.append(why)
                return
            if named is not None:
                # named an order: sure when it also amends or ends one
                found.hits.append(Hit(Evidence(self.name, RequestKind.REGISTER_INSTRUCTION,
                                               named.text, MEDIUM if prose is None else STRONG)))
            elif prose is not None:
                # An amendment or an end of an order in prose: the kind is sure, its content
                # is for a person to read unless the second opinion agrees.
                found.hits.append(Hit(Evidence(PROSE, RequestKind.REGISTER_INSTRUCTION,
                                               prose, STRONG)))
                _drop_others_data(doc, found)
            elif (agreed := _agrees_to_a_proposal(doc)) is not None:
                # ("Akkoord met jullie voorstel om de bewaartermijn op 12 maanden te zetten"):
                # what was proposed stands in our earlier mail; a person enters it
                found.hits.append(Hit(Evidence(AGREED, RequestKind.REGISTER_INSTRUCTION,
                                               agreed, MEDIUM)))
                _drop_others_data(doc, found)
            return
        for hit in list(found.hits):
            if hit.evidence.kind in _DATA_SUBJECT_KINDS:
                found.drop(hit, "part of a processing order")
        kind = RequestKind.REGISTER_INSTRUCTION if doc.client_contact else RequestKind.OTHER
        weight = STRONG if doc.client_contact else 0.0
        found.hits.append(Hit(Evidence(self.name, kind, ", ".join(labels), weight)))


def _drop_others_data(doc: Doc, found: Findings) -> None:
    """In a client contact's order, a data-subject request that does not speak of the writer
    ("löschen Sie bitte die Kopien der Personalausweise") is part of the order: the data is
    the client's people's."""
    language = clause_languages(doc)[:1]
    for hit in list(found.hits):
        if (hit.evidence.kind in _DATA_SUBJECT_KINDS and language
                and not personal(hit.evidence.matched, language[0])):
            found.drop(hit, "part of a processing order")


def _agrees_to_a_proposal(doc: Doc) -> str | None:
    """The words by which a client contact agrees to what we proposed, in the body or (a
    reply's "Prima, zo doen" under "Re: Voorstel bewaartermijn") with the subject."""
    text = f"{doc.subject}: {doc.body}"
    for lang in clause_languages(doc):
        if (m := cue("agrees_proposal", text, lang)) is not None:
            return m.group()
        if (doc.is_reply and cue("proposal", doc.subject, lang)
                and (m := opening_agreement(doc, lang)) is not None):
            # ("AW: Vorschlag Löschfristen" over "ja, einverstanden.")
            return m.group()
    return None


_ASKED_SENT = frozenset({"send", "access", "copy_doc", "receive"})


def _asks_for_a_copy(doc: Doc, at: int | None) -> bool:
    """The sentence of the body at ``at`` (any that names an order, where the subject named
    it) asks to be sent something and amends nothing."""
    for lang in clause_languages(doc)[:1]:
        for sentence, _, spans in tagged(doc.body, lang):
            concepts = {s.concept for s in spans}
            if at is None and "order" not in concepts:
                continue
            if at is not None and not sentence.at <= at < sentence.at + len(sentence.text):
                continue
            if ((sentence.question or "want" in concepts) and not concepts.isdisjoint(_ASKED_SENT)
                    and "amend" not in concepts):
                return True
    return False


def _negated(doc: Doc, at: int) -> bool:
    """The sentence of the body at ``at`` holds a negation ("No changes to any of our
    processing orders")."""
    return any(sentence.at <= at < sentence.at + len(sentence.text)
               and any(s.concept in ("neg", "nomore") for s in spans)
               for lang in clause_languages(doc)[:1]
               for sentence, _, spans in tagged(doc.body, lang))
