"""Out-of-office replies in nl/de/fr/en, with and without headers, and bounces of our mail."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailbot.domain.kinds import Disposition
from mailbot.domain.mail import ParsedMail
from mailbot.parse import parse
from mailbot.parse.noreply import check

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "parse"
OWN = frozenset({"privacy@example.org"})


def fixture(name: str) -> ParsedMail:
    result = parse((FIXTURES / name).read_bytes())
    assert isinstance(result, ParsedMail), result
    return result


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("ooo_nl_headers.eml", "auto-submitted"),
        ("ooo_de_headers.eml", "autoreply-header"),
        ("ooo_fr_headers.eml", "auto-submitted"),
        ("ooo_nl_plain.eml", "out-of-office-text"),
        ("ooo_de_plain.eml", "out-of-office-text"),
        ("ooo_fr_plain.eml", "out-of-office-text"),
        ("ooo_en_plain.eml", "out-of-office-text"),
    ],
)
def test_out_of_office_replies_are_never_answered(name: str, rule: str) -> None:
    result = check(fixture(name), own_addresses=OWN)

    assert result is not None
    assert (result.disposition, result.rule) == (Disposition.AUTO_REPLY, rule)


@pytest.mark.parametrize(
    "name", ["ooo_nl_headers.eml", "ooo_de_headers.eml", "ooo_fr_headers.eml"]
)
def test_header_marked_replies_are_caught_by_their_text_too(name: str) -> None:
    """Strip the marking headers and subject: the wording alone must still give them away,
    except where a reply says no more than the absence (those need a second sign)."""
    mail = fixture(name)
    bare = ParsedMail(**{
        **{f: getattr(mail, f) for f in ParsedMail.__dataclass_fields__},
        "headers": {"from": mail.headers["from"]},
        "subject": "Re: your request",
    })

    result = check(bare, own_addresses=OWN)

    if name == "ooo_nl_headers.eml":
        assert result is not None and result.rule == "out-of-office-text"
    else:
        assert result is None  # "bis zum 21.06. nicht im Büro" alone is what a person says


def test_a_person_back_from_holiday_is_answered() -> None:
    assert check(fixture("person_was_away.eml"), own_addresses=OWN) is None


@pytest.mark.parametrize(
    "text",
    [
        "Ik was op vakantie tot gisteren. Stuur mij nu alstublieft mijn gegevens.",
        "Ik ben tot en met 14 juni afwezig, verwijder mijn gegevens voor die tijd.",
        "Ich war bis letzte Woche im Urlaub. Bitte löschen Sie jetzt meine Daten.",
        "Ich bin bis zum 21.06. nicht im Büro, bitte senden Sie mir eine Kopie meiner Daten.",
        "J'étais absente jusqu'au 3 juin. Merci de supprimer mes données.",
        "Je suis absente jusqu'au 17 juin, merci de m'envoyer mes données par courrier.",
        "I'm away until Monday, but please delete my account anyway.",
        "Thank you for your reply. I am on holiday until 5 June; please delete my data.",
    ],
)
def test_people_who_mention_being_away_are_answered(text: str) -> None:
    raw = (
        "From: Sam de Vries <sam.devries@example.org>\nTo: privacy@example.org\n"
        "Subject: Re: Uw verzoek\nMessage-ID: <near-miss@example.org>\n"
        "Content-Type: text/plain; charset=utf-8\n\n" + text + "\n"
    ).encode()
    mail = parse(raw)
    assert isinstance(mail, ParsedMail)

    assert check(mail, own_addresses=OWN) is None


def test_bounce_of_our_acknowledgement_names_message_and_recipient() -> None:
    result = check(fixture("bounce_dsn.eml"), own_addresses=OWN)

    assert result is not None
    assert result.disposition is Disposition.BOUNCE
    assert result.rule == "delivery-report"
    assert result.bounced_message_id == "ack-20240612-0042@mailbot.example.org"
    assert result.bounced_recipients == ("jan.jansen@ontvanger.test",)


def test_qmail_bounce_without_dsn_structure_names_message_and_recipient() -> None:
    result = check(fixture("bounce_qmail.eml"), own_addresses=OWN)

    assert result is not None
    assert result.disposition is Disposition.BOUNCE
    assert result.bounced_message_id == "ack-20240612-0043@mailbot.example.org"
    assert result.bounced_recipients == ("marieke.meijer@voorbeeld-isp.test",)
