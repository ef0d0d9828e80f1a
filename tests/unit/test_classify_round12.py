"""Round twelve of issue 13: what a writer says of their own mail, and the requests said of
others."""

from __future__ import annotations

import pytest
from test_classify_support import mail

from mailbot.classify import classify, needs_triage
from mailbot.classify.classifier import run
from mailbot.domain.kinds import RequestKind

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
