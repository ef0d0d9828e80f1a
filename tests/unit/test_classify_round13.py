"""Round thirteen of issue 13: pleas without their question mark, wishes whose object is a
clause with "if", titles before names, and "het" pointing back."""

from __future__ import annotations

import pytest
from test_classify_support import A, C, E, U, mail

from mailbot.classify import classify, needs_triage
from mailbot.classify.classifier import run, triage_reasons
from mailbot.domain.kinds import RequestKind


@pytest.mark.parametrize("body", [
    "hi, can u delete my account and everything on it. dont need it anymore",
    "Can you delete my account and everything on it. I don't use it anymore",
    "Kunt u al mijn gegevens wissen. Ik ben geen klant meer.",
    "Können Sie mein Konto löschen. Ich brauche es nicht mehr.",
    "Peux-tu supprimer mon compte. Je ne l'utilise plus.",
])
def test_a_plea_without_its_question_mark_asks(body: str) -> None:
    assert E in classify(mail(body, "account")).kinds


@pytest.mark.parametrize("body", [
    "Ich würde mich freuen, wenn Sie meinen Namen in der Anschrift korrigieren. Er ist "
    "seit Jahren falsch geschrieben.",
    "I would appreciate it if you could correct my name in your records. It has been "
    "misspelt for years.",
    "Ik zou het op prijs stellen als jullie mijn naam in jullie administratie aanpassen. "
    "Hij staat al jaren verkeerd.",
    "Je vous serais reconnaissante si vous pouviez corriger mon nom dans votre fichier. Il "
    "est mal orthographié depuis des années.",
])
def test_a_wish_whose_object_is_an_if_clause_asks(body: str) -> None:
    assert C in classify(mail(body, "Name")).kinds


@pytest.mark.parametrize("body", [
    "If you delete my data, I will never order from you again. I am only saying it.",
    "Als jullie mijn gegevens wissen, ben ik mijn korting kwijt. Dat wil ik weten voor ik "
    "iets doe.",
])
def test_a_real_condition_still_asks_nothing(body: str) -> None:
    assert E not in classify(mail(body, "Vraag")).kinds


def test_a_title_before_a_name_ends_no_sentence_and_is_no_wife() -> None:
    body = ("Sie schreiben mich mit „Sehr geehrter Herr Hartmann“ an. Ich bin eine Frau. "
            "Bitte ändern Sie die Anrede in „Sehr geehrte Frau Dr. Hartmann“.")
    assert C in classify(mail(body, "Anrede")).kinds


def test_a_wife_is_still_someone_else() -> None:
    # (round nineteen: her correction keeps its kind and waits until a person has checked
    # that the writer may ask it for her, as an access request or an opt-out for her does)
    verdict = classify(mail("Bitte ändern Sie die Adresse meiner Frau, sie ist umgezogen.",
                            "Adresse"))
    assert needs_triage(verdict)
    assert any("someone else" in reason for reason in triage_reasons(verdict))


def test_het_points_back_to_the_detail_named_before() -> None:
    body = ("In Mijn Megawatt staat als geboortedatum 01-01-1900. Ik kan het zelf niet "
            "wijzigen in de app, kunnen jullie het aanpassen?")
    assert C in classify(mail(body, "Geboortedatum")).kinds


_NEWSLETTER = ("Beste lezer,\n\nHet voorjaar komt eraan! Vijf tips voor een zuinig huis.\n\n"
               "Wil je deze nieuwsbrief niet meer ontvangen? Klik hier om je af te melden.")
_FORWARDS = [
    ("Stop hiermee aub. Het linkje onderaan werkt niet.\n\nPetra\n\n"
     "---------- Doorgestuurd bericht ---------\nVan: Voorbeeld Nieuws <nieuws@example.test>\n"
     f"Onderwerp: Nieuws maart\n\n{_NEWSLETTER}", "Fwd: Nieuws maart"),
    ("Please stop sending me these.\n\n---------- Forwarded message ---------\n"
     "From: Example Events <events@example.test>\nSubject: You're invited: Energy Day\n\n"
     "Join us on Saturday for talks on heat pumps. Free entry.", "Fwd: You're invited"),
    ("Bitte austragen, ich habe das nie bestellt.\n\n-------- Weitergeleitete Nachricht "
     "--------\nVon: Beispiel News <news@example.test>\nBetreff: Energie-News April\n\n"
     "Frühlingsaktion: 50 Euro Bonus!\nNewsletter abbestellen: hier klicken", "WG: Energie-News"),
]


@pytest.mark.parametrize(("body", "subject"), _FORWARDS)
def test_an_action_above_a_forwarded_mailing_stops_it(body: str, subject: str) -> None:
    assert classify(mail(body, subject)).kinds == (U,)


def test_an_action_above_a_forwarded_invoice_is_no_opt_out() -> None:
    body = ("Please stop sending me these, I paid it last week.\n\n"
            "---------- Forwarded message ---------\nFrom: Example Billing "
            "<billing@example.test>\nSubject: Reminder: invoice 2026-0042\n\n"
            "Our records show that invoice 2026-0042 of EUR 84.10 is still open.")
    assert U not in classify(mail(body, "Fwd: Reminder: invoice 2026-0042")).kinds


@pytest.mark.parametrize("body", [
    "Ik krijg de laatste tijd sms'jes met aanbiedingen. Ik wil die niet ontvangen. Sms'jes "
    "over storingen mogen wel.",
    "I keep getting texts with offers. I don't want to receive them.",
    "Ich bekomme ständig Werbe-SMS. Ich möchte diese nicht erhalten.",
    "Je reçois des SMS de promotion. Je ne veux pas les recevoir.",
    "slt, je recois des sms de pub de votre part tout le temps, je veux plus. merci",
])
def test_a_refusal_of_what_was_named_before_opts_out(body: str) -> None:
    assert U in classify(mail(body, "sms")).kinds


@pytest.mark.parametrize("body", [
    "Ik krijg jullie nieuwsbrief elke maand. Ik wil die niet missen.",
    "Ik heb uw brief over de nieuwe tarieven ontvangen. Ik wil die niet kwijt.",
])
def test_keeping_what_was_named_is_no_refusal(body: str) -> None:
    assert U not in classify(mail(body, "Nieuwsbrief")).kinds


@pytest.mark.parametrize("body", [
    "Bitte laden Sie mich nicht mehr zu Ihren Kundenabenden und Energiemessen ein.",
    "Dem widerspreche ich. Bitte geben Sie meine Daten nicht an Partner oder sonstige Dritte "
    "zu Werbezwecken weiter.",
    "I hereby withdraw the consent I gave for marketing when I signed my contract in 2024.",
    "I see your adverts on every site I visit. I don't want my data used by ad networks.",
    "weer gebeld tijdens het eten. zet mijn nummer op jullie niet bellen lijst of hoe dat "
    "ook heet.",
])
def test_everyday_objections_opt_out(body: str) -> None:
    assert U in classify(mail(body, "Werbung")).kinds


@pytest.mark.parametrize(("body", "subject"), [
    ("Per 1 september woon ik op Haarlemmerstraat 77. Kunnen jullie mijn gegevens aanpassen, "
     "zodat de stroom op het nieuwe adres via jullie loopt?", "adreswijziging"),
    ("Wir ziehen um. Bitte stellen Sie die Stromlieferung an die neue Adresse um.", "Umzug"),
    ("We are moving on 1 May. Please move my energy contract to the new address: 4 Mill "
     "Lane.", "Moving house"),
    ("Nous déménageons. Pouvez-vous transférer notre contrat au 7 rue de la Corderie ?",
     "Déménagement"),
])
def test_a_move_of_the_supply_waits_for_a_person(body: str, subject: str) -> None:
    verdict = classify(mail(body, subject))
    assert needs_triage(verdict)


@pytest.mark.parametrize(("body", "subject"), [
    ("Ik ben van plan binnenkort een inzageverzoek bij jullie in te dienen. Moet ik een "
     "kopie van mijn ID meesturen?", "ID meesturen bij inzageverzoek?"),
    ("I'm planning to submit an access request next month. Before I do that: do you need a "
     "copy of my passport?", "ID with my access request?"),
])
def test_a_request_announced_with_a_question_about_id_asks_nothing_yet(
        body: str, subject: str) -> None:
    assert A not in classify(mail(body, subject)).kinds


def test_for_my_account_is_whose_setting_not_an_account_to_close() -> None:
    body = ("Un cookie de mesure d'audience est déposé dès que je me connecte. Je m'oppose à "
            "cette mesure d'audience. Merci de la désactiver pour mon compte.")
    kinds = classify(mail(body, "Cookies")).kinds
    assert U in kinds
    assert E not in kinds


def test_one_sales_phrase_holds_the_mail_for_a_person() -> None:
    body = ("Bewaart u nog papieren klantdossiers met persoonsgegevens? Wij halen ze op en "
            "vernietigen ze gecertificeerd, met een verklaring die u kunt gebruiken bij een "
            "verzoek om gegevens te wissen.\n\nMag ik u een offerte sturen?")
    verdict = classify(mail(body, "Veilig verwijderen van klantdossiers"))
    assert needs_triage(verdict)
    assert any("offer of services" in r for r in verdict.review)


@pytest.mark.parametrize("body", [
    "Die vielen Werbebriefe mit Angeboten möchte ich aber nicht mehr bekommen. Die "
    "Rechnungen schicken Sie bitte weiterhin per Post.",
    "I don't agree to my email or phone number being used for advertising on social media.",
    "Kunnen jullie de promotionele pushberichten in de laadapp voor mij uitzetten?",
    "Megawatt kan mijn gegevens delen met partners voor aanbiedingen. Daar geef ik geen "
    "toestemming voor.",
])
def test_objections_in_other_shapes_opt_out(body: str) -> None:
    assert U in classify(mail(body, "Werbung")).kinds


def test_an_abbreviation_inside_a_sentence_ends_none() -> None:
    body = ("Ihr Mitarbeiter hat meinen Ausweis fotografiert. Bitte löschen Sie dieses Foto "
            "bzw. die Ausweiskopie und bestätigen Sie mir die Löschung.")
    assert E in classify(mail(body, "Ausweiskopie")).kinds


def test_het_after_a_filler_points_back() -> None:
    body = ("In mijn gegevens staat nog ons oude vaste nummer. Dat hebben we niet meer. "
            "Willen jullie het gewoon weghalen?")
    assert E in classify(mail(body, "Vast nummer")).kinds


@pytest.mark.parametrize("body", [
    "Onze VvE heeft bij u een contract voor de laadpalen. Ik wil daarom graag inzage in de "
    "verdeelsleutel en de berekening per appartement.",
    "I can't get access to the portal since yesterday, it says my password is wrong.",
    "Ich hätte gerne Einsicht in die Berechnung des neuen Abschlags.",
])
def test_an_access_word_taking_something_other_than_data_is_no_access(body: str) -> None:
    assert A not in classify(mail(body, "Vraag")).kinds


@pytest.mark.parametrize("body", [
    "Ik wil graag inzage in de gegevens die jullie van mij hebben.",
    "I would like access to the personal data you hold about me.",
])
def test_an_access_word_taking_data_is_still_access(body: str) -> None:
    assert A in classify(mail(body, "Inzage")).kinds


def test_a_negation_inside_a_relative_clause_before_the_verb_is_not_the_requests() -> None:
    body = ("Ik zou graag een overzicht krijgen van welke gegevens er nog over mij zijn "
            "opgeslagen, en daarna wil ik dat alles wat jullie niet wettelijk hoeven te "
            "bewaren verwijderd wordt.")
    assert set(classify(mail(body, "Oud-klant")).kinds) == {A, E}


@pytest.mark.parametrize(("body", "kinds"), [
    ("Am 12. Februar habe ich Sie um Auskunft nach Art. 15 DSGVO gebeten. Ich setze Ihnen "
     "eine letzte Frist. Danach werde ich mich an die Aufsichtsbehörde wenden. Ich möchte "
     "eine vollständige Kopie meiner Daten.", {A}),
    ("Ich möchte zuerst wissen, welche Daten Sie über mich gespeichert haben. Danach bitte "
     "alles löschen.", {A, E}),
])
def test_a_threat_or_a_first_step_is_no_undecided_writer(body: str, kinds: set) -> None:
    assert set(classify(mail(body, "Auskunft")).kinds) == kinds


def test_ich_moechte_erst_wissen_ob_still_waits_undecided() -> None:
    body = ("Ich möchte erst wissen, ob mein Vertrag dann endet. Bitte löschen Sie dann auch "
            "mein Kundenkonto.")
    verdict = classify(mail(body, "Frage"))
    assert E not in verdict.kinds
    assert needs_triage(verdict)


@pytest.mark.parametrize("body", [
    "J'ai changé de numéro. Merci de remplacer l'ancien (01 99 00 17 52) par le nouveau : "
    "01 99 00 90 36.",
    "Please opt my account out of app analytics and statistics.",
])
def test_a_replacement_and_a_split_opt_out_are_read(body: str) -> None:
    kinds = classify(mail(body, "Numéro")).kinds
    assert kinds
    assert RequestKind.OTHER not in kinds


def test_the_writers_own_details_in_someone_elses_account_are_theirs_to_erase() -> None:
    body = ("My brother gave my name and mobile number as a second contact. I never agreed to "
            "that. Please delete my name and number from his account.")
    assert E in classify(mail(body, "Remove me")).kinds


def test_a_tenants_new_address_is_still_someone_elses() -> None:
    body = ("My former tenant moved out in May. Can you update my tenant's address in your "
            "records? He asked me to pass it on.")
    assert C not in classify(mail(body, "Tenant")).kinds


def test_the_sentence_after_a_pleading_lead_asks() -> None:
    body = ("Os pido dos cosas: que me deis de baja de todos los correos comerciales y que "
            "eliminéis mi cuenta y todos mis datos personales.")
    assert {E, U} <= set(classify(mail(body, "Baja")).kinds)


@pytest.mark.parametrize("body", [
    "Sur tous vos courriers, mon prénom est écrit « Helene ». C'est Hélène, avec deux "
    "accents. Cela peut paraître un détail, mais c'est mon prénom. Pourriez-vous le corriger "
    "dans votre fichier ?",
])
def test_data_to_correct_are_the_details_named_before(body: str) -> None:
    assert C in classify(mail(body, "Name")).kinds


def test_data_recorded_about_a_child_are_no_correction() -> None:
    body = ("Mon fils a rempli un profil avec sa date de naissance et son numéro de portable. "
            "Je souhaite connaître toutes les données que vous avez enregistrées à son sujet.")
    assert C not in classify(mail(body, "Données de mon fils")).kinds


@pytest.mark.parametrize(("body", "subject"), [
    ("Ik schrijf een scriptie over het recht op inzage. Welke gegevens staan er in een "
     "standaardoverzicht?", "Scriptie over het recht op inzage"),
    ("Would someone from your privacy team join our podcast to talk through how you handle "
     "data subject access requests?", "Podcast: DSARs"),
    ("Hoe kan mijn dochter zelf inzage vragen in haar gegevens? Ze is 15.", "Inzage dochter"),
    ("Ma fille a 16 ans. Elle voudrait savoir comment accéder elle-même à ses données.",
     "Question"),
    ("Kost een kopie van mijn gegevens iets? Bij mijn bank moest ik betalen.", "Kosten"),
    ("If I switch to another supplier in July, will my data be deleted automatically?",
     "Switching"),
    ("Hi, I was going to ask for a copy of my data but I've just spotted the download "
     "button in the app. Thanks anyway!", "Copy of my data"),
    ("Ich habe am Wochenende mein Konto in der App selbst gelöscht, weil ich lieber die "
     "Ladekarte benutze. Funktioniert die Karte noch?", "Ladekarte noch gültig?"),
])
def test_talk_about_requests_opens_no_case(body: str, subject: str) -> None:
    verdict = classify(mail(body, subject))
    assert needs_triage(verdict) or not {A, E} & set(verdict.kinds)


def test_a_termination_of_processing_from_a_client_contact_is_an_order() -> None:
    body = ("Client Two will end its fleet charging programme on 31 July. Please stop "
            "processing driver and session data for the programme from that date. We would "
            "like a final export, after which the data can be deleted.")
    parsed = mail(body, "Termination of processing - fleet charging programme",
                  sender="dana.ortiz@client-two.example")
    kinds = run(parsed, client_contact=True).classification.kinds
    assert RequestKind.REGISTER_INSTRUCTION in kinds
    assert E not in kinds


def test_a_wish_in_a_clause_of_reasons_asks_nothing_but_one_after_it_does() -> None:
    assert E not in classify(mail("Ich habe mein Konto selbst gelöscht, weil ich lieber die "
                                  "Karte benutze.", "Konto")).kinds
    assert A in classify(mail("Because the agency filled everything in for me, I'd like a "
                              "copy of all the personal data you have about me.", "Copy")).kinds


@pytest.mark.parametrize(("body", "subject"), [
    ("Wir sind ein Dienstleister. Bearbeiten Sie Auskunftsersuchen noch manuell? Wir "
     "übernehmen das gern für Sie.", "Auskunftsersuchen"),
    ("For an article: how do you handle subject access requests, and how many do you get?",
     "A question for an article"),
])
def test_a_question_how_requests_are_handled_opens_no_case(body: str, subject: str) -> None:
    assert A not in classify(mail(body, subject)).kinds


def test_an_instruction_about_drivers_data_from_a_stranger_opens_no_erasure() -> None:
    body = ("I am the new DPO. Please delete all driver and charging-session data relating to "
            "the Leeds depot cards with immediate effect.")
    verdict = classify(mail(body, "Instruction: delete Leeds depot driver data",
                            sender="priya@depot.example"))
    assert needs_triage(verdict) or E not in verdict.kinds


@pytest.mark.parametrize(("body", "kind"), [
    ("Sinds we die laadpaal hebben krijg ik mails. Nu vraag ik me af wat jullie allemaal van "
     "me bijhouden. Kan ik dat gewoon eens zien?", A),
    ("Ik moest een kopie van mijn paspoort uploaden. Ik wil niet dat die kopie ergens blijft "
     "rondslingeren, dus graag verwijderen.", E),
    ("Vorig jaar moest ik een kopie van mijn rijbewijs uploaden. Die kopie is nu niet meer "
     "nodig. Ik wil dat u die verwijdert.", E),
])
def test_wondering_a_consequence_and_a_copy_pointed_back_to_ask(body: str,
                                                               kind: RequestKind) -> None:
    assert kind in classify(mail(body, "Vraag")).kinds


@pytest.mark.parametrize("body", [
    "I get three emails a week from you about offers and tips. That's three too many. "
    "Please leave these out for me.",
    "Elke week weer een mail met aanbiedingen. Ik ben klant, laat me nou gewoon met rust met "
    "die reclamemails.",
])
def test_leaving_out_what_was_named_and_being_left_alone_opt_out(body: str) -> None:
    assert U in classify(mail(body, "Your emails")).kinds
