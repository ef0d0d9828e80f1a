"""Unsubscribe, correction and erasure through real parts: Dovecot → mailbot (sources: a
SQLite CRM and a CSV call list, both writable) → staff approval where needed → the SMTP
sink."""

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
from mailbot.handle import optouts
from mailbot.service import drafts, users
from mailbot.store.models import Draft, InboundMail, OptOut, OutboxMessage, Request
from tests.harness.app import make_settings
from tests.harness.mails import mail

pytestmark = pytest.mark.dovecot

RECEIVED = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
SANNE = "sanne.jansen@example.org"
DMARC_PASS = {"Authentication-Results": "mx.example.org; dmarc=pass header.from=example.org"}
CRM_COLUMNS = ("name", "street", "postcode", "city", "phone", "email")


def write_sources(directory: Path) -> list[Source]:
    crm = directory / "crm.sqlite"
    with sqlite3.connect(crm) as connection:
        connection.execute(f"CREATE TABLE customers ({', '.join(CRM_COLUMNS)})")
        connection.executemany("INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?)", [
            ("Sanne Jansen", "Kerkweg 1", "1111 AA", "Oudedorp", "06-11111111",
             "Sanne.Jansen@example.org"),
            ("Pieter Bakker", "Molenweg 5", "2345 BC", "Zwolle", "06-33333333",
             "p.bakker@example.org")])
    connection.close()
    calls = directory / "calls.csv"
    with calls.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out, delimiter=";").writerows([
            ("email", "phone"), (SANNE, "06-11111111"), ("p.bakker@example.org", "06-3")])
    info: dict[str, Any] = {"categories": ["name", "address"], "retention": "2 years",
                            "origin": "you", "writable": True, "no_transfers": True}
    return [
        Source(name="CRM", type="sql", url=f"sqlite:///{crm}",
               query=f"SELECT {', '.join(CRM_COLUMNS)} FROM customers "
                     "WHERE lower(email) = lower(:email)",
               update_query="UPDATE customers SET {field} = :value "
                            "WHERE lower(email) = lower(:email)",
               erase_query="DELETE FROM customers WHERE lower(email) = lower(:email)",
               purposes=["customer administration"], recipients=["our accountant"], **info),
        Source(name="Call list", type="csv", path=calls, delimiter=";",
               purposes=["sales calls"], recipients=["our call centre"], **info),
        Source(name="Privacy mailbox", type="own", purposes=["handling your requests"],
               categories=["your mails"], retention="1 year", origin="you",
               no_recipients=True, no_transfers=True),
    ]


@pytest.fixture
def app(tmp_path: Path, dovecot, smtp_sink, database_url: str, app_factory) -> App:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
                             database_url=database_url,
                             verification={"trusted_authserv_ids": ["mx.example.org"]})
    return app_factory(settings.model_copy(update={"sources": tuple(write_sources(tmp_path))}))


def approve_as_staff(app: App, draft_id: int) -> None:
    """As ``mailbot drafts approve ID --by Staff``: through the service layer."""
    if not any(u["name"] == "Staff" for u in users.users(app.service)):
        users.add(app.service, "Staff", "approver", "a long enough password", by=None)
    drafts.approve(app.service, draft_id, by="Staff")


def only_request(app: App) -> dict[str, Any]:
    with app.uow() as uow:
        request = uow.session.scalars(select(Request)).one()
        return {"status": request.status, "details": request.details,
                "verification_method": request.verification_method}


def waiting_draft(app: App) -> int:
    with app.uow() as uow:
        request = uow.session.scalars(select(Request)).one()
        assert request.status == "awaiting_approval"
        (draft,) = request.drafts
        assert draft.status == "pending_approval"
        return draft.id


def parsed(raw: bytes) -> EmailMessage:
    return message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]


def body(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def crm_row(tmp_path: Path, email: str) -> dict[str, str] | None:
    with sqlite3.connect(tmp_path / "crm.sqlite") as connection:
        row = connection.execute(f"SELECT {', '.join(CRM_COLUMNS)} FROM customers "
                                 "WHERE lower(email) = ?", (email,)).fetchone()
    connection.close()
    return dict(zip(CRM_COLUMNS, row, strict=True)) if row else None


def open_steps(app: App) -> list[tuple[str, str]]:
    with app.uow() as uow:
        request = uow.session.scalars(select(Request)).one()
        return [(s.action, s.target) for s in request.steps if s.open]


def call_list(tmp_path: Path) -> list[dict[str, str]]:
    with (tmp_path / "calls.csv").open(newline="", encoding="utf-8") as source:
        return list(csv.DictReader(source, delimiter=";"))


def test_unsubscribe_is_recorded_and_confirmed_without_approval(app: App, dovecot,
                                                                 smtp_sink) -> None:
    dovecot.append(mail("Haal me van de nieuwsbrief en stop met bellen.", subject="Afmelden"),
                   internaldate=RECEIVED)

    app.daemon.run_once()

    sent = smtp_sink.wait_for_count(1)  # the confirmation only: no acknowledgement first
    confirmation = next(parsed(m.data) for m in sent
                        if "afmelding" in parsed(m.data)["Subject"])
    assert confirmation["To"] == SANNE
    assert confirmation["Auto-Submitted"] == "auto-replied"
    text = body(confirmation)
    assert "nieuwsbrieven en andere mailings" in text and "telefonische verkoop" in text
    assert "uitnodigingen" not in text
    with app.uow() as uow:
        request = uow.session.scalars(select(Request)).one()
        assert (request.kind, request.status) == ("unsubscribe", "done")
        assert request.verified_at is None  # an objection needs no proof of identity
        # the address, and the phone number the CRM holds beside it (06-11111111)
        assert sorted((o.email or "", o.phone or "", o.purpose) for o in
                      uow.session.scalars(select(OptOut))) == [
            ("", "+31611111111", "content_mailings"), ("", "+31611111111", "sales_calls"),
            (SANNE, "", "content_mailings"), (SANNE, "", "sales_calls")]
        exported = optouts.export(uow.repo, "csv")
        reference = request.reference
        since = request.created_at.date().isoformat()
    assert exported.splitlines()[1:] == [
        f"{SANNE},,content_mailings,{since},{reference}",
        f"{SANNE},,sales_calls,{since},{reference}",
        f",+31611111111,content_mailings,{since},{reference}",
        f",+31611111111,sales_calls,{since},{reference}"]


def test_correction_applied_to_the_sources_after_approval(app: App, dovecot, smtp_sink,
                                                          tmp_path: Path) -> None:
    dovecot.append(mail("Beste,\n\nMijn adres is veranderd naar Dorpsstraat 14, 1234 AB "
                        "Ergens en mijn telefoonnummer is nu 06 1234 5678.\n\n"
                        "Met vriendelijke groet,\nSanne Jansen\nTel. 06-11111111",
                        subject="Adreswijziging", headers=DMARC_PASS),
                   internaldate=RECEIVED)

    app.daemon.run_once()

    assert len(smtp_sink.wait_for_count(1)) == 1  # the acknowledgement only
    draft_id = waiting_draft(app)
    assert only_request(app)["verification_method"] == "dmarc"
    assert crm_row(tmp_path, SANNE)["street"] == "Kerkweg 1"

    approve_as_staff(app, draft_id)
    app.daemon.run_once()

    sent = smtp_sink.wait_for_count(2)
    assert list(sent[1].rcpt_tos) == [SANNE]
    text = body(parsed(sent[1].data))
    for line in ("straat en huisnummer: Dorpsstraat 14", "postcode: 1234 AB",
                 "woonplaats: Ergens", "telefoonnummer: 06 1234 5678"):
        assert line in text
    row = crm_row(tmp_path, SANNE)
    assert (row["street"], row["postcode"], row["city"], row["phone"]) == (
        "Dorpsstraat 14", "1234 AB", "Ergens", "06 1234 5678")
    assert crm_row(tmp_path, "p.bakker@example.org")["street"] == "Molenweg 5"
    assert call_list(tmp_path)[0] == {"email": SANNE, "phone": "06 1234 5678"}
    # the call list keeps no address: nothing to correct there; the recipients have no
    # contact address, so telling them (art. 19) waits for a person and is not claimed
    assert "verstrekt aan" not in text
    assert only_request(app)["status"] == "awaiting_steps"
    assert open_steps(app) == [("notify", "our accountant"), ("notify", "our call centre")]


def test_erasure_after_approval_leaves_only_the_minimal_record(
        app: App, dovecot, smtp_sink, tmp_path: Path, database_url: str) -> None:
    dovecot.append(mail("Verwijder al mijn gegevens uit jullie systemen.",
                        subject="Verwijderen", headers=DMARC_PASS), internaldate=RECEIVED)

    app.daemon.run_once()

    assert len(smtp_sink.wait_for_count(1)) == 1
    draft_id = waiting_draft(app)
    assert crm_row(tmp_path, SANNE) is not None

    approve_as_staff(app, draft_id)
    app.daemon.run_once()

    sent = smtp_sink.wait_for_count(2)
    assert list(sent[1].rcpt_tos) == [SANNE]
    confirmation = parsed(sent[1].data)
    assert "gewist" in confirmation["Subject"]
    assert "our accountant" not in body(confirmation)  # not told yet: a manual step
    assert crm_row(tmp_path, SANNE) is None
    assert crm_row(tmp_path, "p.bakker@example.org") is not None
    assert [r["email"] for r in call_list(tmp_path)] == ["p.bakker@example.org"]
    with app.uow() as uow:
        request = uow.session.scalars(select(Request)).one()
        assert (request.kind, request.status, request.sender) == ("erasure", "awaiting_steps",
                                                                  SANNE)
        assert request.reference and request.received_at
        assert request.subject == "[erased]" and request.evidence is None
        assert [(s.action, s.target, s.status) for s in request.steps if s.open] == [
            ("notify", "our accountant", "waiting"), ("notify", "our call centre", "waiting")]
        assert all(s.status == "done" for s in request.steps if s.action == "erase")
        inbound = uow.session.scalars(select(InboundMail)).one()
        assert (inbound.raw, inbound.sender_name, inbound.classification) == (None, None, None)
        assert inbound.body_text == inbound.subject == "[erased]"
        (draft,) = uow.session.scalars(select(Draft)).all()
        assert draft.decided_by == "Staff" and "gewist" in draft.body
        messages = {m.purpose: m for m in uow.session.scalars(select(OutboxMessage))}
        assert messages["acknowledgement"].message is None
        assert messages[f"draft.{draft.id}"].status == "sent"
    if database_url.startswith("sqlite"):
        raw = b"".join(p.read_bytes() for p in tmp_path.glob("mailbot.db*"))
        assert b"Sanne Jansen" not in raw and b"Verwijder al mijn" not in raw
