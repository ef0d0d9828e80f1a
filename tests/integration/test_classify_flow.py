"""Mail as people (and machines) really write it, through the real parts: Dovecot → mailbot
→ database → SMTP sink. Issue 13's safety cases: a withdrawn opt-out, a vendor's pitch, an
out-of-office without headers, a Spanish formal letter, a follow-up."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select

from mailbot.bootstrap import App
from mailbot.store.models import Event, InboundMail, OptOut, OutboxMessage, Request, Verification
from tests.harness.app import make_settings
from tests.harness.mails import mail

pytestmark = pytest.mark.dovecot

RECEIVED = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture
def app(tmp_path: Path, dovecot, smtp_sink, database_url: str, app_factory) -> App:
    return app_factory(make_settings(tmp_path, mailbox_url=dovecot.url(),
                                     smtp_url=smtp_sink.url, database_url=database_url))


def parsed(raw: bytes) -> EmailMessage:
    return message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]


def requests(app: App) -> list[tuple[str, str, str]]:
    with app.uow() as uow:
        return [(r.kind, r.status, r.language)
                for r in uow.session.scalars(select(Request).order_by(Request.id))]


def test_an_opt_out_withdrawn_in_the_same_mail_is_not_applied(app: App, dovecot,
                                                               smtp_sink) -> None:
    dovecot.append(mail("Meld me af voor de nieuwsbrief.\n\nLaat maar, ik heb me net zelf "
                        "afgemeld via de link onderaan.\n\nGroet, Sanne", subject="Afmelden"),
                   internaldate=RECEIVED)

    app.daemon.run_once()

    assert requests(app) == [("other", "triage", "nl")]
    with app.uow() as uow:
        assert uow.session.scalars(select(OptOut)).all() == []
        held = uow.session.scalars(select(Event).where(Event.action == "held_for_triage")).one()
        assert any("withdrawn" in reason for reason in held.detail["reasons"])
    subjects = [parsed(m.data)["Subject"] for m in smtp_sink.messages]
    assert not any("afmelding" in s.lower() for s in subjects)  # no confirmation of it


def test_a_vendor_pitch_naming_dsars_opens_no_case(app: App, dovecot, smtp_sink) -> None:
    dovecot.append(mail(
        "Hi team,\n\nAre DSARs eating up your privacy team's time? Our platform automates "
        "GDPR data subject access requests end to end.\n\nCould I book 15 minutes next week "
        "to show you?\n\nBest,\nChloe Mills\nSales, RequestFlow",
        sender="Chloe Mills <chloe@requestflow.example>", subject="Your DSAR process"),
        internaldate=RECEIVED)

    app.daemon.run_once()

    assert requests(app) == [("other", "triage", "en")]
    with app.uow() as uow:
        assert uow.session.scalars(select(Verification)).all() == []
        purposes = [o.purpose for o in uow.session.scalars(select(OutboxMessage))]
    assert "verification" not in purposes


def test_an_out_of_office_without_headers_is_not_answered(app: App, dovecot,
                                                          smtp_sink) -> None:
    dovecot.append(mail("Hi,\n\nI'm on parental leave and not checking messages. For anything "
                        "urgent please contact ops@firm.example.\n\nJames",
                        sender="James Wood <james.wood@firm.example>",
                        subject="Re: Your request"), internaldate=RECEIVED)

    assert app.daemon.run_once() == 1  # recorded, and run_once has delivered all that is due

    assert smtp_sink.messages == []
    with app.uow() as uow:
        (inbound,) = uow.session.scalars(select(InboundMail)).all()
        held = uow.session.scalars(
            select(Event).where(Event.action == "acknowledgement_held")).one()
        assert held.inbound_id == inbound.id
        assert uow.session.scalars(select(OutboxMessage)).all() == []
    assert requests(app) == [("other", "triage", "en")]


def test_a_spanish_formal_access_letter_is_access_and_acknowledged_in_english(
        app: App, dovecot, smtp_sink) -> None:
    dovecot.append(mail(
        "Estimados señores:\n\nPor medio de la presente ejerzo mi derecho de acceso conforme "
        "al artículo 15 del RGPD y solicito una copia de mis datos personales que ustedes "
        "tratan.\n\nAtentamente,\nLucía Fernández",
        sender="Lucía Fernández <lucia.fernandez@example.org>",
        subject="Solicitud de acceso (art. 15 RGPD)"), internaldate=RECEIVED)

    app.daemon.run_once()

    ((kind, status, language),) = requests(app)
    assert (kind, language) == ("access", "es")
    assert status == "awaiting_verification"  # the deadline runs, identity is checked first
    sent = [parsed(m.data) for m in smtp_sink.wait_for_count(2)]
    subjects = sorted(m["Subject"] for m in sent)
    assert subjects[0].startswith("Please confirm your e-mail address")
    assert subjects[1].startswith("We have received your message")
    assert all(m["To"] == "lucia.fernandez@example.org" for m in sent)


def test_a_follow_up_is_linked_to_its_open_request(app: App, dovecot, smtp_sink) -> None:
    dovecot.append(mail("Welke persoonsgegevens hebben jullie van mij? Stuur me een overzicht.",
                        message_id="<first@mail.example.org>"), internaldate=RECEIVED)
    app.daemon.run_once()
    smtp_sink.wait_for_count(2)  # the acknowledgement and the verification mail
    with app.uow() as uow:
        (first,) = uow.session.scalars(select(Request)).all()
        reference, first_id = first.reference, first.id

    dovecot.append(mail("Ik heb nog steeds geen antwoord op mijn verzoek. Hoe staat het ermee?",
                        subject="Mijn verzoek", message_id="<second@mail.example.org>"),
                   internaldate=RECEIVED)
    app.daemon.run_once()

    with app.uow() as uow:
        assert [r.id for r in uow.session.scalars(select(Request))] == [first_id]
        second = uow.session.scalars(select(InboundMail).where(
            InboundMail.message_id == "second@mail.example.org")).one()
        assert second.disposition == "follow_up"
        event = uow.session.scalars(select(Event).where(Event.action == "follow_up")).one()
        assert (event.request_id, event.inbound_id) == (first_id, second.id)
    assert len(smtp_sink.messages) == 2  # nothing new was sent
    assert reference
