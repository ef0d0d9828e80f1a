"""One test (or a few) per classify rule, each rule run on its own over a prepared mail."""

from __future__ import annotations

import pytest
from test_classify_support import mail

from mailbot.classify.document import Doc, Findings, prepare
from mailbot.classify.rules import (
    RULES,
    ArticleReference,
    BareKeyword,
    Complaint,
    Negation,
    NotARequest,
    OtherRights,
    ProcessingOrder,
    Reminder,
    RequestPhrase,
    SubjectKeyword,
    ThanksOnly,
    Transactional,
)
from mailbot.classify.rules.context import REMINDER_CAP
from mailbot.classify.rules.language import UnsupportedLanguage
from mailbot.domain.kinds import RequestKind

A = RequestKind.ACCESS
E = RequestKind.ERASURE
U = RequestKind.UNSUBSCRIBE


def doc(body: str, subject: str = "", *, client_contact: bool = False) -> Doc:
    return prepare(mail(body, subject), client_contact=client_contact)


def fired(found: Findings) -> list[tuple[str, RequestKind | None, str]]:
    return [(h.evidence.rule, h.evidence.kind, h.evidence.matched) for h in found.hits]


def test_every_rule_has_a_distinct_name() -> None:
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    assert all(names)


def test_request_phrase_records_kind_and_matched_words() -> None:
    found = Findings()
    RequestPhrase(E).apply(doc("Hallo, verwijder mijn account alsjeblieft."), found)
    assert ("erasure_phrase", E, "verwijder mijn account") in fired(found)
    assert {kind for _, kind, _ in fired(found)} == {E}


def test_request_phrase_reads_the_subject_of_a_new_thread_only() -> None:
    found = Findings()
    RequestPhrase(E).apply(doc("", "Verwijder mijn account"), found)
    assert found.hits
    assert all(h.in_subject for h in found.hits)
    found = Findings()
    RequestPhrase(E).apply(doc("", "Re: Verwijder mijn account"), found)
    assert found.hits == []


def test_not_a_request_masks_newsletter_footer_so_the_phrase_inside_is_set_aside() -> None:
    d = doc("Wil je je afmelden? Klik hier om je af te melden.")
    found = Findings()
    NotARequest().apply(d, found)
    assert found.masked
    assert [e.rule for e in found.notes] == ["not_a_request"] * len(found.notes)


def test_request_phrase_before_a_footer_still_counts() -> None:
    d = doc("I want to unsubscribe from this list.")
    found = Findings()
    NotARequest().apply(d, found)
    RequestPhrase(U).apply(d, found)
    assert [h.evidence.kind for h in found.hits] == [U]


def test_negation_before_the_phrase_sets_it_aside() -> None:
    d = doc("Ik wil niet dat jullie mijn gegevens verwijderen.")
    found = Findings()
    RequestPhrase(E).apply(d, found)
    assert found.hits
    Negation().apply(d, found)
    assert found.hits == []
    assert "negated by 'niet'" in found.dropped[0][1]
    assert {e.rule for e in found.notes} == {"negation"}


def test_negation_records_the_kinds_it_set_aside() -> None:
    d = doc("Ik wil niet dat jullie mijn gegevens verwijderen.")
    found = Findings()
    RequestPhrase(E).apply(d, found)
    Negation().apply(d, found)
    assert found.negated == {E}
    found = Findings()
    RequestPhrase(E).apply(doc("Verwijder mijn account alsjeblieft."), found)
    Negation().apply(doc("Verwijder mijn account alsjeblieft."), found)
    assert found.negated == set()


def test_negation_after_the_phrase_sets_it_aside() -> None:
    d = doc("Bitte löschen Sie mein Konto nicht.")
    found = Findings()
    RequestPhrase(E).apply(d, found)
    Negation().apply(d, found)
    assert found.hits == []


def test_negation_in_another_clause_does_not_count() -> None:
    d = doc("Ik ben niet tevreden, verwijder mijn account.")
    found = Findings()
    RequestPhrase(E).apply(d, found)
    Negation().apply(d, found)
    assert {h.evidence.kind for h in found.hits} == {E}


def test_phrase_that_is_a_negation_itself_is_kept() -> None:
    d = doc("Bel me niet meer.")
    found = Findings()
    RequestPhrase(U).apply(d, found)
    Negation().apply(d, found)
    assert {h.evidence.kind for h in found.hits} == {U}


def test_not_only_after_a_phrase_is_no_negation() -> None:
    d = doc("Verwijder mijn gegevens niet alleen hier maar ook bij jullie partners.")
    found = Findings()
    RequestPhrase(E).apply(d, found)
    Negation().apply(d, found)
    assert {h.evidence.kind for h in found.hits} == {E}


def test_transactional_clause_sets_opt_out_aside() -> None:
    d = doc("I don't want to get any more emails about my order, but stop sending me "
            "newsletters too.")
    found = Findings()
    RequestPhrase(U).apply(d, found)
    assert len(found.hits) == 2
    Transactional().apply(d, found)
    assert [h.evidence.matched for h in found.hits] == ["stop sending me"]
    assert "about 'my order'" in found.dropped[0][1]


def test_article_reference_maps_articles_to_kinds() -> None:
    found = Findings()
    ArticleReference().apply(doc("Zie art. 15 AVG, artikel 16 AVG, Art. 17 DSGVO en "
                                 "artikel 21 lid 2 AVG."), found)
    assert [k for _, k, _ in fired(found)] == [A, RequestKind.CORRECTION, E, U]


def test_article_reference_needs_a_law_name_nearby() -> None:
    found = Findings()
    ArticleReference().apply(doc("Volgens artikel 17 van onze algemene voorwaarden."), found)
    assert found.hits == []


def test_article_21_paragraph_1_is_for_a_person() -> None:
    found = Findings()
    ArticleReference().apply(doc("Ik maak bezwaar volgens artikel 21 lid 1 AVG."), found)
    assert [k for _, k, _ in fired(found)] == [RequestKind.OTHER]


def test_subject_keyword_alone_is_strong() -> None:
    found = Findings()
    SubjectKeyword().apply(doc("", "Afmelden"), found)
    assert [(h.evidence.kind, h.evidence.weight, h.language) for h in found.hits] == [
        (U, 0.9, "nl")]


def test_subject_keyword_is_ignored_on_replies() -> None:
    found = Findings()
    SubjectKeyword().apply(doc("", "Re: Afmelden"), found)
    assert found.hits == []


def test_subject_keyword_of_a_negated_kind_is_set_aside() -> None:
    d = doc("Graag uw reactie.", "Afmelden")
    found = Findings(negated={U})
    SubjectKeyword().apply(d, found)
    assert found.hits == []
    assert found.dropped[0][1] == "the body negates it"
    found = Findings(negated={E})
    SubjectKeyword().apply(d, found)
    assert [h.evidence.kind for h in found.hits] == [U]
    # In the chain: Negation records the kind, SubjectKeyword (later) reads it.
    d = doc("I do not want to unsubscribe, just change my address.", "Afmelden")
    found = Findings()
    for rule in RULES:
        rule.apply(d, found)
    assert found.negated == {U}
    assert U not in {h.evidence.kind for h in found.hits}
    assert ("subject_keyword", "the body negates it") in {
        (e.rule, why) for e, why in found.dropped}


@pytest.mark.parametrize(("subject", "body"), [
    ("Afmelden", "Ik wil me niet uitschrijven."),
    ("Unsubscribe", "Please do not opt out my account."),
    ("Abmelden", "Ich will mich nicht austragen."),
    ("Afmelden", "I do not want to unsubscribe."),
])
def test_subject_keyword_is_set_aside_when_the_body_negates_another_word_for_it(
        subject: str, body: str) -> None:
    found = Findings()
    SubjectKeyword().apply(doc(body, subject), found)
    assert found.hits == []
    assert found.dropped[0][1] == "the body negates it"


def test_a_keyword_that_holds_its_own_negation_does_not_negate_the_subject() -> None:
    found = Findings()
    SubjectKeyword().apply(doc("No more emails please.", "Unsubscribe"), found)
    assert [h.evidence.kind for h in found.hits] == [U]


def test_bare_keyword_body() -> None:
    found = Findings()
    BareKeyword().apply(doc("Afmelden graag.\n\nGroet,\nSam de Vries"), found)
    assert [h.evidence.kind for h in found.hits] == [U]
    found = Findings()
    BareKeyword().apply(doc("Afmelden voor de cursus van morgen graag."), found)
    assert found.hits == []


def test_other_rights_are_flagged_for_a_person() -> None:
    found = Findings()
    OtherRights().apply(doc("Please send my data in a machine-readable format (portability)."),
                        found)
    assert {h.evidence.kind for h in found.hits} == {RequestKind.OTHER}


def test_reminder_caps_confidence_below_triage() -> None:
    found = Findings()
    Reminder().apply(doc("Op 1 maart heb ik u een verzoek gestuurd. Ik heb nog geen antwoord "
                         "ontvangen."), found)
    assert found.caps[A] == REMINDER_CAP
    assert {e.rule for e in found.notes} == {"reminder"}


def test_complaint_sets_request_evidence_aside() -> None:
    d = doc("Ik dien hierbij een klacht in op grond van artikel 77 AVG over mijn verzoek "
            "volgens artikel 15 AVG.")
    found = Findings()
    ArticleReference().apply(d, found)
    assert [h.evidence.kind for h in found.hits] == [A]
    Complaint().apply(d, found)
    assert {h.evidence.kind for h in found.hits} == {RequestKind.OTHER}
    assert found.dropped[0][1] == "a complaint to a supervisory authority"


ORDER = ("Nieuwe verwerkingsopdracht\n\nCategorieën van persoonsgegevens: naam\n"
         "Betrokkenen: klanten\nDoeleinden: nieuwsbrief\nStartdatum: 1 juli 2024\n"
         "Bewaartermijn: verwijder mijn gegevens na afloop")


def test_processing_order_from_client_is_register_instruction_and_hides_other_kinds() -> None:
    d = doc(ORDER, client_contact=True)
    found = Findings()
    RequestPhrase(E).apply(d, found)
    assert {h.evidence.kind for h in found.hits} == {E}
    ProcessingOrder().apply(d, found)
    assert [h.evidence.kind for h in found.hits] == [RequestKind.REGISTER_INSTRUCTION]
    assert "betrokkenen" in found.hits[0].evidence.matched


def test_processing_order_from_stranger_is_other() -> None:
    found = Findings()
    ProcessingOrder().apply(doc(ORDER, client_contact=False), found)
    assert [h.evidence.kind for h in found.hits] == [RequestKind.OTHER]


def test_identification_fields_are_not_an_order() -> None:
    found = Findings()
    ProcessingOrder().apply(doc("Naam: Sam\nE-mail: sam@example.org\nAdres: Straat 1",
                                client_contact=True), found)
    assert found.hits == []


def test_thanks_only() -> None:
    found = Findings()
    ThanksOnly().apply(doc("Thanks a lot!\n\nSam"), found)
    assert [h.evidence.rule for h in found.hits] == ["thanks_only"]
    found = Findings()
    ThanksOnly().apply(doc("Thanks, but where is my order?"), found)
    assert found.hits == []


def test_a_language_outside_the_eu_turns_requests_into_other() -> None:
    d = doc("Please delete my account.")
    found = Findings()
    RequestPhrase(E).apply(d, found)
    found.language = "ja"
    UnsupportedLanguage().apply(d, found)
    assert [h.evidence.kind for h in found.hits] == [RequestKind.OTHER]
    assert "written in ja" in found.dropped[0][1]


def test_requests_in_other_eu_languages_keep_their_kind() -> None:
    # Deliberately changed (issue 13): Italian, Spanish, Polish ... requests are recorded as
    # what they ask, with their language, and answered in English.
    d = doc("Please delete my account.")
    found = Findings()
    RequestPhrase(E).apply(d, found)
    found.language = "it"
    UnsupportedLanguage().apply(d, found)
    assert {h.evidence.kind for h in found.hits} == {E}
    assert found.dropped == []
