"""Round nineteen of issue 13, from probes in the style of everyday mail typed on phones and
in webmail: a writer who no longer needs a mailing asks to stop it; "take me out of the
list"; "who did you give my number to"; not wanting one's data kept any longer; a wish the
writer had at first and gave up ("I first wanted to ..., but"); a question whether what the
writer did themself is done. Each class has controls that must keep their reading."""

from __future__ import annotations

import pytest
from test_classify_support import A, C, E, U, acted, mail

from mailbot.classify import classify
from mailbot.classify.classifier import triage_reasons


@pytest.mark.parametrize("body", [
    "die webinar uitnodigingen hoef ik echt niet meer te krijgen. groetjes",
    "de nieuwsbrief hoef ik niet meer te ontvangen, dank",
    "I don't need to receive your webinar invites anymore.",
    "Ich brauche Ihre Einladungen nicht mehr zu bekommen.",
    "Je n'ai plus besoin de recevoir vos invitations aux webinaires.",
])
def test_needing_a_mailing_no_more_asks_to_stop_it(body: str) -> None:
    assert U in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "ik krijg de nieuwsbrief niet meer, klopt dat?",
    "I don't receive the newsletter anymore, is something wrong?",
    "Ik ontvang jullie nieuwsbrief niet meer sinds de verhuizing.",
])
def test_a_mailing_that_stopped_coming_is_still_no_opt_out(body: str) -> None:
    assert U not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "zet me maar uit de mailinglijst hoor",
    "zet mij uit jullie verzendlijst",
    "take me out of the mailing list",
])
def test_taken_out_of_the_list(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {U}


@pytest.mark.parametrize("body", [
    "Ik zet de verwarming uit als ik op vakantie ga, is dat een probleem voor de app?",
    "Can I take out a longer service contract?",
    "I took out the battery and the list of errors is gone.",
])
def test_taking_out_or_switching_off_something_else_asks_nothing(body: str) -> None:
    assert U not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Aan wie hebben jullie mijn adres doorgegeven?",
    "Met welke bedrijven delen jullie mijn mailadres?",
    "Who did you give my phone number to?",
    "An wen haben Sie meine Telefonnummer weitergegeben?",
    "À qui avez-vous transmis mon adresse ?",
])
def test_who_was_given_one_of_my_details_asks_for_access(body: str) -> None:
    assert A in classify(mail(body)).kinds


def test_who_the_writer_should_give_something_to_is_no_access() -> None:
    body = ("I use an oxygen concentrator at home. Who should I give this information to, "
            "and do you need a letter from the doctor?")
    assert A not in classify(mail(body)).kinds


def test_show_me_what_is_about_me_asks_for_access() -> None:
    body = ("Kunnen jullie me laten zien wat er over mij in jullie systeem staat? Volgens mij "
            "staat mijn adres er nog verkeerd in, het is Dorpsstraat 8.")
    assert set(classify(mail(body)).kinds) == {A, C}


def test_off_the_newsletter_and_the_account_gone_are_both_asked() -> None:
    body = "I want off your newsletter and after that I want my whole account gone."
    assert set(classify(mail(body)).kinds) == {E, U}


@pytest.mark.parametrize("body", [
    "Following my divorce I have gone back to my maiden name. Please change the name on my "
    "account.",
    "My direct debit has gone up by 28 euros. Please send me a copy of the meter readings "
    "you hold about me.",
])
def test_gone_as_a_participle_erases_nothing(body: str) -> None:
    assert E not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Jullie mogen mijn gegevens niet langer bewaren.",
    "I no longer want you to keep any of my data.",
    "Sie sollen meine Daten nicht mehr speichern.",
    "Je ne veux plus que vous conserviez mes données.",
])
def test_not_wanting_ones_data_kept_any_longer_asks_to_erase_it(body: str) -> None:
    assert E in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Ik ben geen klant meer, bewaren jullie mijn gegevens dan nog?",
    "We no longer keep your data after the contract ends, right?",
    "Volgens de AVG mag u persoonsgegevens niet langer bewaren dan nodig. Hoe doet u dat?",
    "Please confirm that my data will no longer be processed for direct marketing.",
    "Ik weet niet meer wat ik allemaal heb ingevuld over mijn huid, dat wil ik graag zien.",
])
def test_keeping_data_asked_about_or_told_is_no_erasure(body: str) -> None:
    assert E not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Ik wilde me eerst afmelden voor de nieuwsbrief, maar de laatste tips waren echt goed. "
    "Ik blijf dus toch.",
    "I wanted to unsubscribe from the newsletter at first, but the last tips were really "
    "good. So I'm staying.",
    "Ich wollte mich zuerst vom Newsletter abmelden, aber die letzten Tipps waren gut. Ich "
    "bleibe also.",
    "Je voulais d'abord me désinscrire de la newsletter, mais les derniers conseils étaient "
    "bons. Je reste donc.",
    "Ik wilde eigenlijk mijn account laten verwijderen, maar jullie hebben het probleem "
    "opgelost.",
])
def test_a_wish_given_up_is_not_acted_on(body: str) -> None:
    verdict = classify(mail(body))
    assert not set(verdict.kinds) & {E, U}
    assert triage_reasons(verdict)


@pytest.mark.parametrize(("body", "kind"), [
    ("Ik wilde eerst alleen de nieuwsbrief opzeggen, maar nu wil ik dat jullie al mijn "
     "gegevens verwijderen.", E),
    ("Ik wilde me eigenlijk zelf afmelden, maar de link werkt niet. Kunnen jullie me van de "
     "nieuwsbrief afhalen?", U),
    ("I actually wanted to delete my account myself, but I can't find the button. Please "
     "delete it for me.", E),
    ("Ik wilde al lang afmelden voor de nieuwsbrief. Bij deze: graag afmelden.", U),
])
def test_what_is_asked_after_the_first_wish_or_beside_trying_still_counts(
        body: str, kind: object) -> None:
    assert kind in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Ik heb mijn account zelf al verwijderd via de app. Klopt het dat alles nu weg is?",
    "J'ai supprimé mon compte moi-même dans l'appli. Est-ce que tout est bien effacé "
    "maintenant ?",
    "I deleted my account myself in the app. Is it true that everything is gone now?",
    "Ich habe mein Konto selbst in der App gelöscht. Stimmt es, dass jetzt alles weg ist?",
])
def test_asking_whether_it_is_done_is_not_acted_on(body: str) -> None:
    assert not acted(body, "")
    assert E not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Is het mogelijk dat alles van mij verwijderd wordt?",
    "Is it possible to have everything deleted?",
    "Kunnen jullie zorgen dat alles van mij weg is?",
])
def test_asking_for_it_to_be_done_still_asks(body: str) -> None:
    assert E in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "graag mijn bankrekening wijzigen, ik heb een nieuwe bank.",
    "Merci de modifier mon compte bancaire, j'ai changé de banque.",
])
def test_a_bank_account_is_a_detail_to_correct(body: str) -> None:
    assert C in classify(mail(body)).kinds
