"""Round twenty-two of issue 13: short mails in the other EU languages. A few words say too
little to decide the language, so the clause lexicons of the languages the text scores
nearly as well in are read too, and a request found in one of them names the language."""

from __future__ import annotations

import pytest
from test_classify_support import A, C, E, U, acted, mail

from mailbot.classify import classify, needs_triage, triage_reasons
from mailbot.domain.kinds import RequestKind

SHORT = [
    ("Dadme de baja del boletín.", "es", U),
    ("Dadme de baja de la lista.", "es", U),
    ("Disiscrivetemi dalla newsletter.", "it", U),
    ("Disiscrivimi dalla newsletter per favore.", "it", U),
    ("Odjavite me od novic prosim.", "sl", U),
    ("Kopijo mojih podatkov prosim.", "sl", A),
    ("Molim kopiju mojih osobnih podataka.", "hr", A),
    ("Lūdzu, atrakstiet mani no jaunumiem.", "lv", U),
    ("Slet min konto.", "da", E),
    ("Zmažte môj účet.", "sk", E),
    ("Изтрийте профила ми.", "bg", E),
    ("Διαγράψτε τον λογαριασμό μου.", "el", E),
    ("Τι δεδομένα έχετε για μένα;", "el", A),  # noqa: RUF001
    ("Milyen adatokat tárolnak rólam?", "hu", A),
    ("Mi nuevo correo es ana@example.org.", "es", C),
]


@pytest.mark.parametrize(("body", "language", "kind"), SHORT)
def test_a_short_mail_in_another_eu_language_is_understood(
        body: str, language: str, kind: RequestKind) -> None:
    verdict = classify(mail(body))
    assert (set(verdict.kinds), verdict.language) == ({kind}, language)


# Controls: short mails whose language was already clear keep it and their kinds.
@pytest.mark.parametrize(("body", "language", "kind"), [
    ("Por favor borren mis datos.", "es", E),
    ("Prosim izbrišite vse moje podatke.", "sl", E),
    ("Afmeld mig nyhedsbrevet tak.", "da", U),
    ("Smažte můj účet.", "cs", E),
    ("Bitte löschen Sie meine Daten.", "de", E),
    ("Graag uitschrijven voor de nieuwsbrief.", "nl", U),
])
def test_a_short_mail_whose_language_was_clear_keeps_it(
        body: str, language: str, kind: RequestKind) -> None:
    verdict = classify(mail(body))
    assert (set(verdict.kinds), verdict.language) == ({kind}, language)


@pytest.mark.parametrize("body", [
    "Mi sono disiscritto ieri, grazie.",
    "Hvala, vse je v redu.",
    "Děkuji, to je vše.",
])
def test_a_short_mail_that_asks_nothing_stays_other(body: str) -> None:
    assert set(classify(mail(body)).kinds) <= {RequestKind.OTHER}


# Not wanting to be measured or followed: an objection to statistics and tracking, which a
# person confirms (its wording classes are not yet shown precise enough to act on).
TRACKING = [
    "Ik wil niet dat jullie bijhouden welke pagina's ik bekijk.",
    "Ik maak bezwaar tegen het meten van mijn gebruik van de website.",
    "Ik wil niet dat jullie meten wanneer ik jullie mails open.",
    "Ik wil niet dat u bijhoudt welke artikelen ik lees.",
    "I don't want you to track which pages I visit.",
    "I do not want my browsing on your site to be tracked.",
    "I don't want you monitoring what I click on.",
    "Ich will nicht, dass verfolgt wird, wann ich Ihre Mails öffne.",
    "Ich möchte nicht, dass Sie auswerten, welche Seiten ich besuche.",
    "Je ne veux pas que vous suiviez ma navigation sur votre site.",
    "Je refuse que mon comportement sur le site soit mesuré.",
    "Je ne souhaite pas que vous mesuriez l'ouverture de vos e-mails chez moi.",
]


@pytest.mark.parametrize("body", TRACKING)
def test_not_wanting_to_be_tracked_is_an_objection_a_person_confirms(body: str) -> None:
    verdict = classify(mail(body))
    assert set(verdict.kinds) == {U}
    assert needs_triage(verdict)


@pytest.mark.parametrize("body", [
    "Meten jullie eigenlijk of ik jullie mails open?",
    "Do you track which pages I visit?",
    "I don't want to track my own energy use every day, is there a weekly summary?",
    "Ich möchte meinen Verbrauch in der App verfolgen, aber die Grafik lädt nicht.",
    "Je veux suivre ma consommation dans l'appli mais elle plante.",
    "Ik wil mijn pakket volgen maar de link werkt niet.",
    "I want to track my order but the link is broken.",
    "I don't want you to follow up on my complaint, it's solved now.",
    "Ich will nicht, dass Sie meine Bestellung weiter verfolgen, sie ist angekommen.",
    "I do not want my parcel to be tracked by a third party courier.",
    "Je ne souhaite pas que vous conserviez les données suivantes après la résiliation.",
])
def test_tracking_one_s_own_use_or_a_parcel_is_no_objection(body: str) -> None:
    assert RequestKind.UNSUBSCRIBE not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Bitte setzen Sie meine Nummer auf Ihre Sperrliste für Anrufe.",
    "Tragen Sie mich bitte in Ihre Robinsonliste ein.",
])
def test_a_german_blocking_list_is_an_opt_out(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {U}


# The writer's own action in a condition, mid-sentence and without a comma ("what happens to my
# data if I unsubscribe"), asks what would follow; it was acted on at once before.
@pytest.mark.parametrize("body", [
    "Wat gebeurt er met mijn gegevens als ik me afmeld voor de nieuwsbrief?",
    "What happens to my data if I unsubscribe from the newsletter?",
    "Que deviennent mes données si je me désabonne de la newsletter ?",
    "Do I lose my points if I unsubscribe from the newsletter?",
    "Verlies ik mijn punten als ik me afmeld voor de nieuwsbrief?",
    "Est-ce que je perds mes points si je me désinscris de la newsletter ?",
    "What happens to my tickets if I delete my account?",
    "Que se passe-t-il si je supprime mon compte ?",
])
def test_the_writer_s_own_action_in_a_condition_is_acted_on_nowhere(body: str) -> None:
    assert acted(body) <= {RequestKind.OTHER}


@pytest.mark.parametrize("body", [
    "Please unsubscribe me if I am still on the list.",
    "Meld me af als ik nog op de lijst sta.",
    "Merci de me désinscrire si je suis encore sur la liste.",
    "Bitte melden Sie mich ab, falls ich noch auf der Liste stehe.",
])
def test_a_request_followed_by_a_condition_of_the_writer_s_is_still_acted_on(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {U}


# Asking to be subscribed again, after an opt-out made by mistake.
@pytest.mark.parametrize("body", [
    "I'd like to subscribe to the newsletter again, I unsubscribed by mistake.",
    "Can you sign me up for the newsletter again? I unsubscribed by accident.",
    "Ich möchte mich wieder für den Newsletter anmelden, ich hatte mich aus Versehen abgemeldet.",
    "Ik wil me graag opnieuw voor de nieuwsbrief aanmelden, ik had me per ongeluk afgemeld.",
    "Je voudrais m'abonner à la newsletter à nouveau, je me suis désabonné par erreur.",
])
def test_asking_to_be_subscribed_again_is_no_opt_out(body: str) -> None:
    assert RequestKind.UNSUBSCRIBE not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Please unsubscribe me from the newsletter again, I keep getting it.",
    "Bitte melden Sie mich erneut vom Newsletter ab, er kommt immer noch.",
    "Meld me alsjeblieft opnieuw af voor de nieuwsbrief, ik krijg hem nog steeds.",
])
def test_an_opt_out_asked_again_is_still_acted_on(body: str) -> None:
    assert acted(body) == {U}


# The name on a ticket is the ticket's (a transfer), not the writer's detail; asking whether
# the writer must change it asks how to do it.
@pytest.mark.parametrize("body", [
    "Moet ik de naam op het ticket veranderen of kan ik het gewoon doorsturen?",
    "Do I have to change the name on the ticket or can I just forward it?",
    "Muss ich den Namen auf dem Ticket ändern oder kann ich es einfach weiterleiten?",
    "Dois-je changer le nom sur le billet ou puis-je simplement le transférer ?",
    "Kunnen jullie de naam op mijn ticket veranderen naar Tim de Boer?",
    "Could you change the name on my ticket to Tim Baker?",
    "Können Sie den Namen auf meinem Ticket auf Tim Becker ändern?",
    "Pouvez-vous changer le nom sur mon billet en Tim Bernard ?",
    "Moet ik mijn nieuwe adres ook aan jullie doorgeven?",
])
def test_the_name_on_a_ticket_is_not_corrected_without_a_person(body: str) -> None:
    assert acted(body) <= {RequestKind.OTHER}


@pytest.mark.parametrize("body", [
    "Mijn achternaam is veranderd in Jansen, wilt u dat aanpassen?",
    "Mein Nachname ist jetzt Becker, bitte ändern Sie das.",
    "Mon nom de famille est maintenant Bernard, merci de le modifier.",
])
def test_the_writer_s_own_name_is_still_corrected(body: str) -> None:
    assert acted(body) == {C}


# Cancelling one's place at a show is about a ticket, not a mailing.
@pytest.mark.parametrize("body", [
    "Ik wil me graag afmelden voor de voorstelling op 11 april, ik ben verhinderd.",
    "I'd like to cancel my place at the concert on 11 April, I can't make it.",
    "Ich möchte mich von der Vorstellung am 11. April abmelden, ich bin verhindert.",
    "Je voudrais me désinscrire du spectacle du 11 avril, je suis empêché.",
])
def test_leaving_a_show_is_no_opt_out(body: str) -> None:
    assert RequestKind.UNSUBSCRIBE not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Ik wil me afmelden voor de mails over voorstellingen.",
    "Please unsubscribe me from the concert alerts.",
    "Je souhaite me désabonner des alertes concerts.",
])
def test_a_mailing_about_shows_is_still_opted_out_of(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {U}


@pytest.mark.parametrize("body", ["Nait meer bellen.", "Neet meer bellen aub."])
def test_no_more_calls_in_groningen_and_limburg_dialect(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {U}


def test_stop_above_a_forwarded_presale_mail_that_names_its_preferences() -> None:
    body = ("Not interested in these, please stop sending them.\n\nEwan\n\n"
            "-------- Forwarded Message --------\n"
            "Subject: Presale for you: Vesper Lane\nFrom: Tickets <presale@tickets.example>\n\n"
            "Hi Ewan, the presale for the Autumn Tour starts Thursday at 10:00.\n\n"
            "Don't want these invitations? Change your preferences in the app.\n")
    assert acted(body, "Fwd: Presale for you: Vesper Lane") == {U}


# All the data held, wished for with the verb of sending left out.
@pytest.mark.parametrize("body", [
    "Ik wil graag alle gegevens die jullie van mij hebben.",
    "I'd like all the data you have on me.",
    "Ich möchte alle Daten, die Sie über mich haben.",
    "Graag alle gegevens die jullie over mijn account hebben.",
    "I would like everything you hold about me, please.",
])
def test_all_the_data_held_wished_for_is_an_access_request(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {A}


@pytest.mark.parametrize("body", [
    "I'd like all the data you hold about me deleted.",
    "Ich möchte, dass alle Daten, die Sie über mich haben, gelöscht werden.",
])
def test_all_the_data_wished_erased_is_an_erasure_only(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {E}


@pytest.mark.parametrize("body", [
    "Ik wil graag dat jullie mijn gegevens bewaren voor de volgende keer.",
    "Please confirm that my details have been suppressed from all marketing lists.",
    "All I wanted was to know when my engineer is coming.",
])
def test_data_wished_kept_or_confirmed_is_no_access_request(body: str) -> None:
    assert A not in classify(mail(body)).kinds


def test_a_client_amending_the_agreements_on_its_guest_lists_gives_an_order() -> None:
    body = ("Dag Sanne,\n\nNa ons overleg willen we twee dingen aanpassen aan de afspraken voor "
            "de gastenlijsten van onze zaal:\n\n1. De gastenlijsten mogen voortaan 14 dagen na "
            "het concert gewist worden in plaats van 30.\n2. Naast Pieter mag ook Ellen de "
            "gastenlijsten ontvangen.\n\nGroeten,\nLies\n")
    verdict = classify(mail(body, "Aanpassing afspraken gastenlijsten"), client_contact=True)
    assert set(verdict.kinds) == {RequestKind.REGISTER_INSTRUCTION}


def test_buyers_named_by_a_client_contact_writing_for_themself_are_no_client_data() -> None:
    body = ("Could you send me an export of all my ride history? And the odometer reading on "
            "my account is wrong, please correct it, I want to sell the bike and that number "
            "scares buyers away.")
    assert C in classify(mail(body), client_contact=True).kinds


@pytest.mark.parametrize(("body", "subject", "language"), [
    ("Ja, akkoord. Ga je gang.", "Re: Uw verzoek: kopie ontvangen, nu verwijderen?", "nl"),
    ("Ja, passt.", "AW: Ihre Anfrage zur Löschung Ihrer Daten", "de"),
    ("Oui, merci.", "RE: Votre demande de suppression de vos données", "fr"),
])
def test_a_reply_too_short_to_tell_is_in_the_language_of_its_thread(
        body: str, subject: str, language: str) -> None:
    assert classify(mail(body, subject)).language == language


# A detail as it should read ("It should be 11/07/1979", "Dat moet met een i zijn"), said of
# the detail named in the same or the sentence before, asks to correct it.
@pytest.mark.parametrize("body", [
    "My date of birth on your system is 07/11/1979. It should be 11/07/1979.",
    "Mijn geboortedatum staat bij jullie als 07-11-1979. Dat moet 11-07-1979 zijn.",
    "Jullie hebben mijn e-mailadres als bas.kuyper@example.org. Dat moet met een i zijn.",
    "Mein Geburtsdatum ist bei Ihnen als 07.11.1979 gespeichert. Es muss 11.07.1979 lauten.",
    "Ma date de naissance chez vous est le 07/11/1979. Ça devrait être le 11/07/1979.",
    "Mon adresse est incomplète, il manque le numéro d'appartement : c'est le 3B.",
])
def test_a_detail_as_it_should_read_is_a_correction(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {C}


@pytest.mark.parametrize("body", [
    "The concert should be great, I can't wait.",
    "Het concert moet geweldig zijn, ik heb er zin in.",
    "Le concert devrait être génial.",
    "Mijn adres zou bij jullie bekend moeten zijn, ik ben al jaren klant.",
    "Meine Adresse sollte Ihnen doch bekannt sein.",
    "Ik mail vanaf het adres dat bij jullie bekend is. Dat moet genoeg zijn.",
    "Where is my parcel? It should be here by now.",
    "Mijn tickets ontbreken in de app.",
    "Meine Tickets fehlen in der App.",
])
def test_what_should_be_known_or_arrive_is_no_correction(body: str) -> None:
    assert C not in classify(mail(body)).kinds


# Asked for only once something else holds, or as a question of when: the kind is kept and a
# person reads when; it was acted on at once before.
@pytest.mark.parametrize("body", [
    "Kan mijn account later verwijderd worden als ik van gedachten verander?",
    "Mijn account kan pas verwijderd worden als de tickets gebruikt zijn, toch?",
    "Mein Konto kann erst gelöscht werden, wenn alles bezahlt ist?",
    "Verwijder mijn account pas na het festival, ik heb mijn tickets nog nodig.",
    "Please only delete my account after the festival, I still need my tickets.",
    "Bitte löschen Sie mein Konto erst nach dem Festival.",
])
def test_an_erasure_for_later_or_on_a_condition_waits_for_a_person(body: str) -> None:
    verdict = classify(mail(body))
    assert acted(body) == set()
    assert any("a person reads when" in r for r in triage_reasons(verdict))


@pytest.mark.parametrize("body", [
    "Please delete my account, I only used it once.",
    "Verwijder mijn account, ik heb het maar één keer gebruikt.",
])
def test_an_erasure_now_is_still_acted_on(body: str) -> None:
    assert acted(body) == {E}


@pytest.mark.parametrize("body", [
    "Please remove my landline number, we no longer have it.",
    "Graag mijn vaste nummer verwijderen, dat hebben we niet meer.",
    "Merci de supprimer mon numéro fixe, nous n'avons plus de ligne fixe.",
])
def test_a_landline_is_a_detail_to_erase(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {E}


# Questions of fact about the law or the procedure, and whether a request would be worth it:
# each was acted on at once before.
@pytest.mark.parametrize("body", [
    "Volgens de AVG moeten jullie gegevens na zeven jaar verwijderen, klopt dat?",
    "Under GDPR you have to delete data after seven years, is that right?",
    "Laut DSGVO müssen Sie Daten nach sieben Jahren löschen, stimmt das?",
    "Selon le RGPD vous devez supprimer les données après sept ans, c'est exact ?",
    "Heeft het zin om mijn gegevens te laten verwijderen als ik toch klant blijf?",
    "Is there any point in having my data deleted if I stay a customer anyway?",
    "Wie lange dauert es, bis meine Daten gelöscht sind?",
])
def test_a_question_of_fact_or_of_worth_is_acted_on_nowhere(body: str) -> None:
    assert acted(body) <= {RequestKind.OTHER}


@pytest.mark.parametrize(("body", "kind"), [
    ("Verwijder mijn gegevens, dat is toch mijn recht?", E),
    ("Please delete my data, that is my right under GDPR, correct?", E),
    ("Jullie hebben mijn adres fout, klopt dat? Graag aanpassen naar Dorpsstraat 4.", C),
])
def test_a_request_beside_a_question_of_fact_is_still_acted_on(
        body: str, kind: RequestKind) -> None:
    assert acted(body) == {kind}


@pytest.mark.parametrize("body", [
    "Ik ben benieuwd hoe jullie omgaan met verzoeken om inzage.",
    "I wonder how you handle requests for access to personal data.",
    "Je me demande comment vous traitez les demandes d'accès.",
])
def test_wondering_how_requests_are_handled_makes_none(body: str) -> None:
    assert acted(body) <= {RequestKind.OTHER}


# Someone else asking whether the writer wants a request made.
@pytest.mark.parametrize("body", [
    "Mijn bank vraagt of ik mijn gegevens bij jullie wil laten wissen. Moet dat?",
    "Meine Bank fragt, ob ich meine Daten bei Ihnen löschen lassen möchte. Muss das sein?",
    "Ma banque me demande si je veux faire supprimer mes données chez vous. Faut-il ?",
])
def test_someone_asking_whether_the_writer_wants_it_is_no_request(body: str) -> None:
    assert acted(body) <= {RequestKind.OTHER}


@pytest.mark.parametrize("body", [
    "Ik vraag of jullie mijn gegevens willen wissen.",
    "Ich frage, ob Sie meine Daten löschen können.",
    "Je vous demande si vous pouvez supprimer mes données.",
])
def test_the_writer_asking_whether_we_will_is_a_request(body: str) -> None:
    assert acted(body) == {E}


def test_not_to_be_contacted_for_sales_purposes_is_an_opt_out() -> None:
    body = "Please make sure I am not contacted by telephone for sales purposes again."
    assert set(classify(mail(body)).kinds) == {U}


@pytest.mark.parametrize(("body", "language"), [
    ("Servus,\n\ni mog koa Werbung mehr vo eich. Ned per Post, ned per Mail.\n\nPfiat eich", "de"),
    ("Servus,\n\nRuafts mi bittschee nimma o wegn Werbung.\n", "de"),
    ("Awright,\n\nAh dinnae want ony mair o yer emails.\n\nCheers", "en"),
])
def test_no_more_mailings_in_bavarian_and_scots(body: str, language: str) -> None:
    verdict = classify(mail(body))
    assert (set(verdict.kinds), verdict.language) == ({U}, language)


@pytest.mark.parametrize("body", [
    "Please stop the artist alerts, I get too many.",
    "Merci d'arrêter les alertes artistes.",
])
def test_alerts_are_a_mailing_to_opt_out_of(body: str) -> None:
    assert acted(body) == {U}


# A box of consent ticked by mistake, or to be unticked: an objection a person confirms.
@pytest.mark.parametrize("body", [
    "Ik heb per ongeluk het vinkje 'delen met de organisator' aangezet. Kunnen jullie dat "
    "terugdraaien?",
    "I ticked the box to share my details with the organiser by mistake. Please undo that.",
    "Ich habe versehentlich das Häkchen für die Weitergabe an den Veranstalter gesetzt.",
    "J'ai coché par erreur la case de partage avec l'organisateur. Pouvez-vous l'annuler ?",
    "Please untick the box for sharing with partners on my account.",
])
def test_a_consent_box_ticked_by_mistake_is_an_objection(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {U}


@pytest.mark.parametrize("body", [
    "I accidentally unticked the newsletter box, please sign me up again.",
    "Ik heb per ongeluk het vinkje voor de nieuwsbrief uitgezet, kunnen jullie me weer "
    "aanmelden?",
    "Het vakje voor de nieuwsbrief stond al aangevinkt, mag dat wel?",
])
def test_a_box_unticked_by_mistake_or_asked_about_is_no_objection(body: str) -> None:
    assert U not in classify(mail(body)).kinds


# Asking to be told whether it was done: each was acted on at once before.
@pytest.mark.parametrize("body", [
    "Können Sie mir sagen, ob Sie meine Daten gelöscht haben?",
    "Können Sie mir bestätigen, ob meine Daten inzwischen gelöscht wurden?",
    "Kunnen jullie bevestigen of mijn account inmiddels is verwijderd?",
    "Can you tell me whether you have deleted my data?",
    "Could you confirm if my account has been deleted yet?",
    "Pouvez-vous me dire si vous avez supprimé mes données ?",
    "Pouvez-vous me confirmer si mon compte a bien été supprimé ?",
])
def test_asking_to_be_told_whether_it_was_done_acts_on_nothing(body: str) -> None:
    assert acted(body) <= {RequestKind.OTHER}


@pytest.mark.parametrize("body", [
    "Can you tell me whether you have any data about me?",
    "Kunt u mij laten weten of u gegevens van mij heeft?",
    "Können Sie mir sagen, ob Sie Daten über mich gespeichert haben?",
    "Pouvez-vous me dire si vous avez des données me concernant ?",
])
def test_asking_to_be_told_whether_data_is_held_is_an_access_request(body: str) -> None:
    assert acted(body) == {A}


@pytest.mark.parametrize("body", [
    "Stuur me eerst een overzicht van mijn gegevens. Daarna mag alles weg.",
    "Schicken Sie mir bitte zuerst eine Kopie meiner Daten. Danach können Sie alles löschen.",
    "Please send me a copy of my data first, then you can delete everything.",
])
def test_a_copy_first_and_then_everything_deleted_is_both(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {A, E}


@pytest.mark.parametrize("body", [
    "Ik wil graag weten of mijn gegevens inmiddels verwijderd zijn.",
    "Ich möchte wissen, ob meine Daten gelöscht wurden.",
    "Ich frage mich, ob meine Abmeldung schon bearbeitet wurde.",
    "Je me demande si ma désinscription a été prise en compte.",
])
def test_wishing_to_know_whether_it_was_done_acts_on_nothing(body: str) -> None:
    assert acted(body) <= {RequestKind.OTHER}


@pytest.mark.parametrize("body", [
    "Verwijder mijn gegevens en laat me weten of dat gebeurd is.",
    "Please delete my data and let me know if it has been done.",
    "Bitte löschen Sie meine Daten und sagen Sie mir, ob das erledigt ist.",
    "Merci de supprimer mes données et de me dire si c'est fait.",
])
def test_a_request_before_asking_to_be_told_it_was_done_is_acted_on(body: str) -> None:
    assert acted(body) == {E}


@pytest.mark.parametrize("body", [
    "Kan ni bekräfta om mina uppgifter har raderats?",
    "Kan I bekræfte, om mine oplysninger er blevet slettet?",
    "¿Pueden confirmarme si han borrado mis datos?",
    "Potete confermarmi se avete cancellato i miei dati?",
])
def test_asking_whether_it_was_done_in_other_eu_languages_acts_on_nothing(body: str) -> None:
    assert acted(body) <= {RequestKind.OTHER}


@pytest.mark.parametrize("body", [
    "Jullie hebben mijn account verwijderd zonder het mij te vragen!",
    "Sie haben mein Konto ohne Rückfrage gelöscht!",
])
def test_saying_we_deleted_it_asks_for_nothing(body: str) -> None:
    assert acted(body) <= {RequestKind.OTHER}


def test_a_request_after_saying_what_we_deleted_is_still_acted_on() -> None:
    body = ("Ik heb gezien dat jullie mijn adres hebben verwijderd, maar mijn account staat er "
            "nog. Wilt u dat ook verwijderen?")
    assert acted(body) == {E}


@pytest.mark.parametrize("body", [
    "Inutile de supprimer mes données.",
    "Het heeft geen zin om mijn gegevens te verwijderen.",
    "There is no point deleting my data.",
])
def test_saying_a_request_is_pointless_makes_none(body: str) -> None:
    assert acted(body) <= {RequestKind.OTHER}


def test_a_request_beside_pointless_to_answer_is_still_acted_on() -> None:
    assert acted("Supprimez mes données, inutile de me répondre.") == {E}


def test_an_action_opening_its_own_clause_is_not_negated_in_its_object_s() -> None:
    assert acted("You don't need to keep my data, delete it.") == {E}


@pytest.mark.parametrize("body", [
    "My account, please don't delete it.",
    "Mijn account: niet verwijderen alstublieft.",
    "Mein Konto, bitte nicht löschen.",
    "I don't want you to erase my data, keep it on file.",
])
def test_an_action_negated_in_its_own_clause_is_still_negated(body: str) -> None:
    assert acted(body) <= {RequestKind.OTHER}


# A guest list or a resale list is a ticket's, not a mailing: leaving it was acted on as an
# opt-out (en, fr).
@pytest.mark.parametrize("body", [
    "Please remove me from the guest list for Saturday, I can't come.",
    "Haal mij van de gastenlijst voor zaterdag, ik kan niet komen.",
    "Bitte streichen Sie mich von der Gästeliste für Samstag.",
    "Merci de me retirer de la liste des invités de samedi.",
    "Please take my ticket off the resale list, I'm going after all.",
])
def test_leaving_a_guest_list_or_a_resale_list_is_no_opt_out(body: str) -> None:
    assert RequestKind.UNSUBSCRIBE not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Please remove me from your mailing list.",
    "Haal mij van jullie mailinglijst.",
])
def test_leaving_a_mailing_list_is_still_an_opt_out(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {U}
