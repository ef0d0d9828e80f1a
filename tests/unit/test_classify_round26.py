"""Round twenty-six of issue 13: a mailing moved from an old address or number is no
opt-out, and what an optician chain's mail showed."""

from __future__ import annotations

import pytest
from test_classify_support import U, acted, mail

from mailbot.classify import classify, triage_reasons
from mailbot.domain.kinds import RequestKind


@pytest.mark.parametrize("body", [
    "Bitte schicken Sie den Newsletter nicht mehr an meine alte Adresse, sondern ab sofort an "
    "k.maier@example.org.",
    "Ik wil de nieuwsbrief niet meer op mijn oude adres ontvangen, stuur hem voortaan naar "
    "anna.smit@example.org.",
    "Merci de ne plus envoyer la newsletter à mon ancienne adresse mais à "
    "claire.dubois@example.org.",
    "Stuur de sms-berichten niet meer naar mijn oude nummer 06 39 98 11 22 maar naar "
    "06 39 98 33 44.",
    "Bitte keine SMS mehr an meine alte Nummer, sondern an 06 39 98 44 55.",
    "The old number (07700 900219) is blocked now, so please don't send any texts to it any "
    "more.",
])
def test_a_mailing_moved_from_an_old_address_is_no_opt_out(body: str) -> None:
    assert U not in classify(mail(body)).kinds
    assert U not in acted(body)


@pytest.mark.parametrize("body", [
    "Ik wil geen nieuwsbrief meer ontvangen, ook niet op mijn oude adres.",
    "Geen reclame meer graag, niet op het nieuwe en niet op het oude adres.",
    "En stuur op het nieuwe adres alsjeblieft geen folders meer, daar zaten we op het oude "
    "adres ook al niet op te wachten.",
])
def test_an_opt_out_that_also_names_the_old_address_stands(body: str) -> None:
    assert U in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Ik krijg geen mail met de link. Ook niet in de spam.",
    "The reset link never came, and there's nothing in my spam folder either.",
    "Der Link kam nicht an, auch nicht im Spam-Ordner.",
    "Je n'ai pas reçu le lien, même pas dans les spams.",
])
def test_where_mail_lands_is_no_mailing(body: str) -> None:
    assert U not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Stop met die spam, ik wil geen mails meer van jullie.",
    "Please stop the spam, I don't want any more e-mails from you.",
])
def test_spam_itself_is_still_a_mailing(body: str) -> None:
    assert U in classify(mail(body)).kinds


E = RequestKind.ERASURE
C = RequestKind.CORRECTION


@pytest.mark.parametrize("body", [
    "Two things please. My address is now 14 Willow Close, Reading. And please delete my old "
    "landline number, we don't have a landline any more.",
    "Twee dingen. Mijn adres is nu Lindelaan 4, Zwolle. En verwijder alstublieft mijn oude "
    "vaste nummer, dat hebben we niet meer.",
])
def test_an_old_detail_of_another_sort_than_the_one_changed_is_erased(body: str) -> None:
    assert E in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Mijn telefoonnummer is veranderd in 06 39 98 12 34. Het oude nummer mag weg.",
    "My phone number has changed to 07700 900456. Please delete the old number.",
])
def test_an_old_detail_of_the_sort_changed_is_replaced_not_erased(body: str) -> None:
    kinds = classify(mail(body)).kinds
    assert C in kinds
    assert E not in kinds


R = RequestKind.REGISTER_INSTRUCTION


@pytest.mark.parametrize(("subject", "body"), [
    ("AW: Auftrag KR-ORD-26-0022 - Vorschlag zu Hörtests",
     "Sehr geehrte Frau Brouwers,\n\nja, damit bin ich einverstanden. Bitte löschen Sie in diesen "
     "Fällen zusätzlich auch die Telefonnummer.\n\nMit freundlichen Grüßen\nJens Kröger"),
    ("Re: Voorstel bewaartermijn hoortesten",
     "Dag Ilse,\n\nJa, daarmee gaan we akkoord. Verwijder dan ook het telefoonnummer.\n\n"
     "Groeten,\nGriet"),
    ("Re: Proposal for retention of eye tests",
     "Hello Ilse,\n\nYes, we agree. Please also delete the phone number in those cases.\n\n"
     "Best,\nGriet"),
    ("RE: Proposition de durée de conservation",
     "Bonjour,\n\nOui, nous sommes d'accord. Supprimez aussi le numéro de téléphone.\n\n"
     "Cordialement,\nGriet"),
])
def test_a_client_agreeing_in_a_whole_sentence_under_our_proposal_instructs(
        subject: str, body: str) -> None:
    verdict = classify(mail(body, subject, in_reply_to="<prop-2@example.test>"),
                       client_contact=True)
    assert set(verdict.kinds) == {R}


@pytest.mark.parametrize("body", [
    "Meine Bankverbindung hat sich geändert. Wie kann ich Ihnen die neue IBAN sicher mitteilen? "
    "Per E-Mail möchte ich sie nicht schicken.",
    "Mijn rekeningnummer is veranderd. Hoe geef ik het nieuwe nummer veilig door? Per mail wil "
    "ik het liever niet sturen.",
    "Mon compte bancaire a changé. Comment vous transmettre le nouveau numéro ? Par e-mail, je "
    "préfère ne pas l'envoyer.",
])
def test_how_the_writer_would_send_it_said_first_is_no_opt_out(body: str) -> None:
    kinds = classify(mail(body)).kinds
    assert C in kinds
    assert U not in kinds


@pytest.mark.parametrize("body", [
    "Per E-Mail möchte ich keine Werbung mehr bekommen.",
    "Per mail wil ik geen aanbiedingen meer ontvangen.",
    "Per mail wil ik niet meer benaderd worden.",
    "Par e-mail, je ne veux plus recevoir vos offres.",
])
def test_our_mail_refused_by_e_mail_is_still_an_opt_out(body: str) -> None:
    assert U in classify(mail(body)).kinds


def test_a_short_lead_is_read_with_the_list_of_mailings_after_its_colon() -> None:
    body = ("Ik wil graag nog de mails krijgen wanneer een levering vertrekt. Al de rest mag "
            "stoppen: de nieuwsbrief, de mails met promoties en de sms'en met kortingen.")
    assert U in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "In mijn dossier staat nog de oude mutualiteit. Kunnen jullie dat aanpassen naar Zorgkas "
    "Vlaanderen-Oost?",
    "My health insurer has changed, please update it in my file: it is now Northern Health.",
])
def test_a_changed_health_insurer_is_a_correction(body: str) -> None:
    assert C in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Kunnen jullie de rekening rechtstreeks naar mijn zorgverzekeraar sturen?",
    "Can you send the invoice straight to my health insurer?",
    "Vergoedt mijn zorgverzekering de hoortoestellen? Kunt u dat nakijken?",
])
def test_a_health_insurer_named_in_a_billing_question_asks_nothing(body: str) -> None:
    assert acted(body) == set()


def test_a_condition_inside_an_aside_does_not_make_the_request_a_condition() -> None:
    body = ("Nu zie ik dat die foto gewoon in mijn profiel blijft staan. Dat wil ik niet. Kunnen "
            "jullie die foto (en de gezichtsscan, als dat iets anders is) verwijderen?")
    assert E in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Zouden jullie (als ik mijn abonnement opzeg, wat ik nog niet weet) mijn gegevens dan "
    "verwijderen?",
    "Would you (if I cancel, which I haven't decided yet) delete my data then?",
])
def test_a_request_whose_condition_is_the_aside_still_waits(body: str) -> None:
    assert acted(body) == set()


@pytest.mark.parametrize("body", [
    "Laat maar, verwijder mijn account toch maar niet. Ik kom toch weer bij jullie.",
    "Laat het maar, verwijder mijn account niet.",
])
def test_laat_maar_withdraws_what_follows_it_in_its_sentence(body: str) -> None:
    verdict = classify(mail(body, "Re: Account verwijderen", in_reply_to="<a1@example.org>"))
    assert E not in verdict.kinds


A = RequestKind.ACCESS


@pytest.mark.parametrize("body", [
    "Poštovani, molim vas da mi javite kojim ste tvrtkama proslijedili moje osobne podatke.",
    "Hola, por favor, díganme a quién han cedido mis datos personales.",
    "Jó napot! Kérem, tájékoztasson, kinek adták át a személyes adataimat.",
    "Hej, meddela mig vilka företag ni har lämnat ut mina personuppgifter till.",
])
def test_to_whom_the_writer_s_data_went_is_access_in_other_eu_languages(body: str) -> None:
    assert A in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Je souhaite changer mon mot de passe.",
    "Pouvez-vous mettre à jour mon application ? Elle plante.",
    "Je voudrais changer mes lunettes, la monture est cassée.",
])
def test_changing_a_thing_of_the_writer_s_that_is_no_detail_is_no_correction(body: str) -> None:
    assert acted(body) == set()


@pytest.mark.parametrize("body", [
    "Pouvez-vous modifier mon adresse ? J'habite maintenant 12 rue des Lilas, Lyon.",
    "Merci de mettre à jour mon dossier : ma nouvelle adresse est 3 rue Haute, Namur.",
])
def test_changing_the_writer_s_detail_or_record_is_still_a_correction(body: str) -> None:
    assert C in classify(mail(body)).kinds


def test_a_payment_card_taken_out_of_the_account_is_no_erasure() -> None:
    assert acted("Verwijder mijn kaart uit mijn account, ik wil met iDEAL betalen.") == set()


@pytest.mark.parametrize("body", [
    "Hebben jullie mijn gegevens ontvangen? Ik heb het formulier gisteren ingevuld.",
    "Did you receive my details? I filled in the form yesterday.",
    "Haben Sie meine Daten erhalten? Ich habe das Formular gestern ausgefüllt.",
    "Avez-vous bien reçu mes informations ? J'ai rempli le formulaire hier.",
])
def test_asking_whether_we_received_the_writer_s_details_is_no_access(body: str) -> None:
    assert A not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Kan ik een kopie van mijn gegevens ontvangen?",
    "Could you make sure I receive all the data you hold about me?",
    "Have you got any data about me?",
    "Ich verlange Auskunft: welche Daten Sie von diesem Zähler über mich erhalten.",
])
def test_receiving_the_writer_s_data_or_what_we_receive_about_them_is_access(
        body: str) -> None:
    assert A in classify(mail(body)).kinds


@pytest.mark.parametrize(("subject", "body"), [
    ("Spelling of my name", "Your letters keep coming addressed to Shivon Fairweather. It's "
     "Siobhan. I'd appreciate it being fixed on my account."),
    ("", "My surname is misspelt as Smyth, it should be Smith. I'd like it corrected please."),
])
def test_a_detail_wanted_fixed_in_the_passive_is_a_correction(subject: str, body: str) -> None:
    assert C in classify(mail(body, subject)).kinds


@pytest.mark.parametrize("body", [
    "My order arrived damaged. I'd appreciate it being fixed or replaced.",
    "The app crashes on login. I'd appreciate it if that got fixed soon.",
    "I appreciate your quick help with my hearing aid, it's fixed now.",
])
def test_a_thing_fixed_that_is_no_detail_asks_no_correction(body: str) -> None:
    assert acted(body) == set()


def test_no_more_said_of_what_came_before_and_then_thanks_is_an_opt_out() -> None:
    body = ("Ik krijg voor elk webinar een uitnodiging. Hoeft niet meer, dank je.")
    assert U in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Can the newsletter stop being so long? It takes ages to read.",
    "Please can the emails stop being in Dutch, I only read English.",
])
def test_a_mailing_that_should_stop_being_so_is_no_opt_out(body: str) -> None:
    assert acted(body) == set()


def test_a_mailing_asked_to_stop_is_still_an_opt_out() -> None:
    assert U in classify(mail("Can the newsletter stop? I don't read it.")).kinds


@pytest.mark.parametrize("body", [
    "Ik krijg sinds mei geen nieuwsbrief meer. Is die gestopt?",
    "I haven't had a newsletter since May. Has it stopped?",
    "Seit Mai bekomme ich keinen Newsletter mehr. Wurde er eingestellt?",
    "Je ne reçois plus la newsletter depuis mai. Elle a été arrêtée ?",
    "Geen nieuwsbrief meer gehad sinds mei, jammer! Komt hij nog terug?",
    "No more newsletters since May, what a pity. Will it come back?",
    "Keine Newsletter mehr seit Mai, schade. Kommt er wieder?",
    "Plus de newsletter depuis mai, dommage. Elle va revenir ?",
])
def test_a_mailing_missed_since_a_time_or_asked_whether_it_stopped_is_no_opt_out(
        body: str) -> None:
    assert acted(body) == set()


@pytest.mark.parametrize("body", [
    "Geen nieuwsbrief meer graag, ik lees hem sinds mei toch niet.",
    "Keine Newsletter mehr bitte.",
    "Can the newsletter stop? I don't read it.",
])
def test_no_more_asked_beside_a_since_is_still_an_opt_out(body: str) -> None:
    assert U in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Mijn account is verwijderd terwijl ik daar nooit om gevraagd heb! Zet het terug "
    "alstublieft.",
    "My account was deleted without me asking! Please restore it.",
    "Mein Konto wurde gelöscht, ohne dass ich das wollte! Bitte stellen Sie es wieder her.",
    "Mon compte a été supprimé sans que je le demande ! Merci de le rétablir.",
    "I deleted my account by mistake, can you restore it?",
])
def test_wanting_back_what_was_erased_asks_no_erasure(body: str) -> None:
    verdict = classify(mail(body))
    assert E not in verdict.kinds
    assert triage_reasons(verdict)


def test_an_erasure_beside_no_wish_for_anything_back_stands() -> None:
    assert acted("Please delete my account and stop the newsletter.") == {E, U}


@pytest.mark.parametrize("body", [
    "My account was deleted last year, but I still get your newsletter.",
    "Mon compte a été supprimé l'an dernier, mais je reçois toujours votre newsletter.",
])
def test_an_erasure_told_as_done_is_not_asked_again(body: str) -> None:
    assert E not in acted(body)


@pytest.mark.parametrize("body", [
    "I would like my account deleted, please.",
    "Ik wil graag dat mijn account verwijderd wordt.",
    "Ich möchte, dass mein Konto gelöscht wird.",
    "Je souhaite que mon compte soit supprimé.",
])
def test_an_erasure_wished_in_the_passive_is_still_asked(body: str) -> None:
    assert acted(body) == {E}


@pytest.mark.parametrize("body", [
    "I got the copy of my data, thanks, but the file won't open. Which program do I need?",
    "My address was already changed in the app, I did it myself. Thanks anyway.",
    "Meine Adresse wurde schon geändert, das habe ich selbst gemacht. Danke trotzdem.",
    "Mon adresse a déjà été modifiée, je l'ai fait moi-même. Merci quand même.",
])
def test_what_was_already_received_or_changed_is_not_asked_again(body: str) -> None:
    assert acted(body) == set()


@pytest.mark.parametrize("body", [
    "My address has changed, please update it: 4 Elm Road, Bath.",
    "Mon adresse a changé, merci de la modifier : 4 rue Haute, Namur.",
])
def test_a_detail_changed_and_to_update_is_still_a_correction(body: str) -> None:
    assert acted(body) == {C}


@pytest.mark.parametrize("body", [
    "No recibo el boletín desde mayo. ¿Lo han cancelado?",
    "Od maja nie dostaję już newslettera. Czy został wstrzymany?",
    "Jag har inte fått nyhetsbrevet sedan maj. Har det upphört?",
    "Mi cuenta fue borrada sin que yo lo pidiera. Por favor, restáurenla.",
    "Il mio account è stato cancellato senza che lo chiedessi. Per favore ripristinatelo.",
])
def test_a_mailing_missed_or_an_account_wanted_back_in_other_eu_languages(body: str) -> None:
    assert acted(body) == set()


@pytest.mark.parametrize("body", [
    "Desde hoy no quiero más correos publicitarios, por favor.",
    "Nie chcę już otrzymywać newslettera.",
])
def test_no_more_mailings_asked_in_other_eu_languages_is_still_an_opt_out(body: str) -> None:
    assert U in classify(mail(body)).kinds


@pytest.mark.parametrize(("subject", "body"), [
    ("Désinscription", "Je dois me désinscrire de l'atelier de mardi, je suis malade."),
    ("Afmelden", "Ik wil me afmelden voor de oogmeting van dinsdag, ik ben ziek."),
    ("Unsubscribe", "I need to unsubscribe from Tuesday's workshop, I'm ill."),
])
def test_a_subject_word_the_body_tells_is_about_a_session_asks_nothing(
        subject: str, body: str) -> None:
    assert acted(body, subject) == set()


def test_a_subject_word_over_a_body_that_points_to_it_still_asks() -> None:
    assert E in classify(mail("Cf. objet. Contrat terminé depuis janvier.",
                              "Supprimez toutes mes données, merci")).kinds


@pytest.mark.parametrize(("subject", "body"), [
    ("Deletion", "Please delete the duplicate booking on Thursday."),
    ("Löschung", "Bitte löschen Sie den doppelten Termin am Donnerstag."),
    ("Verwijdering", "Kunnen jullie de dubbele afspraak van donderdag verwijderen?"),
    ("Suppression", "Merci de supprimer le rendez-vous en double de jeudi."),
])
def test_a_subject_word_over_a_body_that_deletes_an_appointment_asks_nothing(
        subject: str, body: str) -> None:
    assert acted(body, subject) == set()


@pytest.mark.parametrize(("subject", "body"), [
    ("Deletion", "Please delete everything you hold about me."),
    ("Suppression", "Merci de supprimer mon compte."),
])
def test_a_subject_word_over_a_body_that_deletes_the_writer_s_data_asks(
        subject: str, body: str) -> None:
    assert acted(body, subject) == {E}


@pytest.mark.parametrize(("subject", "body"), [
    ("Abmelden", "Ich möchte mich vom Sehtest am Samstag abmelden."),
    ("", "I'd like to unsubscribe from Saturday's hearing test."),
    ("", "Je voudrais me désinscrire de l'examen de vue de samedi."),
])
def test_leaving_a_session_on_a_named_day_is_no_opt_out(subject: str, body: str) -> None:
    assert acted(body, subject) == set()


@pytest.mark.parametrize("body", [
    "Stop met de nieuwsbrief, die op maandag komt.",
    "Bitte melden Sie mich vom Newsletter ab, der jeden Montag kommt.",
    "Désinscrivez-moi de la newsletter du lundi, merci.",
])
def test_a_mailing_that_comes_on_a_named_day_is_still_opted_out_of(body: str) -> None:
    assert acted(body) == {U}
