"""Requests read per sentence: an action and its object in one clause, negation and
withdrawal scope, offers of services, several requests in one mail, a child's data, a
subject the body points to."""

from __future__ import annotations

import pytest
from test_classify_support import mail

from mailbot.classify import classify, needs_triage, triage_reasons
from mailbot.classify.clauses import clause_lexicon, find, sentences, tag
from mailbot.classify.normalize import fold
from mailbot.domain.kinds import RequestKind

A = RequestKind.ACCESS
C = RequestKind.CORRECTION
E = RequestKind.ERASURE
U = RequestKind.UNSUBSCRIBE
O = RequestKind.OTHER  # noqa: E741


def kinds_found(text: str, language: str) -> set[RequestKind]:
    return {h.kind for h in find(fold(text), language) if h.why is None}


@pytest.mark.parametrize(("language", "text", "kind"), [
    ("nl", "Ik wil dat al mijn gegevens bij jullie gewist worden.", E),
    ("nl", "Mijn account mag weg, inclusief alles wat erbij hoort.", E),
    ("nl", "Willen jullie mij van de verzendlijst halen?", U),
    ("nl", "Bellen hoeft niet meer, dank je.", U),
    ("nl", "Kunnen jullie mijn telefoonnummer aanpassen? Het nummer is nu 0612345678.", C),
    ("nl", "Ik wil graag weten welke gegevens jullie over mij bewaren.", A),
    ("en", "I'd like everything you hold about me wiped.", E),
    ("en", "Please take me off the invite list for your events.", U),
    ("en", "Could you tell me what information you keep on file about me?", A),
    ("de", "Meine Telefonnummer stimmt nicht mehr, die neue lautet 0151 2345678.", C),
    ("de", "Ich möchte, dass alle meine Daten bei Ihnen gelöscht werden.", E),
    ("fr", "Je ne veux plus être démarché par téléphone.", U),
    ("fr", "Pourriez-vous me dire quelles informations vous détenez à mon sujet ?", A),
    ("es", "Solicito la supresión de todos mis datos personales.", E),
    ("it", "Vi chiedo di cancellare tutti i miei dati personali.", E),
    ("pl", "Proszę o usunięcie moich danych osobowych.", E),
    ("sv", "Jag begär att ni raderar alla mina personuppgifter.", E),
])
def test_an_action_and_its_object_in_one_clause_make_a_request(
        language: str, text: str, kind: RequestKind) -> None:
    assert kind in kinds_found(text, language)


def test_inflections_are_read_through_their_lemma() -> None:
    lexicon = clause_lexicon("nl")
    assert lexicon is not None
    for word in ("verwijderd", "verwijdert", "gewist", "afgemeld"):
        concepts = {s.concept for s in tag((word,), lexicon)}
        assert concepts & {"erase", "optout"}, word


@pytest.mark.parametrize(("language", "text", "kind"), [
    ("nl", "Ik wil me niet afmelden voor de nieuwsbrief.", U),
    ("nl", "Verwijder mijn account niet, ik gebruik het nog.", E),
    ("en", "I don't want you to delete my account.", E),
    ("de", "Bitte löschen Sie mein Konto nicht.", E),
    ("fr", "Ne supprimez pas mon compte.", E),
])
def test_a_negation_in_the_clause_cancels_the_request(language: str, text: str,
                                                      kind: RequestKind) -> None:
    assert kind not in kinds_found(text, language)


def test_a_negation_reaches_no_further_than_its_clause() -> None:
    found = kinds_found("Ik wil me niet afmelden, maar mijn adres is veranderd.", "nl")
    assert C in found and U not in found


def test_no_more_is_the_request_itself() -> None:
    assert U in kinds_found("Graag geen sms meer.", "nl")
    assert U in kinds_found("No more promotional texts please.", "en")
    assert U in kinds_found("Ich möchte keine Werbeprospekte mehr per Post erhalten.", "de")


def test_a_condition_or_a_statement_asks_nothing() -> None:
    assert E not in kinds_found("Als ik mijn account verwijder, ben ik dan mijn punten kwijt? "
                                "Dat zou jammer zijn, want ik spaar al jaren.", "nl")
    assert A not in kinds_found("This also applies to copies of the data held by your "
                                "processors, which you must inform as well.", "en")


@pytest.mark.parametrize(("body", "subject"), [
    ("Meld me af voor de nieuwsbrief.\n\nLaat maar, ik heb me net zelf afgemeld.", ""),
    ("Please unsubscribe me.\n\nActually, never mind - I'll keep it.", ""),
    ("Bitte melden Sie mich vom Newsletter ab.\n\nHat sich erledigt.", ""),
    ("Merci de me désinscrire.\n\nFinalement non, oubliez ma demande.", ""),
])
def test_a_withdrawal_cancels_what_it_withdraws(body: str, subject: str) -> None:
    result = classify(mail(body, subject))
    assert result.kinds == (O,)
    assert needs_triage(result)


def test_a_withdrawal_leaves_what_is_asked_after_it() -> None:
    result = classify(mail("Verwijder mijn account. Laat maar, ik houd het. Wel graag een kopie "
                           "van mijn gegevens."))
    assert A in result.kinds and E not in result.kinds


@pytest.mark.parametrize("body", [
    "Beste privacyteam,\n\nWij helpen organisaties om AVG-inzageverzoeken binnen de termijn af "
    "te handelen. Onze software zoekt alle persoonsgegevens bij elkaar. Zullen we een demo "
    "inplannen?",
    "Dear Privacy Officer,\n\nOur platform automates data subject access requests and "
    "right-to-erasure requests. Could I book 15 minutes to show you?",
])
def test_an_offer_of_services_naming_gdpr_requests_is_no_request(body: str) -> None:
    assert classify(mail(body)).kinds == (O,)


def test_one_sales_phrase_in_a_footer_is_no_offer() -> None:
    result = classify(mail("Hierbij maak ik bezwaar tegen direct marketing.\n\n"
                           "Op onze dienstverlening zijn algemene voorwaarden van toepassing."))
    assert U in result.kinds


def test_a_numbered_list_holds_several_requests() -> None:
    result = classify(mail("Ik heb drie verzoeken:\n1. Stuur me een overzicht van mijn "
                           "gegevens.\n2. Mijn adres is nu Dorpsstraat 4.\n3. Geen nieuwsbrief "
                           "meer."))
    assert set(result.kinds) == {A, C, U}


def test_when_one_request_is_unsure_the_whole_mail_waits() -> None:
    result = classify(mail("Verwijder mijn account. Misschien ook iets met mijn nieuwsbrief?",
                           "Account"))
    assert E in result.kinds
    if len(result.kinds) > 1 or result.review:
        assert needs_triage(result)
    assert all("perhaps" not in r or needs_triage(result) for r in triage_reasons(result))


@pytest.mark.parametrize(("language", "body", "kind"), [
    ("nl", "Mijn dochter (14) heeft een account. Ik wil weten welke gegevens jullie van haar "
           "hebben.", A),
    ("en", "My son is 13. As his parent I want to see what data you have on him.", A),
    ("de", "Meine Tochter ist 15. Bitte löschen Sie ihre Daten.", E),
    ("fr", "Mon fils de 12 ans a un compte. Merci de supprimer ses données.", E),
])
def test_a_parent_asking_about_a_child_s_data(language: str, body: str,
                                             kind: RequestKind) -> None:
    assert kind in classify(mail(body)).kinds


@pytest.mark.parametrize(("subject", "body", "kind"), [
    ("Verzoek om verwijdering van mijn gegevens", "Zie onderwerp.\n\nGroet,\nHenk", E),
    ("Delete my data", "As per subject.\n\nThanks", E),
    ("Auskunft über meine Daten", "siehe Betreff", A),
    ("graag mijn gegevens inzien", "", A),
])
def test_a_subject_the_body_points_to_is_the_request(subject: str, body: str,
                                                     kind: RequestKind) -> None:
    assert kind in classify(mail(body, subject)).kinds


def test_a_subject_beside_an_unrelated_body_is_only_a_hint() -> None:
    result = classify(mail("Mijn factuur van vorige maand klopt niet, het bedrag is te hoog. "
                           "Kunnen jullie dat nakijken en een nieuwe sturen?", "Afmelden"))
    assert needs_triage(result)


def test_a_sentence_about_another_supplier_is_no_correction() -> None:
    assert C not in classify(mail("Ik ben overgestapt naar een andere energieleverancier, "
                                  "mijn nieuwe leverancier regelt de rest.")).kinds


def test_sentences_split_on_list_items_and_keep_domains() -> None:
    texts = [s.text.strip() for s in sentences(fold("Zie megawatt.test. 1. een 2. twee"))]
    assert texts == ["zie megawatt.test", "een", "twee"]
