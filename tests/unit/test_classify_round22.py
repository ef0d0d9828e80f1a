"""Round twenty-two of issue 13: short mails in the other EU languages. A few words say too
little to decide the language, so the clause lexicons of the languages the text scores
nearly as well in are read too, and a request found in one of them names the language."""

from __future__ import annotations

import pytest
from test_classify_support import A, C, E, U, mail

from mailbot.classify import classify, needs_triage
from mailbot.domain.kinds import RequestKind

SHORT = [
    ("Dadme de baja del boletín.", "es", U),
    ("Dadme de baja de la lista.", "es", U),
    ("Disiscrivetemi dalla newsletter.", "it", U),
    ("Disiscrivimi dalla newsletter per favore.", "it", U),
    ("Odjavite me od novic prosim.", "sl", U),
    ("Kopijo mojih podatkov prosim.", "sl", A),
    ("Molim kopiju mojih osobnih podataka.", "hr", A),
    ("Lūdzu, atrakstiet mani no jaunumiem.", "lv", U),
    ("Slet min konto.", "da", E),
    ("Zmažte môj účet.", "sk", E),
    ("Изтрийте профила ми.", "bg", E),
    ("Διαγράψτε τον λογαριασμό μου.", "el", E),
    ("Τι δεδομένα έχετε για μένα;", "el", A),  # noqa: RUF001
    ("Milyen adatokat tárolnak rólam?", "hu", A),
    ("Mi nuevo correo es ana@example.org.", "es", C),
]


@pytest.mark.parametrize(("body", "language", "kind"), SHORT)
def test_a_short_mail_in_another_eu_language_is_understood(
        body: str, language: str, kind: RequestKind) -> None:
    verdict = classify(mail(body))
    assert (set(verdict.kinds), verdict.language) == ({kind}, language)


# Controls: short mails whose language was already clear keep it and their kinds.
@pytest.mark.parametrize(("body", "language", "kind"), [
    ("Por favor borren mis datos.", "es", E),
    ("Prosim izbrišite vse moje podatke.", "sl", E),
    ("Afmeld mig nyhedsbrevet tak.", "da", U),
    ("Smažte můj účet.", "cs", E),
    ("Bitte löschen Sie meine Daten.", "de", E),
    ("Graag uitschrijven voor de nieuwsbrief.", "nl", U),
])
def test_a_short_mail_whose_language_was_clear_keeps_it(
        body: str, language: str, kind: RequestKind) -> None:
    verdict = classify(mail(body))
    assert (set(verdict.kinds), verdict.language) == ({kind}, language)


@pytest.mark.parametrize("body", [
    "Mi sono disiscritto ieri, grazie.",
    "Hvala, vse je v redu.",
    "Děkuji, to je vše.",
])
def test_a_short_mail_that_asks_nothing_stays_other(body: str) -> None:
    assert set(classify(mail(body)).kinds) <= {RequestKind.OTHER}


# Not wanting to be measured or followed: an objection to statistics and tracking, which a
# person confirms (its wording classes are not yet shown precise enough to act on).
TRACKING = [
    "Ik wil niet dat jullie bijhouden welke pagina's ik bekijk.",
    "Ik maak bezwaar tegen het meten van mijn gebruik van de website.",
    "Ik wil niet dat jullie meten wanneer ik jullie mails open.",
    "Ik wil niet dat u bijhoudt welke artikelen ik lees.",
    "I don't want you to track which pages I visit.",
    "I do not want my browsing on your site to be tracked.",
    "I don't want you monitoring what I click on.",
    "Ich will nicht, dass verfolgt wird, wann ich Ihre Mails öffne.",
    "Ich möchte nicht, dass Sie auswerten, welche Seiten ich besuche.",
    "Je ne veux pas que vous suiviez ma navigation sur votre site.",
    "Je refuse que mon comportement sur le site soit mesuré.",
    "Je ne souhaite pas que vous mesuriez l'ouverture de vos e-mails chez moi.",
]


@pytest.mark.parametrize("body", TRACKING)
def test_not_wanting_to_be_tracked_is_an_objection_a_person_confirms(body: str) -> None:
    verdict = classify(mail(body))
    assert set(verdict.kinds) == {U}
    assert needs_triage(verdict)


@pytest.mark.parametrize("body", [
    "Meten jullie eigenlijk of ik jullie mails open?",
    "Do you track which pages I visit?",
    "I don't want to track my own energy use every day, is there a weekly summary?",
    "Ich möchte meinen Verbrauch in der App verfolgen, aber die Grafik lädt nicht.",
    "Je veux suivre ma consommation dans l'appli mais elle plante.",
    "Ik wil mijn pakket volgen maar de link werkt niet.",
    "I want to track my order but the link is broken.",
    "I don't want you to follow up on my complaint, it's solved now.",
    "Ich will nicht, dass Sie meine Bestellung weiter verfolgen, sie ist angekommen.",
    "I do not want my parcel to be tracked by a third party courier.",
    "Je ne souhaite pas que vous conserviez les données suivantes après la résiliation.",
])
def test_tracking_one_s_own_use_or_a_parcel_is_no_objection(body: str) -> None:
    assert RequestKind.UNSUBSCRIBE not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Bitte setzen Sie meine Nummer auf Ihre Sperrliste für Anrufe.",
    "Tragen Sie mich bitte in Ihre Robinsonliste ein.",
])
def test_a_german_blocking_list_is_an_opt_out(body: str) -> None:
    assert set(classify(mail(body)).kinds) == {U}
