"""Issue 13, round eleven: the classes the development set dev9 and the development half of
fresh6 showed, each in several languages, with the cases that must still hold."""

from __future__ import annotations

import pytest
from test_classify_support import KINDS, A, C, E, U, mail

from mailbot.classify import classify, needs_triage
from mailbot.classify.classifier import run
from mailbot.domain.kinds import RequestKind


@pytest.mark.parametrize("body", [
    "Ik ben net afgestudeerd en zou graag bij jullie werken. Ik weet hoe je een "
    "inzageverzoek afhandelt, wanneer je gegevens moet verwijderen of corrigeren.",
    "I have just graduated and would love to join your team. I know how to handle an access "
    "request, and when data must be deleted or corrected.",
])
def test_a_sentence_that_states_states_for_every_kind_it_names(body: str) -> None:
    assert not set(classify(mail(body, "Sollicitatie")).kinds) & KINDS


@pytest.mark.parametrize(("body", "kinds"), [
    ("Désinscrivez-moi de votre lettre d'information, puis effacez toutes mes données.",
     {E, U}),
    ("Take me off the newsletter list, then delete all my data please.", {E, U}),
    ("Ik ben geen klant meer, verwijder mijn gegevens.", {E}),
])
def test_an_imperative_after_a_comma_asks(body: str, kinds: set[RequestKind]) -> None:
    assert set(classify(mail(body, "Verzoek")).kinds) & KINDS == kinds


@pytest.mark.parametrize("body", [
    "Met ons portaal kunnen uw klanten zelf hun gegevens inzien, corrigeren en laten "
    "verwijderen. Zullen we een demo plannen?",
    "My previous supplier, Voltaris, told me they keep my data for seven years. Is that "
    "normal? Just curious.",
])
def test_a_list_of_actions_or_a_told_story_after_a_comma_asks_nothing(body: str) -> None:
    assert not set(classify(mail(body, "Vraag")).kinds) & KINDS


@pytest.mark.parametrize("body", [
    "Ik kreeg vandaag een mail met jullie logo: 'Uw IBAN klopt niet meer, corrigeer uw "
    "gegevens binnen 48 uur om afsluiting te voorkomen.' Is dit van jullie of is het nep?",
    'I got a text saying "your account will be deleted, send us your date of birth to keep '
    'it". Is that really you?',
    "On m'a écrit : « supprimez toutes vos données en cliquant sur ce lien ». Est-ce "
    "vraiment vous ?",
])
def test_a_passage_quoted_from_another_text_is_not_the_writers_request(body: str) -> None:
    assert not set(classify(mail(body, "Is dit van jullie?")).kinds) & KINDS


@pytest.mark.parametrize(("body", "kinds"), [
    ("Ik heb over het 'recht om vergeten te worden' gelezen. Vergeet mij alstublieft.", {E}),
    ("Jullie schreven 'wij hebben uw verzoek ontvangen en nemen contact op'. Verwijder nu "
     "eindelijk mijn gegevens.", {E}),
])
def test_the_writers_own_words_beside_a_quote_still_ask(body: str,
                                                         kinds: set[RequestKind]) -> None:
    assert set(classify(mail(body, "Verzoek")).kinds) & KINDS == kinds


@pytest.mark.parametrize("body", [
    "Puur uit nieuwsgierigheid: hoe lang duurt het bij jullie als iemand vraagt om zijn "
    "gegevens te verwijderen?",
    "Just curious: how long does it take you to delete someone's data when they ask?",
    "Reine Neugier: wie lange dauert es bei Ihnen, wenn jemand die Löschung seiner Daten "
    "verlangt?",
    "Par curiosité : combien de temps faut-il pour effacer les données de quelqu'un ?",
])
def test_asking_how_long_a_request_takes_is_no_request(body: str) -> None:
    assert not set(classify(mail(body, "Vraagje")).kinds) & KINDS


@pytest.mark.parametrize("body", [
    "I'm thinking of switching. If I become a customer, is it possible to get an overview of "
    "the data you hold about me, and can I have it deleted when I leave?",
    "Ik denk erover over te stappen. Als ik klant word, kan ik dan een overzicht krijgen "
    "van mijn gegevens en ze laten verwijderen als ik vertrek?",
])
def test_a_question_for_when_the_writer_becomes_a_customer_asks_nothing_now(body: str) -> None:
    assert not set(classify(mail(body, "Before I sign up")).kinds) & KINDS


@pytest.mark.parametrize(("body", "kinds"), [
    ("What do you know about me? I've been with you since I moved here in 2021. Can you "
     "tell me?", {A}),
    ("Wat weten jullie over mij? Ik ben klant sinds ik verhuisd ben naar Zeist.", {A}),
    ("Bitte nehmen Sie mich komplett aus Ihrer Datenbank raus.", {E}),
    ("Bitte nehmen Sie mich aus dem Newsletter raus.", {U}),
])
def test_a_move_as_the_time_since_and_a_database_are_read_as_what_they_are(
        body: str, kinds: set[RequestKind]) -> None:
    assert set(classify(mail(body, "Frage")).kinds) & KINDS == kinds


@pytest.mark.parametrize(("subject", "body", "kinds"), [
    ("Was wissen Sie über mich?", "Was wissen Sie eigentlich alles über mich? Ich bin seit "
     "drei Jahren Kunde.", {A}),
    ("Gegevens", "Wilt u al mijn gegevens wissen? Ik ben geen klant meer.", {E}),
])
def test_a_short_mail_is_read_in_its_own_language_first(subject: str, body: str,
                                                        kinds: set[RequestKind]) -> None:
    assert set(classify(mail(body, subject)).kinds) & KINDS == kinds


@pytest.mark.parametrize("body", [
    "Je m'étais inscrit à l'achat groupé de panneaux solaires. Notre toit ne convient pas, je "
    "voudrais donc me désinscrire de l'achat groupé.",
    "Ik wil me afmelden voor de groepsaankoop zonnepanelen, ons dak is te klein.",
    "Please unsubscribe me from the solar panel group purchase, our roof is too small.",
])
def test_leaving_a_group_purchase_is_no_opt_out(body: str) -> None:
    assert U not in classify(mail(body, "Groepsaankoop")).kinds


@pytest.mark.parametrize("body", [
    "Pouvez-vous nous indiquer comment un client peut s'opposer aux appels commerciaux ?",
    "Kunt u ons uitleggen hoe een klant bezwaar kan maken tegen verkoopgesprekken?",
    "Could you tell us how a customer can object to sales calls?",
])
def test_asking_how_a_customer_objects_is_no_objection(body: str) -> None:
    assert U not in classify(mail(body, "Enquête")).kinds


@pytest.mark.parametrize("body", [
    "In jullie privacyverklaring staat onder 'Inzage' dat jullie binnen 30 dagen antwoorden. "
    "Ik heb zelf geen verzoek lopen, het viel me gewoon op.",
    "Your privacy notice says you answer access requests in 30 days. I have no request "
    "pending, I just noticed it.",
])
def test_a_writer_with_no_request_pending_waits_for_a_person(body: str) -> None:
    found = run(mail(body, "Privacyverklaring"))
    assert not found.classification.kinds or needs_triage(found.classification)


@pytest.mark.parametrize("body", [
    "Utilities we work with receive 300 DSARs a year. We'd love to show you how our tool "
    "answers subject access requests. Would you have 15 minutes next week?",
    "Energieleveranciers waarmee we samenwerken krijgen honderden inzageverzoeken. Heeft u "
    "een kwartier tijd voor een demo van onze software?",
    "Stadtwerke, mit denen wir zusammenarbeiten, erhalten hunderte Auskunftsanfragen. Hätten "
    "Sie eine Viertelstunde Zeit? Buchen Sie direkt einen Termin.",
    "Les fournisseurs avec lesquels nous travaillons reçoivent des centaines de demandes "
    "d'accès. Auriez-vous un quart d'heure ? Réservez directement un créneau.",
])
def test_a_vendors_pitch_about_requests_opens_no_case(body: str) -> None:
    assert not set(classify(mail(body, "DSAR")).kinds) & KINDS


@pytest.mark.parametrize("body", [
    "Sinds de kabel in onze straat is vervangen, hebben we geen storingen meer gehad. Dank!",
    "Since the cable in our street was replaced we have had no more outages. Thanks!",
    "Votre newsletter exagère, vous devriez rectifier ce chiffre dans le prochain numéro.",
    "Pouvez-vous me dire si ma fille a payé ses factures, et m'envoyer une copie de la "
    "dernière ?",
])
def test_a_street_a_newsletters_issue_and_an_invoices_copy_are_no_ones_details(
        body: str) -> None:
    assert not set(classify(mail(body, "Vraag")).kinds) & KINDS


@pytest.mark.parametrize("body", [
    "Mijn vriend wil het contract overnemen. Kunnen jullie de naam op het contract veranderen "
    "naar Niels de Ruiter?",
    "My friend will take over the contract. Could you change the name on the contract to "
    "Niels Porter?",
])
def test_a_contract_taken_over_waits_for_a_person(body: str) -> None:
    found = run(mail(body, "Contract"))
    assert needs_triage(found.classification)


@pytest.mark.parametrize(("body", "kinds"), [
    ("Pouvez-vous rectifier mon adresse ? J'habite désormais 3 rue des Lilas, Lyon.", {C}),
    ("Merci de rectifier mon nom de famille : Dupont, pas Dupond.", {C}),
])
def test_a_correction_of_the_writers_own_detail_still_stands(
        body: str, kinds: set[RequestKind]) -> None:
    assert set(classify(mail(body, "Rectification")).kinds) & KINDS == kinds


@pytest.mark.parametrize(("body", "kinds"), [
    ("Ik word regelmatig door uw verkoopafdeling gebeld met aanbiedingen. Dat hoeft niet "
     "meer, dank u.", {U}),
    ("I keep getting promotional text messages from you. No more of those please.", {U}),
    ("Meld mij af voor de nieuwsbrief, en verwijder daarna mijn e-mailadres helemaal uit "
     "jullie bestand.", {E, U}),
    ("I got married and changed my surname to Henderson, please update it. Also, I don't "
     "want any more invitations to your customer events.", {C, U}),
])
def test_the_second_request_of_a_mail_is_found_too(body: str, kinds: set[RequestKind]) -> None:
    assert set(classify(mail(body, "Verzoek")).kinds) & KINDS == kinds


@pytest.mark.parametrize("body", [
    "Ik kreeg jullie nieuwsbrief altijd graag. Dat is al een tijd niet meer zo.",
    "Er komt nog post voor mij op mijn oude adres. Ik woon daar al twee jaar niet meer.",
])
def test_no_more_said_of_something_else_is_no_opt_out(body: str) -> None:
    assert U not in classify(mail(body, "Post")).kinds


@pytest.mark.parametrize(("body", "kinds"), [
    ("Je reçois régulièrement des invitations à vos soirées énergie. Merci de ne plus m'en "
     "envoyer.", {U}),
    ("Is het mogelijk om geen uitnodigingen meer te krijgen voor jullie webinars?", {U}),
    ("Is it possible to no longer receive invitations to your webinars?", {U}),
    ("PS Die reclamefolders van jullie in de brievenbus hoeven van mij niet meer.", {U}),
])
def test_opt_outs_said_the_everyday_way(body: str, kinds: set[RequestKind]) -> None:
    assert set(classify(mail(body, "Uitnodigingen")).kinds) & KINDS == kinds


@pytest.mark.parametrize("body", [
    "Vous avez prélevé deux fois 89 euros. Merci de supprimer le prélèvement en double.",
    "Ik ben sinds december geen klant meer, maar word nog steeds gebeld door bedrijven die "
    "weten dat ik bij jullie zat.",
    "Ich erhalte Ihren Newsletter nicht mehr.",
])
def test_no_more_far_from_a_channel_or_in_another_clause_is_no_opt_out(body: str) -> None:
    assert U not in classify(mail(body, "Vraag")).kinds


@pytest.mark.parametrize(("body", "kinds"), [
    ("Ik ben afgewezen, dat is prima. Maar ik wil wel dat mijn cv en mijn motivatiebrief nu "
     "worden gewist.", {E}),
    ("Please delete my CV and cover letter now that the vacancy is filled.", {E}),
    ("Wilt u de toevoeging A aan mijn adres toevoegen?", {C}),
    ("An wen haben Sie meine Daten weitergegeben? Ich bin seit einem Jahr Kundin.", {A}),
    ("Met wie delen jullie mijn gegevens?", {A}),
])
def test_everyday_requests_with_their_own_words(body: str, kinds: set[RequestKind]) -> None:
    assert set(classify(mail(body, "Vraag")).kinds) & KINDS == kinds


def test_a_question_who_shared_data_about_others_asks_nothing_of_mine() -> None:
    body = "Ik weet niet aan wie de vorige eigenaar zijn gegevens heeft doorgegeven."
    assert A not in classify(mail(body, "Vraag")).kinds


@pytest.mark.parametrize(("body", "kinds"), [
    ("Ik wil niet dat jullie mijn bezoek aan de website meten of analyseren. Wilt u mij "
     "uitzonderen van de websitestatistieken?", {U}),
    ("Please exclude me from your website analytics.", {U}),
    ("Je vous demande d'effacer les données de navigation déjà collectées à mon sujet.", {E}),
])
def test_website_statistics_said_in_everyday_words(body: str, kinds: set[RequestKind]) -> None:
    assert set(classify(mail(body, "Statistieken")).kinds) & KINDS == kinds


def test_an_anaphor_in_the_last_clause_stands_for_what_the_clause_before_names() -> None:
    body = ("Ik krijg steeds sms'jes van jullie met aanbiedingen, ik wil die niet meer "
            "ontvangen.")
    assert set(classify(mail(body, "sms")).kinds) & KINDS == {U}


@pytest.mark.parametrize("body", [
    "Ik kreeg vroeger jullie nieuwsbrief, die komt niet meer.",
    "I used to get your newsletter, it doesn't come any more.",
])
def test_a_mailing_that_stopped_coming_is_no_opt_out(body: str) -> None:
    assert U not in classify(mail(body, "Nieuwsbrief")).kinds


@pytest.mark.parametrize(("body", "kinds"), [
    ("I am writing to request that you erase all personal data you hold about me, pursuant "
     "to Article 17(1) GDPR.", {E}),
    ("Please tell me what data you hold about me, and then erase it.", {A, E}),
])
def test_a_weak_phrase_inside_another_request_names_its_object(
        body: str, kinds: set[RequestKind]) -> None:
    found = run(mail(body, "Request"))
    assert set(found.classification.kinds) & KINDS == kinds
    assert not any(why.startswith("perhaps also") for why in found.classification.review)


def test_an_order_named_to_say_it_is_not_touched_waits_for_a_person() -> None:
    body = ("Our finance team can't find the invoice for Q1. Could you resend it? No changes "
            "to any of our processing orders, this is only about the invoice.")
    found = run(mail(body, "Invoice", sender="dana.ortiz@client-two.example"),
                client_contact=True)
    assert needs_triage(found.classification)
