"""Round sixteen of issue 13: an action in a clause that opens with a condition ("insofar as
I did not provide it myself"); the Dutch separable "geef ... door"; a mail about someone who
died waits for a person; thanks for what was done; "if I cancel, will you ...?"; "I asked you
to delete ..." told of before; what a colleague said would be done; "but please ignore
that"; a replaced meter removed; staying on the list; "has something changed?";
everything a list names refused; "have you removed me?"; "vraag ik om"; chats; requests in
general, a right told, how to get another company to act; questions about an opt-out;
how data is protected; an account closed to switch supplier."""

from __future__ import annotations

import pytest
from test_classify_support import A, C, E, U, mail

from mailbot.classify import classify
from mailbot.classify.classifier import needs_triage, triage_reasons
from mailbot.domain.kinds import RequestKind


@pytest.mark.parametrize("body", [
    "Ik verzoek u mij inzage te geven in de persoonsgegevens die u van mij verwerkt. Vermeld "
    "ook van welke bron de gegevens afkomstig zijn, voor zover ik ze niet zelf heb verstrekt.",
    "Please tell me where you got my data from, insofar as I did not share it with you "
    "myself.",
    "Teilen Sie mir bitte mit, woher Sie meine Daten haben, soweit ich sie nicht selbst "
    "weitergegeben habe.",
    "Indiquez-moi la source de mes données, dans la mesure où je ne les ai pas transmises "
    "moi-même.",
])
def test_not_sharing_in_a_condition_is_no_opt_out(body: str) -> None:
    kinds = classify(mail(body, "Inzage")).kinds
    assert A in kinds
    assert U not in kinds


@pytest.mark.parametrize("body", [
    "Please do not share my data with partners, if that is possible.",
    "Geef mijn gegevens niet door aan partners.",
    "Geeft u mijn gegevens alstublieft niet door aan adverteerders.",
    "Verstrek mijn adres niet aan andere bedrijven.",
])
def test_not_sharing_asked_is_an_opt_out(body: str) -> None:
    assert U in classify(mail(body, "Gegevens")).kinds


@pytest.mark.parametrize("body", [
    "Mijn man is vorige maand overleden. Wilt u het account opheffen en alle gegevens "
    "verwijderen?",
    "My husband passed away last month. Please close the account and delete all the data.",
    "Mon mari est décédé en mai. Merci de supprimer le compte et toutes les données.",
])
def test_a_mail_about_someone_who_died_waits_for_a_person(body: str) -> None:
    classification = classify(mail(body, "Account"))
    assert needs_triage(classification)
    assert any("someone who died" in r for r in triage_reasons(classification))


@pytest.mark.parametrize("body", [
    "Please close my account and delete all my data.",
    "Bitte schließen Sie mein Konto und löschen Sie alle meine Daten.",
])
def test_an_own_erasure_does_not_wait_for_a_death(body: str) -> None:
    classification = classify(mail(body, "Account"))
    assert E in classification.kinds
    assert not any("someone who died" in r for r in triage_reasons(classification))


@pytest.mark.parametrize("body", [
    "Thanks for deleting my data so quickly.",
    "Bedankt dat jullie mijn gegevens zo snel hebben verwijderd.",
    "Danke, dass Sie meine Daten so schnell gelöscht haben.",
    "Merci d'avoir supprimé mes données si rapidement.",
])
def test_thanks_for_an_erasure_done_asks_none(body: str) -> None:
    assert E not in classify(mail(body, "Bedankt")).kinds


@pytest.mark.parametrize("body", [
    "Alvast bedankt voor het verwijderen van mijn gegevens.",
    "Merci de supprimer mes données.",
    "Vielen Dank im Voraus für die Löschung meiner Daten.",
    "Thanks for your quick reply. Please also delete my phone number.",
])
def test_thanks_in_advance_or_before_a_request_keeps_it(body: str) -> None:
    assert E in classify(mail(body, "Gegevens")).kinds


@pytest.mark.parametrize("body", [
    "If I cancel my contract, will you delete my data?",
    "Als ik mijn contract opzeg, verwijderen jullie dan mijn gegevens?",
    "Wenn ich kündige, löschen Sie dann meine Daten?",
    "Si je résilie mon contrat, supprimerez-vous mes données ?",
])
def test_asking_what_follows_if_the_writer_leaves_asks_no_erasure(body: str) -> None:
    assert E not in classify(mail(body, "Vraag")).kinds


def test_a_request_for_when_the_writer_leaves_stands() -> None:
    body = "When I cancel my contract next month, please delete my data."
    assert E in classify(mail(body, "Data")).kinds


@pytest.mark.parametrize("body", [
    "I asked you to delete my data last year and you did. Now I am a customer again.",
    "Vorig jaar heb ik gevraagd mijn gegevens te verwijderen en dat is gebeurd. Nu ben ik "
    "weer klant.",
])
def test_a_request_told_as_made_before_waits_to_be_linked(body: str) -> None:
    classification = classify(mail(body, "Klant"))
    assert needs_triage(classification)


@pytest.mark.parametrize("body", [
    "Your colleague on the phone said he would delete my data. Is that done?",
    "Uw collega aan de telefoon zei dat hij mijn gegevens zou verwijderen. Is dat gebeurd?",
    "Ihr Kollege am Telefon sagte, er würde meine Daten löschen. Ist das erledigt?",
    "Mon conseiller m'a dit qu'il supprimerait mes données. Est-ce fait ?",
])
def test_what_someone_said_would_be_done_asks_nothing(body: str) -> None:
    assert E not in classify(mail(body, "Vraag")).kinds


@pytest.mark.parametrize("body", [
    "I had asked to delete my data but please ignore that, I'm staying.",
    "I asked you to delete my account yesterday, but please ignore that: I found the "
    "settings myself.",
])
def test_an_earlier_ask_ignored_is_withdrawn(body: str) -> None:
    assert set(classify(mail(body, "Account")).kinds) == {RequestKind.OTHER}


def test_ignoring_something_else_withdraws_nothing() -> None:
    body = ("Please delete my data. Your last mail said I had to call you, please ignore "
            "that, I'd rather do it by mail.")
    assert E in classify(mail(body, "Data")).kinds


@pytest.mark.parametrize("body", [
    "Please remove the old meter from my account, it was replaced in May.",
    "Bitte entfernen Sie den alten Zähler aus meinem Kundenkonto.",
])
def test_a_replaced_meter_removed_waits_for_a_person(body: str) -> None:
    classification = classify(mail(body, "Meter"))
    assert any("meter" in r for r in triage_reasons(classification))


@pytest.mark.parametrize(("subject", "body"), [
    ("Abmeldung", "Eigentlich wollte ich mich vom Newsletter abmelden. Meine Frau liest ihn "
     "aber gern. Also vergessen Sie's, lassen Sie alles so, wie es ist."),
    ("Désinscription", "Je voulais me désinscrire de votre newsletter. Finalement, "
     "laissez-moi inscrite, je la garde."),
    ("Unsubscribe", "I was going to unsubscribe from the newsletter, but keep me subscribed "
     "after all, my son reads it."),
    ("Afmelden", "Ik wilde me afmelden voor de nieuwsbrief, maar houd me toch maar "
     "ingeschreven."),
])
def test_staying_on_the_list_withdraws_the_opt_out(subject: str, body: str) -> None:
    assert U not in classify(mail(body, subject)).kinds


def test_something_that_has_changed_is_no_correction_asked() -> None:
    body = ("I haven't received a bill by email since March. Nothing has changed on my side, "
            "same email address as always. Has something changed in how you send them?")
    assert C not in classify(mail(body, "No bills by email")).kinds


@pytest.mark.parametrize("body", [
    "Dit kreeg ik de afgelopen maand:\n- vier mails over tarieven\n- twee sms'jes over een "
    "actie\n- een brief met een kortingsbon\n\nIk ben gewoon klant. Ik heb nergens om "
    "gevraagd en ik wil dit allemaal niet meer.",
    "Seit dem Kauf bekomme ich:\n- Angebote für Zubehör,\n- Einladungen zu Produkttests,\n"
    "- jeden Monat einen Newsletter.\n\nDie Wallbox funktioniert bestens. Aber das alles "
    "möchte ich nicht.",
    "Since I bought a wallbox I get:\n- offers for cables,\n- invitations to product tests,\n"
    "- a newsletter every month.\n\nI don't want any of that.",
])
def test_refusing_everything_a_list_names_is_an_opt_out(body: str) -> None:
    assert U in classify(mail(body, "Te veel")).kinds


def test_a_list_of_bills_refused_is_no_opt_out() -> None:
    body = ("Dit kreeg ik de afgelopen maand:\n- twee facturen\n- een aanmaning\n\n"
            "Ik wil dit allemaal niet meer.")
    assert U not in classify(mail(body, "Facturen")).kinds


@pytest.mark.parametrize("body", [
    "Dit jaar belde niemand over verlenging. Hebben jullie mij van een bellijst gehaald? Ik "
    "wil juist graag een aanbod.",
    "Have you removed me from the calling list? I would actually like an offer.",
    "Haben Sie mich aus der Anrufliste entfernt? Ich möchte gern ein Angebot.",
])
def test_asking_whether_it_was_done_asks_no_opt_out(body: str) -> None:
    assert U not in classify(mail(body, "Verlenging")).kinds


@pytest.mark.parametrize("body", [
    "Hebben jullie nog iets van mij?",
    "Have you got any data about me?",
])
def test_asking_what_is_held_is_still_access(body: str) -> None:
    assert A in classify(mail(body, "Gegevens")).kinds


def test_vraag_ik_om_asks() -> None:
    body = ("Op grond van de AVG vraag ik om een kopie van alle gegevens die u over mij heeft "
            "vastgelegd.")
    assert A in classify(mail(body, "Sollicitatie")).kinds


@pytest.mark.parametrize("body", [
    "Ik wil graag een kopie van al mijn chatgesprekken met jullie.",
    "Please send me my chat history with your support team.",
])
def test_a_copy_of_ones_chats_is_access(body: str) -> None:
    assert A in classify(mail(body, "Chats")).kinds


@pytest.mark.parametrize("body", [
    "Do you also delete data from backups when someone asks for erasure?",
    "Verwijderen jullie ook gegevens uit back-ups als iemand om verwijdering vraagt?",
    "I read in your privacy statement that I can ask you to delete my data. I'm not doing "
    "that yet.",
    "In uw privacyverklaring staat dat ik kan vragen mijn gegevens te laten verwijderen. Dat "
    "doe ik nog niet.",
    "My old energy company still has my data and keeps mailing me. How do I get them to "
    "delete it?",
    "Mijn oude energieleverancier blijft me mailen. Hoe krijg ik die zover dat ze mijn "
    "gegevens wissen?",
])
def test_requests_in_general_a_right_told_or_how_to_ask_another_make_no_erasure(
        body: str) -> None:
    assert E not in classify(mail(body, "Vraag")).kinds


@pytest.mark.parametrize("body", [
    "Does unsubscribing from the newsletter also stop the sales calls?",
    "Geldt afmelden voor de nieuwsbrief ook voor de telefonische verkoop?",
    "I unsubscribed from the newsletter last week. Thanks, it worked.",
    "I don't want to miss your newsletter, please check my address.",
    "Can I unsubscribe from the newsletter and still get the tips by text?",
    "Kan ik me afmelden voor de nieuwsbrief zonder mijn korting te verliezen?",
    "Kann ich mich vom Newsletter abmelden, ohne meinen Rabatt zu verlieren?",
    "Puis-je me désabonner de la newsletter sans perdre ma réduction ?",
])
def test_questions_about_an_opt_out_and_one_done_ask_none(body: str) -> None:
    assert U not in classify(mail(body, "Nieuwsbrief")).kinds


@pytest.mark.parametrize("body", [
    "I unsubscribed last week but I still get the newsletter. Please take me off the list.",
    "Ik heb me vorige maand afgemeld, maar ik krijg de nieuwsbrief nog steeds. Haal me van "
    "de lijst.",
])
def test_an_opt_out_that_did_not_work_is_asked_again(body: str) -> None:
    assert U in classify(mail(body, "Nieuwsbrief")).kinds


@pytest.mark.parametrize("body", [
    "Ik wil weten hoe jullie mijn gegevens beveiligen.",
    "I would like to know how you protect my data.",
    "Je voudrais savoir comment vous protégez mes données.",
    "Ich möchte wissen, wie Sie meine Daten schützen.",
])
def test_how_data_is_protected_asks_no_copy(body: str) -> None:
    assert A not in classify(mail(body, "Beveiliging")).kinds


def test_closing_an_account_to_switch_supplier_is_no_erasure() -> None:
    assert E not in classify(mail("Please close my account, I'm switching suppliers.",
                                  "Account")).kinds
    both = "Please close my account and delete my data, I'm switching suppliers."
    assert E in classify(mail(both, "Account")).kinds
