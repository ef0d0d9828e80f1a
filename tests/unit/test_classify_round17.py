"""Round seventeen of issue 13, from probes in the everyday style of phone and webmail: a
negation that takes a noun of its own ("still no answer to my request to delete ..."); a
negated wish before "dass" / "that" governs the clause it opens; one language's negation of
a sentence holds for the other languages' readings of it; an imperative after "dus", "so"
without a comma; the writer who removed something themself; whether the writer can do it
themself; how long data is kept; a writer acting for a client; what the organisation does;
a quoted button that does not work, a request phrase inside a quoted label."""

from __future__ import annotations

import pytest
from test_classify_support import A, C, E, U, acted, mail

from mailbot.classify import classify
from mailbot.classify.classifier import needs_triage, triage_reasons


@pytest.mark.parametrize(("body", "kind"), [
    ("still no answer to my request to delete my data from last month", E),
    ("Nog geen enkele reactie op mijn verzoek om mijn gegevens te wissen.", E),
    ("Ich habe noch keine Antwort auf meine Bitte, meine Daten zu löschen. Bitte löschen Sie "
     "sie jetzt.", E),
    ("Toujours pas de réponse à ma demande : supprimez mes données, s'il vous plaît.", E),
])
def test_no_answer_negates_the_answer_not_the_request(body: str, kind: object) -> None:
    assert kind in classify(mail(body, "Herinnering")).kinds


@pytest.mark.parametrize("body", [
    "No need to delete my data.",
    "I do not want you to delete my data.",
    "Geen reden om mijn gegevens te verwijderen.",
])
def test_a_negation_without_a_noun_of_its_own_still_negates(body: str) -> None:
    assert E not in acted(body)


@pytest.mark.parametrize("body", [
    "Ich möchte nicht, dass Sie meine Daten löschen.",
    "Ich will nicht, dass meine Daten gelöscht werden.",
    "I do not want you to delete my data",
    "I don't want you to delete my data",
])
def test_a_negated_wish_governs_the_clause_it_opens(body: str) -> None:
    classification = classify(mail(body, "Daten"))
    assert E not in classification.kinds


@pytest.mark.parametrize("body", [
    "Ich möchte, dass Sie meine Daten löschen.",
    "Ich möchte nicht länger warten, bitte löschen Sie meine Daten.",
    "I want you to delete my data.",
])
def test_a_wish_before_its_clause_still_asks(body: str) -> None:
    assert E in classify(mail(body, "Daten")).kinds


@pytest.mark.parametrize("body", [
    "ik heb me nooit aangemeld voor die nieuwsbrief dus haal me eraf",
    "Ik heb geen nieuwsbrief aangevraagd dus haal me er maar af",
    "I never signed up for this newsletter so take me off it",
])
def test_an_imperative_after_a_word_of_consequence_asks(body: str) -> None:
    assert U in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "heb net mijn account verwijderd in de app, werkt prima, bedankt",
    "Ik heb mijn account zelf verwijderd via de app.",
    "I just deleted my account in the app, works fine, thanks",
    "just deleted my account in the app, thanks",
    "Ich habe mein Konto gerade in der App gelöscht, danke",
    "j'ai supprimé mon compte dans l'appli, merci",
])
def test_the_writer_who_removed_it_themself_asks_nothing(body: str) -> None:
    classification = classify(mail(body))
    assert E not in classification.kinds
    assert needs_triage(classification)


@pytest.mark.parametrize("body", [
    "Ik heb mijn account verwijderd, kunnen jullie nu ook mijn gegevens wissen?",
    "Ik heb mijn account verwijderd. Verwijder nu ook al mijn gegevens.",
    "I deleted the app. Please delete all my data as well.",
    "Ich habe mein Konto gelöscht, bitte löschen Sie auch alle Daten",
    "J'ai supprimé mon compte, merci de supprimer aussi mes données",
])
def test_what_the_writer_removed_beside_a_request_still_asks(body: str) -> None:
    assert E in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "kan ik mijn adres zelf aanpassen in de app of moet dat via jullie?",
    "can I change my email address myself or do you have to do it?",
    "Kann ich meine Adresse selbst im Portal ändern oder müssen Sie das machen?",
    "Puis-je modifier mon adresse moi-même dans l'appli ?",
])
def test_whether_the_writer_can_do_it_themself_is_no_request(body: str) -> None:
    classification = classify(mail(body))
    assert C not in acted(body)
    assert any("themself" in r or "no request kind" in r for r in triage_reasons(classification))


@pytest.mark.parametrize(("body", "kind"), [
    ("Kunnen jullie mijn adres aanpassen? Ik kan het zelf niet in de app.", C),
    ("Please delete my account, I can't do it myself in the app", E),
    ("Can you delete my data yourself? I can't find the button", E),
])
def test_a_request_beside_what_the_writer_cannot_do_still_asks(body: str, kind: object) -> None:
    assert kind in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Can you tell me how long you keep data after someone deletes their account?",
    "Wie lange speichern Sie Daten, nachdem ein Konto gelöscht wurde?",
    "Hoe lang bewaren jullie gegevens nadat iemand zijn account heeft verwijderd?",
    "Combien de temps conservez-vous mes données après la fermeture du compte ?",
])
def test_how_long_data_is_kept_is_no_erasure(body: str) -> None:
    assert E not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "How long do you keep my data? Please delete it now.",
    "Hoe lang bewaren jullie mijn gegevens nog? Verwijder ze alstublieft.",
])
def test_an_erasure_beside_a_question_how_long_still_asks(body: str) -> None:
    assert E in classify(mail(body)).kinds


def test_access_is_untouched_by_the_asides() -> None:
    assert A in classify(mail("Welke gegevens hebben jullie van mij? Graag een kopie.")).kinds


@pytest.mark.parametrize("body", [
    "Our client Jan Jansen asks you to delete all his data. We act on his behalf, see the "
    "attached authorisation.",
    "Onze cliënt, de heer J. Jansen, verzoekt u al zijn gegevens te verwijderen. Wij treden "
    "namens hem op; de machtiging is bijgevoegd.",
    "Unser Mandant, Herr Jan Jansen, bittet Sie, alle seine Daten zu löschen. Wir handeln in "
    "seinem Auftrag, die Vollmacht liegt bei.",
    "Notre client, M. Jan Jansen, vous demande de supprimer toutes ses données. Nous agissons "
    "en son nom, le mandat est joint.",
])
def test_a_request_made_for_a_client_keeps_its_kind_and_waits(body: str) -> None:
    classification = classify(mail(body, "Verzoek"))
    assert E in classification.kinds
    assert any("written for someone else" in r for r in triage_reasons(classification))


@pytest.mark.parametrize("body", [
    "Please delete all my data, I am a client of yours since 2019.",
    "Als klant wil ik graag dat al mijn gegevens verwijderd worden.",
    "Bitte keine Werbeanrufe mehr, auch nicht von Firmen, die in Ihrem Auftrag anrufen.",
])
def test_a_client_of_ours_or_calls_made_for_us_are_no_representation(body: str) -> None:
    classification = classify(mail(body, "Verzoek"))
    assert not any("written for someone else" in r for r in triage_reasons(classification))


@pytest.mark.parametrize("body", [
    "Verwijderen jullie ook gegevens uit back-ups?",
    "Do you delete data when someone closes their account?",
    "Löschen Sie auch die Daten in Backups?",
    "Supprimez-vous aussi les données des sauvegardes ?",
])
def test_a_question_about_the_organisation_s_practice_is_no_request(body: str) -> None:
    assert E not in acted(body)


@pytest.mark.parametrize("body", [
    "Verwijderen jullie mijn gegevens? Dat wil ik graag.",
    "Löschen Sie bitte alle Daten über mich.",
    "Supprimez-vous mes données ? Je le souhaite.",
])
def test_a_question_about_the_writer_s_own_data_still_asks(body: str) -> None:
    assert E in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "De knop 'account verwijderen' in de app werkt niet.",
    "Der Button 'Konto löschen' funktioniert nicht.",
    "Your app says 'Delete my data' but nothing happens when I tap it.",
])
def test_a_quoted_button_that_does_not_work_is_no_request(body: str) -> None:
    assert E not in acted(body)


def test_a_broken_button_beside_a_plea_still_asks() -> None:
    body = "Ik wil mijn account verwijderen maar de knop werkt niet, kunnen jullie het doen?"
    assert E in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Ich habe nicht vor, mein Konto zu löschen, ich will es bloß wissen.",
    "Ich hab nich vor, mein Konto zu löschen.",
    "Es ist nicht nötig, meine Daten zu löschen.",
])
def test_a_negation_governs_the_infinitive_clause_after_it(body: str) -> None:
    assert E not in acted(body)


@pytest.mark.parametrize("body", [
    "Ich bitte Sie, mein Konto zu löschen.",
    "Ich möchte nicht länger warten, bitte löschen Sie mein Konto.",
])
def test_an_infinitive_clause_after_a_plea_still_asks(body: str) -> None:
    assert E in classify(mail(body)).kinds


def test_colloquial_nich_is_a_negation() -> None:
    assert U in classify(mail("Ich will nich mehr angerufen werden.")).kinds


@pytest.mark.parametrize("body", [
    "Thank you for confirming. One question: does \"deleted\" also cover your backups, or "
    "will my details stay in those for a while?",
    "Geldt het verwijderen ook voor de back-ups?",
    "Gilt die Löschung auch für Backups?",
    "La suppression couvre-t-elle aussi les sauvegardes ?",
])
def test_what_an_erasure_covers_is_asked_not_requested(body: str) -> None:
    assert E not in acted(body)


def test_an_erasure_beside_what_it_covers_still_asks() -> None:
    body = "Please delete my data. Does the deletion also cover the backups?"
    assert E in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Zouden jullie die pushmeldingen van de app voor mij uit kunnen zetten?",
    "Kunnen jullie de sms'jes uit zetten?",
])
def test_turning_notifications_off_with_the_particle_first(body: str) -> None:
    assert U in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Le bouton « supprimer mon compte » ne marche pas.",
    "Der Button „Konto löschen“ funktioniert nicht.",
])
def test_a_request_phrase_inside_a_quoted_label_is_named_not_asked(body: str) -> None:
    assert E not in acted(body)


@pytest.mark.parametrize(("body", "kind"), [
    ("Ich möchte den Newsletter „Kamillo Aktuell“ abbestellen.", U),
    ("Ik wil me afmelden voor \"De Kamillo Krant\" en de mails.", U),
    ("Le bouton « supprimer mon compte » ne marche pas, supprimez-le pour moi s'il vous "
     "plaît.", E),
])
def test_a_quoted_title_beside_a_request_still_asks(body: str, kind: object) -> None:
    assert kind in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "hoe verander ik mijn adres in de app?",
    "how do I change my address in the app?",
    "Wie ändere ich meine Adresse in der App?",
    "comment modifier mon adresse dans l'appli ?",
])
def test_how_the_writer_does_it_is_asked_not_requested(body: str) -> None:
    assert C not in acted(body)


@pytest.mark.parametrize("body", [
    "Please change my address to Church Street 1. How do I see it in the app?",
    "Wilt u mijn adres wijzigen naar Kerkstraat 1? Hoe kan ik dat daarna in de app zien?",
])
def test_a_request_beside_a_how_to_question_still_asks(body: str) -> None:
    assert C in classify(mail(body)).kinds


def test_a_pitch_to_automate_requests_makes_none() -> None:
    body = ("Hi, we help pharmacies automate GDPR requests: access, deletion and unsubscribe "
            "handling in one dashboard. 15 minutes next week?")
    classification = classify(mail(body, "Partnership proposal"))
    assert not set(classification.kinds) & {A, C, E, U}


@pytest.mark.parametrize("body", [
    "Hat sich erledigt. Eigentlich haben mich nur die Werbemails gestört, und die habe ich "
    "gestern Abend selbst in den Kontoeinstellungen abgeschaltet.",
    "De reclamemails heb ik inmiddels zelf uitgezet in de app, dus dat is opgelost.",
    "I turned off the marketing emails myself in the settings, so that's sorted.",
])
def test_what_the_writer_turned_off_themself_asks_nothing(body: str) -> None:
    assert U not in classify(mail(body)).kinds


def test_turned_off_themself_but_still_receiving_asks() -> None:
    body = "Ik heb de mails zelf uitgezet maar ik krijg ze nog steeds, haal me eraf."
    assert U in classify(mail(body)).kinds


def test_a_dutch_pitch_with_a_platform_and_a_demo_to_plan_makes_no_request() -> None:
    body = ("Hoeveel tijd kost het uw team om een verwijderverzoek af te handelen? Met ons "
            "platform doet u dat in een paar minuten. Zullen we volgende week een demo van "
            "twintig minuten inplannen?")
    assert not set(classify(mail(body, "AVG-verzoeken")).kinds) & {A, C, E, U}


@pytest.mark.parametrize("body", [
    "¿Borran ustedes también los datos de las copias de seguridad?",
    "Cancellate anche i dati dei backup?",
    "Apagam também os dados das cópias de segurança?",
])
def test_a_practice_question_in_other_eu_languages_is_no_request(body: str) -> None:
    assert E not in acted(body)


@pytest.mark.parametrize("body", [
    "Por favor, eliminen mis datos personales.",
    "Cancellate i miei dati, per favore.",
    "Solicito a eliminação dos meus dados pessoais.",
])
def test_an_erasure_in_other_eu_languages_still_asks(body: str) -> None:
    assert E in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "He borrado mi cuenta en la app, gracias.",
    "Ho cancellato il mio account nell'app, grazie.",
    "Apaguei a minha conta na app, obrigado.",
    "Usunąłem swoje konto w aplikacji, dziękuję.",
    "Jag har raderat mitt konto i appen, tack.",
])
def test_the_writer_who_removed_it_themself_in_other_eu_languages(body: str) -> None:
    assert E not in acted(body)


@pytest.mark.parametrize("body", [
    "He borrado la app, pero por favor eliminen también mis datos.",
    "Ho cancellato l'app, ma vorrei che cancellaste anche i miei dati.",
    "Apaguei a app, mas por favor apaguem também os meus dados.",
    "Usunąłem aplikację, ale proszę usunąć również moje dane.",
])
def test_a_plea_after_what_the_writer_removed_still_asks_in_other_languages(
        body: str) -> None:
    assert E in classify(mail(body)).kinds
