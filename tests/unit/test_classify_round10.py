"""Issue 13, round ten: the classes the development set dev5 showed (mail that must not be
acted on), each in several languages, with the cases that must still hold."""

from __future__ import annotations

import pytest
from test_classify_support import KINDS, A, C, E, U, mail

from mailbot.classify import classify, needs_triage
from mailbot.classify.classifier import run
from mailbot.classify.clauses import sentences
from mailbot.domain.kinds import RequestKind


@pytest.mark.parametrize("body", [
    "Ik heb vorige maand bij mijn telefoonaanbieder om verwijdering van mijn gegevens "
    "gevraagd en nog steeds niets gehoord. Bij jullie ging het veel sneller.",
    "Last year I asked my bank for a copy of everything they held on me. It took four "
    "months. You were much quicker.",
    "Ich habe im Januar bei meinem Telefonanbieter eine Auskunft nach Art. 15 DSGVO verlangt "
    "und nach drei Monaten immer noch nichts bekommen.",
    "J'ai demandé en février à mon opérateur mobile de supprimer mes données. Trois mois "
    "plus tard, toujours rien.",
])
def test_a_request_told_of_another_organisation_is_none_to_us(body: str) -> None:
    assert not set(classify(mail(body, "Ervaring")).kinds) & KINDS


@pytest.mark.parametrize("body", [
    "Ik heb jullie vorige maand om verwijdering van mijn gegevens gevraagd. Verwijder ze nu "
    "alstublieft.",
    "I asked you last month to delete my data. Please delete it now.",
])
def test_a_request_made_to_us_before_and_asked_again_stands(body: str) -> None:
    assert E in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Ik heb vorige maand om inzage gevraagd. Toen las ik dat jullie een verzoek om inzage "
    "binnen 30 dagen beantwoorden. Dit is geen verzoek hoor, ik wilde alleen een compliment "
    "geven.",
    "Deleting my data went well, thank you. This is not a request, just a note of thanks "
    "for the copy of my data you sent.",
    "Bitte löschen Sie meine Daten, schrieb ich Ihnen letztes Jahr, und es ging schnell. "
    "Das ist keine Anfrage, nur ein Lob.",
    "Supprimez mes données, vous ai-je écrit l'an dernier, et c'était rapide. Ce n'est pas "
    "une demande, juste un remerciement.",
])
def test_a_writer_who_says_it_is_no_request_waits_for_a_person(body: str) -> None:
    found = run(mail(body, "Compliment"))
    assert not set(found.classification.kinds) & KINDS  # no request is recorded ...
    assert any(e.kind in KINDS and "no request" in why
               for e, why in found.found.dropped)  # ... what it seemed to ask is shown
    assert any("no request" in hold for hold in found.found.holds)  # ... and it waits
    assert needs_triage(found.classification)


@pytest.mark.parametrize("body", [
    "Ich möchte es nur wissen, eine Löschung brauche ich im Moment nicht.",
    "Een kopie van mijn gegevens hoeft van mij niet.",
])
def test_a_negation_ending_a_dutch_or_german_clause_negates_it(body: str) -> None:
    assert not set(classify(mail(body, "Frage")).kinds) & KINDS


@pytest.mark.parametrize("body", [
    "Löschen Sie bitte meine Daten.",
    "Bitte stellen Sie mir eine Kopie aller über mich gespeicherten Daten zur Verfügung.",
    "Verwijder mijn gegevens, ik ben geen klant meer en wil niet dat u ze bewaart.",
])
def test_a_request_without_a_final_negation_stands(body: str) -> None:
    assert set(classify(mail(body)).kinds) & {A, E}


def test_the_newsletter_refused_with_a_final_negation_is_no_erasure() -> None:
    assert E not in classify(mail("Den Newsletter möchte ich nicht.")).kinds


def test_lettered_items_after_a_lead_ask_like_lines() -> None:
    verdict = classify(mail(
        "DataRights Agent acts on behalf of our user under a signed authorisation.\n"
        "On her behalf we request:\n(a) access to all personal data you hold about her "
        "under Article 15 GDPR; and\n(b) erasure of that data under Article 17 GDPR.", "GDPR"))
    assert {A, E} <= set(verdict.kinds)


def test_a_number_or_letter_in_parentheses_in_running_text_is_no_item() -> None:
    found = [s.text.strip() for s in sentences(
        "mein sohn noah (12) hat mitgemacht. see note (a) below. plan a) is fine")]
    assert found == ["mein sohn noah (12) hat mitgemacht", "see note (a) below",
                     "plan a) is fine"]


def test_an_article_number_ends_no_sentence() -> None:
    found = [s.text.strip() for s in sentences(
        "eine auskunft nach art. 15 dsgvo verlangt. gemass art. 17 abs. 1 dsgvo")]
    assert found == ["eine auskunft nach art. 15 dsgvo verlangt", "gemass art. 17 abs. 1 dsgvo"]


def test_an_article_in_a_reminder_of_our_own_request_still_counts() -> None:
    verdict = classify(mail(
        "Dne 2024-03-01 jsem Vám zaslal žádost podle článku 15 Obecného nařízení o ochraně "
        "osobních údajů (GDPR). Bohužel jsem zatím neobdržel odpověď. Proto Vás znovu "
        "kontaktuji a prosím o odpověď na moji žádost do dvou týdnů."))
    assert A in verdict.kinds


def test_words_every_lexicon_reads_alike_give_no_language() -> None:
    verdict = classify(mail("", "Inzageverzoek AVG art. 15 - M. Yilmaz, klantnr. 208817"))
    assert verdict.language == "nl"


@pytest.mark.parametrize("body", [
    "Viele Energieversorger haben noch kein belastbares Löschkonzept. Wir unterstützen Sie "
    "mit einem Festpreis-Paket: Prozess für Auskunft, Berichtigung und Widerspruch. Gerne "
    "stelle ich Ihnen das Angebot in einem kurzen Telefonat vor.",
    "Many suppliers answer access requests late. We offer a fixed-price package for "
    "correction and erasure requests. I'd be happy to show you how it works.",
    "Beaucoup de fournisseurs répondent tard aux demandes d'accès. Nous vous accompagnons "
    "avec un forfait pour les demandes de rectification et d'effacement.",
])
def test_an_offer_of_services_asks_nothing(body: str) -> None:
    verdict = classify(mail(body, "Angebot"))
    assert not set(verdict.kinds) & KINDS


@pytest.mark.parametrize(("body", "kept"), [
    ("Supprimez mon compte s'il vous plaît. Non, finalement, j'ai encore mon contrat chez "
     "vous. Arrêtez juste de m'envoyer la newsletter.", U),
    ("Delete my account please. No wait, I still have a contract with you. Just stop the "
     "newsletter.", U),
    ("Verwijder mijn account. Nee, toch niet, ik heb nog een contract. Stuur me alleen geen "
     "nieuwsbrief meer.", U),
])
def test_a_request_taken_back_at_once_is_withdrawn_and_what_follows_stands(
        body: str, kept: RequestKind) -> None:
    verdict = classify(mail(body, "Mon compte"))
    assert E not in verdict.kinds
    assert kept in verdict.kinds


@pytest.mark.parametrize("body", [
    "I'm moving to another supplier next month. Do I need to ask you separately to delete "
    "my data, or does that happen automatically once the account is closed?",
    "Ik stap over naar een andere leverancier. Moet ik apart om verwijdering van mijn "
    "gegevens vragen?",
    "Mein Vertrag endet. Muss ich die Löschung meiner Daten extra beantragen?",
    "Je change de fournisseur. Dois-je vous demander séparément de supprimer mes données ?",
])
def test_a_question_how_to_make_a_request_makes_none(body: str) -> None:
    assert not set(classify(mail(body, "Switching")).kinds) & KINDS


def test_a_question_that_asks_for_the_request_itself_stands() -> None:
    assert E in classify(mail("Could you please delete my data?", "Delete")).kinds


@pytest.mark.parametrize("body", [
    "Vielen Dank, die Auskunft ist angekommen. Passt alles.",
    "Dank je wel, het overzicht van mijn gegevens is goed ontvangen.",
    "Thanks, the copy of my data has arrived.",
    "Merci, la copie de mes données est bien arrivée.",
])
def test_thanks_for_an_overview_that_arrived_asks_nothing(body: str) -> None:
    assert A not in classify(mail(body, "AW: Ihre Datenauskunft")).kinds


@pytest.mark.parametrize("body", [
    "Die Auskunft über meine Daten ist noch nicht angekommen. Bitte senden Sie sie mir.",
    "The copy of my data has not arrived yet. Please send me a copy of my data.",
])
def test_an_overview_that_has_not_come_is_still_asked_for(body: str) -> None:
    assert A in classify(mail(body, "Auskunft")).kinds


@pytest.mark.parametrize("body", [
    "Ik wil jullie bedanken. Mijn verzoek om verwijdering van februari is netjes afgehandeld.",
    "Just a thank you: my erasure request has been handled within two weeks.",
    "Danke, mein Antrag auf Löschung wurde erledigt.",
    "Merci, ma demande de suppression a bien été traitée.",
])
def test_thanks_for_a_request_done_asks_nothing(body: str) -> None:
    assert E not in classify(mail(body, "Bedankt")).kinds


def test_a_request_not_yet_done_is_still_asked_for() -> None:
    assert E in classify(mail("Mijn verzoek om verwijdering is nog niet afgehandeld. "
                              "Verwijder mijn gegevens alstublieft.", "Verwijderen")).kinds


@pytest.mark.parametrize("body", [
    "Als die verhoging doorgaat, wil ik dat jullie alles van mij wissen. Voor nu laat ik het "
    "hierbij.",
    "Muss ich für eine Auskunft nach Art. 15 DSGVO eine Ausweiskopie schicken? Ich frage für "
    "später; im Moment brauche ich nichts.",
    "If you raise prices again, delete all my data. For now I'll leave it at that.",
])
def test_a_writer_who_defers_waits_for_a_person(body: str) -> None:
    verdict = classify(mail(body, "Vraag"))
    assert not set(verdict.kinds) & KINDS or needs_triage(verdict)


@pytest.mark.parametrize("body", [
    "Klopt het dat jullie gegevens van kinderen onder de 16 verwijderen?",
    "Is it true that you delete the data of children under 16?",
    "Stimmt es, dass Sie Daten von Kindern unter 16 löschen?",
])
def test_a_question_whether_we_do_something_asks_nothing(body: str) -> None:
    assert E not in classify(mail(body, "Vraag")).kinds


@pytest.mark.parametrize("body", [
    "Staat mijn oude adres in Deventer nog bij jullie in het systeem? En wat hebben jullie "
    "verder over mij opgeslagen?",
    "Can you still see my old address in your system? What else do you have on me?",
    "Avez-vous encore mon ancien numéro dans vos fichiers ? Et qu'avez-vous d'autre sur moi ?",
])
def test_asking_whether_an_old_detail_is_still_held_is_no_correction(body: str) -> None:
    assert C not in classify(mail(body, "Oud adres")).kinds


def test_an_old_detail_to_be_replaced_is_still_a_correction() -> None:
    assert C in classify(mail("Mijn oude adres klopt niet meer, mijn nieuwe adres is "
                              "Dorpsstraat 4 in Ede.", "Adres")).kinds


def test_a_move_told_beside_asking_what_is_still_held_is_no_correction() -> None:
    verdict = classify(mail("Ik ben in 2023 verhuisd van Deventer naar Zutphen. Staat mijn "
                            "oude adres nog bij jullie in het systeem?", "Oud adres"))
    assert C not in verdict.kinds


def test_a_student_asking_for_an_anonymised_template_makes_no_request() -> None:
    verdict = classify(mail(
        "I'm writing a bachelor's thesis on how companies answer GDPR access requests. Would "
        "you be willing to share an anonymised template of the letter you send when answering "
        "an access request?", "Thesis question"))
    assert A not in verdict.kinds


def test_a_lawyer_asking_for_someone_elses_address_waits_for_a_person() -> None:
    verdict = classify(mail(
        "J'interviens pour Mme Bertin dans un litige. L'ancien colocataire de ma cliente, M. "
        "Vidal, serait client chez vous à une nouvelle adresse. Je vous prie de me communiquer "
        "cette adresse.", "Renseignements"))
    assert C not in verdict.kinds or needs_triage(verdict)


def test_for_lack_of_is_no_error_in_french() -> None:
    verdict = classify(mail("Je vous écris à cette adresse faute d'en trouver une autre pour "
                            "le service client. Pouvez-vous décaler la date de prélèvement ?"))
    assert C not in verdict.kinds


def test_a_colleagues_file_of_contacts_is_not_the_writers_data() -> None:
    verdict = classify(mail("Salut Claire, tu peux supprimer les doublons dans le fichier des "
                            "contacts du salon et corriger l'adresse de la société Lenoir ?"))
    assert not set(verdict.kinds) & KINDS or needs_triage(verdict)


@pytest.mark.parametrize("body", [
    "Verwijder mijn gegevens. En als jullie mijn gegevens aan anderen hebben verkocht of "
    "gegeven, laat me dan weten aan wie.",
    "Erase my details. If you've passed them on to anyone, tell me who.",
    "Löschen Sie meine Daten. Und falls Sie meine Daten weitergegeben haben, teilen Sie mir "
    "mit, an wen.",
    "Effacez mes données. Et si vous les avez vendues ou transmises, dites-moi à qui.",
])
def test_erase_and_if_passed_on_tell_me_to_whom_is_also_access(body: str) -> None:
    found = run(mail(body, "Gegevens"))
    assert A in {h.evidence.kind for h in found.found.hits}  # the rules read the access ...
    verdict = found.classification
    assert {A, E} <= set(verdict.kinds) or needs_triage(verdict)  # ... and never act in part


@pytest.mark.parametrize("body", [
    "If you ever pass my data on, I will complain.",
    "Als jullie mijn gegevens ooit verkopen, dien ik een klacht in.",
])
def test_a_condition_without_asking_to_whom_asks_nothing(body: str) -> None:
    assert A not in classify(mail(body, "Gegevens")).kinds


def test_a_vendor_offering_to_take_the_reader_off_their_list_asks_nothing() -> None:
    verdict = classify(mail("Interesse in een gesprek? Laat het me weten, dan haal ik u van "
                            "mijn lijst.", "Is uw organisatie AVG-proof?"))
    assert U not in verdict.kinds


@pytest.mark.parametrize(("body", "sender"), [
    ("Leuk gesprek gisteren. Zoals afgesproken willen we dat jullie vanaf 1 mei ook de "
     "slimme-meterdata van onze leden verwerken. Zet je dat in het register? Zelfde "
     "voorwaarden als de lopende opdracht.", "f.bakker@klant-een.example"),
    ("We're wrapping up the winter campaign, so you can close the processing for the campaign "
     "mailing list from 31 March. Please log that in your register.",
     "dana.ortiz@client-two.example"),
    ("Client Two vous confie à partir du 1er juin le traitement des coordonnées des clients "
     "francophones. Merci de l'inscrire au registre.", "dana.ortiz@client-two.example"),
])
def test_a_client_contact_asking_to_log_a_change_in_the_register_gives_an_order(
        body: str, sender: str) -> None:
    verdict = classify(mail(body, "gisteren", sender=sender), client_contact=True)
    assert RequestKind.REGISTER_INSTRUCTION in verdict.kinds
    assert not set(verdict.kinds) & KINDS


def test_a_person_naming_the_register_gives_no_order() -> None:
    verdict = classify(mail("Staat mijn naam in jullie register? Zet je dat in het register?"))
    assert RequestKind.REGISTER_INSTRUCTION not in verdict.kinds


@pytest.mark.parametrize("body", [
    "Kunt u mij een kopie van mijn energiecontract toesturen? Ik wil nalezen wat de "
    "opzegtermijn is voordat ik naar een huurwoning verhuis.",
    "Schicken Sie mir bitte eine Kopie der Jahresabrechnung. Die Papierversion ist beim Umzug "
    "verloren gegangen.",
    "Je souhaiterais recevoir une copie de mon contrat afin de vérifier les conditions avant "
    "mon déménagement à Liège.",
])
def test_a_move_still_to_come_or_as_the_circumstance_is_no_correction(body: str) -> None:
    assert C not in classify(mail(body, "Contract")).kinds


def test_a_move_with_the_new_address_is_still_a_correction() -> None:
    assert C in classify(mail("Ik ben verhuisd. Mijn nieuwe adres is Dorpsstraat 4, Ede.",
                              "Verhuisd")).kinds


@pytest.mark.parametrize("body", [
    "Quick question before I send anything. For a subject access request, do you need a copy "
    "of my passport?",
    "Brauchen Sie für eine Auskunft nach Art. 15 DSGVO eine Kopie meines Personalausweises?",
])
def test_whether_an_id_copy_is_needed_asks_how(body: str) -> None:
    assert A not in classify(mail(body, "Passport copy for subject access request?")).kinds


@pytest.mark.parametrize("body", [
    "My answers for the spring quiz in your newsletter:\n1. B\n2. C - Art. 17 is the right to "
    "be forgotten\n3. A",
    "Voici mes réponses au quiz de votre lettre d'information :\n1. B\n2. C - le droit à "
    "l'effacement, c'est l'article 17\n3. A - le droit d'accès",
    "Als ik nog één keer zo'n telefoontje krijg, dien ik een verzoek in om al mijn gegevens te "
    "laten verwijderen.",
    "Angenommen, ich würde die Löschung meiner Daten verlangen: Was passiert mit meinem "
    "Vertrag? Ich habe das nicht vor.",
    "Vielen Dank für die Bestätigung, dass meine Daten gelöscht wurden.",
    "In 2024 hebben jullie op mijn verzoek al mijn gegevens verwijderd. Nu ben ik weer klant. "
    "Geen actie nodig.",
    "I attached the wrong file to my message an hour ago. Please just delete it.",
    "I found the copy of my data you sent me in 2024. Just curious, no need to send anything.",
])
def test_mails_that_only_use_the_words_are_not_acted_on(body: str) -> None:
    verdict = classify(mail(body, "Re: Quiz"))
    assert not set(verdict.kinds) & KINDS or needs_triage(verdict)


def test_a_withdrawal_in_the_subject_withdraws_the_mail() -> None:
    verdict = classify(mail("Ik wilde vragen hoe ik een tweede e-mailadres verwijder. Ik vond "
                            "het al, het is weg.", "Laat maar, gevonden"))
    assert E not in verdict.kinds


@pytest.mark.parametrize("body", [
    "Op 1 februari ben ik verhuisd. Ik heb dat netjes doorgegeven via het portaal. Stuur mij "
    "een kopie van alle gegevens die jullie over mij hebben.",
    "Ich ziehe zum 1. Juni um. Die neue Adresse habe ich schon im Portal eingetragen, das ist "
    "also erledigt. PS: Schicken Sie mir bitte eine Übersicht über alle Daten, die Sie von "
    "mir gespeichert haben.",
])
def test_a_move_the_writer_passed_on_themselves_is_no_correction(body: str) -> None:
    verdict = classify(mail(body, "Verhuizing"))
    assert A in verdict.kinds
    assert C not in verdict.kinds


def test_a_maiden_name_that_finds_the_account_to_erase_waits_for_a_person() -> None:
    verdict = classify(mail(
        "P.S. Ik heb nog een oud klantaccount van voor ons huwelijk, op mijn meisjesnaam Wendy "
        "Hofstra. Dat gebruik ik niet meer; wis dat account en de gegevens erin maar.",
        "Storing"))
    assert E in verdict.kinds
    assert C not in verdict.kinds or needs_triage(verdict)


def test_an_old_number_that_may_go_beside_the_new_one_is_a_correction() -> None:
    verdict = classify(mail("Mijn telefoonnummer is veranderd. Vanaf nu ben ik bereikbaar op "
                            "06-55509471. Het oude nummer mag weg, dat heb ik niet meer.",
                            "Nieuw telefoonnummer"))
    assert C in verdict.kinds
    assert E not in verdict.kinds


def test_marketing_partners_are_businesses_not_the_writers_partner() -> None:
    verdict = classify(mail("I object to my data being used for personalised advertising and "
                            "I don't want you to share anything about me with ad networks or "
                            "marketing partners.", "Personalised ads"))
    assert U in verdict.kinds


def test_my_partner_is_still_someone_else() -> None:
    verdict = classify(mail("Please delete the data of my partner, she no longer lives here.",
                            "Partner"))
    assert E not in verdict.kinds or needs_triage(verdict)


def test_a_number_to_use_from_today_is_a_correction_in_french() -> None:
    verdict = classify(mail("À partir d'aujourd'hui, merci d'utiliser le numéro 06 55 50 88 12 "
                            "pour me joindre.", "Mon numéro de téléphone"))
    assert C in verdict.kinds


def test_analytics_cookies_in_swedish_are_an_opt_out() -> None:
    verdict = classify(mail("Jag invänder mot att mina uppgifter används för webbstatistik.",
                            "Cookies"))
    assert U in verdict.kinds


@pytest.mark.parametrize("body", [
    "Ik ben geen klant meer. Gooi mijn gegevens maar weg, ik heb er niets meer mee te maken.",
    "Mon contrat est terminé. Faites disparaître mes données de vos systèmes, s'il vous plaît.",
])
def test_everyday_ways_to_ask_for_erasure(body: str) -> None:
    assert E in classify(mail(body, "Gegevens")).kinds


def test_not_wanting_a_detail_stored_any_more_asks_to_erase_it() -> None:
    verdict = classify(mail("Bei Ihnen ist als Hausnummer 12 eingetragen, es ist aber 21. Bitte "
                            "korrigieren. Und meine Mobilnummer möchte ich gar nicht mehr bei "
                            "Ihnen gespeichert haben, löschen Sie die bitte.", "Meine Angaben"))
    assert {C, E} <= set(verdict.kinds)


def test_not_wanting_erasure_any_more_is_still_a_negation() -> None:
    verdict = classify(mail("Bitte löschen Sie meine Daten nicht mehr, ich bleibe Kunde.",
                            "Daten"))
    assert E not in verdict.kinds


@pytest.mark.parametrize("body", [
    "Ik wil graag zien wat jullie allemaal van mij bewaren.",
    "Tot 2021 was ik klant bij jullie. Hebben jullie nog iets van mij? Zo ja, wat dan?",
    "Do you still have my old address in Leeds on file? And what else is in your system about "
    "me?",
    "Send me everything you have on me.",
    "Bitte schicken Sie mir alles, was zu diesen Gesprächen über mich notiert wurde.",
])
def test_everyday_ways_to_ask_what_is_held(body: str) -> None:
    verdict = classify(mail(body, "Vraagje"))
    assert A in verdict.kinds
    assert C not in verdict.kinds


def test_why_you_still_have_my_data_is_a_reproach_not_access() -> None:
    verdict = classify(mail("Waarom hebben jullie mijn gegevens nog? Ik wil dat jullie alles "
                            "wissen.", "Waarom hebben jullie nog mijn gegevens?"))
    assert A not in verdict.kinds
    assert E in verdict.kinds


def test_a_recording_to_hear_is_access() -> None:
    verdict = classify(mail("De medewerker zei dat het gesprek werd opgenomen. Ik zou die opname "
                            "graag willen horen.", "Telefoongesprek"))
    assert A in verdict.kinds


def test_smart_meter_data_held_is_the_writers_data() -> None:
    verdict = classify(mail("Ich möchte einsehen, welche Messdaten Sie von meinem Smart Meter "
                            "gespeichert haben.", "Messdaten"))
    assert A in verdict.kinds


def test_a_copy_of_a_bill_is_still_no_access() -> None:
    verdict = classify(mail("Kunt u mij een kopie van mijn laatste rekening sturen?", "Rekening"))
    assert A not in verdict.kinds


def test_a_copy_of_an_id_document_to_erase() -> None:
    verdict = classify(mail("Bei Vertragsabschluss musste ich eine Kopie meines "
                            "Personalausweises hochladen. Bitte löschen Sie diese Kopie jetzt.",
                            "Ausweiskopie löschen"))
    assert E in verdict.kinds


@pytest.mark.parametrize(("body", "kinds"), [
    ("Arrêtez de m'envoyer vos offres par e-mail. Ensuite, supprimez toutes mes données.",
     {U, E}),
    ("Three things, please:\n1. Send me a copy of my data.\n2. My surname is spelled Lane, not "
     "Laine.\n3. Stop sending me marketing emails.", {A, C, U}),
    ("Senden Sie mir bitte eine Kopie der Daten, die Sie über mich gespeichert haben. Die "
     "Telefonnummer, die Ihre Kollegin vorgelesen hat, ist falsch; bitte korrigieren Sie sie "
     "auf 0049 2821 778 340.", {A, C}),
])
def test_no_request_of_several_is_lost(body: str, kinds: set[RequestKind]) -> None:
    found = run(mail(body, "Several things"))
    read = {h.evidence.kind for h in found.found.hits}
    assert kinds <= read  # every request is read ...
    verdict = found.classification
    assert kinds <= set(verdict.kinds) or needs_triage(verdict)  # ... none acted on alone


@pytest.mark.parametrize("body", [
    "Please don't share my e-mail address with that site or any other ad network for "
    "targeting.",
    "Ik wil trouwens niet dat mijn bezoeken aan jullie site worden meegeteld in jullie "
    "bezoekersstatistieken.",
])
def test_objections_to_sharing_a_detail_or_being_counted(body: str) -> None:
    assert U in classify(mail(body, "Website")).kinds


@pytest.mark.parametrize("body", [
    "Sinds 1 februari ben ik klant bij jullie. Mijn oude leverancier belt me bijna elke dag. Ik "
    "wil niet meer gebeld worden door die club.",
    "Mon ancien fournisseur m'appelle tous les jours. Je ne veux plus être appelée par eux.",
    "I'd like to unsubscribe from the Boiler Care plan, we don't need the cover any more.",
    "Vielen Dank! Seit Ihrer Bestätigung sind keine Werbeanrufe mehr gekommen.",
    "Ich erhalte keine E-Mails mehr von Ihnen. Bitte prüfen Sie, warum die Mails nicht "
    "ankommen.",
])
def test_no_opt_out_where_none_is_asked_of_our_mail(body: str) -> None:
    verdict = classify(mail(body, "Bellen"))
    assert U not in verdict.kinds or needs_triage(verdict)


def test_an_opt_out_of_our_calls_stands() -> None:
    assert U in classify(mail("Ik wil niet meer gebeld worden door jullie verkopers.",
                              "Bellen")).kinds


@pytest.mark.parametrize("body", [
    "Verwijder mijn oude 06-nummer uit jullie systeem, dat heb ik niet meer. Mijn nieuwe "
    "nummer is 06 0000 4127.",
    "Please delete my old mobile number from my account. My new number is 07700 900857.",
])
def test_an_old_number_deleted_for_a_new_one_is_the_correction(body: str) -> None:
    verdict = classify(mail(body, "Telefoonnummer"))
    assert C in verdict.kinds
    assert E not in verdict.kinds


def test_an_old_address_and_another_detail_erased_keep_the_erasure() -> None:
    verdict = classify(mail("Mijn e-mailadres is gewijzigd: gebruik voortaan "
                            "roel@jacobs.example. Het oude adres en mijn geboortedatum mogen "
                            "helemaal uit jullie systeem.", "Nieuw mailadres"))
    assert E in verdict.kinds or needs_triage(verdict)


@pytest.mark.parametrize("body", [
    "Hoi Sanne, Rik Mulder (personeelsnummer 0457) is verhuisd. Nieuw adres: Kastanjelaan 8. "
    "Wil jij dit in de salarisadministratie aanpassen?",
    "Serait-il possible de changer la date de prélèvement du 5 au 15 du mois ?",
])
def test_payroll_and_payment_dates_wait_for_a_person(body: str) -> None:
    verdict = classify(mail(body, "Adreswijziging"))
    assert C not in verdict.kinds or needs_triage(verdict)


@pytest.mark.parametrize("body", ["Spare me the newsletters, please.",
                                  "Make this stop, please. I never signed up for it."])
def test_everyday_opt_outs_are_read(body: str) -> None:
    assert U in classify(mail(body, "Newsletters")).kinds
