"""Round fourteen of issue 13: abbreviations inside a sentence, "ik vraag u" as a plea, a
pronoun that points back to the writer's own data, and mailings' footers without headers."""

from __future__ import annotations

import pytest
from test_classify_support import A, C, E, U, mail, mailing_signs

from mailbot.classify import TRIAGE_BELOW, classify, needs_triage
from mailbot.classify.classifier import triage_reasons
from mailbot.domain.kinds import RequestKind


@pytest.mark.parametrize(("body", "kind"), [
    ("Haal mij a.u.b. van deze lijst, de afmeldlink werkt niet.", U),
    ("Please delete my gegevens, i.e. all personal data, from your systems.", E),
    ("Bitte löschen Sie meine Daten, d.h. alles, was Sie über mich gespeichert haben.", E),
    ("Wilt u mij s.v.p. afmelden voor de nieuwsbrief?", U),
])
def test_an_abbreviation_ends_no_sentence(body: str, kind: object) -> None:
    assert kind in classify(mail(body, "Verzoek")).kinds


@pytest.mark.parametrize("body", [
    "Daarom vraag ik u mij een overzicht te sturen van de gegevens die u van mij verwerkt.",
    "Ik vraag jullie mij een kopie te sturen van al mijn gegevens.",
])
def test_ik_vraag_u_pleads(body: str) -> None:
    assert A in classify(mail(body, "Gegevens")).kinds


def test_asking_nothing_is_still_no_plea() -> None:
    body = "Ik vraag u verder niets, ik wilde alleen laten weten dat ik verhuisd ben."
    assert A not in classify(mail(body, "Info")).kinds


def test_a_pronoun_for_the_writers_own_data_is_not_someone_elses() -> None:
    body = ("Mijn vriendin en ik zijn gaan samenwonen, mijn contract heb ik opgezegd. "
            "Jullie hoeven mijn gegevens niet meer te hebben. Haal ze maar weg.")
    assert E in classify(mail(body, "Samenwonen")).kinds


def test_a_pronoun_for_someone_elses_data_still_waits() -> None:
    """The father's erasure, asked by the writer: recorded as an erasure (round twenty: a
    relative named before keeps the request's kind), and nothing done before a person."""
    body = ("Mijn vader is overleden. Zijn gegevens zijn niet meer nodig. Haal ze maar weg.")
    verdict = classify(mail(body, "Overlijden"))
    assert E in verdict.kinds and needs_triage(verdict)


@pytest.mark.parametrize("body", [
    "Newsletter im Browser anzeigen\r\n\r\nLiebe Kundin, unsere Herbstangebote sind da.\r\n",
    "Liebe Kundin, unsere Herbstangebote sind da.\r\n\r\nFalls Sie diesen Newsletter nicht "
    "mehr erhalten möchten, klicken Sie hier.\r\n",
    "Bekijk deze e-mail in je browser\r\n\r\nBeste klant, de zomeractie begint.\r\n",
    "Dear customer, our summer offers are here.\r\n\r\nClick here to unsubscribe.\r\n",
    "Chère cliente, nos offres d'été sont là.\r\n\r\nCliquez ici pour vous désinscrire.\r\n",
])
def test_a_mailings_footer_without_headers_is_a_sign_of_a_machine(body: str) -> None:
    assert mailing_signs(body)


@pytest.mark.parametrize("body", [
    "Ik wil de nieuwsbrief niet meer ontvangen, de link in de mail werkt niet.\r\n",
    "Bitte melden Sie mich vom Newsletter ab, ich möchte ihn nicht mehr erhalten.\r\n",
    "Please unsubscribe me, I opened your newsletter in my browser and the link failed.\r\n",
])
def test_a_person_asking_to_leave_a_mailing_shows_no_sign(body: str) -> None:
    assert not mailing_signs(body)


def test_an_imperative_after_dus_asks_and_the_correction_beside_it_is_found() -> None:
    body = ("Eerlijk gezegd hoef ik die nieuwsbrief helemaal niet, dus haal me er maar af. "
            "Maar zet mijn naam wel goed in jullie systeem, want op de facturen staat hij "
            "ook fout.")
    verdict = classify(mail(body, "Janssen met dubbel s"))
    assert {U, C} <= set(verdict.kinds)
    assert needs_triage(verdict)


def test_aus_dem_verteiler_nehmen_opts_out() -> None:
    body = "Können Sie mich bitte aus dem Verteiler für Ihre Aussendungen nehmen?"
    assert U in classify(mail(body, "Aussendungen")).kinds


def test_vergessen_sie_das_withdraws() -> None:
    body = ("Eigentlich wollte ich Sie bitten, mich aus dem Newsletter zu nehmen. Dann habe "
            "ich den Rabattcode gesehen. Also vergessen Sie das bitte, ich bleibe drin.")
    verdict = classify(mail(body, "Newsletter"))
    assert U not in verdict.kinds
    assert any(reason.startswith("withdrawn") for reason in triage_reasons(verdict))


@pytest.mark.parametrize("body", [
    "Klantnummer 5581-0046-77. Geen e-mail met aanbiedingen, geen sms, geen post met acties. "
    "Alleen facturen en storingen.",
    "Van mij mogen jullie voortaan alleen nog de facturen sturen. Geen nieuwsbrieven, geen "
    "acties, geen enquêtes.",
    "Geen reclameberichten meer via WhatsApp graag.",
])
def test_a_sentence_of_nothing_but_refused_channels_opts_out(body: str) -> None:
    assert U in classify(mail(body, "Klantnummer")).kinds


@pytest.mark.parametrize("body", [
    "Ik heb geen sms ontvangen met de code voor de laadpaal, kunt u die opnieuw sturen?",
    "Er stond geen nieuws in de mail over de storing van gisteren.",
])
def test_a_channel_named_in_a_statement_is_no_refusal(body: str) -> None:
    assert U not in classify(mail(body, "Vraag")).kinds


def test_laat_dus_maar_zitten_withdraws() -> None:
    body = ("Ik wilde me eigenlijk afmelden voor de nieuwsbrief. Maar ik zie net dat daar de "
            "nieuwe tarieven in staan. Laat dus maar zitten, ik blijf ingeschreven.")
    verdict = classify(mail(body, "Nieuwsbrief"))
    assert U not in verdict.kinds
    assert any(reason.startswith("withdrawn") for reason in triage_reasons(verdict))


def test_a_vendor_showing_its_system_in_a_demo_makes_no_objection() -> None:
    body = ("Widersprüche nach Art. 21 DSGVO, Abmeldungen vom Newsletter, widerrufene "
            "Einwilligungen: Mit EinwilligungsProfi verwalten Sie alles an einem Ort. Gerne "
            "zeige ich Ihnen unser System in einer kurzen Online-Demo.")
    verdict = classify(mail(body, "Widersprüche rechtssicher verwalten"))
    assert U not in verdict.kinds or needs_triage(verdict)


@pytest.mark.parametrize(("body", "subject"), [
    ("Please register the following new processing order on behalf of Client Two Ltd. From "
     "1 May Megawatt will process the names and mobile numbers of our facility managers to "
     "send them outage alerts.", "New processing order - outage alerts"),
    ("Klopt helemaal. En zet die opdracht dan per 30 juni stop; daarna het bestand graag "
     "wissen.", "Re: Verwerkingsopdracht nieuwsbriefbestand Klant Een"),
])
def test_a_client_contact_beginning_or_ending_a_named_order_is_sure_of_it(
        body: str, subject: str) -> None:
    verdict = classify(mail(body, subject), client_contact=True)
    orders = [r for r in verdict.requests if r.kind is RequestKind.REGISTER_INSTRUCTION]
    assert orders and orders[0].confidence >= TRIAGE_BELOW


def test_a_draft_order_not_to_be_carried_out_is_no_sure_order() -> None:
    body = ("Alvast ter voorbereiding het concept van de instructie voor onze nieuwe vestiging. "
            "Dit is niet definitief, graag nog niets inrichten.\n\nConcept:\n- verwerking "
            "laadsessies van 40 medewerkers\n- bewaartermijn 13 maanden")
    verdict = classify(mail(body, "CONCEPT instructie - nog niet uitvoeren"),
                       client_contact=True)
    assert needs_triage(verdict)


@pytest.mark.parametrize("body", [
    "hey, kan ik gwn geen mails meer krijgen van jullie met acties enzo? ik lees ze toch "
    "niet lol. thx",
    "Vier keer per jaar ligt jullie klantenblad op de mat. Zonde van het papier. Ik wil het "
    "niet meer krijgen.",
    "Ik wil geen verkopers meer aan de deur hebben namens jullie.",
    "Ik ben geen klant en krijg toch jullie nieuwsbrief. Hoe dan ook: haal me eraf.",
])
def test_everyday_dutch_opt_outs(body: str) -> None:
    assert U in classify(mail(body, "Reclame")).kinds


def test_mail_that_stopped_arriving_is_still_no_opt_out() -> None:
    body = "Ik ontvang geen mails meer van jullie, is er iets mis met mijn account?"
    assert U not in classify(mail(body, "Mails")).kinds


def test_an_app_used_no_more_is_no_opt_out() -> None:
    body = ("Ik gebruik de Megawatt-app al een jaar niet meer. Kunnen jullie mijn account in "
            "de app verwijderen? Mijn contract loopt gewoon door.")
    verdict = classify(mail(body, "Account verwijderen"))
    assert E in verdict.kinds
    assert U not in verdict.kinds


def test_a_copy_of_a_compound_history_is_access() -> None:
    body = ("Bitte schicken Sie mir eine Kopie meiner kompletten Ladehistorie seit 2022. Danach "
            "möchte ich, dass Sie die Ladehistorie und mein Konto löschen.")
    assert {A, E} <= set(classify(mail(body, "Ladehistorie")).kinds)


def test_dialect_negations_opt_out() -> None:
    body = ("Wilt ge al mijn gegevens gewoon wissen? En die terugkom-mailkes wil ik ook nie "
            "meer hebben.")
    assert {E, U} <= set(classify(mail(body, "Ik ben gin klant meer")).kinds)


@pytest.mark.parametrize("body", [
    "Dank u wel. Sinds uw bevestiging ben ik inderdaad niet meer gebeld door uw "
    "verkoopafdeling.",
    "Thank you. Since your confirmation I have not been called any more by your sales team.",
])
def test_what_stopped_since_is_no_opt_out(body: str) -> None:
    assert U not in classify(mail(body, "Re: Uw bezwaar")).kinds


def test_a_no_more_after_a_since_clause_still_opts_out() -> None:
    body = "I have been called every evening since Monday, no more calls!"
    assert U in classify(mail(body, "Calls")).kinds


def test_no_more_calls_about_one_quote_is_no_opt_out() -> None:
    body = ("Ik heb besloten de auto toch niet te kopen. U mag de offerte verwijderen en hoeft "
            "me er niet meer over te bellen.")
    assert U not in classify(mail(body, "offerte laadpaal mag weg")).kinds


def test_no_more_calls_with_offers_is_an_opt_out() -> None:
    body = "Ik word steeds gebeld over aanbiedingen. Ik wil niet meer gebeld worden."
    assert U in classify(mail(body, "Telefoontjes")).kinds


def test_what_an_associations_members_want_is_theirs() -> None:
    body = ("Plusieurs de nos adhérents nous disent ne plus vouloir être appelés. Pouvez-vous "
            "nous indiquer comment un client peut s'opposer aux appels commerciaux ?")
    assert U not in classify(mail(body, "Enquête sur le démarchage")).kinds


@pytest.mark.parametrize("body", [
    'Please stop sending me the monthly "Your energy story" e-mails.',
    "Ik wil die „Megawatt Nieuws\u201d niet meer ontvangen.",
])
def test_a_quoted_title_keeps_the_request_together(body: str) -> None:
    assert U in classify(mail(body, "Mails")).kinds


@pytest.mark.parametrize("body", [
    "Take my number 07700 900417 off your calling list. Now please.",
    "Ich widerspreche hiermit der Nutzung meiner Telefonnummer 0555 7712 340 und meiner "
    "übrigen Daten für Werbung jeder Art per Telefon.",
])
def test_a_phone_number_inside_the_request_is_one_word(body: str) -> None:
    assert U in classify(mail(body, "Calls")).kinds


@pytest.mark.parametrize("body", [
    "Please make sure your door-to-door teams skip my address.",
    "Ich möchte keine Haustürbesuche von Ihren Vertretern mehr.",
    "i mog eure Newsletter und de ganzen Angebote nimmer. Bittschön austragen \u2013 danke!",
])
def test_door_to_door_sales_and_dialect_pleas_opt_out(body: str) -> None:
    assert U in classify(mail(body, "Haustür")).kinds


def test_a_condition_after_dus_holds_the_erasure_its_pronoun_points_to() -> None:
    body = ("Ik lees in jullie privacyverklaring dat gegevens na zeven jaar gewist worden. "
            "Geldt dat ook voor de facturen? Ik heb ze zelf ook nodig, dus als jullie ze "
            "verwijderen wil ik ze eerst downloaden. Hoe zit dat?")
    assert E not in classify(mail(body, "vraag bewaartermijn")).kinds


@pytest.mark.parametrize("body", [
    "Kunt u mij vertellen of jullie die gegevens versleuteld opslaan?",
    "Can you tell me whether you store my bank details encrypted?",
])
def test_asking_how_data_is_kept_safe_is_no_access_request(body: str) -> None:
    assert A not in classify(mail(body, "Veiligheid")).kinds


def test_access_beside_a_security_question_is_still_access() -> None:
    body = "Ik wil weten welke gegevens jullie van mij hebben en of die veilig zijn opgeslagen."
    assert A in classify(mail(body, "Gegevens")).kinds


@pytest.mark.parametrize(("body", "subject", "kind"), [
    ("Dobrý deň, v súlade s článkom 17 GDPR Vás žiadam o vymazanie všetkých mojich osobných "
     "údajov. Moja zmluva s Vami skončila 31. marca 2026.", "Žiadosť o vymazanie", E),
    ("Ciao, ricevo due newsletter a settimana. Per favore toglietemi dalla lista delle "
     "newsletter.", "Basta newsletter", U),
    ("Bitte schickt mir kei Werbung mieh per Post. Dat es doch nur Papierverschwendung.",
     "Werbung", U),
    ("Bittschön, rufet Se mi nemme a wega so ebbes. Koine Werbeanrufe meh, gell.",
     "Werbeanrufe", U),
])
def test_slovak_italian_and_german_dialect_requests(body: str, subject: str,
                                                    kind: object) -> None:
    assert kind in classify(mail(body, subject)).kinds
