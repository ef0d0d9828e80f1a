"""Round fifteen of issue 13: a question word after "everything" opens an object, not a
question; withdrawals said with an infinitive or of a named request; seeing everything held;
a mailing's footer without a noun."""

from __future__ import annotations

import pytest
from test_classify_support import A, E, mail, mailing_signs

from mailbot.classify import classify, wording
from mailbot.domain.kinds import RequestKind


@pytest.mark.parametrize("body", [
    "Ik wil dat u alles wat u van mij hebt, verwijdert: naam, adres en de rest.",
    "Bitte löschen Sie alles, was Sie über mich gespeichert haben.",
    "Effacez tout ce que vous avez sur moi, s'il vous plaît.",
])
def test_everything_you_hold_erased_asks_no_access(body: str) -> None:
    kinds = classify(mail(body, "Verwijderen")).kinds
    assert E in kinds
    assert A not in kinds


@pytest.mark.parametrize("body", [
    "Ik wil weten wat u van mij hebt.",
    "Ich möchte wissen, was Sie über mich gespeichert haben.",
    "Je voudrais savoir ce que vous avez sur moi.",
])
def test_a_question_what_is_held_still_asks_access(body: str) -> None:
    assert A in classify(mail(body, "Vraag")).kinds


@pytest.mark.parametrize("body", [
    "I would like to see everything you have on me.",
    "Salut, je voudrais voir tout ce que vous avez sur moi, vous pouvez m'envoyer ça ?",
    "Could you show me everything you hold about me?",
])
def test_seeing_everything_held_asks_access(body: str) -> None:
    assert A in classify(mail(body, "Data")).kinds


@pytest.mark.parametrize(("subject", "body"), [
    ("Annulation", "Finalement j'ai trouvé. Vous pouvez ignorer ma demande d'accès d'hier."),
    ("Inzage", "Mijn verzoek om inzage van gisteren mag u negeren, ik heb het al gevonden."),
    ("Inzage", "U kunt mijn inzageverzoek van gisteren negeren."),
    ("Access", "You can ignore my access request from yesterday."),
    ("Re: Deletion request", "Please cancel my deletion request from last week. Keep "
     "everything for now."),
    ("Gegevens", "Annuleer mijn verwijderverzoek van maandag, ik blijf klant."),
    ("Löschung", "Bitte stornieren Sie meinen Löschantrag, ich bleibe Kunde."),
    ("Löschung", "Ich ziehe meinen Löschantrag vom Montag hiermit zurück."),
    ("Gegevens", "Ik trek mijn verwijderverzoek van vorige week in."),
])
def test_a_withdrawn_request_is_no_request(subject: str, body: str) -> None:
    classification = classify(mail(body, subject))
    assert set(classification.kinds) == {RequestKind.OTHER}
    assert [wording(r) for r in classification.requests] == ["withdrawal"]


def test_a_request_not_to_ignore_is_no_withdrawal() -> None:
    body = "Verwijder mijn gegevens. Deze vraag mag u niet negeren!"
    assert E in classify(mail(body, "Verwijderen")).kinds


@pytest.mark.parametrize("body", [
    "Top stories of the week.\n\nYou're receiving this because you subscribed.",
    "Top stories of the week.\n\nManage preferences at digest.example/prefs.",
])
def test_a_mailings_footer_without_a_noun_is_a_sign(body: str) -> None:
    assert mailing_signs(body)


def test_a_person_asking_about_their_preferences_shows_no_sign() -> None:
    assert mailing_signs("Hello, how can I change my preferences for your newsletter?") == ()


@pytest.mark.parametrize("body", [
    "Two things. First, my name is Wilfred, not Wilfried. Second, no more marketing letters.",
    "1) mein Nachname ist Keller, nicht Kehler\n2) den Newsletter will ich nicht mehr",
    "Mijn achternaam is Janssen, niet Jansen.",
    "Je m'appelle Dubois et non Dubos.",
])
def test_a_name_set_against_the_wrong_one_asks_a_correction(body: str) -> None:
    assert RequestKind.CORRECTION in classify(mail(body, "Naam")).kinds


def test_a_name_told_without_a_wrong_one_asks_no_correction() -> None:
    body = "My name is Anna Visser and I would like to know when my meter is replaced."
    assert RequestKind.CORRECTION not in classify(mail(body, "Meter")).kinds


def test_data_you_have_recorded_is_held_data_not_a_correction() -> None:
    body = ("Pourriez-vous m'envoyer toutes les données de consommation issues de mon "
            "compteur que vous avez enregistrées ?")
    assert A in classify(mail(body, "Mes données")).kinds


def test_a_wrong_detail_recorded_is_still_corrected() -> None:
    body = "Vous avez enregistré une mauvaise adresse, corrigez-la s'il vous plaît."
    assert RequestKind.CORRECTION in classify(mail(body, "Adresse")).kinds


@pytest.mark.parametrize("body", [
    "Je ne suis plus client et je n'ai pas l'intention de revenir. Merci de supprimer toutes "
    "mes données personnelles.",
    "I don't intend to come back to you. Please delete all my personal data.",
])
def test_not_meaning_to_return_is_not_saying_the_mail_asks_nothing(body: str) -> None:
    assert E in classify(mail(body, "Données")).kinds


@pytest.mark.parametrize("body", [
    "Je n'ai pas l'intention de faire une demande, je voudrais juste savoir combien de temps "
    "vous gardez mes données personnelles avant de les supprimer.",
    "I do not intend to submit a formal request; I only wonder how long you would keep my "
    "data before you delete it.",
    "J'hésite à vous demander de supprimer toutes mes données personnelles.",
])
def test_not_meaning_to_ask_still_asks_nothing(body: str) -> None:
    assert E not in classify(mail(body, "Question")).kinds
