"""Round twenty-five of issue 13: a detail put right "on my account" (where, not what), the
writer saying they can do it themself, and what a car-sharing company's mail showed."""

from __future__ import annotations

import pytest
from test_classify_support import C, U, acted, mail

from mailbot.classify import classify, triage_reasons
from mailbot.domain.kinds import RequestKind

A = RequestKind.ACCESS
E = RequestKind.ERASURE
R = RequestKind.REGISTER_INSTRUCTION


@pytest.mark.parametrize("body", [
    "Every letter I get from you is addressed to \"Siobahn Kelly\". It's Siobhan. I know it's "
    "not the easiest name but it's been wrong for two years now. Could someone fix it on my "
    "account please?",
    "Mijn achternaam staat op elke brief fout, het is al twee jaar verkeerd. Kunnen jullie het "
    "corrigeren in mijn account?",
])
def test_a_detail_put_right_on_my_account_is_the_detail_named_before(body: str) -> None:
    assert C in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "I can't log in to my account. Could you fix it?",
    "Mijn account doet het niet meer. Kunnen jullie het in mijn account oplossen?",
    "The app crashes when I open my account. Can you fix it on your side?",
])
def test_fixing_an_account_that_fails_is_no_correction(body: str) -> None:
    assert C not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Je kunt je naam zelf aanpassen in je account. Ik heb het gedaan, dank je.",
    "U kunt uw adres zelf wijzigen in de app, schreef u. Dat is gelukt, bedankt.",
    "You said I can change my phone number myself in my account. Done, thanks.",
    "Sie schrieben, ich kann meine Telefonnummer selbst im Konto ändern. Erledigt, danke.",
    "Vous m'avez écrit que je peux changer mon numéro moi-même dans mon compte. C'est fait, "
    "merci.",
])
def test_saying_the_writer_can_do_it_themself_asks_nothing(body: str) -> None:
    assert acted(body) == set()


@pytest.mark.parametrize("body", [
    "Ik kan mijn naam niet zelf aanpassen in mijn account. Willen jullie Jansen veranderen in "
    "Janssen?",
    "I can't change my address myself in the app. Could you change it to 12 Mill Lane, Leeds?",
    "Ich kann meine Adresse nicht selbst ändern. Bitte ändern Sie sie in Hauptstraße 5, Köln.",
])
def test_a_writer_who_cannot_do_it_themself_still_asks(body: str) -> None:
    assert C in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Pouvez-vous changer ma livraison pour samedi ?",
    "Kunnen jullie de levering verplaatsen naar zaterdag? Graag aanpassen.",
    "Bitte ändern Sie den Liefertermin auf Samstag.",
])
def test_moving_a_delivery_is_for_a_person_to_judge(body: str) -> None:
    assert acted(body) == set()


def test_a_delivery_address_put_right_is_still_a_correction() -> None:
    body = ("Please update my address so that everything is correct for the next delivery: "
            "4 Mill Lane, Leeds.")
    assert acted(body) == {C}


@pytest.mark.parametrize("body", [
    "Ik wil mijn nieuwe rekeningnummer liever niet in een mail zetten. Hoe kan ik het doorgeven?",
    "I'd rather not send my passport copy by e-mail. Is there a secure upload?",
    "Ich möchte meine Bankdaten ungern per E-Mail schicken. Gibt es einen anderen Weg?",
    "Je préfère ne pas vous envoyer ma pièce d'identité par e-mail.",
])
def test_how_the_writer_would_send_something_is_no_opt_out(body: str) -> None:
    assert U not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Stuur me geen mails meer.",
    "Please don't send me e-mails any more.",
    "I don't want the newsletter by e-mail any more.",
])
def test_not_wanting_our_mail_is_still_an_opt_out(body: str) -> None:
    assert U in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Ik ben overgestapt naar een andere bank. Hoe kan ik het nieuwe rekeningnummer aan jullie "
    "doorgeven?",
    "I've switched banks. How do I give you the new account number safely?",
    "J'ai changé de banque. Comment puis-je vous communiquer le nouveau numéro de compte ?",
])
def test_asking_how_to_pass_on_a_changed_detail_is_a_correction(body: str) -> None:
    assert C in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Voor mijn administratie wil ik graag een overzicht van al mijn ritten die bij jullie bekend "
    "zijn, met datum en locatie.",
    "Please send me an overview of all my trips you have on record, with locations.",
])
def test_an_overview_of_all_the_writer_s_things_we_hold_is_access(body: str) -> None:
    assert A in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Ik wil graag een overzicht van al mijn facturen die bij jullie bekend zijn.",
    "Is er een overzicht van al mijn punten die bij jullie bekend zijn? Ik wil ze inwisselen.",
])
def test_an_overview_of_invoices_or_points_is_no_access_request(body: str) -> None:
    assert acted(body) == set()


@pytest.mark.parametrize(("subject", "body"), [
    ("AW: Auftrag AB-ORD-26-0038 - Vorschlag Löschfristen",
     "Sehr geehrte Frau Peeters,\n\nja, einverstanden. Bitte speichern Sie zusätzlich nur Beginn "
     "und Ende der Fahrt.\n\nMit freundlichen Grüßen\nTobias Hartmann"),
    ("Re: Voorstel bewaartermijn ritgegevens",
     "Dag Noor,\n\nJa, akkoord. Zo mogen jullie het inrichten.\n\nGroeten,\nMarieke"),
])
def test_a_client_agreeing_under_a_subject_that_names_our_proposal_instructs(
        subject: str, body: str) -> None:
    verdict = classify(mail(body, subject, in_reply_to="<prop-1@example.test>"),
                       client_contact=True)
    assert set(verdict.kinds) == {R}


def test_agreeing_under_a_subject_without_a_proposal_is_no_instruction() -> None:
    verdict = classify(mail("Ja, akkoord.", "Re: Factuur maart",
                            in_reply_to="<inv-1@example.test>"), client_contact=True)
    assert R not in verdict.kinds


def test_a_client_s_erasure_named_for_its_order_is_an_instruction() -> None:
    body = ("Onze chauffeur is op 28 februari uit dienst gegaan. Wil je in het kader van onze "
            "opdracht AB-ORD-26-0031 al zijn rit- en rijstijlgegevens verwijderen?")
    verdict = classify(mail(body, "Chauffeur uit dienst"), client_contact=True)
    assert set(verdict.kinds) == {R}


def test_an_erasure_of_people_s_data_from_anyone_else_is_no_instruction() -> None:
    body = ("Onze chauffeur is op 28 februari uit dienst gegaan. Wil je in het kader van onze "
            "opdracht AB-ORD-26-0031 al zijn rit- en rijstijlgegevens verwijderen?")
    assert R not in classify(mail(body, "Chauffeur uit dienst")).kinds


@pytest.mark.parametrize("body", [
    "hi bitte das selfie von der anmeldung löschen, brauch ich nicht mehr",
    "Please delete the selfie I uploaded when I signed up.",
])
def test_a_selfie_is_a_document_to_erase(body: str) -> None:
    assert E in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Remove my old Dutch mobile number, I don't have a new one yet.",
    "Verwijder mijn oude mobiele nummer, ik heb nog geen nieuw nummer.",
    "Bitte meine alte Handynummer löschen, eine neue habe ich noch nicht.",
    "Supprimez mon ancien numéro de portable, je n'ai pas encore de nouveau numéro.",
])
def test_an_old_detail_with_no_new_one_is_erased(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {E}


def test_an_old_detail_replaced_by_a_new_one_is_still_a_correction() -> None:
    body = "Remove my old mobile number and use the new one: 07700 900123."
    assert set(classify(mail(body)).kinds) == {C}


def test_updating_preferences_after_an_opt_out_is_no_correction() -> None:
    body = ("I no longer want to receive any marketing from you: no newsletter, no e-mails with "
            "discount codes and no push notifications. Please update my preferences "
            "accordingly.")
    assert set(classify(mail(body)).kinds) == {U}


def test_ex_artikel_is_legal_latin_not_an_ex_partner() -> None:
    body = "Hierbij verzoek ik om inzage ex artikel 15 AVG in alle persoonsgegevens over mij."
    assert A in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Ik heb u om inzage in mijn persoonsgegevens gevraagd. Zonder reactie binnen een week dien "
    "ik een klacht in bij de Autoriteit Persoonsgegevens.",
    "I asked you for a copy of my personal data. Failing a reply within a week I will complain "
    "to the ICO.",
    "Merci de m'envoyer une copie de mes données personnelles. Sans réponse sous huit jours, je "
    "saisirai la CNIL d'une plainte.",
])
def test_a_complaint_threatened_without_a_reply_leaves_the_request_standing(body: str) -> None:
    assert A in classify(mail(body)).kinds


@pytest.mark.parametrize(("subject", "body"), [
    ("RE: Votre demande d'accès AB-PRIV-26-0146",
     "Bonjour,\n\nOui, c'est bien moi. Le compte a été créé en mai 2024. Je maintiens ma "
     "demande.\n\nAmélie"),
    ("RE: Your access request AB-PRIV-26-0146",
     "Hello,\n\nYes, that's me, the account dates from 2024. I maintain my request.\n\nJo"),
])
def test_keeping_the_request_under_our_mail_carries_its_kind(subject: str, body: str) -> None:
    verdict = classify(mail(body, subject, in_reply_to="<ab-priv-26-0146@example.test>"))
    assert A in verdict.kinds


@pytest.mark.parametrize("body", [
    "We act for Mr Pieter van Rijn. On behalf of our client and pursuant to Article 15 GDPR, we "
    "request a copy of the personal data you hold about him.",
    "Wij treden op namens mevrouw De Vos. Wij verzoeken u om inzage in alle persoonsgegevens die "
    "u over haar verwerkt.",
    "Im Namen unseres Mandanten verlangen wir Auskunft über alle zu seiner Person gespeicherten "
    "Daten nach Art. 15 DSGVO.",
    "Au nom de notre client, nous vous demandons une copie de toutes les données le "
    "concernant.",
])
def test_a_lawyer_s_request_for_a_client_keeps_its_kind_and_waits(body: str) -> None:
    verdict = classify(mail(body))
    assert A in verdict.kinds
    assert any("someone else" in reason for reason in triage_reasons(verdict))


@pytest.mark.parametrize("body", [
    "U kunt al mijn gegevens verwijderen, ik regel de rest zelf wel.",
    "You can delete all my data, I'll sort out the rest myself.",
    "Sie können alle meine Daten löschen, den Rest erledige ich selbst.",
])
def test_leave_given_to_erase_the_writer_s_own_data_asks_for_it(body: str) -> None:
    assert E in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Once you've sent us the final cost report, you can delete the data held under it and "
    "confirm to me when that's done.",
    "You can keep my data, I don't mind at all.",
    "Sie können meine Daten gerne behalten, kein Problem.",
])
def test_leave_given_of_what_is_not_the_writer_s_or_to_keep_acts_on_nothing(body: str) -> None:
    assert acted(body) == set()


@pytest.mark.parametrize("body", [
    "Wilt u mijn gegevens verwijderen als ik overstap? Dat is nog niet zo.",
    "Please delete my data if I switch to another supplier, but that is not the case yet.",
    "Bitte löschen Sie meine Daten, falls ich kündige, aber das ist noch nicht so weit.",
])
def test_a_request_for_when_the_writer_leaves_waits_for_a_person(body: str) -> None:
    assert acted(body) == set()


@pytest.mark.parametrize("body", [
    "Supprimeriez-vous mes données si je vous le demandais ?",
    "Effaceriez-vous mes données si je le demandais ?",
])
def test_a_french_hypothetical_question_asks_nothing(body: str) -> None:
    assert acted(body) == set()


def test_a_french_polite_plea_is_still_a_request() -> None:
    assert acted("Pourriez-vous supprimer mes données ?") == {E}


@pytest.mark.parametrize(("subject", "body", "kind"), [
    ("Re: Deleting your account (AB-PRIV-26-0188)", "Yes, please go ahead.\n\nTom", E),
    ("Re: Uw verzoek AB-PRIV-26-0183: kopie ontvangen, nu verwijderen?", "Ja, akkoord. Ga je "
     "gang.\n\nRutger", E),
])
def test_agreeing_under_our_mail_takes_the_action_our_subject_asks(
        subject: str, body: str, kind: RequestKind) -> None:
    verdict = classify(mail(body, subject, in_reply_to="<ab-priv-26-0188@example.test>"))
    assert set(verdict.kinds) == {kind}


@pytest.mark.parametrize("body", [
    "Delete my account? Not yet. I still want to use it this summer.",
    "Mijn account verwijderen? Nog niet, ik gebruik het deze zomer nog.",
    "Mein Konto löschen? Noch nicht, ich brauche es im Sommer noch.",
    "Supprimer mon compte ? Pas encore, je l'utilise encore cet été.",
    "Stop with the newsletter? No way, I love it.",
])
def test_a_question_answered_no_at_once_asks_nothing(body: str) -> None:
    assert acted(body) == set()


@pytest.mark.parametrize("body", [
    "Have I ever agreed to this? No. So please delete all my data.",
    "Can you delete my data? No answer so far to my first mail.",
])
def test_a_no_before_the_request_or_of_something_else_withdraws_nothing(body: str) -> None:
    assert E in classify(mail(body)).kinds


def test_tot_nader_order_is_no_order() -> None:
    assert U in classify(mail("Bel me tot nader order niet meer, ik heb nu geen tijd.")).kinds


@pytest.mark.parametrize("body", [
    "Welche Daten haben Sie über mich gespeichert, und wozu brauchen Sie diese?",
    "Which data do you hold about me, and what do you need it for?",
    "Welke gegevens hebben jullie over mij, en waarvoor hebben jullie die nodig?",
])
def test_asking_what_is_held_and_then_why_it_is_needed_is_access(body: str) -> None:
    assert A in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Which data do you need from me to open the account?",
    "Welke gegevens hebben jullie nodig om mijn account te openen?",
    "Welche Daten brauchen Sie von mir für die Anmeldung?",
])
def test_asking_which_data_is_needed_is_no_access(body: str) -> None:
    assert A not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Vă rog să ștergeți datele soțului meu din sistem.",
    "Vă rog să nu mai trimiteți e-mailuri mamei mele.",
])
def test_a_romanian_relative_named_before_the_possessive_waits(body: str) -> None:
    assert acted(body) == set()


@pytest.mark.parametrize(("body", "kind"), [
    ("Vă rog să ștergeți datele mele din sistem.", E),
    ("Vă rog să nu-mi mai trimiteți newsletterul.", U),
])
def test_a_romanian_writer_s_own_request_still_acts(body: str, kind: RequestKind) -> None:
    assert acted(body) == {kind}


def test_asking_for_a_copy_before_is_a_chase_for_a_person_to_link() -> None:
    body = ("I asked you for a copy of my personal data three weeks ago. Failing a reply within "
            "a week I will complain to the ICO.")
    verdict = classify(mail(body))
    assert A in verdict.kinds
    assert any("earlier request" in reason for reason in triage_reasons(verdict))


@pytest.mark.parametrize(("subject", "body"), [
    ("AW: Ihr Auskunftsersuchen (AB-PRIV-26-0147)", "Sehr geehrte Frau Verbeek,\n\nich "
     "bestätige, dass das Auskunftsersuchen von mir stammt. Meine Kundennummer lautet "
     "2290417.\n\nMit freundlichen Grüßen"),
    ("RE: Uw inzageverzoek (AB-PRIV-26-0088)", "Hallo,\n\nHierbij de gegevens waar u om vroeg. "
     "Mijn verzoek blijft hetzelfde.\n\nGroet,\nRonald"),
])
def test_confirming_the_request_is_the_writer_s_under_our_mail_keeps_it(
        subject: str, body: str) -> None:
    verdict = classify(mail(body, subject, in_reply_to="<ab-priv-26-0147@example.test>"))
    assert set(verdict.kinds) == {A}
