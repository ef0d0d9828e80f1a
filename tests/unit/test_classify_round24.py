"""Round twenty-four of issue 13: look-alikes of the acting classes found by probing them
(mail that stopped arriving, an opt-out already done, a wish not to miss a mailing, an
opt-out for a time, a question of what happens by itself, how to ask), a mailing's footer
asked as a question, and requests an employment agency's mail showed missed."""

from __future__ import annotations

import pytest
from test_classify_support import C, U, acted, mail, mailing_signs

from mailbot.classify import classify, triage_reasons
from mailbot.domain.kinds import RequestKind

A = RequestKind.ACCESS
E = RequestKind.ERASURE
R = RequestKind.REGISTER_INSTRUCTION


@pytest.mark.parametrize("body", [
    "Je ne reçois plus votre newsletter depuis un mois, pouvez-vous vérifier ?",
    "Ik ontvang de nieuwsbrief al weken niet meer, kunnen jullie dat nakijken?",
    "I don't receive the newsletter any more, could you check?",
    "Ich erhalte den Newsletter nicht mehr, können Sie das bitte prüfen?",
])
def test_asking_to_look_into_mail_that_stopped_is_no_opt_out(body: str) -> None:
    assert U not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Merci, je suis bien désinscrit de la newsletter.",
    "Bedankt, ik ben inmiddels afgemeld voor de nieuwsbrief.",
    "Thanks, I have been unsubscribed from the newsletter now.",
    "Danke, ich bin jetzt vom Newsletter abgemeldet.",
])
def test_an_opt_out_said_to_be_done_is_acted_on_nowhere(body: str) -> None:
    assert acted(body) == set()


@pytest.mark.parametrize("body", [
    "Ik wil geen nieuwsbrief meer missen, kunnen jullie me een sms sturen als er een nieuwe is?",
    "I don't want to miss any newsletter, can you text me when one comes out?",
    "Ich möchte keinen Newsletter mehr verpassen, bitte schicken Sie mir eine SMS.",
    "Je ne veux plus manquer aucune newsletter, envoyez-moi un SMS.",
    "I turned off notifications by mistake, how do I turn them back on?",
])
def test_a_wish_not_to_miss_a_mailing_or_to_have_it_back_is_no_opt_out(body: str) -> None:
    assert acted(body) == set()


def test_mails_to_a_school_s_parents_are_not_the_writer_s_opt_out() -> None:
    body = ("We willen als school stoppen met de fotodag-mails naar ouders van groep 8, want die "
            "zijn van school af. Kunnen jullie dat regelen in het systeem?")
    assert acted(body) == set()


@pytest.mark.parametrize("body", [
    "Deel mijn gegevens niet met de deurwaarder voordat ik heb kunnen reageren.",
    "Please don't call me until I have had time to think about the offer.",
    "Bitte rufen Sie mich nicht mehr an, bis ich mich selbst melde.",
])
def test_an_opt_out_for_a_time_waits_for_a_person(body: str) -> None:
    assert acted(body) == set()


@pytest.mark.parametrize("body", [
    "Please don't call me until further notice.",
    "Ne m'appelez plus jusqu'à nouvel ordre.",
])
def test_until_further_notice_is_no_limit(body: str) -> None:
    assert U in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Worden mijn gegevens na opzegging automatisch verwijderd?",
    "I deleted the app, does that delete my data too?",
    "Will my data be automatically deleted when I cancel?",
])
def test_asking_whether_data_goes_by_itself_is_no_erasure(body: str) -> None:
    assert acted(body) == set()


def test_an_erasure_asked_after_such_a_question_is_still_read() -> None:
    body = "Worden mijn gegevens automatisch verwijderd? Zo niet, verwijder ze dan graag."
    assert E in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Mijn contract loopt af, moet ik iets doen om mijn gegevens te laten verwijderen?",
    "My contract ends soon, do I need to do anything to have my data deleted?",
    "Mein Vertrag endet, muss ich etwas tun, damit meine Daten gelöscht werden?",
    "Mon contrat se termine, dois-je faire quelque chose pour que mes données soient "
    "supprimées ?",
    "Wat moet ik doen om mijn gegevens te laten verwijderen?",
])
def test_asking_what_to_do_for_a_request_makes_none(body: str) -> None:
    assert acted(body) == set()


def test_a_french_change_of_mind_withdraws() -> None:
    assert acted("Supprimez mes données. Enfin non, oubliez, je garde mon compte.") == set()


def test_keeping_the_account_narrows_an_erasure_and_withdraws_nothing() -> None:
    body = ("En fait je me suis mal exprimée dans l'objet : je garde mon compte. Je voudrais "
            "seulement que vous supprimiez les photos de profil que j'ai mises dans "
            "l'application.")
    assert acted(body, subject="Suppression de mon compte") == {E}


@pytest.mark.parametrize("body", [
    "Hallo Sam, er zijn 5 nieuwe vacatures voor je.\n\nAfmelden voor deze alerts? Klik hier.",
    "Hi Sam, 5 new jobs match your profile.\n\nUnsubscribe from these alerts? Click here.",
    "Hi Sam, 5 new jobs.\n\nDon't want these emails anymore? Unsubscribe here.",
    "Hallo Sam, 5 neue Stellen.\n\nVom Newsletter abmelden? Hier klicken.",
    "Bonjour Sam, 5 nouvelles offres.\n\nVous ne souhaitez plus recevoir ces alertes ? "
    "Cliquez ici.",
])
def test_a_mailing_s_footer_asked_as_a_question_is_a_sign_of_a_mailing(body: str) -> None:
    assert any(s.startswith("unsubscribe offer") for s in mailing_signs(body))


@pytest.mark.parametrize("body", [
    "De dagelijkse vacaturemails mogen stoppen, ik heb werk.",
    "De nieuwsbrief mag stoppen.",
])
def test_mails_that_may_stop_are_an_opt_out(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {U}


def test_a_second_request_in_greek_is_read_beside_the_first() -> None:
    body = ("Παρακαλώ διαγράψτε τον λογαριασμό μου και το βιογραφικό μου, και μην μου στέλνετε "
            "άλλα email με αγγελίες.")
    verdict = classify(mail(body))
    assert set(verdict.kinds) == {E, U}


@pytest.mark.parametrize("body", [
    "Willen jullie in mijn gegevens dit adres zetten, bas.verhoeven@example.org?",
    "Kunnen jullie dit nummer in mijn dossier zetten: 06 39 98 11 22.",
])
def test_a_detail_put_in_my_file_is_a_correction(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {C}


@pytest.mark.parametrize("body", [
    "I would like to receive my assessment results and the report you sent to the employer.",
    "Ich möchte meine Testergebnisse und die Gesprächsnotizen erhalten.",
])
def test_one_s_own_test_results_are_data_asked_for(body: str) -> None:
    assert A in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "When will I get the test results? It has been two weeks.",
    "Wann bekomme ich die Testergebnisse?",
])
def test_asking_when_results_come_is_no_access_request(body: str) -> None:
    assert A not in classify(mail(body)).kinds


@pytest.mark.parametrize(("subject", "body"), [
    ("AW: Auftragsbestätigung WW-ORD-26-0024 - Ergänzung",
     "ab 1. Mai setzen wir auch in Goch Kräfte ein; bitte nehmen Sie diese Mitarbeitenden in "
     "die Lohnabrechnung auf."),
    ("Re: opdracht KF-ORD-26-0031",
     "Wij willen de opdracht uitbreiden met de leerlingen van groep 3."),
])
def test_an_amendment_under_an_order_reference_of_another_form_is_an_order(
        subject: str, body: str) -> None:
    verdict = classify(mail(body, subject, sender="k.wozniak@pflegedienst.example"),
                       client_contact=True)
    assert R in verdict.kinds


@pytest.mark.parametrize("body", [
    "¿Mis datos se borran automáticamente cuando cancelo la cuenta?",
    "I miei dati vengono cancellati automaticamente se chiudo l'account?",
    "Czy moje dane zostaną automatycznie usunięte po zamknięciu konta?",
    "Os meus dados são apagados automaticamente quando fecho a conta?",
    "Ya pedí al banco que borrara mis datos.",
    "Ho già chiesto alla scuola di cancellare i miei dati.",
    "Já pedi ao banco que apagasse os meus dados.",
    "Już prosiłem bank o usunięcie moich danych.",
])
def test_other_languages_ask_nothing_of_us_in_such_questions_and_tellings(body: str) -> None:
    assert acted(body) == set()


@pytest.mark.parametrize("body", [
    "Por favor, borren mis datos.",
    "Vi prego di cancellare i miei dati.",
    "Proszę usunąć moje dane.",
])
def test_other_languages_still_ask_for_erasure_plainly(body: str) -> None:
    assert E in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Ik wil van de nieuwsbrief af.",
    "Ik wil graag van jullie mailinglijst af.",
    "Ik wil eraf, van die nieuwsbrief.",
    "Ich will aus dem Verteiler raus.",
    "Je veux sortir de votre liste de diffusion.",
])
def test_wanting_off_a_channel_is_an_opt_out(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {U}


@pytest.mark.parametrize("body", [
    "Ik wil van mijn schulden af, kunnen jullie een regeling treffen?",
    "Ich will aus dem Vertrag raus, wie geht das?",
    "Je veux sortir de mon contrat, comment faire ?",
])
def test_wanting_off_anything_else_is_no_opt_out(body: str) -> None:
    assert U not in classify(mail(body)).kinds


def test_a_relative_s_opt_out_beside_one_s_own_erasure_makes_the_mail_wait() -> None:
    body = ("Verwijder mijn account. En mijn zus wil ook van de nieuwsbrief af, haar adres is "
            "lisa@example.org.")
    assert acted(body) == set()


@pytest.mark.parametrize("body", [
    "I'd like to know what my login name is, I forgot it.",
    "Je voudrais savoir quel est mon identifiant, je l'ai oublié.",
    "Ik ben mijn wachtwoord vergeten, kunnen jullie het resetten?",
    "Ich habe meinen Benutzernamen vergessen. Können Sie helfen?",
])
def test_what_the_writer_forgot_is_no_erasure(body: str) -> None:
    assert E not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "I want to be forgotten. Delete everything you have on me.",
    "Vergeet mij en verwijder mijn gegevens.",
    "Je veux être oublié, supprimez toutes mes données.",
    "I forgot to mention: please also delete my account.",
])
def test_being_forgotten_is_still_an_erasure(body: str) -> None:
    assert E in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Mijn werkgever wil inzage in mijn gegevens bij jullie, mag dat zomaar?",
    "My employer wants a copy of my data from you, is that allowed?",
])
def test_another_party_s_wish_asked_about_is_no_request(body: str) -> None:
    assert acted(body) == set()


def test_another_party_s_wish_with_a_plea_is_read() -> None:
    body = ("Mijn werkgever wil weten welke gegevens jullie van mij hebben, kunnen jullie mij een "
            "overzicht sturen?")
    assert A in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "My address is correct in your system but the courier keeps going to the wrong house.",
    "Mijn naam staat goed in het systeem, alleen de spelling op de pas is fout.",
])
def test_a_detail_said_right_in_our_records_asks_no_correction(body: str) -> None:
    assert acted(body) == set()


@pytest.mark.parametrize("body", [
    "Mijn adres is gewijzigd door de gemeente (straatnaamwijziging), moet ik dat aan jullie "
    "doorgeven?",
    "I'm getting married next month; will I need to update my surname with you?",
    "Ich heirate bald. Muss ich meinen Namen dann bei Ihnen ändern lassen?",
    "Je vais me marier, dois-je faire modifier mon nom chez vous ?",
])
def test_asking_whether_a_change_must_be_passed_on_makes_no_correction(body: str) -> None:
    assert acted(body) == set()


@pytest.mark.parametrize("body", [
    "Stuur me geen sms'jes meer.",
    "Please send me no more texts.",
    "Ik wil van de nieuwsbrief af.",
])
def test_the_classes_listed_this_round_act(body: str) -> None:
    assert acted(body) == {U}


@pytest.mark.parametrize("body", [
    "Ruf mich nicht mehr an.",
    "Bitte rufen Sie mich bis auf Weiteres nicht mehr an.",
])
def test_a_german_call_with_its_verb_split_is_an_opt_out(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {U}


def test_a_german_call_about_an_invoice_is_no_opt_out() -> None:
    body = "Rufen Sie mich nicht mehr wegen der Rechnung an, ich habe bezahlt."
    assert U not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Ik wil niet meer gebeld worden, ik heb al een leverancier.",
    "No more texts to that number please, it is not mine any more.",
])
def test_no_more_without_the_writer_named_still_waits(body: str) -> None:
    assert acted(body) == set()


@pytest.mark.parametrize("body", [
    "Ik wil weten welke gegevens jullie nodig hebben om mijn loon uit te betalen.",
    "Which of my details do you need for the refund?",
    "Ich möchte wissen, welche Daten Sie für die Lohnabrechnung von mir brauchen.",
])
def test_asking_which_data_is_needed_is_no_access_request(body: str) -> None:
    assert acted(body) == set()


@pytest.mark.parametrize("body", [
    "Ik wil weten welke gegevens jullie van mij hebben en waarom jullie die nodig hebben.",
    "Please tell me what data you hold about me and why you need it.",
])
def test_asking_what_is_held_and_why_it_is_needed_is_access(body: str) -> None:
    assert A in classify(mail(body)).kinds


def test_a_french_detail_updated_by_the_writer_in_the_app_asks_nothing() -> None:
    assert acted("Mon adresse a changé mais je l'ai déjà mise à jour dans l'application.") == set()


def test_a_dutch_plea_not_to_stop_a_mailing_is_no_opt_out() -> None:
    assert acted("Stop alsjeblieft niet met de sms-herinneringen, die zijn erg handig!") == set()


def test_cookies_the_writer_disabled_in_french_ask_nothing() -> None:
    assert acted("J'ai désactivé les cookies et maintenant le site ne marche plus.") == set()


@pytest.mark.parametrize("body", [
    "Heb ik het recht om mijn gegevens te laten verwijderen?",
    "Do I have the right to have my data deleted?",
    "Habe ich das Recht, meine Daten löschen zu lassen?",
    "Ai-je le droit de faire supprimer mes données ?",
    "Mijn gegevens zijn verwijderd, maar ik wil ze terug. Kan dat?",
])
def test_asking_about_the_right_or_wanting_data_back_is_no_erasure(body: str) -> None:
    assert acted(body) == set()


@pytest.mark.parametrize("body", [
    "Ik heb het recht op verwijdering. Verwijder al mijn gegevens.",
    "Ich habe das Recht auf Löschung. Bitte löschen Sie meine Daten.",
])
def test_a_right_named_beside_the_request_is_still_read(body: str) -> None:
    assert E in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Por favor borren los datos de mi marido.",
    "Per favore cancellate i dati di mio marito.",
    "Proszę usunąć dane mojego męża.",
    "Por favor apaguem os dados do meu marido.",
    "Prosím smažte údaje mého manžela.",
    "Radera min mans uppgifter, tack.",
    "Slet venligst min mands oplysninger.",
    "Quiero una copia de los datos de mi madre.",
    "Vorrei una copia dei dati di mia madre.",
    "Chcę otrzymać kopię danych mojej matki.",
])
def test_other_languages_make_a_relative_s_request_wait(body: str) -> None:
    assert acted(body) == set()


@pytest.mark.parametrize("body", [
    "Borren todos los datos sobre mí, por favor.",
    "Quiero una copia de mis datos.",
    "Radera mina uppgifter, tack.",
    "Prosím smažte moje údaje.",
])
def test_other_languages_still_act_on_the_writer_s_own_request(body: str) -> None:
    assert acted(body)


@pytest.mark.parametrize("body", [
    "Escribo en nombre de mi cliente, el Sr. Pérez. Solicitamos la supresión de sus datos.",
    "Scrivo per conto del mio cliente. Chiediamo la cancellazione dei suoi dati.",
    "Escrevo em nome do meu cliente. Solicitamos o apagamento dos seus dados.",
    "Come avvocato del sig. Bianchi, chiedo l'accesso ai suoi dati.",
    "Jako pełnomocnik pana Kowalskiego żądam dostępu do jego danych.",
    "Mi padre falleció el mes pasado. Por favor borren su cuenta y sus datos.",
    "Mio padre è morto il mese scorso. Vi prego di cancellare il suo account.",
    "Mój ojciec zmarł w zeszłym miesiącu. Proszę usunąć jego konto.",
    "O meu pai faleceu no mês passado. Por favor apaguem a conta dele.",
    "Min pappa dog förra månaden. Radera hans konto, tack.",
])
def test_other_languages_make_a_representative_s_or_the_dead_s_request_wait(body: str) -> None:
    assert acted(body) == set()


def test_working_as_a_carer_is_acting_for_nobody() -> None:
    body = ("Pracuję jako opiekunka w domu opieki. Proszę o przesłanie wszystkich danych, które "
            "macie o mnie.")
    verdict = classify(mail(body))
    assert set(verdict.kinds) == {A}
    assert not any("someone else" in r for r in triage_reasons(verdict))


@pytest.mark.parametrize("body", [
    "Borren mis datos. Perdón, olvídenlo, ya está resuelto.",
    "Apaguem os meus dados. Esqueçam, já resolvi.",
    "Obrigado por apagarem os meus dados.",
    "¿Cuánto tiempo guardan mis datos después de cancelar?",
    "Quanto tempo guardam os meus dados?",
])
def test_other_languages_withdraw_thank_and_ask_how_long(body: str) -> None:
    assert acted(body) == set()


@pytest.mark.parametrize("body", [
    "De factuur voor ORD-2024-11 klopt niet, kunnen jullie die aanpassen?",
    "Please amend the invoice for order-2231, the hours are wrong.",
    "Bitte ändern Sie die Rechnung zu ORD-553, der Betrag stimmt nicht.",
    "Pourriez-vous modifier la facture ORD-2024-7 ? Le montant est faux.",
])
def test_a_client_s_invoice_to_amend_is_no_order(body: str) -> None:
    verdict = classify(mail(body, sender="h.vermeulen@distributie.example"), client_contact=True)
    assert R not in verdict.kinds


@pytest.mark.parametrize("body", [
    "Ik wil inzage in mijn dossier bij de huisarts, weten jullie hoe dat werkt?",
    "I want a copy of my records at the hospital, do you know how that works?",
    "Ich möchte meine Akte beim Arzt einsehen, wissen Sie, wie das geht?",
    "Je veux consulter mon dossier chez le médecin, savez-vous comment faire ?",
])
def test_data_held_by_another_organisation_is_no_request_to_us(body: str) -> None:
    assert acted(body) == set()
