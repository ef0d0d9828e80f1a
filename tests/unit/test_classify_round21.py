"""Round twenty-one of issue 13: look-alikes that acted, found by probing each class in nl, en,
de and fr. Each mail below was acted on at once before this round; the controls beside them
are requests that must still be acted on."""

from __future__ import annotations

import pytest
from test_classify_support import A, E, U, acted, mail

from mailbot.classify import classify, needs_triage, triage_reasons
from mailbot.domain.kinds import RequestKind

# A greeting before a comma opens the sentence: the cues that read a sentence from its start
# ("is mijn ... verwerkt?") read from after it.
STATUS_QUESTIONS = [
    "Hallo, is mijn afmelding voor de nieuwsbrief inmiddels verwerkt? Groet, Sam",
    "Hi, has my unsubscribe from the newsletter gone through yet? Thanks, Sam",
    "Bonjour, ma désinscription de la newsletter a-t-elle bien été prise en compte ? Sam",
    "Hallo, zijn mijn gegevens nu echt verwijderd? Ik kreeg geen bevestiging. Sam",
    "Hi, were my details actually deleted? I never got a confirmation. Sam",
    "Hallo, wurden meine Daten jetzt wirklich gelöscht? Ich habe keine Bestätigung bekommen.",
    "Bonjour, mes données ont-elles vraiment été supprimées ? Je n'ai reçu aucune "
    "confirmation.",
    "Goedemiddag, is mijn nieuwe adres al aangepast in jullie systeem?",
    "Dear team, was my old phone number removed from my account?",
    "Guten Tag, ist meine Abmeldung vom Newsletter inzwischen bearbeitet worden?",
]


@pytest.mark.parametrize("body", STATUS_QUESTIONS)
def test_asking_whether_an_earlier_request_was_done_acts_on_nothing(body: str) -> None:
    assert acted(body) <= {RequestKind.OTHER}


@pytest.mark.parametrize(("body", "kind"), [
    ("Hallo, kan mijn account verwijderd worden? Ik gebruik het niet meer.", E),
    ("Hi, can my details be removed from your system please?", E),
    ("Hallo, können meine Daten bitte gelöscht werden?", E),
    ("Bonjour, mes données peuvent-elles être supprimées s'il vous plaît ?", E),
    ("Hallo, ik wil me afmelden voor de nieuwsbrief.", U),
    ("Bonjour, merci de me désinscrire de la newsletter.", U),
    ("Dear team, could you send me a copy of all the data you hold about me?", A),
])
def test_a_request_after_a_greeting_is_still_acted_on(body: str, kind: RequestKind) -> None:
    assert acted(body) == {kind}


# The writer named as an object ("asked me") is the one asked, not the one the request is for.
@pytest.mark.parametrize("body", [
    "My son (19) asked me to have his account with you deleted. Sam",
    "Mijn dochter (22) heeft mij gevraagd haar account bij jullie te laten verwijderen.",
    "Mein Sohn (20) hat mich gebeten, sein Konto bei Ihnen löschen zu lassen.",
    "Ma fille (20 ans) m'a demandé de vous écrire pour supprimer son compte.",
])
def test_an_adult_relative_who_asked_the_writer_waits_for_a_person(body: str) -> None:
    verdict = classify(mail(body))
    assert set(verdict.kinds) == {E}
    assert needs_triage(verdict)
    assert any("someone else" in r for r in triage_reasons(verdict))


def test_the_writer_removed_as_a_relatives_contact_is_still_the_writers_own() -> None:
    assert acted("Verwijder mij alstublieft als contactpersoon van het account van mijn "
                 "broer.") == {E}


# An opt-out limited to a time or a language may stop less than everything: the kind is kept
# and a person reads it.
@pytest.mark.parametrize("body", [
    "Bel me alsjeblieft niet meer voor negen uur 's ochtends, daarna is prima.",
    "Please don't call me before 9 in the morning, after that is fine.",
    "Bitte rufen Sie mich nicht mehr vor 9 Uhr morgens an, danach ist es in Ordnung.",
    "Merci de ne plus m'appeler avant 9 heures du matin, après c'est très bien.",
    "Bitte schicken Sie mir den Newsletter künftig auf Englisch, nicht mehr auf Deutsch.",
    "Stuur de nieuwsbrief voortaan in het Engels, niet meer in het Nederlands.",
])
def test_an_opt_out_limited_to_a_time_or_a_language_waits_for_a_person(body: str) -> None:
    verdict = classify(mail(body))
    assert set(verdict.kinds) <= {U, RequestKind.OTHER}
    assert needs_triage(verdict)


@pytest.mark.parametrize("body", [
    "Bel me alsjeblieft niet meer, ik heb geen interesse.",
    "Bitte rufen Sie mich nicht mehr an, ich habe kein Interesse.",
    "Je ne veux plus recevoir de SMS publicitaires de votre part, ni à cette heure-là ni à "
    "aucune autre.",
])
def test_an_opt_out_without_a_limit_is_still_acted_on(body: str) -> None:
    verdict = classify(mail(body))
    assert set(verdict.kinds) == {U}
    assert not any("may be limited" in reason for reason in triage_reasons(verdict))


# "Why is my name wrong?" reports a wrong detail: a correction, not a question whether
# something was done.
@pytest.mark.parametrize("body", [
    "Waarom staat mijn naam verkeerd op de brief? Het is Jansen met een s, niet Janssen.",
    "Why is my name spelled wrong on the letter? It's Jansen with one s, not Janssen.",
    "Warum steht mein Name falsch im Brief? Es heißt Jansen mit einem s, nicht Janssen.",
    "Pourquoi mon nom est-il mal écrit sur la lettre ? C'est Jansen avec un seul s, pas "
    "Janssen.",
])
def test_why_a_detail_is_wrong_is_a_correction(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {RequestKind.CORRECTION}


@pytest.mark.parametrize("body", [
    "Waarom is mijn account verwijderd? Ik heb daar nooit om gevraagd.",
    "Why was my account deleted? I never asked for that.",
])
def test_why_something_was_done_still_asks_nothing(body: str) -> None:
    assert acted(body) <= {RequestKind.OTHER}


# Spanish and Italian write an object pronoun onto the imperative ("envíenme", "inviatemi"):
# the verb is read off it, and the pronoun is the writer.
@pytest.mark.parametrize("body", [
    "Por favor, envíenme una copia de todos los datos que tienen sobre mí.",
    "Per favore, inviatemi una copia di tutti i dati che avete su di me.",
])
def test_an_imperative_with_its_pronoun_written_on(body: str) -> None:
    assert acted(body) == {A}


def test_an_erasure_with_its_pronoun_written_on() -> None:
    assert set(classify(mail("Bórrenme de su base de datos.")).kinds) == {E}


# "Delete me from the newsletter" in the other EU languages: the newsletter is a list one is
# taken off, as in English.
@pytest.mark.parametrize("body", [
    "Por favor, bórrenme del boletín.",
    "Proszę usunąć mnie z newslettera.",
    "Por favor, removam-me da newsletter.",
    "Prosím vymažte mě z newsletteru.",
    "Vă rog să mă ștergeți din newsletter.",
    "Ta bort mig från nyhetsbrevet, tack.",
    "Slet mig venligst fra nyhedsbrevet.",
    "Kérem, töröljenek a hírlevélből.",
    "Poistakaa minut uutiskirjeestä.",
    "Molim vas izbrišite me iz newslettera.",
    "Prosim, izbrišite me iz novic.",
    "Palun kustutage mind uudiskirjast.",
    "Lūdzu, izdzēsiet mani no jaunumu vēstules.",
    "Prašau ištrinti mane iš naujienlaiškio.",
    "Моля, изтрийте ме от бюлетина.",
    "Παρακαλώ διαγράψτε με από το ενημερωτικό δελτίο.",
])
def test_delete_me_from_the_newsletter_in_other_eu_languages(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {U}


# "My address has changed. The new one is ..." in more EU languages: the changed detail is
# read as a correction (it waits for a person, as this wording does in every language).
@pytest.mark.parametrize("body", [
    "Adresa mea s-a schimbat. Cea nouă este Strada Lungă 5, București.",
    "Mana adrese ir mainījusies. Jaunā ir Brīvības 5, Rīga.",
    "Mano adresas pasikeitė. Naujas yra Gedimino 5, Vilnius.",
    "Η διεύθυνσή μου άλλαξε. Η νέα είναι Ερμού 5, Αθήνα.",  # noqa: RUF001
    "Moje nazwisko jest źle zapisane: to Nowak, nie Nowack.",
])
def test_a_changed_detail_in_more_eu_languages(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {RequestKind.CORRECTION}


def test_a_footer_asking_to_destroy_the_message_is_no_erasure() -> None:
    body = ("Bijgaand de getekende offerte.\n\nSam de Vries\nInkoop\n\nDe informatie in dit "
            "e-mailbericht is vertrouwelijk. Gebruik, openbaarmaking, vermenigvuldiging of "
            "verstrekking aan derden is niet toegestaan. Wij verzoeken u dit bericht te "
            "vernietigen.")
    assert acted(body) <= {RequestKind.OTHER}


# "correct" said of a detail as it stands is no request to correct it.
@pytest.mark.parametrize("body", [
    "You have my address as 31 Sea Street, which is correct.",
    "I checked the address you have on file and it's correct. Thanks for asking.",
    "My details are all correct, I just wanted to say the app works well now.",
])
def test_a_detail_said_to_be_correct_is_no_correction(body: str) -> None:
    assert acted(body) <= {RequestKind.OTHER}


@pytest.mark.parametrize("body", [
    "My email address is correct but my phone number is wrong: it should be 0612345678.",
    "Could you correct my surname? It is Janssen with double s.",
])
def test_a_correction_beside_a_detail_that_is_correct(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {RequestKind.CORRECTION}


def test_a_doubt_about_something_else_leaves_the_request() -> None:
    body = ("Mijn man rijdt sinds kort elektrisch en ik twijfel nog, maar goed. Op de werkbon "
            "stond 'mevrouw Bouwer', maar ik heet Brouwer. Willen jullie mijn naam overal goed "
            "zetten?")
    assert set(classify(mail(body)).kinds) == {RequestKind.CORRECTION}


# A word of change used as a noun ("the update about my address", "since the last app
# update") names a thing: the sentence asks only as any sentence asks.
@pytest.mark.parametrize("body", [
    "Thanks for the update about my address, all good now.",
    "The change to my phone number went through fine, thank you.",
    "Since the last app update my email address shows twice on the profile page. Is that a "
    "known bug?",
    "Sinds de laatste app-update staat mijn e-mailadres twee keer op mijn profiel. Is dat een "
    "bekende bug?",
    "Bedankt voor de update over mijn adres, alles is nu goed.",
    "Danke für das Update zu meiner Adresse, jetzt passt alles.",
])
def test_a_word_of_change_used_as_a_noun_is_no_correction(body: str) -> None:
    assert acted(body) <= {RequestKind.OTHER}


@pytest.mark.parametrize("body", [
    "Please update my address to Kerkstraat 5, 1234 AB Utrecht.",
    "Could you change the phone number on my account to 0612345678?",
    "I'd like a change of address: the new one is 5 Church Street, Leeds.",
])
def test_a_word_of_change_that_asks_is_still_a_correction(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {RequestKind.CORRECTION}


# Getting back into an account is a login matter, not a request for a copy of the data.
@pytest.mark.parametrize("body", [
    "Hoe krijg ik weer toegang tot mijn gegevens in de app? Ik ben mijn wachtwoord kwijt.",
    "Wie bekomme ich wieder Zugang zu meinen Daten in der App? Ich habe mein Passwort "
    "vergessen.",
    "How do I get access to my data in the app again? I lost my password.",
    "Comment puis-je de nouveau accéder à mes données dans l'appli ? J'ai perdu mon mot de "
    "passe.",
])
def test_getting_back_into_an_account_is_no_access_request(body: str) -> None:
    assert acted(body) <= {RequestKind.OTHER}


def test_data_held_through_a_login_is_still_asked_for() -> None:
    body = ("As his parent, I would like to know exactly what personal data you hold about "
            "my son through his login for your app. Please send me a copy.")
    assert A in set(classify(mail(body)).kinds)


# Data the writer wants to see in the app, which fails them: the access is kept and waits.
@pytest.mark.parametrize("body", [
    "Ik wil mijn gegevens bekijken in de app, maar de pagina laadt niet. Is er een storing?",
    "I want to view my details in the app but the page won't load. Is something down?",
    "Ich möchte meine Daten in der App ansehen, aber die Seite lädt nicht. Gibt es eine "
    "Störung?",
    "Je veux consulter mes données dans l'appli mais la page ne charge pas. Y a-t-il une "
    "panne ?",
])
def test_data_to_see_in_the_app_waits_for_a_person(body: str) -> None:
    verdict = classify(mail(body))
    assert set(verdict.kinds) <= {A, RequestKind.OTHER}
    assert needs_triage(verdict)


def test_an_erasure_of_the_online_account_is_not_limited() -> None:
    body = ("I moved back to the UK in December and closed my contract. Under Article 17 GDPR "
            "I'd like you to erase all personal data you hold about me, including my online "
            "account.")
    assert acted(body) == {E}


def test_a_numbered_access_request_about_the_profile_is_kept() -> None:
    body = ("Three things, if you don't mind:\n(1) tell me what's in my profile, I'd like a "
            "copy;\n(2) my postcode is NN1 4QX, not NN1 4XQ;\n(3) no more promotional texts "
            "please.")
    assert A in set(classify(mail(body)).kinds)


# A meter reading or an appointment "in my account" is a record of the business, not the
# writer's personal data to erase: a person judges it.
@pytest.mark.parametrize("body", [
    "Please delete the old reading from March, it was entered twice in my account.",
    "Bitte löschen Sie den doppelten Zählerstand vom März in meinem Konto.",
    "Merci de supprimer le relevé en double de mars dans mon compte.",
    "Verwijder de dubbele meterstand van maart uit mijn account, die is twee keer ingevoerd.",
    "Kunt u de afspraak met de monteur van mijn account verwijderen? Die is niet meer nodig.",
])
def test_a_reading_or_an_appointment_to_delete_waits_for_a_person(body: str) -> None:
    assert acted(body) <= {RequestKind.OTHER}


# A thing one owns taken out of the account (a card, a bike) is no erasure of the writer's
# data: it waits for a person whatever the second opinion says.
@pytest.mark.parametrize("body", [
    "Please remove my old credit card from my account, it has expired.",
    "Verwijder mijn oude creditcard uit mijn account, die is verlopen.",
    "Bitte entfernen Sie meine alte Kreditkarte aus meinem Konto, sie ist abgelaufen.",
    "Merci de retirer mon ancienne carte bancaire de mon compte, elle a expiré.",
    "Can you delete my old bike from my account? I sold it last month.",
    "Kunnen jullie mijn oude fiets uit mijn account verwijderen? Die heb ik verkocht.",
    "Können Sie mein altes Fahrrad aus meinem Konto löschen? Ich habe es verkauft.",
    "Pouvez-vous supprimer mon ancien vélo de mon compte ? Je l'ai vendu.",
])
def test_a_thing_taken_out_of_the_account_waits_for_a_person(body: str) -> None:
    assert acted(body) <= {RequestKind.OTHER}


@pytest.mark.parametrize("body", [
    "Please delete my account from your system.",
    "Bitte löschen Sie mein Konto aus Ihrem System.",
    "Please delete everything from my account and close it.",
    "Please remove my phone number from my account.",
    "bitte entfernen Sie meine alte Festnetznummer 0555 2210 44 aus meinem Kundenkonto.",
])
def test_an_account_or_a_detail_taken_out_of_it_is_still_an_erasure(body: str) -> None:
    assert acted(body) == {E}


# Cancelling one's place at a webinar, an excursion or a customer day is no opt-out.
@pytest.mark.parametrize("body", [
    "Bitte melden Sie mich vom Webinar am Donnerstag ab, ich kann nicht teilnehmen.",
    "Merci de me désinscrire du webinaire de jeudi, je ne pourrai pas y assister.",
    "Ik meld me af voor de excursie naar het windpark, er is iets tussengekomen.",
    "Please unregister me from the webinar on Thursday, I can't make it.",
])
def test_cancelling_a_place_at_an_event_is_no_opt_out(body: str) -> None:
    assert acted(body) <= {RequestKind.OTHER}


@pytest.mark.parametrize("body", [
    "Please stop sending me webinar and event promotions.",
    "Die webinar uitnodigingen hoef ik echt niet meer te krijgen.",
    "Is het mogelijk om geen uitnodigingen meer te krijgen voor jullie webinars?",
])
def test_webinar_mailings_are_still_opted_out_of(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {U}


# Asking whether the data was deleted, and thanks for deleting it, in more EU languages.
@pytest.mark.parametrize("body", [
    "Hola, ¿ya se han borrado mis datos? No he recibido confirmación.",
    "Buongiorno, i miei dati sono stati cancellati? Non ho ricevuto conferma.",
    "Dzień dobry, czy moje dane zostały już usunięte? Nie dostałem potwierdzenia.",
    "Dobrý den, byly moje údaje už smazány? Nepřišlo mi potvrzení.",
    "Hej, har mina uppgifter raderats nu? Jag har inte fått någon bekräftelse.",
    "Hej, er mine oplysninger blevet slettet? Jeg har ikke fået nogen bekræftelse.",
    "Bună ziua, au fost șterse datele mele? Nu am primit confirmarea.",
    "Gracias por borrar mis datos, todo correcto.",
    "Grazie per aver cancellato i miei dati, tutto a posto.",
])
def test_a_status_question_or_thanks_in_more_eu_languages_acts_on_nothing(body: str) -> None:
    assert acted(body) <= {RequestKind.OTHER}


@pytest.mark.parametrize("body", [
    "¿Pueden borrar mis datos, por favor? Ya no soy cliente.",
    "Potete cancellare i miei dati? Non sono più cliente.",
    "Czy mogą Państwo usunąć moje dane? Nie jestem już klientem.",
    "Můžete prosím smazat moje údaje? Už nejsem zákazník.",
    "Kan ni radera mina uppgifter? Jag är inte längre kund.",
    "Kan I slette mine oplysninger? Jeg er ikke længere kunde.",
    "Puteți șterge datele mele? Nu mai sunt client.",
])
def test_asking_to_delete_in_more_eu_languages_is_still_an_erasure(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {E}


@pytest.mark.parametrize("body", [
    "Hej, varför raderades mitt konto? Jag bad aldrig om det.",
    "Dobrý den, proč byl můj účet smazán? Nikdy jsem o to nežádal.",
    "Hej, hvorfor blev min konto slettet? Jeg bad aldrig om det.",
    "Bună ziua, de ce a fost șters contul meu? Nu am cerut asta.",
    "Hola, ¿por qué se borró mi cuenta? Nunca lo pedí.",
])
def test_why_after_a_greeting_in_more_eu_languages_acts_on_nothing(body: str) -> None:
    assert acted(body) <= {RequestKind.OTHER}


@pytest.mark.parametrize("body", [
    "Jak mohu smazat svůj účet v aplikaci?",
    "Hvordan sletter jeg min konto i appen?",
    "Cum îmi pot șterge contul din aplicație?",
    "Hur tar jag bort mitt konto i appen?",
])
def test_how_to_delete_oneself_in_more_eu_languages_acts_on_nothing(body: str) -> None:
    assert acted(body) <= {RequestKind.OTHER}


# Thanks for deleting, "why was my account deleted?" and "how do I delete it?" in the other
# EU languages whose lexicons had no such cue.
@pytest.mark.parametrize("body", [
    "Miért törölték a fiókomat? Soha nem kértem.",
    "Hogyan törölhetem a fiókomat az alkalmazásban?",
    "Miksi tilini poistettiin? En pyytänyt sitä.",
    "Miten voin poistaa tilini sovelluksessa?",
    "Ευχαριστώ που διαγράψατε τα δεδομένα μου, όλα εντάξει.",
    "Hvala što ste izbrisali moje podatke, sve je u redu.",
    "Zakaj je bil moj račun izbrisan? Nikoli nisem tega zahteval.",
    "Miks minu konto kustutati? Ma ei palunud seda.",
    "Kāpēc mans konts tika dzēsts? Es to neprasīju.",
    "Kodėl mano paskyra buvo ištrinta? Aš to neprašiau.",
    "Защо профилът ми беше изтрит? Никога не съм искал това.",
])
def test_look_alikes_in_the_remaining_eu_languages_act_on_nothing(body: str) -> None:
    assert acted(body) <= {RequestKind.OTHER}


# Withdrawing a request by naming it ("my erasure request", "mijn verwijderverzoek") or calling
# it void withdraws it.
@pytest.mark.parametrize("body", [
    "Bitte betrachten Sie mein Auskunftsersuchen als gegenstandslos.",
    "Mijn verzoek om inzage mag u als vervallen beschouwen.",
    "Ik wil mijn verwijderverzoek intrekken, ik blijf toch klant.",
    "I'd like to withdraw my erasure request, I'm staying after all.",
    "Je souhaite annuler ma demande de suppression, finalement je reste client.",
])
def test_a_request_named_and_withdrawn_acts_on_nothing(body: str) -> None:
    assert acted(body) <= {RequestKind.OTHER}


def test_withdrawing_an_application_is_no_withdrawal_of_the_erasure() -> None:
    body = ("Vorig jaar heb ik via jullie een openbare laadpaal aangevraagd. Willen jullie mijn "
            "aanvraag intrekken en mijn gegevens van die wachtlijst verwijderen?")
    assert E in set(classify(mail(body)).kinds)


# "If so, delete my data" under a question of fact asks only if the fact holds: a person
# reads it.
@pytest.mark.parametrize("body", [
    "Do you sell data to third parties? If you do, delete all my data.",
    "Verkaufen Sie Daten an Dritte? Wenn ja, löschen Sie bitte alle meine Daten.",
    "Vendez-vous des données à des tiers ? Si c'est le cas, supprimez toutes mes données.",
    "Verkopen jullie gegevens aan derden? Zo ja, verwijder dan al mijn gegevens.",
])
def test_a_request_under_if_so_waits_for_a_person(body: str) -> None:
    assert acted(body) <= {RequestKind.OTHER}


# A dunning letter or a promised call back is no chase of an earlier request; "this
# admonition", "Erinnerung: Auskunftsersuchen ...", "ma deuxième relance" are.
@pytest.mark.parametrize("body", [
    "Ich war bis 2025 bei Ihnen Kundin und hatte einmal eine Mahnung, die ich sofort bezahlt "
    "habe. Bitte teilen Sie mir mit, welche Daten Sie über mich gespeichert haben.",
    "Votre service client m'a promis trois fois un rappel qui n'est jamais venu. Je vous "
    "demande de m'envoyer une copie de toutes les données que vous détenez sur moi.",
])
def test_a_dunning_letter_or_a_call_back_is_no_chase(body: str) -> None:
    verdict = classify(mail(body))
    assert not any("earlier request" in r for r in triage_reasons(verdict))


@pytest.mark.parametrize(("subject", "body"), [
    ("Erinnerung: Auskunftsersuchen vom 5. Januar",
     "Auf mein Auskunftsersuchen habe ich bis heute keine Antwort erhalten."),
    ("Relance", "Ceci est ma deuxième relance concernant ma demande d'accès du 3 février."),
])
def test_a_chase_still_refers_to_the_earlier_request(subject: str, body: str) -> None:
    verdict = classify(mail(body, subject))
    assert any("earlier request" in r for r in triage_reasons(verdict))


# The organisation's own reminders (of a survey, a payment) are no chase of a request.
@pytest.mark.parametrize("body", [
    "After every visit I get an e-mail asking me to rate the experience, then a reminder two "
    "days later. Please stop sending me these surveys.",
    "Na elk gesprek kreeg ik een sms met een enquête en daarna nog een herinnering per mail. "
    "Ik wil geen enquêtes meer ontvangen.",
])
def test_a_survey_reminder_is_no_chase(body: str) -> None:
    verdict = classify(mail(body))
    assert not any("earlier request" in r for r in triage_reasons(verdict))
    assert set(verdict.kinds) == {U}


def test_a_payment_reminder_to_remove_waits_for_a_person() -> None:
    body = ("I got a payment reminder today for March. I paid on 2 March by bank transfer. Can "
            "you remove that reminder from my account so it doesn't go to collection?")
    assert acted(body) <= {RequestKind.OTHER}


# From fresh17's development half: classes, each in more than one language.
@pytest.mark.parametrize("body", [
    "I'm leaving the gym at the end of October. Before you delete my account I'd like a copy "
    "of my workout history and heart-rate data. After you've sent it, please delete the "
    "account and everything linked to it.",
    "Bitte senden Sie mir zuerst eine Kopie meiner Trainingsdaten und löschen Sie danach "
    "alles.",
])
def test_a_copy_first_and_then_the_erasure_are_both_found(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {A, E}


@pytest.mark.parametrize("body", [
    "Ich bestätige hiermit: Bitte nehmen Sie Frau Albers, Frau Demir und Frau Kowalski aus "
    "dem Programm und löschen Sie deren Teilnahmedaten.",
    "Please take the three night-shift nurses off the programme and delete their records.",
])
def test_their_data_to_delete_is_someone_elses(body: str) -> None:
    assert acted(body) <= {RequestKind.OTHER}


@pytest.mark.parametrize("body", [
    "Bonjour, est-il possible de changer mon inscription au cours de body combat du mardi pour "
    "celui du jeudi ? Merci beaucoup, Manon",
    "Could you change my booking for the spinning class from Tuesday to Thursday?",
    "Können Sie meinen Kurs von Dienstag auf Donnerstag ändern?",
])
def test_changing_a_class_or_a_booking_waits_for_a_person(body: str) -> None:
    assert acted(body) <= {RequestKind.OTHER}


def test_a_street_called_cours_is_an_address() -> None:
    body = ("J'ai déménagé, il s'agit simplement de mettre à jour mon adresse postale :\n\n"
            "Ancienne adresse : 5 rue Victor-Hugo, 69002 Lyon\nNouvelle adresse : 48 cours "
            "Émile-Zola, 69100 Villeurbanne")
    verdict = classify(mail(body))
    assert not any("cours" in r for r in triage_reasons(verdict))


# "I still haven't received the copy" chases the earlier request in all four languages.
@pytest.mark.parametrize("body", [
    "Plus d'un mois s'est écoulé et je n'ai toujours pas reçu la copie de mes données. Merci "
    "de me l'envoyer rapidement.",
    "Het is nu ruim een maand later en ik heb nog steeds geen kopie van mijn gegevens "
    "ontvangen.",
    "It has been over a month and I still haven't received the copy of my data.",
    "Es ist über einen Monat her und ich habe immer noch keine Kopie meiner Daten erhalten.",
])
def test_still_not_received_is_a_chase(body: str) -> None:
    verdict = classify(mail(body))
    assert any("earlier request" in r for r in triage_reasons(verdict))


# Erasure asked for when the contract ends is a request, for a date a person plans.
@pytest.mark.parametrize("body", [
    "Ik zeg op per 1 juli. Als het abonnement afgelopen is wil ik dat jullie mijn gegevens "
    "wissen.",
    "I'm cancelling. Once my membership ends, please delete all my data.",
    "Ich kündige zum 30. Juni. Sobald mein Vertrag beendet ist, löschen Sie bitte alle meine "
    "Daten.",
    "Je résilie. Une fois que mon abonnement sera terminé, supprimez toutes mes données.",
])
def test_an_erasure_for_when_the_contract_ends_is_kept_and_waits(body: str) -> None:
    verdict = classify(mail(body))
    assert E in set(verdict.kinds)
    assert needs_triage(verdict)


# Telling the recipients of an erasure (art. 19) is part of it, no access request.
@pytest.mark.parametrize("body", [
    "I hereby request the erasure of all personal data concerning me. Please also inform any "
    "recipients to whom my data have been disclosed, and confirm completion in writing.",
    "Hiermit verlange ich die Löschung aller meiner Daten. Bitte auch alle Empfänger "
    "informieren, an die meine Daten weitergegeben wurden.",
])
def test_telling_the_recipients_is_part_of_the_erasure(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {E}


@pytest.mark.parametrize("body", [
    "Hi! Please take me off the waitlist for Saturday yoga, I booked Sunday instead.",
    "Bitte streichen Sie mich von der Warteliste für den Yogakurs am Samstag.",
])
def test_a_class_waiting_list_is_no_mailing_list(body: str) -> None:
    assert acted(body) <= {RequestKind.OTHER}


# A German day's number before its month ("vom 3. März") ends no sentence.
def test_a_german_date_keeps_its_sentence_whole() -> None:
    body = "Ich möchte die Videoaufnahmen von mir am Eingang vom 3. März einsehen."
    assert set(classify(mail(body)).kinds) == {A}


@pytest.mark.parametrize("body", [
    "Willen jullie de foto van mij van de Instagram-pagina van de club halen?",
    "Please take the photo of me off the club's Instagram page.",
    "Bitte entfernen Sie das Foto von mir von der Instagram-Seite des Studios.",
])
def test_a_photo_of_the_writer_taken_off_a_page_is_an_erasure(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {E}
