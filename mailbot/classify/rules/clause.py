"""Requests read per sentence (``classify.clauses``), and the safety rules that hold
whatever the wording: a withdrawal cancels what it withdraws, an offer of services is no
request."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from mailbot.classify.clauses import (
    ARRIVED,
    CLAUSE_LANGUAGES,
    HOW_TO,
    LIMITS,
    NONE_NEW,
    SENTENCE_ASIDES,
    SENTENCE_FACTS,
    STATES,
    STILL_HELD,
    UNSURE,
    ClauseHit,
    Span,
    after_salutation,
    aside_at,
    clause_lexicon,
    cue,
    cues,
    find,
    limited_at,
    mentions,
    quoted_titles,
    said,
    tagged,
)
from mailbot.classify.document import Doc, Findings, Hit, unquoted
from mailbot.classify.language import SUPPORTED, UNDETERMINED, decide
from mailbot.classify.lexicon import STRENGTHS
from mailbot.classify.rules.subject import ABOUT_ELSE, about_else, content_words
from mailbot.domain.kinds import RequestKind
from mailbot.domain.mail import Evidence

DATA_SUBJECT_KINDS = frozenset({RequestKind.ACCESS, RequestKind.CORRECTION, RequestKind.ERASURE,
                                RequestKind.UNSUBSCRIBE})
# A subject stands for the whole request when the body adds at most this many words.
_QUIET_BODY_WORDS = 8
# A body that goes on from its subject ("Please stop the texts" / "...and while you're at it,
# delete my number"): an ellipsis or "and" before its first word.
_CONTINUES = re.compile(r"^\W*(?:\.\.\.|\u2026|(?:and|en|und|et)\b)")
_SHORT_TEXT_WORDS = 40
_RIVALS = 3  # other EU languages a short text is read in beside its guess
_RIVAL_SHARE = 0.5  # of the best language's score
_PITCH_SIGNS = 2  # distinct sales phrases that make a mail an offer (one may be a footer)
_TERSE_WORDS = 8
# Where a withdrawing sentence stops naming what it withdraws: its end, or a "but".
# ("laat (het) maar" is no "but")
_NAMED_UNTIL = re.compile(r"[.!?;\n]|(?<!laat )(?<!laat het )\b(?:but|maar|aber|mais|however|"
                          r"echter|jedoch|cependant)\b")
# A subject beside a body about something else: a hint a person weighs, never enough alone.
_SUBJECT_ASIDE = 0.3  # a body this short asks whatever its mood ("Kopie gegevens s.v.p.")


def clause_languages(doc: Doc) -> tuple[str, ...]:
    """The languages whose clause lexicons read this mail: its own (and English, which mails
    mix in); for a short or unclear text also the other languages mailbot answers in."""
    if doc.languages is None:
        doc.languages = _clause_languages(doc)
    return doc.languages


def secondary(doc: Doc, language: str) -> bool:
    """``language`` is not a long mail's own: it is read only in the sentences its mark words
    show (``clauses.tagged``)."""
    languages = clause_languages(doc)
    return bool(languages) and language != languages[0] and len(doc.tokens) >= _SHORT_TEXT_WORDS


def _clause_languages(doc: Doc) -> tuple[str, ...]:
    lang = decide(doc.language)
    short = len(doc.tokens) < _SHORT_TEXT_WORDS
    if lang == UNDETERMINED:
        return (*SUPPORTED, *_rivals(doc, lang)) if short else SUPPORTED
    own = (lang,) if lang in CLAUSE_LANGUAGES else ()
    if short:
        # A short text's language is a guess: read it as the two likeliest of the four too.
        scores = doc.language.scores
        likely = [s for s in sorted((s for s in SUPPORTED if s != lang),
                                    key=lambda s: (-scores.get(s, 0.0), SUPPORTED.index(s)))[:2]
                  if scores.get(s, 0.0) > 0.0]
        return (*own, *_rivals(doc, lang), *likely,
                *(("en",) if lang != "en" and "en" not in likely else ()))
    return (*own, "en") if lang != "en" else own


def _rivals(doc: Doc, lang: str) -> tuple[str, ...]:
    """Other EU languages a short text scores nearly as well in as its own guess ("Odjavite
    me od novic prosim": Czech and Slovene alike; "Dadme de baja del boletín": Spanish, a
    little short of deciding): each is read too, and a request found in one names it."""
    scores = doc.language.scores
    top = max(scores.values(), default=0.0)
    near = sorted((s for s, v in scores.items()
                   if s != lang and s not in SUPPORTED and s in CLAUSE_LANGUAGES
                   and v > 0.0 and v >= _RIVAL_SHARE * top),
                  key=lambda s: (-scores[s], s))
    return tuple(near[:_RIVALS])


# An order's reference: "C2-PO-0117", "KE-PO-2024-11", "VO-2024-09", "KF-ORD-26-0031" ("po":
# processing or purchase order, "vo": verwerkingsopdracht, "ord", "opdr", "dpa"; any language).
ORDER_REFERENCE = re.compile(
    r"(?<![a-z0-9])(?:[a-z0-9]{1,4}-)?(?:po|vo|ord|order|opdr|dpa)-?\d{2,}")


def opening_agreement(doc: Doc, language: str) -> re.Match[str] | None:
    """The agreement a reply opens with, after its greeting ("Akkoord, doe maar zo.", "ja,
    einverstanden", "Yes, please go ahead"): ``[cues] agrees_reply`` on its first words."""
    lexicon = clause_lexicon(language)
    if lexicon is None:
        return None
    return cue("agrees_reply", after_salutation(doc.body.lstrip(), lexicon)[:_OPENING],
               language)


_OPENING = 120  # the reply's first words after a greeting, where an agreement opens it


def prose_order(doc: Doc) -> str | None:
    """What shows that a mail amends, extends or ends a client's order in prose or a numbered
    list ("passen we opdracht VO-2024-05 als volgt aan", "bitte andern Sie den Auftrag",
    "we are terminating the survey processing, as our agreement says"): an order named (or
    its reference) and an amendment or an end of it, in the subject or the body."""
    texts = [t for t in (doc.subject, doc.body) if t]
    ref = next((m.group() for t in texts if (m := ORDER_REFERENCE.search(t))), None)
    for lang in clause_languages(doc):
        other = secondary(doc, lang)
        orders = [w for t in texts for w in said(t, lang, "order", other)]
        if (ref or orders) and any(_amends(t, lang, other) for t in texts):
            return ref or orders[0]
    return None


def _amends(text: str, language: str, marked: bool) -> bool:
    """Some sentence of ``text`` amends or ends, not negated ("An unseren Anweisungen ändert
    sich nichts" changes nothing) and not of an invoice or an amount ("kunnen jullie de
    factuur voor ORD-2024-11 aanpassen?"), unless it names the order itself ("wijzigingen in
    verwerkingsopdracht VO-2025-014 (facturatieservice)")."""
    return any((any(s.concept == "amend" for s in spans) or (
                   # ("Wil je in het kader van onze opdracht al zijn ritgegevens
                   # verwijderen?"): an erasure the order itself is named for
                   any(s.concept == "erase" for s in spans) and (
                       _names_an_order(tokens, spans) or ORDER_REFERENCE.search(sentence.text))))
               and not any(s.concept in ("neg", "nomore") for s in spans)
               and (_names_an_order(tokens, spans)
                    or cue("invoice", _line_at(text, sentence.at), language) is None)
               for sentence, tokens, spans in (tagged(text, language, True) if marked
                                               else tagged(text, language)))


def _names_an_order(tokens: Sequence[str], spans: Sequence[Span]) -> bool:
    """An order word stands in the sentence, not as a shop order's number ("order-2231")."""
    return any(s.concept == "order" and not (s.end < len(tokens) and tokens[s.end].isdigit())
               for s in spans)


def _line_at(text: str, at: int) -> str:
    """The line of ``text`` that holds position ``at`` (a clause's sentence may be cut at a
    comma: "de factuur ... klopt niet, kunnen jullie die aanpassen?")."""
    end = text.find("\n", at)
    return text[text.rfind("\n", 0, at) + 1:end if end >= 0 else len(text)]


def points_to_subject(doc: Doc, languages: tuple[str, ...]) -> bool:
    """The body is empty, says little beyond pointing at the subject ("zie onderwerp"), or
    goes on from it."""
    if len(content_words(doc)) <= _QUIET_BODY_WORDS or _CONTINUES.match(doc.body):
        return True
    head = doc.body[:200]
    return any(cue("subject_pointer", head, lang) for lang in languages)


def _evidence(hit: ClauseHit, weight: float) -> Evidence:
    return Evidence(hit.rule, hit.kind, hit.text[:120], weight)


@dataclass(frozen=True, slots=True)
class ClauseRequest:
    """An action and its object in one sentence of the body, or of a new thread's subject."""

    name: str = "clause"

    def apply(self, doc: Doc, found: Findings) -> None:
        languages = clause_languages(doc)
        short = len(content_words(doc)) <= _TERSE_WORDS
        named = any(m.phrase.section == "processing_order"
                    for m in (*doc.matches, *doc.subject_matches))
        order = doc.client_contact and (named or prose_order(doc) is not None)
        # (the subject is read in the mail's own language only: it costs a tagging per
        # language, and an order's subject and body share theirs)
        processor = named or bool(doc.subject and languages and mentions(
            doc.subject, languages[0], "processor_context"))
        read = [hit for lang in languages
                for hit in find(unquoted(doc), lang, short=short, processor=processor,
                                marked=secondary(doc, lang),
                                topic="" if doc.is_reply else doc.subject,
                                mailing=doc.forwarded_mailing)]
        # a sentence its own language reads as a request is that request: another language's
        # reading of the same words is a guess ("was wissen Sie alles uber mich" is no Dutch
        # "wissen", erase)
        # ... and one it sets aside for a kind for what the sentence says is not that kind's
        # request in another language ("votre reponse a ma demande de rectification": an
        # earlier request); its mood it may misread ("please" is no Dutch word)
        own = {hit.at for hit in read if hit.why is None and languages
               and hit.language == languages[0]}
        aside = {(hit.at, hit.kind) for hit in read if languages and hit.language == languages[0]
                 and (hit.why in SENTENCE_FACTS or hit.why in _SENTENCE_ASIDES
                      or (hit.why or "").startswith((_UNLESS, _NEGATED)))}
        read = [hit if hit.why is not None or hit.language == languages[0] or (
                    hit.at not in own and (hit.at, hit.kind) not in aside)
                else replace(hit, why=OWN_LANGUAGE) for hit in read]
        # what one language's reading knows of a sentence's request holds for the others' too
        told = {(hit.at, hit.kind): hit.why for hit in read if hit.why in SENTENCE_FACTS}
        # ("Ik ben in 2023 verhuisd. Staat mijn oude adres nog in jullie systeem?": the move is
        # why the writer asks what is still held, not a correction; so is a move the writer
        # says they passed on themselves)
        still_held = any(hit.why == STILL_HELD for hit in read) or (any(
            hit.why is None and hit.rule.endswith(_MOVED) for hit in read) and any(
            cue("self_done", doc.body, lang) for lang in languages))
        # ("Mijn telefoonnummer is veranderd. Het oude nummer mag weg.": the old detail goes
        # because a new one replaces it: the correction, not an erasure)
        changed = [_details(hit) for hit in read if hit.kind is RequestKind.CORRECTION
                   and hit.why is None and hit.rule != _OLD_DETAIL]
        # (not "My address is now ... Please remove our old landline number": another detail)
        replaced = {hit.at for hit in read if hit.rule == _OLD_DETAIL and (
            hit.why != NONE_NEW) and any(_same_detail(_details(hit), c) for c in changed)}
        for hit in read:
            why = hit.why or _read_with_the_mail(hit, told, replaced, still_held)
            if why != hit.why:
                hit = replace(hit, why=why)
            if hit.why is None and order:
                hit = replace(hit, why="part of a client's processing order")
            elif hit.why is None and _masked(hit, found):
                hit = replace(hit, why="inside a newsletter footer or offer")
            self._add(found, hit, hit.weight, in_subject=False)
            if hit.why not in _NOT_THE_SENTENCE:
                found.readings.append((hit.kind, hit.at, hit.at + len(hit.text) + 2,
                                       hit.why))
        if doc.is_reply or not doc.subject:
            return
        quiet = points_to_subject(doc, languages)
        how_to = {k for k, _, _, why in found.readings
                  if why == HOW_TO or why in _SENTENCE_ASIDES} - {
            k for k, _, _, why in found.readings if why is None}
        for lang in languages:
            for hit in find(doc.subject, lang, subject=True):
                if hit.why is None and order:
                    hit = replace(hit, why="part of a client's processing order")
                elif hit.why is None and hit.kind in found.negated:
                    hit = replace(hit, why="the body negates it")
                elif hit.why is None and about_else(doc, found, languages, hit.kind):
                    hit = replace(hit, why=ABOUT_ELSE)
                elif hit.why is None and hit.kind in how_to:
                    # ("Passport copy for subject access request?" over a body that asks
                    # whether one is needed; "changer l'adresse e-mail" over one that asks
                    # how to do it oneself)
                    hit = replace(hit, why="the body asks how to make it")
                self._add(found, hit, hit.weight if quiet else min(hit.weight, _SUBJECT_ASIDE),
                          in_subject=True)
                if hit.why not in _NOT_THE_SENTENCE:
                    found.readings.append((hit.kind, -1, -1, hit.why))

    @staticmethod
    def _add(found: Findings, hit: ClauseHit, weight: float, *, in_subject: bool) -> None:
        evidence = _evidence(hit, weight)
        if hit.why is not None:
            found.dropped.append((evidence, hit.why))
            if hit.why.startswith("negated"):
                found.negated.add(hit.kind)
            return
        found.hits.append(Hit(evidence, hit.language, None, in_subject, hit.at))
        if hit.hold is not None and hit.hold not in found.holds:
            found.holds.append(hit.hold)


_TELLS = frozenset({STATES, ARRIVED, HOW_TO})


@dataclass(frozen=True, slots=True)
class SentenceAside:
    """A lexicon phrase or an article named in a sentence (or subject) whose clause reading
    set its kind aside ("dank voor het overzicht naar aanleiding van mijn inzageverzoek": a
    statement about an earlier request; "na mijn inzageverzoek": an earlier request; "bei
    meinem Telefonanbieter eine Auskunft nach Art. 15 DSGVO verlangt") is set aside too,
    when no clause of the sentence asks for that kind."""

    name: str = "sentence_aside"

    def apply(self, doc: Doc, found: Findings) -> None:
        self._unread(doc, found)
        if not any(why for *_, why in found.readings):
            return
        for hit in list(found.hits):
            kind = hit.evidence.kind
            where = hit.match.start if hit.match is not None else hit.at  # (an article's)
            if where is None or kind not in DATA_SUBJECT_KINDS:
                continue
            at = -1 if hit.in_subject else where  # the subject's readings stand at -1
            readings = [(k, why) for k, start, end, why in found.readings
                        if start <= at < end or start == at == -1]
            here = [why for k, why in readings if k is kind]
            if hit.match is None and set(here) <= {STATES}:
                # an article in a sentence that tells of an earlier request may be a
                # reminder's ("dne 2024-03-01 jsem Vam zaslal zadost podle clanku 15")
                continue
            if here and None not in here:
                found.drop(hit, f"the sentence {here[0]}")
            elif not here and readings and (said := {why for _, why in readings}) <= _TELLS:
                # a sentence that states, says a request was done or asks how to make one,
                # read for other kinds, does so for this one too ("ik weet wanneer je
                # gegevens moet verwijderen of corrigeren", "your letter confirming that my
                # details have been deleted arrived")
                found.drop(hit, f"the sentence {sorted(said)[-1]}")


    @staticmethod
    def _unread(doc: Doc, found: Findings) -> None:
        """A body phrase in a sentence no clause reading covers, whose whole sentence says it
        asks nothing ("..., is dat gelukt?"), is set aside as that sentence says."""
        languages = clause_languages(doc)[:1]
        for hit in list(found.hits):
            m = hit.match
            if (m is None or hit.in_subject or hit.evidence.kind not in DATA_SUBJECT_KINDS
                    or not languages or any(start <= m.start < end
                                            for _, start, end, _ in found.readings)):
                continue
            why = aside_at(doc.body, m.start, languages[0])
            if why is not None:
                found.drop(hit, f"the sentence {why}")


_LIMIT_SAID = {RequestKind.UNSUBSCRIBE: "a time, a language or another way to send it named",
               RequestKind.ACCESS: "the data to see in the app or on the website",
               RequestKind.ERASURE: "one of two accounts, or a copy, named"}


@dataclass(frozen=True, slots=True)
class LimitedRequest:
    """A request whose sentence names what limits it (``clauses.LIMITS``): an opt-out "not
    before 9" or "in English from now on" may stop less than everything; data "in the app,
    but the page won't load" may be for the writer to see there. The kind is kept, and the
    mail waits for a person."""

    name: str = "limited_request"

    def apply(self, doc: Doc, found: Findings) -> None:
        languages = clause_languages(doc)[:1]
        if not languages:
            return
        for hit in found.hits:
            kind = hit.evidence.kind
            where = hit.match.start if hit.match is not None else hit.at
            if (kind in LIMITS and where is not None and not hit.in_subject
                    and found.caps.get(kind, 1.0) > UNSURE
                    and limited_at(doc.body, where, languages[0], kind)):
                found.caps[kind] = UNSURE
                # (held whatever the second opinion says: it may agree on the kind, not on
                # how much is asked)
                found.holds.append(f"the {kind} asked may be limited ({_LIMIT_SAID[kind]}): "
                                   "a person reads how much is asked")


@dataclass(frozen=True, slots=True)
class QuotedTitle:
    """A lexicon phrase inside a quoted title or label ('le bouton « supprimer mon compte » ne
    marche pas') is named, not asked, when no clause of the mail asks for its kind: the
    clauses read the quoted words as one."""

    name: str = "quoted_title"

    def apply(self, doc: Doc, found: Findings) -> None:
        titles = quoted_titles(doc.body)
        if not titles:
            return
        asked = {h.evidence.kind for h in found.hits if "_clause/" in h.evidence.rule}
        for hit in list(found.hits):
            m = hit.match
            if m is None or hit.in_subject or hit.evidence.kind in asked:
                continue
            if any(start <= m.start and m.end <= end for start, end in titles):
                found.drop(hit, "inside a quoted title or label, not asked")


@dataclass(frozen=True, slots=True)
class ObjectOfAnother:
    """A weak phrase inside another kind's request names what that request acts on ("erase
    all personal data you hold about me": the data to erase, not a question what is held),
    when no clause of the sentence asks for the phrase's own kind."""

    name: str = "object_of_another"

    def apply(self, doc: Doc, found: Findings) -> None:
        clauses = [h for h in found.hits if "_clause/" in h.evidence.rule
                   and h.evidence.weight >= STRENGTHS["strong"] and not h.in_subject]
        for hit in list(found.hits):
            if hit.match is None or hit.evidence.weight > STRENGTHS["weak"] or hit.in_subject:
                continue
            kind = hit.evidence.kind
            if any(h.evidence.kind is kind for h in clauses):
                continue
            around = next((h for h in clauses if h.evidence.kind is not kind
                           and hit.evidence.matched in h.evidence.matched), None)
            if around is not None:
                found.drop(hit, f"names what the {around.evidence.kind} acts on")


OWN_LANGUAGE = "the sentence's own language reads it otherwise"
# What the cue lists of its own language say of a whole sentence ("How do I change my email
# address in the app?": the writer asks how to do it themself): another language's reading of
# the same words is no request either.
_SENTENCE_ASIDES = frozenset(why for _, why, _ in SENTENCE_ASIDES)
_UNLESS = "says "  # the start of a frame's "unless" reason (clauses._checked)
# ("I do not want you to delete my data": the Dutch reading, which knows no "not", asks)
_NEGATED = "negated by"
_MOVED = "/moved"
_OLD_DETAIL = "correction_clause/field+old"


def _read_with_the_mail(hit: ClauseHit, told: dict[tuple[int, RequestKind], str | None],
                        replaced: set[int], still_held: bool) -> str | None:
    """Why a sentence's request is set aside by what the rest of the mail says, or None."""
    if (hit.at, hit.kind) in told:
        return told[hit.at, hit.kind]
    if hit.kind is RequestKind.ERASURE and hit.at in replaced and _one_detail(hit):
        return "an old detail replaced by a new one: a correction"
    if still_held and hit.rule.endswith(_MOVED):
        return ("a move told beside asking whether the old detail is still held, or beside "
                "saying it was changed already")
    return None


def _one_detail(hit: ClauseHit) -> bool:
    """The sentence names one detail only ("Het oude adres mag weg"; not "Het oude adres en
    mijn geboortedatum mogen weg", where the date of birth is erased, not replaced)."""
    return all(sum(s.concept == "field" for s in spans) <= 1
               for _sentence, _tokens, spans in tagged(hit.text, hit.language))


def _details(hit: ClauseHit) -> frozenset[str]:
    """Which sorts of detail the sentence names ("telefoonnummer": a phone; "e-mailadres":
    an e-mail address), as far as ``_DETAILS`` knows them."""
    words = [w for _sentence, tokens, spans in tagged(hit.text, hit.language) for s in spans
             if s.concept in ("field", "moved") for w in tokens[s.start:s.end]]
    return frozenset(next((sort for sort, stems in _DETAILS if any(t in w for t in stems)), "")
                     for w in words) - {""}


def _same_detail(old: frozenset[str], new: frozenset[str]) -> bool:
    """The old detail may be the one a new one replaces: the same sort, or a sort unknown."""
    return not old or not new or bool(old & new)


# Checked in this order: "e-mailadres" is an e-mail address before it is an address.
_DETAILS = (("email", ("mail", "courriel")),
            ("phone", ("phone", "telefo", "nummer", "number", "numero", "mobil", "landline",
                       "gsm", "handy", "portable", "vaste lijn", "festnetz")),
            ("address", ("adres", "address", "anschrift", "strasse", "straat", "street", "rue",
                         "postcode", "woonplaats", "domicile", "wohnort")),
            ("bank", ("bank", "iban", "rekening", "konto", "compte", "account")),
            ("name", ("naam", "name", "nom")))

# Reasons that speak of the mail or of a footer, not of the sentence's own words.
_NOT_THE_SENTENCE: frozenset[str | None] = frozenset({"part of a client's processing order",
                               "inside a newsletter footer or offer"})


def _masked(hit: ClauseHit, found: Findings) -> bool:
    """The sentence overlaps text a footer or offer rule masked ("klik hier om je af te
    melden")."""
    end = hit.at + len(hit.text) + 2
    return any(start < end and hit.at < stop for start, stop in found.masked)


def _position(hit: Hit) -> int:
    if hit.in_subject:
        return -1
    if hit.match is not None:
        return hit.match.start
    return hit.at if hit.at is not None else -1


@dataclass(frozen=True, slots=True)
class Withdrawal:
    """"Laat maar", "never mind", "hat sich erledigt", "finalement non": every request written
    before the withdrawal is withdrawn, and a person looks at the mail."""

    name: str = "withdrawal"

    def apply(self, doc: Doc, found: Findings) -> None:
        if not any(h.evidence.kind in DATA_SUBJECT_KINDS for h in found.hits):
            return
        at = None
        for lang in clause_languages(doc):
            m = cue("withdraw", doc.body, lang)
            if m is not None and (at is None or m.start() < at[0]):
                at = (m.start(), m.group())
            if not doc.is_reply and (m := cue("withdraw", doc.subject, lang)) is not None:
                at = (-1, m.group())  # ("Laat maar, gevonden"): the whole mail
        if at is None:
            return
        start, said = at
        # "Please disregard my email asking you to delete my account": what the withdrawing
        # sentence goes on to name is withdrawn too, up to a "but"
        named = _NAMED_UNTIL.search(doc.body, start) if start >= 0 else None
        until = named.start() if named else len(doc.body)
        withdrawn = [h for h in found.hits if h.evidence.kind in DATA_SUBJECT_KINDS
                     and _position(h) < until]
        if not withdrawn:
            return
        for hit in withdrawn:
            found.drop(hit, f"withdrawn: {said!r}")
        found.hits.append(Hit(Evidence(self.name, RequestKind.OTHER, said, 0.0)))


@dataclass(frozen=True, slots=True)
class OfferOfServices:
    """A vendor offering help with GDPR requests makes none: no case, no deadline. One sales
    phrase alone holds the mail for a person."""

    name: str = "offer_of_services"

    def apply(self, doc: Doc, found: Findings) -> None:
        if not any(h.evidence.kind in DATA_SUBJECT_KINDS for h in found.hits):
            return
        said: dict[str, None] = {}
        for lang in clause_languages(doc):
            for m in cues("pitch", doc.body, lang):
                said.setdefault(m.group())
        if not said:
            return
        pitch = ", ".join(said)
        if len(said) < _PITCH_SIGNS:
            # one sales phrase may be a footer, or the pitch itself: a person decides
            found.holds.append(f"may be an offer of services ({pitch!r}): a person decides")
            return
        for hit in list(found.hits):
            if hit.evidence.kind in DATA_SUBJECT_KINDS:
                found.drop(hit, f"an offer of services: {pitch!r}")
        found.hits.append(Hit(Evidence(self.name, RequestKind.OTHER, pitch, 0.0)))
