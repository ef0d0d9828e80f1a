"""Round twenty-two of issue 13: short mails in the other EU languages. A few words say too
little to decide the language, so the clause lexicons of the languages the text scores
nearly as well in are read too, and a request found in one of them names the language."""

from __future__ import annotations

import pytest
from test_classify_support import A, C, E, U, mail

from mailbot.classify import classify
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
