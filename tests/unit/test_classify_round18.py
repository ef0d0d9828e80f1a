"""Round eighteen of issue 13, from probes in the style of formal and long mail: a writer who
wants to know first and decide after still asks to know; a guardian, a parent with parental
authority or a legal representative acts for someone else, and a person checks that first."""

from __future__ import annotations

import pytest
from test_classify_support import A, E, U, acted, mail

from mailbot.classify import classify
from mailbot.classify.classifier import triage_reasons


@pytest.mark.parametrize("body", [
    "Voordat ik beslis wat ik ermee doe, wil ik eerst weten welke gegevens jullie van mij "
    "hebben vastgelegd.",
    "Before I decide whether to close my account, I would like to know what data you hold "
    "about me.",
    "Avant de décider, je voudrais savoir quelles données vous détenez sur moi.",
])
def test_knowing_first_and_deciding_after_still_asks_to_know(body: str) -> None:
    assert A in classify(mail(body, "Vraag")).kinds


@pytest.mark.parametrize("body", [
    "Ik overweeg om inzage te vragen in wat jullie over mij hebben vastgelegd, maar ik heb "
    "het nog niet besloten.",
    "I was going to ask for a copy of my data, but I found the download button.",
    "Before I decide, how long does an access request usually take?",
])
def test_an_undecided_writer_still_asks_nothing(body: str) -> None:
    assert A not in classify(mail(body, "Vraag")).kinds


@pytest.mark.parametrize("body", [
    "I write as the legal guardian of my son Tim (12). Please delete all data you hold about "
    "him, including his account.",
    "Ik ben de voogd van Lisa (14). Verwijder alstublieft al haar gegevens.",
    "Ich bin für meine Tochter (13) sorgeberechtigt. Bitte löschen Sie alle ihre Daten.",
    "En tant que titulaire de l'autorité parentale, je vous demande de supprimer les données "
    "de ma fille.",
])
def test_a_guardian_acts_for_someone_else(body: str) -> None:
    verdict = classify(mail(body, "Verzoek"))
    assert E in verdict.kinds
    assert not acted(body, "Verzoek")
    assert any("someone else" in reason for reason in triage_reasons(verdict))


@pytest.mark.parametrize("body", [
    "Your request has been received. Please do not reply to this email.",
    "Gelieve niet te antwoorden op deze e-mail.",
    "U kunt hier niet op antwoorden.",
    "Bitte antworten Sie nicht auf diese E-Mail.",
    "Merci de ne pas répondre à cet e-mail.",
])
def test_do_not_reply_is_no_opt_out(body: str) -> None:
    assert U not in classify(mail(body, "Re: uw verzoek")).kinds


@pytest.mark.parametrize("body", [
    "Please do not reply to this email, just remove me from the list.",
    "Niet op deze mail reageren, haal me gewoon van de verzendlijst.",
    "Please don't email me again.",
])
def test_an_opt_out_beside_do_not_reply_still_asks(body: str) -> None:
    assert U in classify(mail(body, "Re")).kinds
