"""Round twenty-three of issue 13: a shop's own things (a cart, an order's number, payment
reminders) beside a request's words, and offers named in a compound."""

from __future__ import annotations

import pytest
from test_classify_support import A, C, E, U, acted, mail

from mailbot.classify import classify
from mailbot.domain.kinds import RequestKind

R = RequestKind.REGISTER_INSTRUCTION


@pytest.mark.parametrize("body", [
    "Kunt u de foto uit mijn winkelwagen verwijderen? Ik wil alleen de groepsfoto.",
    "Kunt u de tweede foto uit mijn winkelmandje verwijderen?",
    "Please remove the second print from my shopping cart, it won't let me.",
    "Can you change the delivery address for order 5521 to my mother's?",
    "Bitte löschen Sie das zweite Foto aus meinem Warenkorb.",
    "Pouvez-vous supprimer la deuxième photo de mon panier ?",
    "Arrêtez de m'envoyer des relances, j'ai payé hier.",
])
def test_a_shop_s_cart_order_or_reminder_is_acted_on_nowhere(body: str) -> None:
    assert acted(body) == set()


@pytest.mark.parametrize("body", [
    "Verwijder mijn account maar, we hebben het niet meer nodig.",
    "Please delete my account and everything you hold about me.",
    "Bitte löschen Sie mein Konto.",
    "Arrêtez de m'envoyer votre newsletter, merci.",
])
def test_a_request_without_a_shop_s_things_is_still_acted_on(body: str) -> None:
    assert acted(body)


@pytest.mark.parametrize("body", [
    "Stuur me geen kerstkaartaanbiedingen meer.",
    "Ik wil geen zomeraanbiedingen meer ontvangen.",
])
def test_offers_named_in_a_compound_are_an_opt_out(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {U}


@pytest.mark.parametrize("body", [
    "I already asked the school to delete my data, so that's sorted.",
    "Ich habe die Schule schon gebeten, meine Daten zu löschen.",
    "J'ai déjà demandé à l'école de supprimer mes données.",
    "Ik heb de huisarts gevraagd om mijn gegevens te verwijderen.",
    "I asked my landlord to remove my details from the list.",
])
def test_a_request_made_to_another_organisation_is_acted_on_nowhere(body: str) -> None:
    assert acted(body) == set()


@pytest.mark.parametrize("body", [
    "Who do I contact to get a copy of my data? I can't find it on your site.",
    "Wie kan ik contacteren om mijn gegevens in te zien?",
    "An wen kann ich mich wenden, um eine Kopie meiner Daten zu bekommen?",
    "À qui dois-je écrire pour obtenir une copie de mes données ?",
    "Waar kan ik een kopie van mijn gegevens opvragen?",
])
def test_asking_where_to_send_a_request_makes_none(body: str) -> None:
    assert acted(body) == set()


@pytest.mark.parametrize("body", [
    "Ik wil graag een kopie van mijn gegevens. Waar kan ik mijn paspoort heen sturen?",
    "Please delete my data. The school told me to ask you.",
])
def test_a_request_beside_a_question_of_where_is_still_acted_on(body: str) -> None:
    assert acted(body)


@pytest.mark.parametrize("body", [
    "Ik wil niet dat mijn gegevens nog langer bewaard worden.",
    "I don't want you to keep my data any longer.",
    "Please don't keep my photos any longer.",
    "Je ne veux pas que vous gardiez mes données plus longtemps.",
])
def test_not_wanting_one_s_data_kept_longer_is_an_erasure(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {E}


@pytest.mark.parametrize("body", [
    "Could you keep my data a bit longer, until my case is closed?",
    "Pouvez-vous garder mes données plus longtemps, jusqu'à la fin du dossier ?",
    "Ik wil graag dat jullie mijn gegevens langer bewaren.",
])
def test_wanting_one_s_data_kept_longer_is_no_erasure(body: str) -> None:
    assert E not in classify(mail(body)).kinds


ORDERS = [
    ("Auftrag Mannschaftsfotos", "Sehr geehrte Damen und Herren,\nhiermit beauftragen wir Sie "
     "mit den Mannschaftsfotos der Saison 2026/27. Wir übermitteln Ihnen die Mitgliederliste "
     "(Name, Mannschaft, Geburtsjahr). Bitte nehmen Sie den Auftrag in Ihr Verzeichnis auf.\n"
     "Jörg Kessler, Schriftführer"),
    ("Photos d'équipe", "Bonjour,\nNous vous mandatons pour les photos d'équipe de la saison "
     "2026-2027. Nous vous transmettrons la liste des membres (nom, équipe, année de "
     "naissance). Merci d'inscrire ce traitement dans votre registre.\nJörg"),
]


@pytest.mark.parametrize(("subject", "body"), ORDERS)
def test_a_client_s_new_order_given_in_prose_is_a_register_instruction(
        subject: str, body: str) -> None:
    verdict = classify(mail(body, subject), client_contact=True)
    assert set(verdict.kinds) == {R}


@pytest.mark.parametrize(("subject", "body"), [
    ("Mannschaftsfotos", "Hallo, nehmen Sie bitte die neuen Trikots auf den Fotos mit auf."),
    ("Fototermin", "Hallo, wann ist der Fototermin für die C-Jugend? Gruß Jörg"),
])
def test_a_client_s_question_about_the_work_is_no_order(subject: str, body: str) -> None:
    assert R not in classify(mail(body, subject), client_contact=True).kinds


@pytest.mark.parametrize(("subject", "body"), [
    ("AV-Vertrag", "Könnten Sie mir eine Kopie unseres Vertrags zur Auftragsverarbeitung noch "
     "einmal zuschicken? An unseren Anweisungen ändert sich nichts."),
    ("Verwerkersovereenkomst", "Kunt u ons de verwerkersovereenkomst nog een keer sturen? "
     "Onze nieuwe penningmeester wil hem hebben."),
    ("DPA", "Could you send us a copy of our data processing agreement again? Our new "
     "treasurer needs it for the files."),
    ("Contrat de sous-traitance", "Pourriez-vous nous renvoyer une copie de notre contrat de "
     "sous-traitance ? Rien ne change dans nos instructions."),
])
def test_a_client_asking_for_its_agreement_gives_no_order_and_asks_no_access(
        subject: str, body: str) -> None:
    verdict = classify(mail(body, subject), client_contact=True)
    assert set(verdict.kinds) == {RequestKind.OTHER}


def test_a_client_s_amendment_beside_a_negated_sentence_is_still_an_order() -> None:
    body = ("Graag passen we de verwerkersovereenkomst aan: de bewaartermijn van de "
            "klassenlijsten wordt twee jaar. Verder verandert er niets.")
    verdict = classify(mail(body, "Wijziging verwerkersovereenkomst"), client_contact=True)
    assert set(verdict.kinds) == {R}


def test_a_correction_for_it_to_be_right_next_time_is_still_a_correction() -> None:
    body = ("My son's surname is printed without the letter ś. Please can you change it in "
            "your system so it is correct next time.")
    assert C in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Please update my address so that everything is correct for the next delivery: "
    "4 Mill Lane, Leeds.",
])
def test_a_correction_so_that_all_is_right_is_acted_on(body: str) -> None:
    assert acted(body) == {C}


@pytest.mark.parametrize("body", [
    "You have my address as 31 Sea Street, which is correct.",
    "I checked my details, so the address is correct now.",
])
def test_saying_a_detail_is_right_asks_no_correction(body: str) -> None:
    assert C not in classify(mail(body)).kinds


def test_a_forwarded_newsletter_with_afmelden_hiervoor_above_is_an_opt_out() -> None:
    body = ("Graag afmelden hiervoor, de link onderaan doet het bij mij niet.\n\n"
            "---------- Doorgestuurd bericht ---------\nVan: Nieuws <nieuws@shop.example>\n"
            "Onderwerp: Nieuws\n\nNieuw dit jaar: de fotokalender.\n"
            "Afmelden? Klik hier.\n")
    assert set(classify(mail(body, "Fwd: Nieuws")).kinds) == {U}


def test_kunt_ge_het_juist_zetten_is_a_correction() -> None:
    body = ("Op de klasfoto staat haar naam als Zoe, zonder trema. Ze heet Zoë. Kunt ge haar "
            "naam in jullie bestand juist zetten?")
    assert set(classify(mail(body)).kinds) == {C}


def test_mails_that_hoeven_niet_meer_are_refused_not_a_withdrawal() -> None:
    body = ("Ik ben getrouwd en heet nu Mariska Hofman in plaats van Mariska de Wit. Willen "
            "jullie dat aanpassen?\n\nEn ik krijg elke week reclame voor fotokalenders. Daar "
            "heb ik geen interesse in, dus die mails hoeven niet meer.")
    assert set(classify(mail(body)).kinds) == {C, U}


@pytest.mark.parametrize("body", [
    "Vorige week vroeg ik jullie mijn gegevens te wissen. Dat gaat niet door, dus wissen "
    "hoeft niet meer.",
    "Ik wilde een kopie van mijn gegevens. Hoeft niet meer.",
])
def test_a_request_that_hoeft_niet_meer_is_withdrawn(body: str) -> None:
    assert acted(body) == set()


@pytest.mark.parametrize(("body", "language"), [
    ("Hej! Snälla ta bort alla foton på min son från galleriet.", "sv"),
    ("Hej, slet venligst alle billeder af min datter fra jeres galleri.", "da"),
    ("Hola, por favor borren todas las fotos de mi hijo de su galería.", "es"),
    ("Buongiorno, vi prego di cancellare tutte le foto di mia figlia dalla galleria.", "it"),
])
def test_photos_to_remove_are_an_erasure_in_other_eu_languages(body: str, language: str) -> None:
    verdict = classify(mail(body))
    assert (set(verdict.kinds), verdict.language) == ({E}, language)


def test_a_client_s_order_given_with_erteilen_is_an_order() -> None:
    body = ("Sehr geehrte Damen und Herren,\nhiermit erteilen wir Ihnen den Auftrag für die "
            "Vereinsfotos 2026:\n- Fototag: Samstag, 18. April\n- Wir schicken Ihnen die "
            "Mitgliederlisten (Vorname, Name, Mannschaft).\nBitte bestätigen Sie den Auftrag.")
    assert set(classify(mail(body, "Auftrag Vereinsfotos"), client_contact=True).kinds) == {R}


def test_vous_pourrez_tout_supprimer_after_a_copy_asks_both() -> None:
    body = ("J'aimerais recevoir une copie de toutes les données que vous avez sur moi. Une "
            "fois que je les aurai reçues, vous pourrez tout supprimer, compte compris.")
    assert set(classify(mail(body)).kinds) == {A, E}


@pytest.mark.parametrize(("subject", "body"), [
    ("Re: Uw verwijderverzoek (KF-PRIV-26-0011)",
     "Beste mevrouw Verhoeven,\n\nAkkoord, doe maar zo.\n\nGroet, Sam"),
    ("Re: Your erasure request (KF-PRIV-26-0011)", "Hi Lotte,\n\nYes, please go ahead.\n\nSam"),
    ("Re: Votre demande de suppression (KF-PRIV-26-0011)",
     "Bonsoir Madame Verhoeven,\n\nOui, tout supprimer, y compris la photo avec sa soeur."),
])
def test_agreeing_under_a_greeting_goes_on_with_our_mail_s_request(
        subject: str, body: str) -> None:
    verdict = classify(mail(body, subject, in_reply_to="<kf-1@klassefoto.test>"))
    assert set(verdict.kinds) == {E}
    assert acted(body, subject) == set()


@pytest.mark.parametrize("body", [
    "Ich möchte meine Tochter vom Fototermin abmelden.",
    "Bitte melden Sie uns vom Fototermin am Samstag ab.",
    "Je voudrais désinscrire mon fils de la séance photo de mercredi.",
    "Please take us off the list for the sibling session, we can't make it.",
    "Ik wil me afmelden voor de fotosessie van vrijdag, we zijn op vakantie.",
])
def test_leaving_a_session_or_an_appointment_is_no_opt_out(body: str) -> None:
    assert U not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Bitte keine Werbung mehr per Post.",
    "Je ne veux plus recevoir votre newsletter.",
])
def test_an_opt_out_without_a_session_stays_one(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {U}


@pytest.mark.parametrize("body", [
    "Ik wil uit jullie systeem. Helemaal.",
    "Ik wil uit jullie bestand.",
    "I want out of your system completely.",
    "Ich will raus aus Ihrem System.",
    "Je veux sortir de votre fichier.",
])
def test_wanting_out_of_a_system_is_an_erasure(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {E}


@pytest.mark.parametrize("body", [
    "Wilt u die herinnering uit het systeem halen? Ik heb al betaald.",
    "Ik wil weten wat er uit jullie systeem over mij komt.",
    "Hoe kom ik uit jullie systeem? De app blijft hangen.",
])
def test_other_things_out_of_a_system_are_no_erasure(body: str) -> None:
    assert E not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Afmelden voor de nieuwsbrief lijkt me overdreven, ik krijg er maar één per maand.",
    "Unsubscribing from the newsletter seems a bit excessive, I only get one a month.",
    "Mich vom Newsletter abzumelden wäre übertrieben, er kommt ja nur einmal im Monat.",
    "Me désabonner de la newsletter me semble excessif, je n'en reçois qu'une par mois.",
    "Comment me désabonner de la newsletter ?",
])
def test_calling_an_opt_out_too_much_or_asking_how_makes_none(body: str) -> None:
    assert acted(body) == set()


def test_a_newsletter_called_too_frequent_is_still_opted_out_of() -> None:
    assert acted("Ik vind de nieuwsbrief overdreven vaak, meld me af.") == {U}


@pytest.mark.parametrize("body", [
    "Please stop sending the photo proofs by post, email is fine.",
    "Ik hoef geen nieuwsbrief meer op papier, stuur hem voortaan per mail.",
    "I don't need the paper newsletter anymore, please send it by email instead.",
    "Keine Zeitschrift mehr per Post bitte, lieber als PDF per E-Mail.",
    "Plus de magazine papier svp, envoyez-le plutôt par e-mail.",
    "Please stop texting my old number; my new one is 07700 900123.",
])
def test_one_way_of_sending_swapped_for_another_is_no_opt_out_acted_on(body: str) -> None:
    assert U not in acted(body)


@pytest.mark.parametrize("body", [
    "Please stop sending me your newsletter.",
    "Stuur me geen nieuwsbrief meer.",
])
def test_an_opt_out_without_another_way_is_still_acted_on(body: str) -> None:
    assert acted(body) == {U}


@pytest.mark.parametrize("body", [
    "Ik wil niet dat de school mijn gegevens deelt met anderen. Kunnen jullie dat aan de "
    "school doorgeven?",
    "I don't want my bank to share my data with anyone.",
    "Vous pouvez partager mes données avec l'école, pas de souci.",
])
def test_another_party_s_sharing_or_a_permission_is_no_opt_out(body: str) -> None:
    assert U not in acted(body)


@pytest.mark.parametrize("body", [
    "Ik wil niet dat jullie mijn gegevens delen met de school.",
    "I don't want you to share my data with the school.",
    "Verstrek mijn adres niet aan andere bedrijven.",
    "Pas de souci pour la facture, mais ne partagez pas mes données avec vos partenaires.",
    "No problem with the invoice, but please don't share my data with your partners.",
])
def test_not_sharing_asked_of_us_is_still_an_opt_out(body: str) -> None:
    # (recognised; since round twenty-five its wording class waits for a person)
    assert U in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Ich bin umgezogen, habe die Adresse aber schon selbst in der App geändert.",
    "J'ai déménagé mais j'ai déjà modifié mon adresse dans l'appli.",
    "I moved last month but I already updated my address in the app, thanks.",
    "Kunt u de naam van de school aanpassen op de bestelbevestiging?",
])
def test_a_detail_changed_in_the_app_or_an_order_s_confirmation_is_acted_on_nowhere(
        body: str) -> None:
    assert acted(body) == set()


@pytest.mark.parametrize("body", [
    "Mijn achternaam is veranderd naar Bakker. Graag aanpassen in mijn account.",
    "I took my husband's surname, please change my name to Sam Bakker.",
])
def test_the_writer_s_own_new_detail_is_still_corrected(body: str) -> None:
    assert acted(body) == {C}


@pytest.mark.parametrize("body", [
    "Please delete the duplicate account I made by mistake and keep the old one.",
    "Bitte löschen Sie das doppelte Konto, das alte soll bleiben.",
    "Merci de supprimer le compte en double, gardez l'ancien.",
    "Kunnen jullie dat tweede account met alles erop en eraan verwijderen? Mijn echte "
    "account gebruik ik gewoon.",
])
def test_one_of_two_accounts_to_erase_waits_for_a_person(body: str) -> None:
    verdict = classify(mail(body))
    assert E in verdict.kinds
    assert acted(body) == set()


@pytest.mark.parametrize("body", [
    "Please remove the wrong child from my account, that is not my son.",
    "Bitte entfernen Sie das falsche Kind aus meinem Konto, das ist nicht meine Tochter.",
])
def test_a_child_s_profile_taken_out_of_an_account_is_acted_on_nowhere(body: str) -> None:
    assert acted(body) == set()


def test_an_account_to_erase_whole_is_still_acted_on() -> None:
    assert acted("Please delete my account and all my data.") == {E}


@pytest.mark.parametrize("body", [
    "Auf Ihrer Website steht eine falsche Telefonnummer des Kundendienstes. Bitte korrigieren.",
    "Op jullie website staat een verkeerd telefoonnummer voor de klantenservice. Kunnen "
    "jullie dat aanpassen?",
    "Votre site indique un mauvais numéro pour le service client, merci de le corriger.",
])
def test_a_detail_wrong_on_our_website_is_corrected_by_no_one_automatically(body: str) -> None:
    assert acted(body) == set()


@pytest.mark.parametrize("body", [
    "Op jullie website staat mijn naam verkeerd gespeld: het is Jansen. Graag aanpassen.",
    "In your newsletter my name is misspelt, it is Sam de Vries. Please correct it.",
])
def test_the_writer_s_detail_wrong_on_our_website_is_still_corrected(body: str) -> None:
    assert acted(body) == {C}
