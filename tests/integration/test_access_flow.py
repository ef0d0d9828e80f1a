"""An access request through real parts: Dovecot → mailbot (sources: a SQLite CRM, a CSV
newsletter list, a processor's export) → staff approval → the SMTP sink."""

from __future__ import annotations

import csv
import sqlite3
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from mailbot.bootstrap import App
from mailbot.config import Source
from mailbot.errors import WorkflowError
from mailbot.service import drafts, users
from mailbot.store.models import Client, ClientContact, Draft, Event, Request
from tests.harness.app import make_settings
from tests.harness.mails import mail

pytestmark = pytest.mark.dovecot

RECEIVED = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
CRM_VALUES = ("Dorpsstraat 12", "1234 AB", "+31 30 000 0112")
PROCESSOR_VALUES = ("K-1001", "Beukenlaan 21", "2026-10-02")


def write_sources(directory: Path) -> list[Source]:
    crm = directory / "crm.sqlite"
    with sqlite3.connect(crm) as connection:
        connection.execute("CREATE TABLE customers (name TEXT, street TEXT, postcode TEXT, "
                           "phone TEXT, email TEXT)")
        connection.executemany("INSERT INTO customers VALUES (?, ?, ?, ?, ?)", [
            ("Sanne Jansen", "Dorpsstraat 12", "1234 AB", "+31 30 000 0112",
             "Sanne.Jansen@example.org"),
            ("Pieter Bakker", "Molenweg 5", "2345 BC", "+31 38 000 0105",
             "p.bakker@example.org")])
    connection.close()
    newsletter = directory / "newsletter.csv"
    webshop = directory / "webshop.csv"
    tables: list[tuple[Path, list[tuple[str, ...]]]] = [
        (newsletter, [("email", "topics"), ("sanne.jansen@example.org", "events")]),
        (webshop, [("customer_no", "email", "delivery_address", "last_order"),
                   ("K-1001", "SANNE.JANSEN@example.org", "Beukenlaan 21, Breda",
                    "2026-10-02")])]
    for path, rows in tables:
        with path.open("w", newline="", encoding="utf-8") as out:
            csv.writer(out, delimiter=";").writerows(rows)
    info: dict[str, Any] = {"categories": ["name", "address"], "retention": "2 years",
                            "origin": "you", "no_recipients": True, "no_transfers": True}
    return [
        Source(name="CRM", type="sql", url=f"sqlite:///{crm}",
               query="SELECT name, street, postcode, phone FROM customers "
                     "WHERE lower(email) = lower(:email)",
               purposes=["customer administration"], **info),
        Source(name="Newsletter list", type="csv", path=newsletter, delimiter=";",
               purposes=["sending our newsletter"], **info),
        Source(name="Webshop customers", type="csv", role="processor", client="Klant B.V.",
               path=webshop, delimiter=";", purposes=["order fulfilment"], **info),
    ]


def approve_as_staff(app: App, draft_id: int) -> None:
    """As ``mailbot drafts approve ID --by "Staff Name"``: through the service layer."""
    if not any(u["name"] == "Staff Name" for u in users.users(app.service)):
        users.add(app.service, "Staff Name", "approver", "a long enough password", by=None)
    drafts.approve(app.service, draft_id, by="Staff Name")


def body(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def test_access_overview_after_approval_and_forward_to_the_client(
    tmp_path: Path, dovecot, smtp_sink, database_url: str, app_factory
) -> None:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
                             database_url=database_url,
                             privacy={"profiling": "Wij nemen geen geautomatiseerde besluiten."},
                             verification={"trusted_authserv_ids": ["mx.example.org"]})
    settings = settings.model_copy(update={"sources": tuple(write_sources(tmp_path))})
    app = app_factory(settings)
    with app.uow() as uow:
        uow.repo.add(Client(name="Klant B.V.", address="Marktplein 1, Klantstad",
                            created_at=RECEIVED,
                            contacts=[ClientContact(email="privacy@klant.test")]))
        uow.commit()
    dovecot.append(mail("Stuur mij een overzicht van mijn gegevens.", subject="Inzage",
                        headers={"Authentication-Results":
                                 "mx.example.org; dmarc=pass header.from=example.org"}),
                   internaldate=RECEIVED)

    app.daemon.run_once()

    acknowledgement = smtp_sink.wait_for_count(1)
    with app.uow() as uow:
        request = uow.session.scalars(select(Request)).one()
        assert (request.kind, request.status) == ("access", "awaiting_approval")
        assert request.verification_method == "dmarc"
        drafts = {d.purpose: d for d in request.drafts}
        assert set(drafts) == {"reply", "forward_to_client"}
        assert {d.status for d in drafts.values()} == {"pending_approval"}
        request_id = request.id
        reply_id, forward_id = drafts["reply"].id, drafts["forward_to_client"].id
    assert len(acknowledgement) == 1  # nothing with personal data leaves before approval

    with pytest.raises(WorkflowError, match="approve or reject the forward"):
        approve_as_staff(app, reply_id)  # the answer waits for the forward to leave

    approve_as_staff(app, forward_id)
    app.daemon.run_once()

    sent = smtp_sink.wait_for_count(2)
    assert list(sent[1].rcpt_tos) == ["privacy@klant.test"]
    forward = body(message_from_bytes(sent[1].data, policy=policy.default))
    assert "20 november 2026" in forward
    assert "sanne.jansen@example.org" in forward
    assert "> Stuur mij een overzicht van mijn gegevens." in forward
    for value in CRM_VALUES:
        assert value not in forward
    with app.uow() as uow:
        assert uow.session.get(Request, request_id).status == "awaiting_approval"

    approve_as_staff(app, reply_id)
    app.daemon.run_once()

    sent = smtp_sink.wait_for_count(3)
    assert list(sent[2].rcpt_tos) == ["sanne.jansen@example.org"]
    overview = message_from_bytes(sent[2].data, policy=policy.default)
    text = body(overview)
    assert "[MB-" in overview["Subject"]
    for value in CRM_VALUES:
        assert value in text
    assert "  Onderwerpen: events" in text.splitlines()
    assert "Wij hebben uw verzoek doorgestuurd aan de organisatie" in text
    assert "Klant B.V." not in text and "Autoriteit Persoonsgegevens" in text
    for value in PROCESSOR_VALUES:
        assert value not in text
    with app.uow() as uow:
        assert uow.session.get(Request, request_id).status == "done"
        approvals = uow.session.scalars(select(Event).where(
            Event.request_id == request_id, Event.action == "draft_approved")).all()
        assert {e.actor for e in approvals} == {"Staff Name"}
        assert {d.status for d in uow.session.scalars(select(Draft))} == {"sent"}
