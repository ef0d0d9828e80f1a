"""Signs of a machine without automatic-reply headers, per language."""

from __future__ import annotations

import pytest
from test_classify_support import mail

from mailbot.parse.noreply import automatic_signs


@pytest.mark.parametrize(("subject", "body"), [
    ("[Ticket #48213] Uw e-mail is ontvangen", "Wij hebben uw e-mail ontvangen."),
    ("Request received [#88412]", "Your request (#88412) has been received."),
    ("Ihre Anfrage", "Ihre Anfrage ist bei uns eingegangen. Ticketnummer: 5531."),
    ("Votre demande", "Votre demande a bien été enregistrée. Merci de ne pas répondre à ce "
                      "message."),
    ("Re: Solicitud", "Hemos recibido su solicitud."),
    ("R: Richiesta", "Abbiamo ricevuto la sua richiesta."),
])
def test_ticket_confirmations(subject: str, body: str) -> None:
    assert automatic_signs(mail(body, subject))


@pytest.mark.parametrize("body", [
    "I'm on parental leave and not checking messages.",
    "Ik ben met ouderschapsverlof en lees mijn mail niet.",
    "Ich befinde mich derzeit in Elternzeit und lese keine E-Mails.",
    "Ich befinde mich bis zum 30. September in Elternzeit.",
    "Bis dahin werden E-Mails an diese Adresse nicht gelesen.",
    "Je suis en congé parental et je ne consulte pas mes messages.",
    "Sono fuori ufficio fino al 20 agosto.",
    "Estoy fuera de la oficina hasta el 3 de septiembre.",
    "Jestem na urlopie do 12 sierpnia.",
    "Jag är på semester till och med 5 augusti.",
    "Jeg er på ferie til 5. august.",
    "Estou fora do escritório até dia 5.",
    "Sunt în concediu până pe 5 august.",
    "Jsem na dovolené do 5. srpna.",
    "Onze kantoren zijn gesloten tot en met 1 januari.",
    "Ceci est un message automatique, merci de ne pas y répondre.",
    "This email address is no longer monitored. Your message has not been read.",
    "Bedankt voor je bericht. Ik ben tot en met 14 mei afwezig en lees mijn mail daarna.",
    "Ik ben momenteel niet aanwezig. Uw e-mail wordt na mijn terugkomst behandeld.",
    "Sorry, I no longer work at Zonnedak. Please contact info@zonnedak.example instead.",
    "Ik werk niet meer bij Zonnedak. Neem contact op met info@zonnedak.example.",
    "Ich arbeite nicht mehr bei Zonnedak. Bitte wenden Sie sich an info@zonnedak.example.",
    "Je ne travaille plus chez Zonnedak. Merci de contacter info@zonnedak.example.",
    "Ihr Anliegen wurde unter der Nummer 55812 erfasst.",
])
def test_leave_notices_and_automatic_messages(body: str) -> None:
    assert automatic_signs(mail(body, "Re: Uw verzoek"))


@pytest.mark.parametrize("body", [
    "Ik was vorige week op vakantie en zag toen jullie mail. Graag afmelden.",
    "Please delete my account, thanks.",
    "I was away from the office when your newsletter came; please unsubscribe me.",
    "Je ne travaille plus pour cette coopérative depuis deux ans. Merci de supprimer toutes "
    "les données me concernant.",
])
def test_a_person_is_no_machine(body: str) -> None:
    assert automatic_signs(mail(body, "Afmelden")) == ()


def test_a_no_reply_mailbox_in_another_language() -> None:
    assert automatic_signs(mail("Bonjour.", "Info", sender="ne-pas-repondre@boutique.example"))


@pytest.mark.parametrize("body", [
    "NIEUWS\n\n+++ Nieuwe leidraad +++\n\nU ontvangt deze nieuwsbrief omdat u zich heeft "
    "aangemeld. Afmelden: rundbrief.example/af",
    "NEWS\n\nYou are receiving this email because you subscribed on our site.",
    "Sie erhalten diesen Newsletter, weil Sie sich angemeldet haben. Abbestellen: "
    "rundbrief.example/ab",
    "Vous recevez cette newsletter car vous êtes inscrit sur notre site.",
    "Ricevi questa newsletter perché ti sei iscritto.",
])
def test_a_bulk_mailings_footer(body: str) -> None:
    assert any(s.startswith("subscribed") for s in automatic_signs(mail(body, "Rundbrief 19")))


def test_a_footer_after_a_long_text_is_read() -> None:
    body = "Artikel.\n" + "Tekst over privacy en energie. " * 150 + (
        "\n\nU ontvangt deze nieuwsbrief omdat u klant bent.")
    assert len(body) > 4_000
    assert any(s.startswith("subscribed") for s in automatic_signs(mail(body, "Nieuws")))


def test_a_person_quoting_why_they_receive_it_is_read_too() -> None:
    # A sign never stops a mail: a person decides, before anything is acknowledged.
    body = "Haal me eraf. Er staat 'u ontvangt deze e-mail omdat u klant bent', maar dat " \
           "ben ik niet meer."
    assert automatic_signs(mail(body, "Afmelden"))


@pytest.mark.parametrize("body", [
    "Tot 12 maart ben ik met vakantie. Uw mail wordt niet doorgestuurd.",
    "Vom 1. bis 12. März bin ich im Urlaub.",
    "Je serai absente jusqu'au 3 mai inclus.",
    "Estaré de vacaciones hasta el 1 de septiembre.",
    "Sarò fuori ufficio fino al 20 agosto.",
    "Estarei ausente até 3 de junho.",
    "Będę na urlopie do 20 maja.",
])
def test_a_leave_notice_with_the_verb_first_or_in_the_future(body: str) -> None:
    assert automatic_signs(mail(body, "Re: uw bericht"))


def test_a_person_saying_where_they_are_is_no_machine() -> None:
    assert not automatic_signs(mail("Zet mij op de lijst voor de nieuwsbrief, want vanaf mei "
                                    "ben ik weer thuis.", "Nieuwsbrief"))


@pytest.mark.parametrize("body", [
    "Tom Ashby has left Norbridge Consulting and this mailbox is no longer monitored.",
    "Lisa is niet meer werkzaam bij ons bedrijf. Uw bericht is niet doorgestuurd.",
    "Herr Maier ist nicht mehr bei der Firma Beispiel GmbH. Ihre Nachricht wird nicht "
    "weitergeleitet.",
    "Claire Dubois ne fait plus partie des effectifs. Cette adresse n'est plus consultée.",
    "La signora Rossi non lavora più presso di noi.",
    "Pani Kowalska już nie pracuje w naszej firmie.",
    "Kovács Péter már nem dolgozik a cégnél.",
])
def test_a_notice_that_the_person_has_left(body: str) -> None:
    assert any(s.startswith("left") for s in automatic_signs(mail(body, "Re: Uw bericht")))


@pytest.mark.parametrize("body", [
    "Programma\n13.00 Ontvangst\n\nWilt u geen uitnodigingen meer ontvangen? Stuur dan een "
    "e-mail met 'afmelden'.",
    "Sie erhalten diesen Rundbrief als Mitglied des Verbands. Abmelden können Sie sich "
    "jederzeit im Mitgliederbereich.",
    "Webinar on 12 June. If you no longer wish to receive these invitations, reply STOP.",
    "Si vous ne souhaitez plus recevoir nos invitations, cliquez ici.",
    "Vous recevez ce bulletin en tant que membre de l'association. Pour ne plus le recevoir, "
    "répondez « désinscription ».",
    "Lees verder op onze site. Om deze nieuwsbrief niet meer te ontvangen, klik hier.",
    "Um diesen Newsletter nicht mehr zu erhalten, klicken Sie hier.",
    "Read the full story online. To stop receiving it, reply STOP.",
])
def test_a_mailing_that_tells_its_reader_how_to_stop_it(body: str) -> None:
    assert automatic_signs(mail(body, "Uitnodiging: kennissessie"))


@pytest.mark.parametrize("body", [
    "I have left Acme Ltd, so please change my work address to sam@new.example.",
    "Ik ben niet meer werkzaam bij mijn oude werkgever; mijn nieuwe adres is sam@nieuw.example.",
    "Ich bin nicht mehr bei der alten Firma, bitte ändern Sie meine Adresse.",
    "Je ne souhaite plus recevoir votre newsletter.",
    "I don't wish to receive these mails any more.",
    "Wat moet ik doen om deze nieuwsbrief niet meer te ontvangen?",
    "Que faire pour ne plus recevoir vos publicités ?",
])
def test_a_person_telling_of_a_new_job_or_stopping_mail_is_no_machine(body: str) -> None:
    assert automatic_signs(mail(body, "Adres")) == ()


def test_a_swiss_holiday_notice() -> None:
    assert automatic_signs(mail("Ich bin bis am 21. April in den Ferien und lese meine "
                                "E-Mails nicht.", "Re: Ihre Anfrage"))


@pytest.mark.parametrize("body", [
    "Váš požadavek týkající se přístupu k osobním údajům byl přijat a zaevidován pod číslem "
    "2026-1184. Tato zpráva byla vygenerována automaticky, neodpovídejte na ni prosím.",
    "Vaš upit zaprimljen je pod brojem 2026-HR-3307. Ova je poruka automatski generirana, "
    "molimo ne odgovarajte na nju.",
    "Ez egy automatikus üzenet, kérjük, ne válaszoljon erre.",
    "Tämä on automaattinen viesti. Älä vastaa tähän viestiin.",
    "Recebe este boletim porque o endereço está inscrito. Para cancelar a subscrição: "
    "https://boletim.example/cancelar",
    "Vill du inte få fler enkäter? Avregistrera dig här: https://enkat.example/av",
])
def test_machine_wording_in_more_eu_languages(body: str) -> None:
    assert automatic_signs(mail(body, "Re: Request"))


@pytest.mark.parametrize("body", [
    "Hei, olen poissa toimistolta 3.8. asti. En lue sähköpostia.",
    "Pozdravljeni, do 14. julija sem na dopustu.",
    "Köszönöm levelét. Augusztus 10-ig szabadságon vagyok.",
    "Tere, olen puhkusel kuni 20. juulini.",
    "Labdien, esmu atvaļinājumā līdz 15. augustam.",
    "Laba diena, esu atostogose iki rugpjūčio 10 d.",
    "Καλησπέρα, είμαι εκτός γραφείου έως τις 10 Ιουλίου.",
    "Здравейте, отсъствам от офиса до 10 юли.",
    "Dia dhuit, tá mé as oifig go dtí an 5 Iúil.",
    "Grazzi tal-email tiegħek. Ninsab barra mill-uffiċċju sal-10 ta' Lulju.",
    "Poštovani, do 15. srpnja sam izvan ureda.",
    "Dobrý deň, som na dovolenke do 12. augusta.",
])
def test_a_leave_notice_in_every_eu_language(body: str) -> None:
    assert any(s.startswith("leave") for s in automatic_signs(mail(body, "Re: Verzoek")))


@pytest.mark.parametrize("body", [
    "Dank voor je bericht! Ik ben er deze week niet, vanaf maandag 12 mei ben ik weer "
    "bereikbaar.",
    "Thanks, I'm out until Friday. I will be back on Monday 3 June.",
    "Danke für Ihre Nachricht. Ab dem 3. Juni bin ich wieder erreichbar.",
    "Merci pour votre message. Je serai de retour le 3 juin.",
])
def test_a_notice_that_tells_the_return_instead_of_the_absence(body: str) -> None:
    assert any(s.startswith("leave") for s in automatic_signs(mail(body, "Re: Verzoek")))


def test_a_person_back_home_is_no_machine() -> None:
    assert not automatic_signs(mail("Jetzt bin ich wieder zurück in der Schweiz. Bitte löschen "
                                    "Sie mein Kundenkonto.", "Konto"))


@pytest.mark.parametrize("body", [
    "Ik ben vanaf 1 september met zwangerschapsverlof. Mijn taken worden waargenomen door Eva.",
    "Mijn werkzaamheden worden deze weken overgenomen door Eva de Boer.",
    "I'm away on a training course this week. In my absence, please contact the front desk.",
    "My emails are being handled by my colleague Tom until I'm back.",
    "In meiner Abwesenheit wenden Sie sich bitte an Frau Koch.",
    "En mon absence, merci de contacter l'accueil.",
])
def test_a_notice_that_names_who_stands_in(body: str) -> None:
    assert any(s.startswith("leave") for s in automatic_signs(mail(body, "Re: Verzoek")))


def test_a_person_who_was_away_is_no_machine() -> None:
    assert not automatic_signs(mail("Tijdens mijn afwezigheid is er een brief voor mij "
                                    "gekomen. Klopt mijn adres nog?", "Adres"))


@pytest.mark.parametrize(("subject", "body"), [
    ("Read: Your request", "Your message\n\n  To: info@example.org\n  Subject: Your request\n\n"
     "was read on Monday 3 August 2026 10:12."),
    ("Gelezen: Uw verzoek", "Uw bericht\n\n  Aan: info@example.org\n  Onderwerp: Uw verzoek\n\n"
     "is gelezen op maandag 3 augustus 2026."),
    ("Zugestellt: Ihre Anfrage", "Ihre Nachricht wurde an info@example.org zugestellt."),
    ("Lu : Votre demande", "Votre message\n\n  À : info@example.org\n\na été lu le lundi 3 août."),
    ("Delivered: Your request", "Your message has been delivered to the following recipients: "
     "info@example.org"),
])
def test_a_read_or_delivery_receipt_in_plain_text(subject: str, body: str) -> None:
    assert any(s.startswith("receipt") for s in automatic_signs(mail(body, subject)))


def test_a_person_telling_their_message_was_read_is_no_machine() -> None:
    assert not automatic_signs(mail("Your message about my account was read on Monday by your "
                                    "colleague, but nobody answered. What data do you hold "
                                    "about me?", "Still waiting"))


def test_a_dutch_mailing_footer_with_niet_meer_and_dan() -> None:
    body = ("Beste lezer, in deze nieuwsbrief: tips voor de herfst. Wilt u deze nieuwsbrief niet "
            "meer ontvangen? Klik dan hier om u af te melden.")
    assert automatic_signs(mail(body, "Nieuwsbrief september"))


@pytest.mark.parametrize(("subject", "body"), [
    ("Adreswijziging", "Dit e-mailadres is niet meer in gebruik. Stuur uw bericht voortaan naar "
                       "sam.new@example.org. Dit bericht wordt automatisch verzonden."),
    ("Re: Uw verzoek", "Ik ben niet meer werkzaam bij Bakker BV. Voor vragen kunt u terecht bij "
                       "info@bakker.example."),
    ("Gelezen: Uw inzageverzoek", "Uw bericht is gelezen op 4 december 2026 10:12."),
    ("Read: Your access request", "Your message was read on 4 December 2026 10:12."),
    ("Gelesen: Ihre Auskunft", "Ihre Nachricht wurde am 4. Dezember 2026 um 10:12 gelesen."),
    ("Lu : Votre demande", "Votre message a été lu le 4 décembre 2026 à 10:12."),
    ("Info", "Diese Nachricht wird automatisch versendet. Bitte nicht antworten."),
])
def test_an_address_notice_a_colleague_gone_and_a_read_receipt_in_plain_words(
        subject: str, body: str) -> None:
    assert automatic_signs(mail(body, subject))


@pytest.mark.parametrize("body", [
    "Mijn oude e-mailadres is niet meer in gebruik, wilt u voortaan sam.new@example.org "
    "gebruiken?",
    "Ik ben niet meer werkzaam bij Bakker BV, dus haal mijn werkadres uit jullie systeem.",
    "Ik heb uw bericht gelezen, maar ik wil toch graag een kopie van mijn gegevens.",
])
def test_a_person_saying_the_same_is_no_machine(body: str) -> None:
    assert automatic_signs(mail(body, "Mijn gegevens")) == ()


@pytest.mark.parametrize("body", [
    "Vaši zprávu jsme obdrželi a odpovíme do dvou pracovních dnů.",
    "Üzenetét megkaptuk, két munkanapon belül válaszolunk.",
    "Λάβαμε το μήνυμά σας και θα σας απαντήσουμε εντός δύο εργάσιμων ημερών.",
    "Zaprimili smo vašu poruku i odgovorit ćemo u roku od dva radna dana.",
    "Vašu správu sme prijali a odpovieme do dvoch pracovných dní.",
    "Prejeli smo vaše sporočilo in odgovorili bomo v dveh delovnih dneh.",
    "Oleme teie kirja kätte saanud ja vastame kahe tööpäeva jooksul.",
    "Esam saņēmuši jūsu ziņu un atbildēsim divu darba dienu laikā.",
    "Gavome jūsų laišką ir atsakysime per dvi darbo dienas.",
    "Получихме вашето съобщение и ще отговорим в рамките на два работни дни.",
    "Βρίσκομαι σε άδεια και δεν διαβάζω το ηλεκτρονικό ταχυδρομείο.",
    "Na godišnjem sam odmoru i ne čitam e-poštu.",
])
def test_a_receipt_or_leave_notice_in_more_eu_languages(body: str) -> None:
    assert automatic_signs(mail(body, "Re: Zahtjev"))


@pytest.mark.parametrize(("subject", "body"), [
    ("Delayed: Verwijderen foto's", "This is an automatically generated Delivery Status "
     "Notification. THIS IS A WARNING MESSAGE ONLY. YOU DO NOT NEED TO RESEND YOUR MESSAGE. "
     "Delivery to the following recipients has been delayed: ouders@school.example"),
    ("Your message to ouders-list awaits moderator approval", "Your mail to 'Ouders' with the "
     "subject \"afmelden nieuwsbrief\" is being held until the list moderator can review it "
     "for approval."),
    ("Bericht teruggehaald: inzageverzoek",
     "Sam de Vries wil het bericht \"inzageverzoek\" terughalen."),
    ("Uitnodiging: Fotodag groep 5", "Je bent uitgenodigd voor de volgende gebeurtenis. "
     "Fotodag groep 5. Uitnodiging van Google Agenda."),
    ("Re: Afmelden nieuwsbrief", "Bedankt voor je bericht! Ik zit tot en met vrijdag op "
     "schoolkamp en heb geen toegang tot mijn mail."),
    ("Re: Löschung", "Danke für Ihre Nachricht. Ich habe bis Montag keinen Zugriff auf meine "
     "E-Mails."),
    ("Re: Suppression", "Merci pour votre message. Je n'ai pas accès à mes courriels "
     "jusqu'au 4 novembre."),
])
def test_a_delay_a_moderation_a_recall_an_invitation_and_a_school_trip(
        subject: str, body: str) -> None:
    assert automatic_signs(mail(body, subject))


@pytest.mark.parametrize("body", [
    "Ik zat vorige week op schoolkamp met de klas, vandaar mijn late reactie. Graag mijn "
    "gegevens verwijderen.",
    "Your automatic reply said my request was received, but please also delete my photos.",
])
def test_a_person_telling_of_a_trip_or_a_notice_is_no_machine(body: str) -> None:
    assert automatic_signs(mail(body, "Verwijderen")) == ()


@pytest.mark.parametrize(("sender", "subject", "body"), [
    ("service@versand.example", "Ihre Anfrage ist bei uns eingegangen",
     "Vielen Dank für Ihre Nachricht. Ihre Anfrage wurde unter der Nummer 55120 erfasst."),
    ("p.zielinski@example.org", "Re: żądanie usunięcia danych",
     "Dzień dobry, do 5 września przebywam na urlopie. W sprawach pilnych proszę o kontakt."),
    ("mark.dewit@example.org", "Re: uw verzoek",
     "Ik ben deze week op cursus en lees mijn mail beperkt. Ik reageer zo snel mogelijk."),
    ("hr-system@werkgever.example", "Your leave request has been approved",
     "Your leave request for 12-16 August has been approved by your manager."),
    ("frontdesk@hotel.example", "Re: erasure request",
     "Dear guest, thank you for your email. Our front desk is staffed 24/7 and we will get "
     "back to you shortly."),
    ("k.jansen@example.org", "Re: verzoek",
     "Dit e-mailadres wordt niet meer gebruikt. Stuur uw bericht naar k.jansen@nieuw.example."),
    ("survey@research.example", "Hoe tevreden bent u?",
     "Beste klant, u heeft onlangs contact met ons gehad. Wilt u 2 minuten nemen om onze "
     "enquête in te vullen? Klik hier om te beginnen."),
])
def test_round_twenty_four_s_machine_mail_shows_its_signs(sender: str, subject: str,
                                                         body: str) -> None:
    assert automatic_signs(mail(body, subject, sender=sender))


def test_a_customer_number_is_no_ticket() -> None:
    body = ("Hiermit verlange ich gemäß Art. 15 DSGVO Auskunft. Ich bin Kundin unter der Nummer "
            "41-903-226.")
    assert automatic_signs(mail(body, "Auskunftsersuchen")) == ()
