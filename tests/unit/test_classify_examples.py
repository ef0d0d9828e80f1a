"""What a person writes, and what mailbot records: kinds and language, in nl/en/de/fr."""

from __future__ import annotations

import pytest
from test_classify_support import mail

from mailbot.classify import classify, needs_triage
from mailbot.domain.kinds import RequestKind

A = RequestKind.ACCESS
C = RequestKind.CORRECTION
E = RequestKind.ERASURE
U = RequestKind.UNSUBSCRIBE
R = RequestKind.REGISTER_INSTRUCTION
O = RequestKind.OTHER  # noqa: E741

# (language, body, subject, expected kinds)
SINGLE = [
    # Dutch, informal and formal
    ("nl", "welke gegevens hebben jullie van mij?", "", {A}),
    ("nl", "Kunnen jullie me een kopie sturen van alle gegevens die jullie over mij hebben?", "",
     {A}),
    ("nl", "Ik wil graag inzage in mijn persoonsgegevens.", "", {A}),
    ("nl", "Hierbij verzoek ik om inzage op grond van artikel 15 AVG.", "Inzageverzoek", {A}),
    ("nl", "mijn adres is veranderd", "", {C}),
    ("nl", "Mijn achternaam is verkeerd gespeld, het is Dekker.", "", {C}),
    ("nl", "Ik ben verhuisd, mijn nieuwe adres is Kerkweg 3 in Plaats.", "", {C}),
    ("nl", "bel me niet meer", "", {U}),
    ("nl", "haal me van de mailinglijst", "", {U}),
    ("nl", "Ik wil geen nieuwsbrief meer ontvangen.", "", {U}),
    ("nl", "Ik maak bezwaar tegen het gebruik van mijn gegevens voor direct marketing.", "", {U}),
    ("nl", "verwijder mijn account", "", {E}),
    ("nl", "Willen jullie al mijn gegevens verwijderen?", "", {E}),
    ("nl", "Hierbij verzoek ik om verwijdering van al mijn persoonsgegevens (artikel 17 AVG).",
     "", {E}),
    # English
    ("en", "What data do you have on me?", "", {A}),
    ("en", "I am hereby requesting access according to Article 15 GDPR.", "", {A}),
    ("en", "My email address has changed, please update it.", "", {C}),
    ("en", "Please correct my surname, it is misspelled.", "", {C}),
    ("en", "Please remove me from your mailing list.", "", {U}),
    ("en", "Stop sending me emails.", "", {U}),
    ("en", "Please delete my account.", "", {E}),
    ("en", "I want to exercise my right to be forgotten.", "", {E}),
    # German
    ("de", "Auskunft nach Art. 15", "", {A}),
    ("de", "Welche Daten haben Sie über mich gespeichert?", "", {A}),
    ("de", "Meine Adresse hat sich geändert.", "", {C}),
    ("de", "Bitte berichtigen Sie meinen Nachnamen.", "", {C}),
    ("de", "Bitte tragen Sie mich aus Ihrem Newsletter aus.", "", {U}),
    ("de", "Ich möchte keine Werbung mehr bekommen.", "", {U}),
    ("de", "Bitte löschen Sie mein Kundenkonto.", "", {E}),
    ("de", "Ich beantrage die Löschung meiner Daten nach Art. 17 DSGVO.", "", {E}),
    # French
    ("fr", "Quelles données avez-vous sur moi ?", "", {A}),
    ("fr", "Je demande l'accès à mes données personnelles.", "", {A}),
    ("fr", "Mon adresse a changé.", "", {C}),
    ("fr", "Merci de rectifier mon nom de famille.", "", {C}),
    ("fr", "Merci de me désabonner de votre newsletter.", "", {U}),
    ("fr", "Je ne veux plus recevoir vos offres.", "", {U}),
    ("fr", "je demande l'effacement", "", {E}),
    ("fr", "Supprimez mon compte, s'il vous plaît.", "", {E}),
    # Phrasings written after the lexicons, as a check on wording not tuned for
    ("nl", "Hallo, ik zou graag willen weten wat voor informatie jullie over mij opslaan.", "",
     {A}),
    ("nl", "Mag ik een overzicht van mijn persoonsgegevens ontvangen?", "", {A}),
    ("nl", "Ik wil gebruik maken van mijn inzagerecht.", "", {A}),
    ("nl", "Mijn telefoonnummer klopt niet meer, het nieuwe nummer is 0612345678.", "", {C}),
    ("nl", "Willen jullie mijn naam aanpassen? Ik heet nu Jansen.", "", {C}),
    ("nl", "Ik wil dat al mijn gegevens gewist worden.", "", {E}),
    ("nl", "Graag mijn profiel verwijderen, ik gebruik het niet meer.", "", {E}),
    ("nl", "Ik wil me uitschrijven voor jullie nieuwsbrief.", "", {U}),
    ("nl", "Stop met mailen aub.", "", {U}),
    ("nl", "Ik ontvang te veel mails van jullie, graag geen mails meer.", "", {U}),
    ("en", "Could you tell me what personal information you hold about me?", "", {A}),
    ("en", "I'd like a copy of all the data you have about me.", "", {A}),
    ("en", "Please change my phone number to 0612345678.", "", {C}),
    ("en", "I want my data erased from your systems.", "", {E}),
    ("en", "Close my account and delete everything you have on me.", "", {E}),
    ("en", "Take me off your list please.", "", {U}),
    ("en", "I don't want to receive any more marketing emails from you.", "", {U}),
    ("de", "Können Sie mir mitteilen, welche Daten Sie über mich haben?", "", {A}),
    ("de", "Ich möchte, dass Sie meine Daten löschen.", "", {E}),
    ("de", "Bitte keine Newsletter mehr an mich schicken.", "", {U}),
    ("de", "Mein Name ist falsch geschrieben, richtig ist Müller.", "", {C}),
    ("fr", "Pouvez-vous me dire quelles informations vous avez sur moi ?", "", {A}),
    ("fr", "Je souhaite que vous supprimiez toutes mes données.", "", {E}),
    ("fr", "Je ne souhaite plus recevoir votre newsletter.", "", {U}),
    ("fr", "Pouvez-vous corriger mon adresse e-mail ?", "", {C}),
]

MULTI = [
    ("nl", "stuur me een overzicht en haal me daarna van de lijst", {A, U}),
    ("nl", "Ik wil weten welke gegevens jullie van mij hebben en daarna wil ik dat jullie alles "
           "verwijderen.", {A, E}),
    ("nl", "Mijn e-mailadres is veranderd, en stuur me voortaan geen reclame meer.", {C, U}),
    ("en", "Send me a copy of my data and then stop emailing me.", {A, U}),
    ("en", "Please delete my data and remove me from your mailing list.", {E, U}),
    ("de", "Ich möchte Auskunft über meine Daten und danach keine Werbung mehr.", {A, U}),
    ("de", "Meine Adresse hat sich geändert. Außerdem bitte ich um Löschung meiner Daten.",
     {C, E}),
    ("fr", "Envoyez-moi une copie de mes données, puis supprimez mon compte.", {A, E}),
    ("fr", "Mon adresse a changé et merci de me désabonner de la newsletter.", {C, U}),
]

NEGATED = [
    ("nl", "ik wil me niet afmelden, maar mijn adres is veranderd", {C}),
    ("nl", "Ik wil mijn account niet verwijderen, ik wil alleen geen nieuwsbrief meer.", {U}),
    ("nl", "Jullie hoeven mijn gegevens niet te verwijderen.", {O}),
    ("en", "I don't want you to delete my account, but please correct my surname.", {C}),
    ("en", "Please do not unsubscribe me, I like the newsletter.", {O}),
    ("de", "Ich möchte mich nicht abmelden, aber meine Telefonnummer ist falsch.", {C}),
    ("de", "Bitte löschen Sie mein Konto nicht, ich habe mich vertan.", {O}),
    ("fr", "Je ne veux pas me désabonner, mais mon numéro de téléphone est incorrect.", {C}),
    ("fr", "Ne supprimez pas mon compte, merci.", {O}),
]

NOT_REQUESTS = [
    ("nl", "Onze zomeraanbiedingen! Klik hier om je af te melden voor deze nieuwsbrief.",
     "Aanbiedingen"),
    ("nl", "Ik wil me afmelden voor de workshop van donderdag, ik ben ziek.", "Workshop"),
    ("nl", "Mijn pakket is niet aangekomen, kunnen jullie dat nagaan?", "Bestelling"),
    ("en", "Big sale! You are receiving this email because you subscribed. To unsubscribe, "
           "click here.", "Sale"),
    ("en", "Hi, when will my order arrive?", "Order"),
    ("en", "I forgot my password.", "Login"),
    ("en", "Can you send me the invoice for last month?", "Invoice"),
    ("nl", "Kunnen jullie me terugbellen over mijn contract?", "Contract"),
    ("nl", "Ik heb mijn wachtwoord vergeten, hoe kan ik inloggen?", "Inloggen"),
    ("de", "Wann wird meine Bestellung geliefert?", "Bestellung"),
    ("fr", "Quand ma commande sera-t-elle livrée ?", "Commande"),
    ("de", "Unser Angebot! Wenn Sie keine E-Mails mehr erhalten möchten, klicken Sie hier, um "
           "sich abzumelden.", "Angebot"),
    ("fr", "Nos offres ! Si vous ne souhaitez plus recevoir nos offres, cliquez ici pour vous "
           "désabonner.", "Offres"),
]


# Opt-out and access words about invoices, orders or other lists: a person handles these.
NOT_OPT_OUTS = [
    "Stop met het sturen van facturen op papier, ik wil ze per mail.",
    "Stuur me geen papieren facturen meer.",
    "Ik wil geen berichten meer ontvangen over mijn bestelling, die is binnen.",
    "Hoe kan ik me aanmelden voor de nieuwsbrief?",
    "Haal me van de wachtlijst voor de cursus.",
    "Kunnen jullie een kopie van mijn factuur sturen?",
    "Welke gegevens hebben jullie nodig om mijn bestelling te verwerken?",
    "Stop sending me paper invoices, email is fine.",
    "I don't want to receive any more messages about my order, it arrived.",
    "Don't call me on my work number anymore, use my mobile.",
    "I want to opt out of paper statements.",
    "Please subscribe me to your newsletter.",
    "Can you send me a copy of my invoice?",
    "Bitte senden Sie mir keine Rechnungen mehr per Post.",
    "Bitte nehmen Sie mich von der Warteliste.",
    "Arrêtez de m'envoyer des factures papier.",
    "Je ne veux plus recevoir de factures papier.",
]


@pytest.mark.parametrize("body", NOT_OPT_OUTS, ids=[b[:30] for b in NOT_OPT_OUTS])
def test_opt_out_and_access_words_about_other_things_are_no_request(body: str) -> None:
    result = classify(mail(body))
    assert result.kinds == (O,)
    assert needs_triage(result)


def kinds(body: str, subject: str = "", **kw: object) -> set[RequestKind]:
    return set(classify(mail(body, subject, **kw)).kinds)


@pytest.mark.parametrize(("lang", "body", "subject", "expected"), SINGLE,
                         ids=[f"{x[0]}-{x[1][:30]}" for x in SINGLE])
def test_one_request_per_mail(lang: str, body: str, subject: str,
                              expected: set[RequestKind]) -> None:
    result = classify(mail(body, subject))
    assert set(result.kinds) == expected
    assert result.language == lang


@pytest.mark.parametrize(("lang", "body", "expected"), MULTI,
                         ids=[f"{x[0]}-{x[1][:30]}" for x in MULTI])
def test_several_requests_in_one_mail_give_one_request_each(
        lang: str, body: str, expected: set[RequestKind]) -> None:
    result = classify(mail(body))
    assert set(result.kinds) == expected
    assert len(result.kinds) == len(expected)
    assert result.language == lang
    for request in result.requests:
        assert all(e.kind is request.kind for e in request.evidence)


@pytest.mark.parametrize(("lang", "body", "expected"), NEGATED,
                         ids=[f"{x[0]}-{x[1][:30]}" for x in NEGATED])
def test_negated_requests_are_not_recorded(lang: str, body: str,
                                           expected: set[RequestKind]) -> None:
    result = classify(mail(body))
    assert set(result.kinds) == expected
    assert result.language == lang


@pytest.mark.parametrize(("lang", "body", "subject"), NOT_REQUESTS,
                         ids=[f"{x[0]}-{x[1][:30]}" for x in NOT_REQUESTS])
def test_text_that_only_mentions_a_request_is_other(lang: str, body: str, subject: str) -> None:
    result = classify(mail(body, subject, sender="news@shop.example", name="Shop"))
    assert result.kinds == (O,)
    assert result.language == lang
    assert needs_triage(result)


@pytest.mark.parametrize(("subject", "lang"), [
    ("Afmelden", "nl"), ("Uitschrijven", "nl"), ("unsubscribe", "en"), ("Unsubscribe me", "en"),
    ("Abmelden", "de"), ("Newsletter abbestellen", "de"), ("Désabonnement", "fr"),
    ("Désinscription", "fr"),
])
def test_subject_only_unsubscribe(subject: str, lang: str) -> None:
    result = classify(mail("", subject))
    assert result.kinds == (U,)
    assert result.language == lang
    assert not needs_triage(result)


def test_subject_keyword_of_a_reply_is_not_a_new_request() -> None:
    assert kinds("Thanks, that's fine.", "RE: Unsubscribe") == {O}


def test_subject_keyword_with_a_long_unrelated_body_goes_to_triage() -> None:
    result = classify(mail("Ik heb een vraag over mijn factuur van vorige maand, want het bedrag "
                           "klopt volgens mij niet helemaal met wat we hadden afgesproken.",
                           "Afmelden"))
    assert result.kinds == (U,)
    assert needs_triage(result)


def test_html_only_mail_is_read_from_its_text() -> None:
    result = classify(mail("Beste,\n\nGraag wil ik mijn account verwijderen.\n\nGroet, Eva",
                           "", html_only=True))
    assert result.kinds == (E,)


def test_thanks_in_a_thread_is_other() -> None:
    body = ("thanks!\n\nOn Mon, 3 Jun 2024 at 10:00, Privacy <privacy@example.test> wrote:\n"
            "> We received your request to unsubscribe. Do you also want us to delete your data?")
    result = classify(mail(body, "Re: Your request"))
    assert result.kinds == (O,)
    assert result.language == "en"


def test_quoted_own_mail_in_outlook_style_is_not_read() -> None:
    body = ("Prima, dank je.\n\nVan: Privacy <privacy@example.test>\n"
            "Verzonden: maandag 3 juni 2024 10:00\nAan: Eva <eva@example.org>\n"
            "Onderwerp: Uw verzoek\n\nU kunt uw account laten verwijderen of zich afmelden.")
    assert kinds(body, "RE: Uw verzoek") == {O}


ORDER_NL = ("Hierbij een nieuwe verwerkingsopdracht.\n\n"
            "Categorieën van persoonsgegevens: naam, e-mailadres\n"
            "Betrokkenen: klanten van Voorbeeld B.V.\n"
            "Doeleinden: verzenden van de nieuwsbrief\n"
            "Startdatum: 1 juli 2024\nEinddatum: 31 december 2025\n"
            "Subverwerkers: Mailhost B.V.\n"
            "Bewaartermijn: verwijder de gegevens na afloop van de opdracht")
ORDER_EN = ("Please record this processing order.\n\n"
            "Categories of personal data: name, email address\n"
            "Data subjects: customers of Example Ltd\n"
            "Purposes: order fulfilment\n"
            "Start of processing: 1 July 2024\nEnd of processing: 30 June 2026\n"
            "Sub-processors: Example Hosting Ltd")


@pytest.mark.parametrize(("body", "lang"), [(ORDER_NL, "nl"), (ORDER_EN, "en")])
def test_processing_order_from_a_client_contact_is_a_register_instruction(
        body: str, lang: str) -> None:
    result = classify(mail(body, "Verwerkingsopdracht"), client_contact=True)
    assert result.kinds == (R,)
    assert result.language == lang


@pytest.mark.parametrize("body", [ORDER_NL, ORDER_EN])
def test_processing_order_from_a_stranger_is_other(body: str) -> None:
    result = classify(mail(body, "Verwerkingsopdracht"), client_contact=False)
    assert result.kinds == (O,)
    assert needs_triage(result)


def test_client_contact_asking_for_own_data_is_an_access_request() -> None:
    result = classify(mail("Welke gegevens hebben jullie van mij?"), client_contact=True)
    assert result.kinds == (A,)


def test_access_letter_listing_purposes_is_not_an_order_even_from_a_client() -> None:
    body = ("I am hereby requesting access according to Article 15 GDPR. Please tell me:\n"
            "1. the purposes of the processing;\n2. the categories of personal data concerned;\n"
            "3. the recipients or categories of recipient;\n")
    assert classify(mail(body), client_contact=True).kinds == (A,)


# Deliberately changed (issue 13): requests in the EU's other languages are recognised and
# recorded with their language (acknowledged in English); they used to be "other".
@pytest.mark.parametrize(("body", "lang", "kinds"), [
    ("Vorrei sapere quali dati personali avete su di me. Cancellate il mio account.", "it",
     {A, E}),
    ("Quiero saber qué datos personales tienen sobre mí y que borren mi cuenta.", "es", {A, E}),
    ("Gostaria de saber quais dados pessoais vocês têm sobre mim.", "pt", {A}),
    ("Dobrý den, žádám o výmaz mých osobních údajů.", "cs", {E}),
    ("Poštovani, molim vas da izbrišete moje osobne podatke.", "hr", {E}),
    ("Dzień dobry, proszę o usunięcie moich danych osobowych.", "pl", {E}),
    ("Hej, jag vill att ni raderar mina personuppgifter.", "sv", {E}),
    ("Hej, jeg vil gerne have, at I sletter mine personoplysninger.", "da", {E}),
])
def test_other_eu_languages_are_read_with_their_language(body: str, lang: str,
                                                         kinds: set[RequestKind]) -> None:
    result = classify(mail(body))
    assert set(result.kinds) == kinds
    assert result.language == lang


def test_greek_is_read_with_its_own_lexicon() -> None:
    # Greek is folded to Latin letters and read with lexicons/clauses/el.toml and its forms.
    result = classify(mail("Γεια σας, θα ήθελα να διαγράψετε τα προσωπικά μου δεδομένα."))  # noqa: RUF001
    assert (result.kinds, result.language) == ((E,), "el")


def test_english_request_from_a_dutch_sender_is_english() -> None:
    assert classify(mail("Please delete my account.", name="Joost van den Berg")).language == "en"


def test_unsure_mail_goes_to_triage_and_sure_one_does_not() -> None:
    assert needs_triage(classify(mail("Ik heb een vraag over de privacyverklaring.")))
    assert not needs_triage(classify(mail("Verwijder mijn account alsjeblieft.")))
