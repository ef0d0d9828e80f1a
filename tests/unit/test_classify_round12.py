"""Round twelve of issue 13: what a writer says of their own mail, and the requests said of
others."""

from __future__ import annotations

import pytest
from test_classify_support import mail

from mailbot.classify import classify, needs_triage
from mailbot.classify.classifier import DOUBT, LEANS, SURE, run, second_opinion
from mailbot.domain.kinds import RequestKind
from mailbot.domain.mail import Classification, DetectedRequest, Evidence

A = RequestKind.ACCESS
C = RequestKind.CORRECTION
E = RequestKind.ERASURE
U = RequestKind.UNSUBSCRIBE
KINDS = {A, C, E, U}


@pytest.mark.parametrize("body", [
    "Ik overweeg om inzage te vragen in wat jullie van mij hebben. Hoe lang duurt zo'n "
    "inzageverzoek meestal?",
    "I'm considering asking you to delete my account. Would my contract end as well?",
    "Ich überlege, ob ich meine Daten löschen lasse. Bitte löschen Sie dann auch mein "
    "Kundenkonto.",
    "J'envisage de demander la suppression de mes données. Est-ce que cela met fin à mon "
    "contrat ?",
])
def test_an_undecided_writer_makes_no_request_yet(body: str) -> None:
    found = run(mail(body, "Vraag"))
    assert not set(found.classification.kinds) & KINDS
    assert any(e.kind in KINDS for e, _ in found.found.dropped)  # shown to the person
    assert any("not decided" in r for r in found.classification.review)
    assert needs_triage(found.classification)


@pytest.mark.parametrize("body", [
    "Bedankt voor de bevestiging van mijn afmelding. Nu ik erover nadenk: ik wil ook graag "
    "weten welke gegevens jullie nog van mij hebben.",
    "Thank you for the confirmation of my opt-out. While I'm at it: please send me a copy of "
    "all the personal data you hold about me.",
    "Ich war bis März bei Ihnen angestellt. Bitte senden Sie mir eine Kopie meiner "
    "Personalakte und aller Daten, die Sie über mich gespeichert haben.",
])
def test_words_that_only_suggest_no_request_keep_what_is_asked(body: str) -> None:
    verdict = classify(mail(body, "Vraag"))
    assert A in verdict.kinds
    assert needs_triage(verdict)
    assert any("may ask for nothing" in r for r in verdict.review)


@pytest.mark.parametrize("body", [
    "Dit is geen verzoek hoor. Vorig jaar vroeg ik jullie mijn gegevens te wissen en dat "
    "ging snel.",
    "This is not a request. Last year I asked you to erase my data, and it went quickly.",
])
def test_a_writer_who_says_so_makes_no_request(body: str) -> None:
    verdict = classify(mail(body, "Compliment"))
    assert not set(verdict.kinds) & KINDS
    assert needs_triage(verdict)


@pytest.mark.parametrize("body", [
    "Ik wil graag inzage in alle gegevens die jullie van mij hebben.",
    "Please delete all the personal data you hold about me.",
])
def test_a_plain_request_is_still_one(body: str) -> None:
    assert set(classify(mail(body)).kinds) & KINDS


def _rules_alone(kind: RequestKind) -> Classification:
    """A verdict whose wording class the rules act on alone (``correction_phrase``)."""
    return Classification("en", (DetectedRequest(kind, 0.9, (
        Evidence(f"{kind}_phrase", kind, "x", 0.9),)),))


def _scores(kind: RequestKind, p: float) -> dict[RequestKind, float]:
    return {**dict.fromkeys((A, C, U, E, RequestKind.REGISTER_INSTRUCTION), 0.01), kind: p}


def test_a_model_leaning_against_what_the_rules_alone_found_holds_the_mail() -> None:
    leaning = second_opinion(_rules_alone(C), _scores(C, (DOUBT + LEANS) / 2))
    assert leaning.kinds == (C,)  # the rules' kind is kept for the person to confirm
    assert needs_triage(leaning)
    assert any("leans against correction" in r for r in leaning.review)
    unsure = second_opinion(_rules_alone(C), _scores(C, (LEANS + SURE) / 2))
    assert not needs_triage(unsure)  # unsure, but not against: the rules' word holds
