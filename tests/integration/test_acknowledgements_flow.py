"""Each kind's acknowledgement says what applies to it, read from the mail actually sent
(Dovecot → mailbot → the SMTP sink): a processing order gets a receipt without a legal
deadline, an opt-out applied at once only its confirmation, and a mail recorded after its
deadline an apology instead of a date already past, with staff alerted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from mailbot.bootstrap import App
from mailbot.service import clients, users
from mailbot.store.models import Event, Request
from tests.harness.app import make_settings
from tests.harness.mails import mail

pytestmark = pytest.mark.dovecot

ORDERS = Path(__file__).resolve().parents[1] / "corpus" / "orders"
CONTACT = "marieke.devries@tuincentrum.example.org"
STAFF = "privacy-team@example.org"
DEADLINE_WORDS = ("uiterlijk op", "voorschrijft", "binnen een maand")


@pytest.fixture
def app(tmp_path: Path, dovecot, smtp_sink, database_url: str, app_factory) -> App:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
                             database_url=database_url,
                             verification={"trusted_authserv_ids": ["mx.example.org"]},
                             deadlines={"staff_address": STAFF})
    app = app_factory(settings)
    users.add(app.service, "Staff", "admin", "a long enough password", by=None)
    return app


def parsed(raw: bytes) -> EmailMessage:
    return message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]


def text(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def to(sent: list[Any], address: str) -> list[EmailMessage]:
    return [parsed(m.data) for m in sent if address in m.rcpt_tos]


def test_a_processing_order_gets_a_receipt_not_a_legal_deadline(app: App, dovecot,
                                                                 smtp_sink) -> None:
    clients.add_client(app.service, "Tuincentrum De Linde B.V.", [CONTACT], by="Staff")
    head, _, body = (ORDERS / "nl_labelled_new.txt").read_text("utf-8").partition("\n\n")
    dovecot.append(mail(body, sender=f"Marieke de Vries <{CONTACT}>",
                        subject=head.removeprefix("Subject: "), headers={
                            "Authentication-Results": "mx.example.org; dmarc=pass "
                                                      "header.from=tuincentrum.example.org"}))

    app.daemon.run_once()

    sent = smtp_sink.wait_for_count(1)
    with app.uow() as uow:
        assert uow.session.scalars(select(Request)).one().kind == "register_instruction"
    ack = next(m for m in to(sent, CONTACT) if "ontvangen" in m["Subject"].lower())
    body_text = text(ack)
    assert "verwerkingsopdracht" in body_text
    assert "beoordeelt de verwerkingsopdracht" in body_text
    for words in DEADLINE_WORDS:
        assert words not in body_text


def test_an_opt_out_applied_at_once_gets_only_its_confirmation(app: App, dovecot,
                                                               smtp_sink) -> None:
    dovecot.append(mail("Haal me van de nieuwsbrief.", subject="Afmelden"))

    app.daemon.run_once()

    smtp_sink.wait_for_count(1)
    (confirmation,) = to(smtp_sink.messages, "sanne.jansen@example.org")
    assert "afmelding is verwerkt" in confirmation["Subject"]
    for words in (*DEADLINE_WORDS, "Wij hebben uw bericht ontvangen"):
        assert words not in text(confirmation) and words not in confirmation["Subject"]
    with app.uow() as uow:
        assert uow.session.scalars(select(Request)).one().status == "done"
        assert uow.session.scalars(select(Event).where(
            Event.action == "acknowledgement_skipped")).one()


def test_an_opt_out_beside_another_request_is_not_promised_a_month(app: App, dovecot,
                                                                   smtp_sink) -> None:
    dovecot.append(mail("Ik wil inzage in mijn gegevens. Ik wil me ook afmelden voor de "
                        "nieuwsbrief.",
                        subject="Inzage en afmelden"))

    app.daemon.run_once()

    sent = smtp_sink.wait_for_count(2)
    ack = next(m for m in to(sent, "sanne.jansen@example.org")
               if "ontvangen" in m["Subject"])
    body_text = text(ack)
    assert "Uw bezwaar hebben wij meteen vastgelegd" in body_text
    assert "uiterlijk op" in body_text  # the access request has its deadline


def test_a_mail_recorded_after_its_deadline_gets_an_apology_and_staff_are_alerted(
        app: App, dovecot, smtp_sink) -> None:
    arrived = datetime.now(UTC) - timedelta(days=45)  # the daemon was down
    dovecot.append(mail("Welke persoonsgegevens hebben jullie van mij?", subject="Inzage"),
                   internaldate=arrived)

    app.daemon.run_once()

    sent = smtp_sink.wait_for_count(2)
    (ack,) = [m for m in to(sent, "sanne.jansen@example.org")
              if "ontvangen" in m["Subject"]]
    body_text = text(ack)
    assert "Het spijt ons" in body_text and "zo snel mogelijk" in body_text
    assert "uiterlijk op" not in body_text
    assert any("TERMIJN VERSTREKEN" in m["Subject"] for m in to(smtp_sink.messages, STAFF))
    with app.uow() as uow:
        assert uow.session.scalars(select(Event).where(
            Event.action == "recorded_after_due")).one()
