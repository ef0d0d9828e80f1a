"""Issue 13, round nine: the classes the development part still showed after round eight,
each in several languages, with the cases that must still hold."""

from __future__ import annotations

import pytest
from test_classify_support import mail

from mailbot.classify import classify, needs_triage
from mailbot.classify.classifier import SECOND_OPINION, acts_alone, run_rules, wording
from mailbot.domain.kinds import RequestKind
from mailbot.domain.mail import DetectedRequest, Evidence

A = RequestKind.ACCESS
C = RequestKind.CORRECTION
E = RequestKind.ERASURE
U = RequestKind.UNSUBSCRIBE


@pytest.mark.parametrize("body", [
    "I'd like my account and all the data linked to it deleted. I moved back to the States "
    "last year and won't be using your services again.",
    "Ik ben verhuisd naar het buitenland en word geen klant meer. Verwijder al mijn "
    "gegevens alstublieft.",
    "Ich bin umgezogen und brauche Ihre Dienste nicht mehr. Bitte löschen Sie alle meine "
    "Daten.",
])
def test_a_move_told_as_the_reason_to_leave_is_no_correction(body: str) -> None:
    verdict = classify(mail(body))
    assert E in verdict.kinds
    assert C not in verdict.kinds


@pytest.mark.parametrize("body", [
    "I have moved. Please update my address to 12 Elm Road, Leeds.",
    "Ik ben verhuisd, mijn nieuwe adres is Dorpsstraat 4 in Ede.",
])
def test_a_move_alone_is_still_a_correction(body: str) -> None:
    assert C in classify(mail(body)).kinds


def test_a_detail_told_beside_an_erasure_of_everything_waits_for_a_person() -> None:
    verdict = classify(mail("I'd like my account and all the data linked to it deleted. I "
                            "moved back to the States. The account email is this one."))
    assert E in verdict.kinds
    assert C not in verdict.kinds or needs_triage(verdict)


def test_a_correction_asked_beside_an_erasure_stands() -> None:
    asked = mail("Please correct my date of birth to 3 May 1980 in your records, and delete "
                 "my account for the web shop.")
    assert {C, E} <= set(run_rules(asked).classification.kinds)
    verdict = classify(asked)
    # the second opinion may doubt it: then a person sees the doubt, nothing is done in part
    assert C in verdict.kinds or (needs_triage(verdict) and any(
        "correction" in note for note in verdict.review))


@pytest.mark.parametrize("body", [
    "Waar hebben jullie mijn 06-nummer vandaan??",
    "Hoe bent u aan mijn adres gekomen?",
    "Where did you get my phone number from?",
    "Woher haben Sie meine E-Mail-Adresse?",
    "Wie sind Sie an meine Nummer gekommen?",
    "Où avez-vous obtenu mon adresse e-mail ?",
])
def test_asking_where_ones_data_came_from_is_access(body: str) -> None:
    assert A in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Where did you get the idea that I wanted a new contract?",
    "Ik weet niet waar de factuur vandaan komt.",
])
def test_a_source_of_something_else_is_no_access(body: str) -> None:
    assert A not in classify(mail(body)).kinds


def test_a_bare_action_with_only_a_place_takes_the_detail_named_before() -> None:
    body = ("Twee dingen:\n\n1. Mijn achternaam staat bij jullie als \"Hoekstra-Jansen\". "
            "Dat is al jaren niet meer zo: het is gewoon Hoekstra. Graag corrigeren in "
            "jullie klantbestand.\n2. Ik wil geen uitnodigingen meer voor jullie evenementen.")
    assert set(classify(mail(body)).kinds) == {C, U}


def test_an_opt_out_phrase_before_a_dash_is_read() -> None:
    verdict = classify(mail("Please change my email address to this one. And please stop "
                            "phoning me \u2013 email is the only way I want to hear from you."))
    assert set(verdict.kinds) == {C, U}


@pytest.mark.parametrize(("body", "lang"), [
    ("Dobrý den, prosím, nezasílejte mi už pozvánky na Vaše akce.", "cs"),
    ("Buenos días: por favor, no me envíen más invitaciones a sus eventos.", "es"),
    ("Hej, skicka inga fler inbjudningar till era evenemang, tack.", "sv"),
])
def test_invitations_are_a_channel_in_other_eu_languages(body: str, lang: str) -> None:
    verdict = classify(mail(body))
    assert U in verdict.kinds


def test_croatian_rectification() -> None:
    body = ("Poštovani,\n\novime zahtijevam ispravljanje netočnih podataka koji se odnose na "
            "mene, u skladu s člankom 16. Opće uredbe o zaštiti podataka.")
    assert C in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Ik probeer me af te melden voor de nieuwsbrief maar de link onderaan doet het niet. "
    "Willen jullie het voor mij doen?",
    "I tried to unsubscribe from the newsletter but the link is broken. Can you do it for me?",
    "Ich habe versucht, mich vom Newsletter abzumelden, aber der Link funktioniert nicht. "
    "Können Sie das für mich erledigen?",
    "J'ai essayé de me désabonner de la newsletter mais le lien ne marche pas. Pouvez-vous "
    "le faire pour moi ?",
])
def test_a_plea_to_do_what_the_writer_tried_asks_it(body: str) -> None:
    assert U in classify(mail(body)).kinds



@pytest.mark.parametrize("body", [
    "Please don't include my email address in any customer lists you upload to Google Ads, "
    "and don't use my data for lookalike or similar audiences either.",
    "Gebruik mijn gegevens niet voor reclame.",
    "Verwenden Sie meine Daten nicht für Werbung.",
    "N'utilisez pas mes données pour la publicité.",
])
def test_dont_use_my_data_for_ads_is_an_objection(body: str) -> None:
    assert U in classify(mail(body)).kinds


def test_we_dont_use_your_data_for_ads_is_no_objection() -> None:
    assert U not in classify(mail("Wij gebruiken uw gegevens niet voor reclame.")).kinds


def test_an_agreed_request_is_worded_by_its_acting_class_among_equals() -> None:
    request = DetectedRequest(U, 0.99, (
        Evidence("unsubscribe_clause/remove+list", U, "van de lijst halen", 0.9),
        Evidence("unsubscribe_clause/optout+mailing", U, "meld mij af voor de nieuwsbrief", 0.9),
        Evidence(SECOND_OPINION, U, "p=0.99", 0.99)))
    assert wording(request) == "unsubscribe_clause/optout+mailing"
    assert acts_alone(request)
    alone = DetectedRequest(U, 0.99, request.evidence[:2])
    assert not acts_alone(alone)


@pytest.mark.parametrize("body", [
    "How many access and deletion requests did you receive in 2025? What is your average "
    "response time?",
    "Hoeveel inzageverzoeken en verwijderverzoeken ontvingen jullie vorig jaar?",
    "Wie viele Auskunftsanfragen und Löschanfragen haben Sie 2025 erhalten?",
    "Combien de demandes d'accès et de suppression avez-vous reçues en 2025 ?",
])
def test_requests_spoken_of_in_general_are_none(body: str) -> None:
    verdict = classify(mail(body))
    assert not {A, E} & set(verdict.kinds) or needs_triage(verdict)


@pytest.mark.parametrize("body", [
    "Sollten Sie meine Daten jemals an Dritte weitergeben, verlange ich schon jetzt deren "
    "sofortige Löschung.",
    "Should you ever sell my data, I demand its immediate deletion.",
    "Mochten jullie mijn gegevens ooit doorverkopen, dan eis ik verwijdering.",
    "Si vous deviez un jour vendre mes données, j'exige leur suppression immédiate.",
])
def test_what_follows_a_condition_that_may_never_hold_asks_nothing(body: str) -> None:
    assert E not in classify(mail(body)).kinds


def test_what_follows_a_present_condition_still_asks() -> None:
    verdict = classify(mail("If you still have my old address, please delete it. My data "
                            "should be deleted as well: please delete my account."))
    assert E in verdict.kinds


def test_umlauts_written_out_are_read() -> None:
    verdict = classify(mail("hi, loescht bitte alles was ihr von mir habt, hab eh gekündigt. "
                            "danke"))
    assert set(verdict.kinds) == {E}


@pytest.mark.parametrize("body", [
    "Stel dat ik zou vragen om mijn gegevens te laten verwijderen, kan ik dan nog klant "
    "blijven? En worden mijn gegevens dan ook verwijderd? Ik wil het even weten voordat ik "
    "iets beslis.",
    "Would my account be deleted entirely if I asked? I'd like to know before I decide.",
    "Werden meine Daten dann vollständig gelöscht? Ich möchte das wissen, bevor ich mich "
    "entscheide.",
    "Mes données seraient-elles toutes supprimées ? J'aimerais le savoir avant de décider.",
])
def test_an_undecided_writer_waits_for_a_person(body: str) -> None:
    verdict = classify(mail(body))
    assert not set(verdict.kinds) & {A, E, U, C} or needs_triage(verdict)


def test_a_withdrawal_with_an_adverb_withdraws() -> None:
    verdict = classify(mail("Ich wollte eine Auskunft über meine Daten anfordern, habe aber "
                            "gesehen, dass ich alles im Portal herunterladen kann. Hat sich "
                            "also erledigt.", subject="Auskunft"))
    assert A not in verdict.kinds


def test_a_detail_said_as_recorded_is_no_correction() -> None:
    verdict = classify(mail("Mijn zoon (12) deed mee aan de kleurwedstrijd. Daarvoor is zijn "
                            "naam, leeftijd en ons e-mailadres genoteerd. Ik wil graag dat de "
                            "gegevens van mijn zoon worden verwijderd."))
    assert set(verdict.kinds) == {E}


def test_noteer_still_asks_a_correction() -> None:
    assert C in classify(mail("Noteer alstublieft mijn nieuwe adres: Dorpsstraat 4, Ede.")).kinds


def test_a_number_in_parentheses_is_no_list_item() -> None:
    verdict = classify(mail("Merci de retirer mon numéro (+33 6 00 00 12 34) de vos listes "
                            "d'appel."))
    assert set(verdict.kinds) == {U}


@pytest.mark.parametrize("body", [
    "Ich widerspreche der Analyse meines Nutzungsverhaltens (Webstatistik, Tracking). Bitte "
    "schließen Sie mein Kundenkonto von solchen Auswertungen aus.",
    "I object to the tracking of my clicks. Please exclude my account from such analysis.",
])
def test_left_out_of_analysis_is_no_account_closed(body: str) -> None:
    verdict = classify(mail(body))
    assert E not in verdict.kinds
    assert U in verdict.kinds


def test_new_contact_details_from_now_on_are_a_correction() -> None:
    verdict = classify(mail("From now on please use my work details. Please replace the "
                            "previous contact details with mine.", subject="Contact details"))
    assert C in verdict.kinds


@pytest.mark.parametrize("body", [
    "If I get one more call, I'll be asking you to erase everything you hold on me.",
    "Sollte ich noch einen Anruf erhalten, werde ich die Löschung sämtlicher Daten verlangen.",
    "Si vous partagez encore mes données, j'exigerai leur suppression.",
    "Als ik nog één telefoontje krijg, ga ik om verwijdering van al mijn gegevens vragen.",
])
def test_a_threat_after_a_condition_asks_nothing_now(body: str) -> None:
    assert E not in classify(mail(body)).kinds


def test_a_withdrawal_covers_what_its_sentence_names() -> None:
    verdict = classify(mail("Please disregard my email from yesterday asking you to delete my "
                            "account. I'm staying. Never mind!"))
    assert E not in verdict.kinds


def test_a_withdrawal_stops_at_but() -> None:
    verdict = classify(mail("Please ignore my previous email, but please delete my account."))
    assert E in verdict.kinds


def test_an_offer_to_send_a_document_is_no_access() -> None:
    verdict = classify(mail("Pourriez-vous modifier mon nom dans mon espace client : Émilie "
                            "Marchand ? Je peux vous envoyer une copie du livret de famille."))
    assert set(verdict.kinds) == {C}


def test_a_move_long_past_is_no_correction() -> None:
    verdict = classify(mail("I moved to Eindhoven from Kraków last autumn and signed up with "
                            "you through my agency. I'd like a copy of all the personal data "
                            "you have about me."))
    assert set(verdict.kinds) == {A}


def test_a_negation_in_a_relative_clause_is_not_the_requests() -> None:
    verdict = classify(mail("Voordat jullie iets verwijderen wil ik graag eerst een overzicht "
                            "van alles wat jullie over mij hebben. Daarna verzoek ik jullie "
                            "alles te verwijderen wat niet meer nodig is."))
    assert set(verdict.kinds) == {A, E}


def test_advertising_post_is_a_channel() -> None:
    verdict = classify(mail("Wir sind umgezogen. Bitte ändern Sie die Adresse in Ihren "
                            "Unterlagen. Und an die neue Adresse bitte keine Werbepost, nur "
                            "Rechnungen."))
    assert set(verdict.kinds) == {C, U}


@pytest.mark.parametrize("body", [
    "I hereby withdraw my consent to the processing of my personal data for marketing "
    "purposes, with immediate effect.",
    "Ich widerrufe meine Einwilligung zur Verarbeitung meiner Daten zu Werbezwecken.",
])
def test_consent_withdrawn_for_marketing_processing_is_an_opt_out(body: str) -> None:
    assert U in classify(mail(body)).kinds


def test_consent_withdrawn_for_all_processing_is_no_opt_out() -> None:
    verdict = classify(mail("I withdraw my consent to the processing of my personal data."))
    assert U not in verdict.kinds


def test_pls_asks() -> None:
    assert U in classify(mail("pls stop texting me promos, replying STOP doesnt work")).kinds


def test_didnt_negates_sharing() -> None:
    verdict = classify(mail("I'd rather you didn't share or match my data with LinkedIn for "
                            "advertising."))
    assert U in verdict.kinds


def test_no_longer_a_customer_does_not_negate_the_request() -> None:
    verdict = classify(mail("bin nicht mehr kunde bitte alle daten von mir löschen"))
    assert E in verdict.kinds


def test_french_ne_pas_and_mon_are_no_dutch_correction() -> None:
    verdict = classify(mail("Je ne veux pas que vous transmettiez mon adresse e-mail ou mon "
                            "numéro à Meta."))
    assert C not in verdict.kinds


def test_dutch_mn_still_reads_as_mijn() -> None:
    assert C in classify(mail("Graag wijzigen: m'n adres is nu Kerkstraat 5, Utrecht.")).kinds


@pytest.mark.parametrize("body", [
    "Merci de me désabonner de votre newsletter. Le lien en bas de l'e-mail renvoie vers une "
    "page d'erreur.",
    "Please unsubscribe me from the newsletter. The link at the bottom of the email gives an "
    "error message.",
])
def test_an_error_page_is_no_wrong_detail(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {U}


def test_ersuchen_is_the_austrian_plea_not_requests_in_general() -> None:
    verdict = classify(mail("Ich ersuche höflich um Auskunft über sämtliche zu meiner Person "
                            "gespeicherten Daten.", subject="Ersuchen um Datenauskunft"))
    assert A in verdict.kinds


def test_leaflets_are_a_channel_in_french() -> None:
    verdict = classify(mail("Je vous prie de ne plus m'envoyer de dépliants publicitaires ni "
                            "de courriers promotionnels à mon domicile."))
    assert U in verdict.kinds


@pytest.mark.parametrize(("body", "kind"), [
    ("Ik schrijf u namens mijn moeder; ik ben haar mentor en bewindvoerder. Graag ontvang ik "
     "een overzicht van de persoonsgegevens die u van haar verwerkt.", A),
    ("I hold a Lasting Power of Attorney for my father. I would like a copy of all personal "
     "data you hold about him.", A),
    ("Mein Vater ist verstorben. Als Alleinerbe bitte ich Sie, sämtliche Daten meines Vaters "
     "zu löschen.", E),
])
def test_a_representative_makes_the_request_and_a_person_checks_it(
        body: str, kind: RequestKind) -> None:
    verdict = classify(mail(body))
    assert kind in verdict.kinds
    assert needs_triage(verdict)


def test_someone_elses_data_without_a_right_to_act_stays_with_a_person() -> None:
    """Recorded by what is asked (round twenty), and nothing done before a person."""
    for body in ("Mijn vader is in januari overleden. Kunnen jullie zijn gegevens verwijderen?",
                 "Mijn vader is in januari overleden. Hij krijgt nog steeds post van jullie. "
                 "Kunnen jullie zijn gegevens verwijderen?"):
        verdict = classify(mail(body))
        assert E in verdict.kinds and needs_triage(verdict)


def test_everything_about_me_after_the_final_bill_is_acted_on() -> None:
    verdict = classify(mail("My contract ends on 31 March. Once the final bill is settled, "
                            "please wipe everything you hold about me."))
    assert E in verdict.kinds
    assert not any("invoices" in r for r in verdict.review)


def test_a_duplicate_invoice_deleted_still_waits() -> None:
    verdict = classify(mail("Please delete the duplicate invoice from your system."))
    assert E not in verdict.kinds



@pytest.mark.parametrize("body", [
    "Wij verzoeken u om inzage in de gegevens van onze zoon.",
    "Ich möchte eine Auskunft anfragen.",
])
def test_the_verb_to_request_is_no_requests_in_general(body: str) -> None:
    assert A in classify(mail(body)).kinds


def test_a_former_employees_data_asked_by_a_third_party_is_no_access() -> None:
    verdict = classify(mail("In opdracht van onze cliënt verzoeken wij u ons het huidige "
                            "woonadres te verstrekken van uw oud-medewerker de heer Pauwels."))
    assert not {A, C} & set(verdict.kinds)


def test_list_items_carry_the_plea_of_their_lead() -> None:
    verdict = classify(mail("Can you please update my preferences as follows:\n1) no "
                            "newsletter\n2) no phone calls from your sales team\n3) no post "
                            "apart from bills"))
    assert U in verdict.kinds


def test_a_list_under_a_statement_asks_nothing_by_itself() -> None:
    verdict = classify(mail("This is what I received last month:\n1) no newsletter\n2) no "
                            "invoice"))
    assert U not in verdict.kinds


def test_a_detail_taken_out_of_ones_customer_records_is_erased() -> None:
    verdict = classify(mail("Ik wil niet dat jullie dat nummer nog bewaren: haal het "
                            "alsjeblieft helemaal uit mijn klantgegevens."))
    assert E in verdict.kinds


def test_not_a_customer_before_a_dash_negates_nothing_after_it() -> None:
    verdict = classify(mail("Tell me where you got my details from, and then delete "
                            "everything you have on me.",
                            subject="I am not your customer - delete my data"))
    assert E in verdict.kinds
    assert A in verdict.kinds or needs_triage(verdict)  # nothing acted on in part


def test_tell_me_asks() -> None:
    assert A in classify(mail("Tell me which personal data you hold about me.")).kinds


def test_a_client_contacts_own_correction_beside_an_order_is_recorded_and_held() -> None:
    body = ("Hierbij de opdracht voor de najaarsactie:\n- betrokkenen: klanten met een "
            "klantenkaart\n- gegevens: naam, e-mailadres, postcode\n- doel: twee mailings\n"
            "- bewaartermijn: tot 2 maanden na de actie\n- subverwerker: MailDienst B.V.\n\n"
            "Los daarvan: in jullie CRM staat bij mij nog mijn oude mobiele nummer. Mijn "
            "nummer is nu 06 1000 2731, wil je dat aanpassen?")
    verdict = classify(mail(body, sender="f.bakker@klant-een.example", name="Fleur Bakker"),
                       client_contact=True)
    assert {C, RequestKind.REGISTER_INSTRUCTION} <= set(verdict.kinds)
    assert needs_triage(verdict)
