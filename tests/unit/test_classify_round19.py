"""Round nineteen of issue 13, from probes in the style of everyday mail typed on phones and
in webmail: a writer who no longer needs a mailing asks to stop it; "take me out of the
list"; "who did you give my number to"; not wanting one's data kept any longer; a wish the
writer had at first and gave up ("I first wanted to ..., but"); a question whether what the
writer did themself is done. Each class has controls that must keep their reading."""

from __future__ import annotations

import pytest
from test_classify_support import A, C, E, U, acted, mail

from mailbot.classify import classify
from mailbot.classify.classifier import run, triage_reasons
from mailbot.domain.kinds import RequestKind


@pytest.mark.parametrize("body", [
    "die webinar uitnodigingen hoef ik echt niet meer te krijgen. groetjes",
    "de nieuwsbrief hoef ik niet meer te ontvangen, dank",
    "I don't need to receive your webinar invites anymore.",
    "Ich brauche Ihre Einladungen nicht mehr zu bekommen.",
    "Je n'ai plus besoin de recevoir vos invitations aux webinaires.",
])
def test_needing_a_mailing_no_more_asks_to_stop_it(body: str) -> None:
    assert U in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "ik krijg de nieuwsbrief niet meer, klopt dat?",
    "I don't receive the newsletter anymore, is something wrong?",
    "Ik ontvang jullie nieuwsbrief niet meer sinds de verhuizing.",
])
def test_a_mailing_that_stopped_coming_is_still_no_opt_out(body: str) -> None:
    assert U not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "zet me maar uit de mailinglijst hoor",
    "zet mij uit jullie verzendlijst",
    "take me out of the mailing list",
])
def test_taken_out_of_the_list(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {U}


@pytest.mark.parametrize("body", [
    "Ik zet de verwarming uit als ik op vakantie ga, is dat een probleem voor de app?",
    "Can I take out a longer service contract?",
    "I took out the battery and the list of errors is gone.",
])
def test_taking_out_or_switching_off_something_else_asks_nothing(body: str) -> None:
    assert U not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Aan wie hebben jullie mijn adres doorgegeven?",
    "Met welke bedrijven delen jullie mijn mailadres?",
    "Who did you give my phone number to?",
    "An wen haben Sie meine Telefonnummer weitergegeben?",
    "À qui avez-vous transmis mon adresse ?",
])
def test_who_was_given_one_of_my_details_asks_for_access(body: str) -> None:
    assert A in classify(mail(body)).kinds


def test_who_the_writer_should_give_something_to_is_no_access() -> None:
    body = ("I use an oxygen concentrator at home. Who should I give this information to, "
            "and do you need a letter from the doctor?")
    assert A not in classify(mail(body)).kinds


def test_show_me_what_is_about_me_asks_for_access() -> None:
    body = ("Kunnen jullie me laten zien wat er over mij in jullie systeem staat? Volgens mij "
            "staat mijn adres er nog verkeerd in, het is Dorpsstraat 8.")
    assert set(classify(mail(body)).kinds) == {A, C}


def test_off_the_newsletter_and_the_account_gone_are_both_asked() -> None:
    body = "I want off your newsletter and after that I want my whole account gone."
    assert set(classify(mail(body)).kinds) == {E, U}


@pytest.mark.parametrize("body", [
    "Following my divorce I have gone back to my maiden name. Please change the name on my "
    "account.",
    "My direct debit has gone up by 28 euros. Please send me a copy of the meter readings "
    "you hold about me.",
])
def test_gone_as_a_participle_erases_nothing(body: str) -> None:
    assert E not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Jullie mogen mijn gegevens niet langer bewaren.",
    "I no longer want you to keep any of my data.",
    "Sie sollen meine Daten nicht mehr speichern.",
    "Je ne veux plus que vous conserviez mes données.",
])
def test_not_wanting_ones_data_kept_any_longer_asks_to_erase_it(body: str) -> None:
    assert E in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Ik ben geen klant meer, bewaren jullie mijn gegevens dan nog?",
    "We no longer keep your data after the contract ends, right?",
    "Volgens de AVG mag u persoonsgegevens niet langer bewaren dan nodig. Hoe doet u dat?",
    "Please confirm that my data will no longer be processed for direct marketing.",
    "Ik weet niet meer wat ik allemaal heb ingevuld over mijn huid, dat wil ik graag zien.",
])
def test_keeping_data_asked_about_or_told_is_no_erasure(body: str) -> None:
    assert E not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Ik wilde me eerst afmelden voor de nieuwsbrief, maar de laatste tips waren echt goed. "
    "Ik blijf dus toch.",
    "I wanted to unsubscribe from the newsletter at first, but the last tips were really "
    "good. So I'm staying.",
    "Ich wollte mich zuerst vom Newsletter abmelden, aber die letzten Tipps waren gut. Ich "
    "bleibe also.",
    "Je voulais d'abord me désinscrire de la newsletter, mais les derniers conseils étaient "
    "bons. Je reste donc.",
    "Ik wilde eigenlijk mijn account laten verwijderen, maar jullie hebben het probleem "
    "opgelost.",
])
def test_a_wish_given_up_is_not_acted_on(body: str) -> None:
    verdict = classify(mail(body))
    assert not set(verdict.kinds) & {E, U}
    assert triage_reasons(verdict)


@pytest.mark.parametrize(("body", "kind"), [
    ("Ik wilde eerst alleen de nieuwsbrief opzeggen, maar nu wil ik dat jullie al mijn "
     "gegevens verwijderen.", E),
    ("Ik wilde me eigenlijk zelf afmelden, maar de link werkt niet. Kunnen jullie me van de "
     "nieuwsbrief afhalen?", U),
    ("I actually wanted to delete my account myself, but I can't find the button. Please "
     "delete it for me.", E),
    ("Ik wilde al lang afmelden voor de nieuwsbrief. Bij deze: graag afmelden.", U),
])
def test_what_is_asked_after_the_first_wish_or_beside_trying_still_counts(
        body: str, kind: object) -> None:
    assert kind in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Ik heb mijn account zelf al verwijderd via de app. Klopt het dat alles nu weg is?",
    "J'ai supprimé mon compte moi-même dans l'appli. Est-ce que tout est bien effacé "
    "maintenant ?",
    "I deleted my account myself in the app. Is it true that everything is gone now?",
    "Ich habe mein Konto selbst in der App gelöscht. Stimmt es, dass jetzt alles weg ist?",
])
def test_asking_whether_it_is_done_is_not_acted_on(body: str) -> None:
    assert not acted(body, "")
    assert E not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Is het mogelijk dat alles van mij verwijderd wordt?",
    "Is it possible to have everything deleted?",
    "Kunnen jullie zorgen dat alles van mij weg is?",
])
def test_asking_for_it_to_be_done_still_asks(body: str) -> None:
    assert E in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "graag mijn bankrekening wijzigen, ik heb een nieuwe bank.",
    "Merci de modifier mon compte bancaire, j'ai changé de banque.",
])
def test_a_bank_account_is_a_detail_to_correct(body: str) -> None:
    assert C in classify(mail(body)).kinds


@pytest.mark.parametrize(("body", "kinds"), [
    ("Nu wil ik ook geen mails meer van jullie. Dus uit de nieuwsbrief en alles wissen.",
     {E, U}),
    ("Ik ben klaar met jullie, dus account en gegevens verwijderen.", {E}),
    ("Konto und alle Daten löschen.", {E}),
])
def test_a_clause_without_a_subject_ending_in_the_infinitive_asks(
        body: str, kinds: set[object]) -> None:
    assert set(classify(mail(body)).kinds) == kinds


@pytest.mark.parametrize("body", [
    "Ik was vorige week in jullie showroom in Zwolle en heb daar een folder meegenomen. "
    "Bedankt voor de bevestiging van mijn afmelding.",
    "Ich habe gestern in der Zeitung einen langen Artikel über den Datenschutz gelesen. Die "
    "Aufsichtsbehörden prüfen, ob Unternehmen personenbezogene Daten fristgerecht löschen.",
    "Het is niet gelukt om mijn account te verwijderen.",
    "Ich weiß nicht, wie man das Konto löschen kann.",
])
def test_a_noun_a_subordinate_clause_or_an_infinitive_with_te_asks_nothing(body: str) -> None:
    assert not set(classify(mail(body)).kinds) & {E, U}


def test_an_imperative_after_a_comma_with_a_particle_before_the_writer() -> None:
    body = ("Je voudrais d'abord savoir ce que vous avez enregistré sur moi. En attendant, "
            "arrêtez de m'envoyer de la pub. Et quand j'aurai reçu la copie, effacez tout.")
    assert set(classify(mail(body)).kinds) == {A, E, U}
    assert acted(body) in (set(), {A, E, U})  # nothing acted on in part


def test_greek_stop_and_erase_after_a_greeting() -> None:
    body = ("Γεια σας, σταματήστε να μου στέλνετε newsletter και μετά διαγράψτε "  # noqa: RUF001
            "όλα τα στοιχεία μου.")
    assert set(classify(mail(body, "διαγραφή και όχι άλλα email")).kinds) == {E, U}


@pytest.mark.parametrize("body", [
    "Hej, I har stavet mit efternavn Nielson på fakturaen. Det er Nielsen, med e. Vil I rette "
    "det?",
    "Dobrý deň, v aplikácii mám meno napísané Kovac, správne je Kováč. Prosím opravte to.",
    "Hola, mi dirección está mal en vuestra app. La nueva es Calle Mayor 5. ¿La podéis cambiar?",
    "Hej, mitt efternamn är felstavat i appen. Kan ni rätta det?",
    "Dzień dobry, mój adres jest nieaktualny. Proszę go zmienić na ul. Lipowa 3.",
])
def test_an_everyday_correction_in_another_eu_language_points_back(body: str) -> None:
    assert C in classify(mail(body)).kinds


def test_what_do_you_have_about_me_in_swedish() -> None:
    assert A in classify(mail("Hej, vad har ni sparat om mig? Skicka gärna en kopia.")).kinds


@pytest.mark.parametrize(("subject", "body"), [
    ("", "How do I change my email address in the app? I'd rather do it myself."),
    ("changer l'adresse e-mail de l'appli",
     "Bonsoir, comment est-ce que je change l'adresse e-mail avec laquelle je me\nconnecte à "
     "l'appli ? Je préfère le faire moi-même, dites-moi juste où se trouve l'option."),
])
def test_asking_how_to_do_it_oneself_asks_for_nothing(subject: str, body: str) -> None:
    assert C not in classify(mail(body, subject)).kinds


@pytest.mark.parametrize(("subject", "body"), [
    ("Afmelden", "Ik heb me al twee keer afgemeld via de link, maar ik krijg nog steeds mails."),
    ("Unsubscribe me", "I already unsubscribed twice and still get your emails."),
])
def test_a_subject_that_asks_stays_asked_over_a_body_that_tells(subject: str, body: str) -> None:
    assert U in classify(mail(body, subject)).kinds


@pytest.mark.parametrize("body", [
    "Mijn dochter (14) heeft een account bij jullie. Ik wil graag haar gegevens inzien.",
    "Mein Sohn (12) hat bei Ihnen ein Konto. Bitte schicken Sie mir eine Kopie seiner Daten.",
    "My daughter (14) has an account with you. Please send me a copy of her data.",
    "Mijn dochter Femke (14) heeft bij jullie een quiz ingevuld. Ik wil graag weten wat "
    "jullie precies van haar hebben opgeslagen.",
    "My son (12) entered your quiz. I'd like to know what you have stored about him.",
    "Meine Frau möchte wissen, welche Daten Sie über sie gespeichert haben.",
])
def test_access_to_a_relatives_data_named_before_waits_for_the_authority(body: str) -> None:
    verdict = classify(mail(body))
    assert A in verdict.kinds
    assert any("someone else" in reason for reason in triage_reasons(verdict))


@pytest.mark.parametrize("body", [
    "Mijn dochter (14) heeft een account bij jullie. Verwijder alstublieft haar gegevens.",
    "Meine Tochter ist 12 und hat ein Konto bei Ihnen. Bitte löschen Sie ihre Daten.",
])
def test_a_parents_erasure_of_a_childs_data_goes_on(body: str) -> None:
    assert acted(body) == {E}


@pytest.mark.parametrize("body", [
    "Ik heb vorige week met jullie monteur gesproken. Wat hebben jullie met hem afgesproken "
    "over de planning?",
    "My neighbour recommended you. What do you have on him in your records? Just curious if "
    "he is a customer.",
])
def test_what_is_held_about_someone_not_the_writers_relative_is_no_access(body: str) -> None:
    assert A not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Wilt u het adres van mijn vrouw aanpassen, zij is verhuisd.",
    "Please change the address of my wife, she has moved.",
])
def test_a_relatives_detail_waits_for_a_person(body: str) -> None:
    verdict = classify(mail(body, "Adres"))
    assert C in verdict.kinds
    assert any("someone else" in reason for reason in triage_reasons(verdict))


def test_the_writers_own_detail_on_a_relatives_account_is_the_writers() -> None:
    body = ("I'm not a customer and never agreed to be my brother's contact. Please delete my "
            "name and number from his account.")
    assert not any("someone else" in r for r in triage_reasons(classify(mail(body))))


@pytest.mark.parametrize("body", [
    "Haal mijn mailadres uit jullie marketingbestand.",
    "Löschen Sie meine E-Mail-Adresse aus Ihrer Marketingdatenbank.",
    "Entfernen Sie meine Nummer aus Ihrer Werbekartei.",
])
def test_a_detail_out_of_a_marketing_file_in_one_word_is_an_opt_out(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {U}


def test_uploading_an_address_to_ad_platforms_refused() -> None:
    body = ("Ik wil niet dat jullie mijn e-mailadres uploaden naar Facebook of Google voor "
            "advertenties.")
    assert set(classify(mail(body)).kinds) == {U}


@pytest.mark.parametrize("body", [
    "Wat jullie over mij hebben, mag weg.",
    "Was Sie über mich haben, kann weg.",
    "Hallo, ich bin kein Kunde mehr. Was Sie über mich haben, kann weg.",
])
def test_what_you_have_about_me_named_as_what_may_go_is_erasure_only(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {E}


@pytest.mark.parametrize(("body", "kind"), [
    ("Wat jullie over mij hebben, wil ik graag weten.", A),
    ("scrap my account please, not using it anymore", E),
    ("send over whatever you've got on me", A),
])
def test_the_same_words_asked_otherwise(body: str, kind: object) -> None:
    assert kind in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Ich war zwei Wochen weg und konnte nicht antworten.",
    "Scrap that, I found the answer on your website.",
])
def test_away_or_scrapped_words_ask_nothing(body: str) -> None:
    assert not set(classify(mail(body)).kinds) & {A, C, E, U}


@pytest.mark.parametrize("body", [
    "Stop maar niet met de nieuwsbrief, ik lees hem graag.",
    "Melden Sie mich bitte nicht ab, ich lese den Newsletter gern.",
    "Don't unsubscribe me, I like the newsletter!",
    "Ne me désinscrivez pas, j'aime bien la newsletter.",
])
def test_an_opt_out_negated_after_its_verb_is_none(body: str) -> None:
    assert U not in classify(mail(body)).kinds


def test_an_opt_out_asked_beside_a_particle_still_asks() -> None:
    assert U in classify(mail("Stop maar met die nieuwsbrief, ik lees hem nooit.")).kinds


@pytest.mark.parametrize("body", [
    "Mocht ik ooit opzeggen, verwijderen jullie dan automatisch mijn gegevens?",
    "If I ever cancel, will you delete my data automatically?",
])
def test_what_follows_if_the_writer_ever_cancels_is_asked_not_requested(body: str) -> None:
    assert E not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Drie vragen: wat hebben jullie van mij? Klopt mijn adres nog (Lindelaan 5)? En daarna "
    "alles verwijderen graag.",
    "Is my phone number still correct in your system? It should be 07700 900123.",
    "Stimmt meine Adresse bei Ihnen noch? Ich wohne jetzt in der Bahnhofstraße 2.",
])
def test_whether_a_detail_is_still_right_makes_the_mail_wait(body: str) -> None:
    assert triage_reasons(classify(mail(body)))


@pytest.mark.parametrize("body", [
    "Mijn adres klopt nog, alleen mijn telefoonnummer niet. Nee grapje, alles klopt.",
    "Is your office address still correct for sending the form?",
])
def test_a_detail_told_right_or_ours_asked_is_no_correction(body: str) -> None:
    assert C not in classify(mail(body)).kinds


@pytest.mark.parametrize(("subject", "body"), [
    ("Akkoord voorstel", "Akkoord met jullie voorstel om de bewaartermijn van de "
     "planningsgegevens op 12 maanden te zetten."),
    ("Re: Voorstel bewaartermijn", "Prima, zo doen. Ga maar uit van 12 maanden bewaren en "
     "daarna verwijderen."),
    ("Re: retention proposal", "Agreed, please go ahead with the 12 months you proposed."),
])
def test_a_client_contact_agreeing_to_our_proposal_gives_an_instruction(
        subject: str, body: str) -> None:
    verdict = run(mail(body, subject), client_contact=True).classification
    assert RequestKind.REGISTER_INSTRUCTION in verdict.kinds
    assert triage_reasons(verdict)  # a person enters what was proposed


def test_anyone_else_agreeing_to_a_proposal_gives_none() -> None:
    verdict = classify(mail("Akkoord met jullie voorstel voor de nieuwe monteursafspraak.",
                            "Re: voorstel afspraak"))
    assert RequestKind.REGISTER_INSTRUCTION not in verdict.kinds


@pytest.mark.parametrize(("body", "language", "kind"), [
    ("Vă rog să nu-mi mai trimiteți reclame.", "ro", U),
    ("Kérem, töröljék a fiókomat és az adataimat.", "hu", E),
    ("Prosim, nehajte mi pošiljati oglase.", "sl", U),
    ("Lopettakaa mainosten lähettäminen minulle.", "fi", U),
    ("Poistakaa tilini ja kaikki tietoni.", "fi", E),
    ("Mi apellido está mal escrito, es García con tilde.", "es", C),
    ("Il mio cognome è scritto male, è Rossi con due esse.", "it", C),
])
def test_an_everyday_request_in_another_eu_language(body: str, language: str,
                                                    kind: object) -> None:
    verdict = classify(mail(body))
    assert verdict.language == language
    assert kind in verdict.kinds


@pytest.mark.parametrize(("subject", "body", "kind"), [
    ("Re: Ontvangstbevestiging inzageverzoek MB-2026-00327",
     "nog steeds niks gehoord. het is nu al 4 weken. wanneer krijg ik het\noverzicht?", A),
    ("Re: Your erasure request - MB-2026-00362",
     "Still nothing. It's been over a month since you confirmed this and my\naccount is still "
     "active. Please get it done.", E),
])
def test_a_chase_under_our_acknowledgement_takes_the_kind_it_names(
        subject: str, body: str, kind: object) -> None:
    verdict = classify(mail(body, subject, in_reply_to="<ack-1@example.test>"))
    assert kind in verdict.kinds
    assert any("earlier request" in reason for reason in triage_reasons(verdict))


def test_an_opt_out_with_still_nothing_changed_is_no_chase() -> None:
    body = "Ik heb me al twee keer afgemeld en nog steeds niks veranderd, haal me er nu af."
    verdict = classify(mail(body, "Afmelden"))
    assert set(verdict.kinds) == {U}
    assert not any("earlier request" in reason for reason in triage_reasons(verdict))


@pytest.mark.parametrize("body", [
    "Ik wil helemaal niks meer van jullie ontvangen.",
    "I don't want to hear from you ever again.",
    "Lassen Sie mich mit Ihrer Werbung in Ruhe.",
    "Hou op met bellen!",
    "Hören Sie auf, mich anzurufen.",
])
def test_nothing_more_at_all_and_stop_calling(body: str) -> None:
    assert U in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Ik heb niks meer van jullie ontvangen sinds de installatie. Klopt dat?",
    "I have not received anything from you anymore since May, is my account still active?",
])
def test_nothing_more_received_is_told_not_asked(body: str) -> None:
    assert U not in classify(mail(body)).kinds
