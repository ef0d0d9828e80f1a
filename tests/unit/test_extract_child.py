"""Signs of a child under 16, on the day a mail arrived; and no alarm without one."""

from __future__ import annotations

from datetime import date

import pytest

from mailbot.handle.extract.child import is_child

ON = date(2026, 11, 20)


@pytest.mark.parametrize(("text", "age", "reason"), [
    ("Mijn zoon van 13 heeft zich bij jullie aangemeld.", 13, "age"),
    ("Mijn dochter is 12 jaar en kreeg toch jullie mails.", 12, "age"),
    ("Mijn dochter (12) kreeg reclame.", 12, "age"),
    ("Onze 14-jarige zoon heeft een account.", 14, "age"),
    ("Mijn zoon Tim is 11 en staat in jullie systeem.", 11, "age"),
    ("Ik ben 14 jaar en wil dat mijn account weg is.", 14, "age"),
    ("Hij is geboren op 3 mei 2014.", 12, "birth_date"),
    ("Geboortedatum: 21-11-2010", 15, "birth_date"),  # 16 tomorrow
    ("my daughter is 12", 12, "age"),
    ("My 12-year-old son signed up for your newsletter.", 12, "age"),
    ("I am 14 years old and I want my data deleted.", 14, "age"),
    ("I'm 15.", 15, "age"),
    ("Date of birth: 2012-05-01", 14, "birth_date"),
    ("She was born on May 3, 2013.", 13, "birth_date"),
    ("born in 2015", 11, "birth_date"),
    ("Meine Tochter ist 12 Jahre alt.", 12, "age"),
    ("Ich bin 13 Jahre alt.", 13, "age"),
    ("geboren am 3. Mai 2014", 12, "birth_date"),
    ("Ma fille a 12 ans.", 12, "age"),
    ("Mon fils Hugo, 14 ans, s'est inscrit.", 14, "age"),
    ("J'ai 14 ans et je veux être supprimé.", 14, "age"),
    ("née le 3 mai 2014", 12, "birth_date"),
])
def test_signs_of_a_child(text: str, age: int, reason: str) -> None:
    sign = is_child(text, ON)
    assert sign is not None
    assert (sign.age, sign.reason) == (age, reason)
    assert sign.evidence


@pytest.mark.parametrize("text", [
    "my 15-year-old laptop broke",
    "Ik ben klant sinds 2014.",
    "Ik ben 14 jaar klant bij jullie.",
    "We zijn 12 jaar klant.",
    "ik ben 14 mei verhuisd",
    "mijn zoon is 3 keer gebeld",
    "mijn dochter heeft 2 accounts bij jullie",
    "mon fils a 2 comptes",
    "I am 14 days late with this, sorry.",
    "My son is 25 and lives abroad.",
    "Ik ben geboren op 12-03-1980.",
    "geboren in 2010",  # 15 or 16: not certainly under 16
    "Our order of 12 May 2014 never arrived.",
    "Ik ben 100% zeker.",
    "Geboren op 30 februari 2014",  # no such day
])
def test_no_false_alarm(text: str) -> None:
    assert is_child(text, ON) is None


def test_the_age_is_taken_on_the_day_the_mail_arrived() -> None:
    text = "Geboren op 20 november 2010."
    assert is_child(text, date(2026, 11, 19)) is not None
    assert is_child(text, date(2026, 11, 20)) is None


def test_a_birth_date_in_the_future_is_no_birth_date() -> None:
    assert is_child("Geboren op 1 januari 2030", ON) is None
