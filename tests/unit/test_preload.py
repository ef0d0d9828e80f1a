"""A worker's warm-up loads every lexicon and builds every expression its first mails need."""

from __future__ import annotations

import re
from datetime import date

import pytest

from mailbot.classify import classify
from mailbot.classify.special import detect
from mailbot.domain.mail import ParsedMail
from mailbot.handle.extract.changes import find_changes
from mailbot.handle.extract.child import is_child
from mailbot.handle.extract.child_data import child_data
from mailbot.handle.extract.phones import find_phones
from mailbot.handle.extract.purposes import find_purposes
from mailbot.ingest import Ingestor
from mailbot.parse import parse
from mailbot.parse.answer import read_answer
from mailbot.parse.noreply import automatic_signs
from mailbot.register.parse_order import parse_order

MAILS = [
    ("Adreswijziging", "Mijn nieuwe adres is Dorpsstraat 4, 1234 AB Ergens. Mijn dochter is "
     "12 jaar; verwijder haar gegevens. Bel me niet meer op 0555 123456."),
    ("Copy of my data", "Please send me a copy of all personal data you hold about me, and "
     "stop the newsletter. I was born on 3 March 2012."),
    ("Auskunft", "Bitte teilen Sie mir mit, welche Daten Sie über mich speichern, und "
     "löschen Sie danach mein Konto. Keine Werbeanrufe mehr."),
    ("Rectification", "Mon nom est mal orthographié : corrigez-le en Dubois. Je m'oppose aux "
     "cookies publicitaires et au partage avec vos partenaires."),
    ("Verwerkersovereenkomst wijziging", "Doel: salarisadministratie\nCategorieën: "
     "medewerkers\nBewaartermijn: 7 jaar\nGraag per 1 mei registreren."),
]


def _mail(subject: str, body: str) -> ParsedMail:
    raw = (f"From: Ada Voorbeeld <ada@example.org>\r\nSubject: {subject}\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n\r\n").encode() + body.encode()
    mail = parse(raw)
    assert isinstance(mail, ParsedMail)
    return mail


def test_the_first_mails_after_the_warm_up_compile_no_expression(
        monkeypatch: pytest.MonkeyPatch) -> None:
    Ingestor.warm_up()
    compiled: list[str] = []
    real = re.compile

    def recording(pattern: str, flags: int = 0) -> re.Pattern[str]:
        compiled.append(str(pattern)[:80])
        return real(pattern, flags)

    monkeypatch.setattr(re, "compile", recording)
    today = date(2026, 12, 6)
    for subject, body in MAILS:
        mail = _mail(subject, body)
        automatic_signs(mail)
        classify(mail)
        classify(mail, client_contact=True)
        detect(mail.text)
        find_changes(mail.text)
        find_phones(mail.text, "31")
        find_purposes(mail.text)
        is_child(mail.text, today)
        child_data(mail.text, today)
        read_answer(mail.text)
        parse_order(mail.text, subject)
    assert compiled == []
