"""Issue 13, round eight: the classes the development half of a second blind set showed (a
vendor's pitch, a main clause after "before", "without delay", a mis-typed key word, "I
don't want that" after what arrives, "stop using my data for ads", "I haven't had any
more"), each in several languages, with the cases that must still hold."""

from __future__ import annotations

import pytest
from test_classify_support import mail

from mailbot.classify import classify, needs_triage
from mailbot.classify.clauses import tagged
from mailbot.domain.kinds import RequestKind

A = RequestKind.ACCESS
E = RequestKind.ERASURE
U = RequestKind.UNSUBSCRIBE
REQUESTS = {A, E, U, RequestKind.CORRECTION, RequestKind.REGISTER_INSTRUCTION}


@pytest.mark.parametrize("body", [
    "Hoeveel tijd kost een inzageverzoek of een verwijderverzoek? Zullen we volgende week "
    "15 minuten inplannen?\n\nJasper\nAccount Executive, Verzoekmaat",
    "Handling access requests and erasure requests by hand? Companies like yours see ROI "
    "in three months. Worth a 20 minute call?\n\nMark, Subjectly",
    "Bearbeiten Sie Auskunftsanfragen und Löschanfragen noch von Hand? Haben Sie 15 Minuten "
    "für ein kurzes Gespräch?\n\nKey Account Manager, Anfragewerk",
    "Vous traitez les demandes d'accès et d'effacement à la main ? Les fournisseurs comme "
    "vous gagnent des heures. 20 minutes pour en parler ?\n\nResponsable commercial, Droitfacile",
])
def test_a_vendors_pitch_opens_no_case(body: str) -> None:
    verdict = classify(mail(body, "Uw AVG-verzoeken"))
    assert not set(verdict.kinds) & REQUESTS


@pytest.mark.parametrize("body", [
    "Voordat jullie mijn gegevens verwijderen wil ik eerst een kopie van alles wat jullie "
    "over mij hebben.",
    "Bevor Sie meine Daten löschen möchte ich eine Kopie aller Daten, die Sie über mich "
    "gespeichert haben.",
])
def test_the_main_clause_after_before_asks(body: str) -> None:
    verdict = classify(mail(body))
    assert A in verdict.kinds
    assert E not in verdict.kinds  # the erasure is only the time frame


@pytest.mark.parametrize("body", [
    "Als jullie mijn gegevens verwijderen wil ik een bevestiging.",
    "Wenn Sie meine Daten löschen möchte ich eine Bestätigung.",
])
def test_a_condition_still_asks_nothing_of_its_own(body: str) -> None:
    assert E not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Je vous prie de me transmettre les informations me concernant sans délai.",
    "Please send me a copy of my personal data without undue delay.",
    "Bitte senden Sie mir ohne Verzögerung eine Kopie meiner Daten.",
    "Graag ontvang ik zonder uitstel een kopie van mijn gegevens.",
])
def test_without_delay_negates_nothing(body: str) -> None:
    verdict = classify(mail(body))
    assert A in verdict.kinds
    assert U not in verdict.kinds


@pytest.mark.parametrize("body", [
    "pls unsubcribe me from newsleter thx",
    "graag uitschrijfen van de nieuwsbrief",
    "Bitte vom Newsleter abmleden.",
    "Merci de me désabonenr de la newsletter.",
])
def test_a_mistyped_key_word_is_read(body: str) -> None:
    assert U in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Ich möchte mich für den Newsletter anmelden.",
    "Ik wil me aanmelden voor de nieuwsbrief.",
])
def test_a_near_word_of_other_meaning_is_no_typo(body: str) -> None:
    assert U not in classify(mail(body)).kinds


@pytest.mark.parametrize(("body", "waits"), [
    ("Ik krijg steeds sms'jes van jullie met acties. Wil ik niet. Kan dat uit?", True),
    # ("no more" + a channel acted where the second opinion agreed from round twelve; round
    # fourteen's rebuilt second opinion gave it two frozen wrong mails, and it waits again)
    ("I keep getting text messages with offers from you. I don't want them anymore.", True),
    ("Ich bekomme ständig SMS mit Angeboten von Ihnen. Das möchte ich nicht.", True),
    ("Je reçois sans arrêt vos SMS promotionnels. Je n'en veux plus.", True),
])
def test_i_dont_want_what_arrives(body: str, waits: bool) -> None:
    verdict = classify(mail(body))
    assert U in verdict.kinds
    assert needs_triage(verdict) is waits  # a refusal of what arrives: a person confirms it


@pytest.mark.parametrize("body", [
    "Ik krijg jullie nieuwsbrief elke week. Dat wil ik niet missen.",
    "I get your newsletter every week. I don't want it to stop.",
    "Ik wil niet. Ik krijg de nieuwsbrief graag.",
])
def test_a_wish_to_keep_it_is_no_refusal(body: str) -> None:
    assert U not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "I'd just like you to stop using my data for LinkedIn targeting.",
    "Stop met het gebruiken van mijn gegevens voor advertenties.",
    "Arrêtez d'utiliser mes données pour la publicité ciblée.",
])
def test_stop_using_my_data_for_ads(body: str) -> None:
    assert U in classify(mail(body)).kinds


def test_stop_using_my_data_alone_is_no_opt_out() -> None:
    assert U not in classify(mail("Please stop using my data.")).kinds


@pytest.mark.parametrize("body", [
    "Just confirming I haven't had any more emails since I wrote. Thanks!",
    "I have not had any more newsletters since last month, all good.",
])
def test_having_had_no_more_asks_nothing(body: str) -> None:
    assert U not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Verkoopgesprekken wil ik niet meer: wilt u mijn nummer blokkeren voor "
    "verkoopgesprekken?",
    "Wilt u mijn telefoonnummer blokkeren voor telemarketing?",
])
def test_sales_calls_in_dutch_compounds(body: str) -> None:
    assert U in classify(mail(body)).kinds


def test_an_english_sentence_in_a_long_dutch_mail_is_read_in_english() -> None:
    body = ("Beste mensen, ik ben al jaren klant bij jullie en over het algemeen tevreden over "
            "de levering en de service van de klantenservice. Mijn collega uit Engeland leest "
            "mee, dus de rest in het Engels. Please delete all personal data you hold about "
            "me.")
    assert E in classify(mail(body)).kinds


def test_a_long_dutch_mail_is_read_in_english_only_where_english_words_show() -> None:
    text = ("ik ben al jaren klant en tevreden over de levering. stop the newsletter please. "
            "de service is goed.")
    spans = [bool(spans) for _, _, spans in tagged(text, "en", True)]
    assert spans == [False, True, False]
