"""Issue 13, round four: safety rules that make a sure request wait for a person whatever
its wording (invoices and orders, a client's processing order, a request about a company's
customers), and one source phrase in two languages read the same whatever the set order."""

from __future__ import annotations

import pytest
from test_classify_support import mail

from mailbot.classify import classify, needs_triage, triage_reasons
from mailbot.classify.clauses import find
from mailbot.classify.lexicon import index
from mailbot.classify.normalize import fold
from mailbot.domain.kinds import RequestKind

C = RequestKind.CORRECTION
E = RequestKind.ERASURE


@pytest.mark.parametrize(("subject", "body"), [
    ("Factuur", "Het bedrag op mijn laatste factuur is onjuist. Kunt u mijn factuur corrigeren?"),
    ("Invoice", "The amount on my invoice is wrong, please correct my invoice details."),
    ("Rechnung", "Der Betrag auf meiner Rechnung ist falsch. Bitte korrigieren Sie meine Daten "
     "auf der Rechnung."),
    ("Facture", "Le montant de ma facture est faux, merci de corriger mes donnees sur la "
     "facture."),
])
def test_a_correction_said_of_an_invoice_waits_for_a_person(subject: str, body: str) -> None:
    c = classify(mail(body, subject))
    assert needs_triage(c)
    if C in c.kinds:
        assert any("invoices, amounts" in r for r in triage_reasons(c))


def test_a_correction_of_ones_own_details_is_not_held_as_an_invoice() -> None:
    c = classify(mail("Mijn e-mailadres is gewijzigd: gebruik voortaan sam@example.org.",
                      "Nieuw e-mailadres"))
    assert not any("invoices, amounts" in r for r in triage_reasons(c))


@pytest.mark.parametrize(("text", "language"), [
    ("Please delete the subscriber data once the campaign has ended.", "en"),
    ("Graag alle klantgegevens na afloop vernietigen.", "nl"),
    ("Bitte loschen Sie die Kundendaten nach der Aktion.", "de"),
    ("Merci de supprimer les donnees clients apres l'envoi.", "fr"),
])
def test_data_of_a_companys_customers_is_not_the_writers_own(text: str, language: str) -> None:
    hits = [h for h in find(fold(text), language) if h.kind is E]
    assert hits and all(h.why is not None for h in hits)


def test_ones_own_data_beside_the_word_customers_is_still_ones_own() -> None:
    hits = find(fold("I am a subscriber of yours: please delete my data."), "en")
    assert any(h.kind is E and h.why is None for h in hits)


def test_an_erasure_beside_an_order_reference_waits_for_a_person() -> None:
    c = classify(mail("Our order KE-PO-2031 ends on 1 June. Please confirm the erasure of all "
                      "the data afterwards.", "Termination KE-PO-2031",
                      sender="j.jansen@client.example", name="Jan Jansen"))
    assert needs_triage(c)


def test_a_client_contacts_own_request_beside_an_order_waits_for_a_person() -> None:
    body = ("Hierbij de opdracht voor de voorjaarsactie:\n"
            "- betrokkenen: klanten met een klantenkaart\n"
            "- gegevens: naam, e-mailadres, postcode\n"
            "- doel: twee mailings\n"
            "- bewaartermijn: tot 2 maanden na de actie\n\n"
            "Los daarvan: mijn nummer is nu 06 1000 0000, wil je dat aanpassen?\n")
    c = classify(mail(body, "Nieuwe opdracht"), client_contact=True)
    assert RequestKind.REGISTER_INSTRUCTION in c.kinds
    assert needs_triage(c)


def test_one_phrase_in_two_languages_keeps_the_stronger_reading() -> None:
    text = "rectification"
    matches = [m for m in index().search(text) if m.phrase.source == "rectification"]
    assert len(matches) == 1
    strongest = max(p.weight for p in index().phrases if p.source == "rectification")
    assert matches[0].phrase.weight == strongest


@pytest.mark.parametrize(("text", "language"), [
    ("Graag ontvang ik binnen een maand een schriftelijke bevestiging dat mijn gegevens zijn "
     "verwijderd.", "nl"),
    ("Ik verzoek u mij te bevestigen dat de gegevens zijn aangepast.", "nl"),
    ("Where you have disclosed my data to others, please inform them of this request.", "en"),
])
def test_word_of_the_erasure_or_correction_asked_is_no_access_request(text: str,
                                                                      language: str) -> None:
    assert not [h for h in find(fold(text), language)
                if h.kind is RequestKind.ACCESS and h.why is None]


def test_access_and_erasure_in_two_clauses_are_both_asked() -> None:
    text = ("Ik verzoek u om inzage in de persoonsgegevens die u over mij verwerkt, en om deze "
            "gegevens te verwijderen.")
    kinds = {h.kind for h in find(fold(text), "nl") if h.why is None}
    assert {RequestKind.ACCESS, E} <= kinds


@pytest.mark.parametrize(("text", "language", "kind"), [
    # a separable verb's particle far off, as the clause's last word
    ("Hierbij trek ik mijn toestemming voor het gebruik van mijn gegevens voor "
     "marketingdoeleinden in.", "nl", RequestKind.UNSUBSCRIBE),
    # the negation is the request's own words
    ("Bonjour, mon numero de telephone n'est plus le bon, voici le nouveau : 06 00 00 00 00.",
     "fr", C),
    # one of one's details removed
    ("Wilt u mijn naam en foto uit het artikel verwijderen?", "nl", E),
    # a short sentence of the frame's own words demands it
    ("Geen mail, geen telefoon, geen post.", "nl", RequestKind.UNSUBSCRIBE),
    # "je collega" is one of ours, not a third party
    ("En graag ook geen belletjes meer, ik heb je collega vorige week ook al gezegd.", "nl",
     RequestKind.UNSUBSCRIBE),
    # "ich heisse": the name, which "das" stands for
    ("Ich heisse Jorg Mussig. Konnten Sie das in Ihrer Datenbank bitte richtigstellen?", "de",
     C),
])
def test_round_four_wordings(text: str, language: str, kind: RequestKind) -> None:
    assert kind in {h.kind for h in find(fold(text), language) if h.why is None}


@pytest.mark.parametrize(("text", "language"), [
    ("Merci de supprimer le doublon de votre cote.", "fr"),  # "le" is an article here
    ("Gelieve dit e-mailadres te verwijderen van uw mailinglijst.", "nl"),  # an opt-out
    ("Ik wil vanaf volgende week mijn nieuwe adres gebruiken.", "nl"),  # "vanaf": from
])
def test_no_erasure_or_opt_out_where_none_is_asked(text: str, language: str) -> None:
    kinds = {h.kind for h in find(fold(text), language) if h.why is None}
    assert E not in kinds
    if "vanaf" in text:
        assert RequestKind.UNSUBSCRIBE not in kinds


def test_greek_is_spelled_in_latin_letters_for_the_lexicons() -> None:
    assert fold("Ζητώ τη διαγραφή των δεδομένων μου.") == "zito ti diagrafi ton dedomenon moy."


@pytest.mark.parametrize(("body", "kind"), [
    ("Προς κάθε ενδιαφερόμενο:\n\nζητώ πρόσβαση σύμφωνα με το άρθρο 15 του GDPR.",
     RequestKind.ACCESS),
    ("Προς κάθε ενδιαφερόμενο:\n\nζητώ την άμεση διαγραφή των προσωπικών δεδομένων που με "
     "αφορούν σύμφωνα με το άρθρο 17 του GDPR.", E),
])
def test_a_greek_formal_letter_is_a_request_in_greek(body: str, kind: RequestKind) -> None:
    c = classify(mail(body, "GDPR"))
    assert c.language == "el"
    assert kind in c.kinds


def test_a_greek_chase_of_an_earlier_request_waits_for_a_person() -> None:
    body = ("στις 2024-03-01 Σας έστειλα ένα αίτημα σύμφωνα με το Άρθρο 15 του GDPR. "
            "Δυστυχώς, μέχρι στιγμής δεν έλαβα απάντηση.")
    assert needs_triage(classify(mail(body, "GDPR")))


def test_the_subject_names_what_an_anaphor_in_the_body_stands_for() -> None:
    c = classify(mail("Jullie hebben mij geregistreerd als \"Dhr. Sam de Vries\". Ik ben een "
                      "vrouw. Wilt u dit corrigeren naar mevrouw?", "Verkeerde aanhef"))
    assert C in c.kinds


def test_a_statement_about_sharing_borrows_no_object_from_the_subject() -> None:
    hits = find(fold("Ik heb het bestand niet verder gedeeld en zal het verwijderen."), "nl",
                topic=fold("Excel met klantgegevens"))
    assert not [h for h in hits if h.kind is RequestKind.UNSUBSCRIBE and h.why is None]


@pytest.mark.parametrize(("subject", "body"), [
    ("Bewaartermijn webwinkel-analyse",
     "Na een interne review passen we opdracht VO-2031-05 als volgt aan:\n\n"
     "1) Bewaartermijn van de ruwe sessiegegevens: van 26 naar 14 maanden.\n"
     "2) Ingang: direct; graag de bestaande gegevens ouder dan 14 maanden opschonen.\n"),
    ("Ending the survey processing",
     "Please note that we are terminating the customer-survey processing as of 30 June. "
     "The survey data may be deleted after that date, as our agreement says."),
    ("Anderung Auftrag KE-PO-2031-11",
     "bitte andern Sie den Auftrag KE-PO-2031-11 ab dem 1. Marz wie folgt:\n\n"
     "1. Zusatzlicher Zweck: Versand eines Gutscheins einmal im Jahr.\n"),
])
def test_a_client_contacts_order_in_prose_is_a_register_instruction(subject: str,
                                                                    body: str) -> None:
    c = classify(mail(body, subject, sender="f.bakker@client.example", name="Fleur Bakker"),
                 client_contact=True)
    assert c.kinds == (RequestKind.REGISTER_INSTRUCTION,)


def test_the_same_prose_from_anyone_else_is_no_register_instruction() -> None:
    c = classify(mail("Please note that we are terminating the customer-survey processing as "
                      "of 30 June, as our agreement says.", "Ending the survey processing",
                      sender="someone@elsewhere.example", name="Someone"))
    assert RequestKind.REGISTER_INSTRUCTION not in c.kinds


@pytest.mark.parametrize(("text", "kinds"), [
    ("Zouden jullie me een overzicht kunnen sturen van alle gegevens die jullie van mij "
     "hebben?", {RequestKind.ACCESS}),
    ("Het oude adres en mijn geboortedatum mogen helemaal uit jullie systeem.", {E}),
    ("Bitte stellen Sie den Versand sofort ein.", {RequestKind.UNSUBSCRIBE}),
])
def test_the_second_request_of_a_mail_is_found_too(text: str, kinds: set[RequestKind]) -> None:
    language = "de" if "Bitte" in text else "nl"
    assert kinds <= {h.kind for h in find(fold(text), language) if h.why is None}


@pytest.mark.parametrize(("text", "language", "kind"), [
    ("Niet meer bellen. En verwijder mijn nummer uit uw systeem.", "nl", E),
    ("Ik krijg steeds sms'jes met aanbiedingen van jullie. Daar wil ik vanaf.", "nl",
     RequestKind.UNSUBSCRIBE),
    ("Senden Sie mir ab sofort keinerlei Werbung mehr.", "de", RequestKind.UNSUBSCRIBE),
])
def test_an_imperative_after_and_and_everyday_opt_outs_ask(text: str, language: str,
                                                           kind: RequestKind) -> None:
    assert kind in {h.kind for h in find(fold(text), language) if h.why is None}


def test_a_listed_request_not_understood_holds_the_mail() -> None:
    body = ("Madame, Monsieur,\n\nJe vous adresse trois demandes :\n\n"
            "1. m'indiquer quelles donnees vous detenez sur moi ;\n"
            "2. arreter tout cela, quel que soit le moyen ;\n"
            "3. supprimer ensuite l'ensemble de mes donnees.\n")
    c = classify(mail(body, "Mes donnees"))
    assert any(r.startswith("a listed request was not understood") for r in triage_reasons(c))


def test_an_old_detail_replaced_by_a_new_one_is_a_correction_not_an_erasure() -> None:
    c = classify(mail("Please remove the old number on my account and use this one instead: "
                      "+44 7700 900000."))
    assert C in c.kinds
    assert E not in c.kinds
