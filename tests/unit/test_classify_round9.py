"""Issue 13, round nine: the classes the development part still showed after round eight,
each in several languages, with the cases that must still hold."""

from __future__ import annotations

import pytest
from test_classify_support import mail

from mailbot.classify import classify, needs_triage
from mailbot.domain.kinds import RequestKind

C = RequestKind.CORRECTION
E = RequestKind.ERASURE


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
    verdict = classify(mail("Please correct my date of birth to 3 May 1980 in your records, "
                            "and delete my account for the web shop."))
    assert C in verdict.kinds
