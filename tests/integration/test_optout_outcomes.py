"""Opt-outs say only what was done (issue 15), through Dovecot → mailbot (a SQLite CRM that
keeps consent per purpose) → the SMTP sink, reading the mails actually sent; SQLite and
PostgreSQL as mailbot's store. The suppression list holds the phone numbers found, a
writable source gets the objection, and statistics and ad networks, which work with cookies,
are a manual step the reply names as such instead of "we no longer use your data"."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from mailbot.bootstrap import App
from mailbot.config import Source
from mailbot.handle.acknowledge import Acknowledger
from mailbot.handle.optouts import rows as listed_rows
from mailbot.mailbox.source import FetchedMessage
from mailbot.service import optouts, requests, users
from mailbot.store.models import Event, OutboxMessage, Request
from tests.harness.app import make_settings, toml_for
from tests.harness.mails import mail

pytestmark = pytest.mark.dovecot

SANNE = "sanne.jansen@example.org"
STAFF = "Staff"


def write_crm(directory: Path) -> Source:
    crm = directory / "crm.sqlite"
    with sqlite3.connect(crm) as connection:
        connection.execute("CREATE TABLE customers (name, phone, email, newsletter INTEGER, "
                           "call_ok INTEGER)")
        connection.executemany("INSERT INTO customers VALUES (?, ?, ?, 1, 1)", [
            ("Sanne Jansen", "020-7654321", SANNE),
            ("Pieter Bakker", "06-33333333", "p.bakker@example.org")])
    connection.close()
    return Source(
        name="CRM", type="sql", url=f"sqlite:///{crm}",
        query="SELECT name, phone, email, newsletter, call_ok FROM customers "
              "WHERE lower(email) = lower(:email)",
        update_query="UPDATE customers SET {field} = :value WHERE lower(email) = lower(:email)",
        writable=True, purposes=["customer administration"], categories=["name"],
        retention="2 years", origin="you", no_recipients=True, no_transfers=True,
        optout_columns={"content_mailings": "newsletter", "sales_calls": "call_ok"})


def crm(tmp_path: Path, email: str) -> tuple[Any, ...]:
    with sqlite3.connect(tmp_path / "crm.sqlite") as connection:
        row = connection.execute("SELECT newsletter, call_ok FROM customers "
                                 "WHERE email = ?", (email,)).fetchone()
    connection.close()
    return tuple(row)


@pytest.fixture
def app(tmp_path: Path, dovecot, smtp_sink, database_url: str, app_factory) -> App:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
                             database_url=database_url, sources=[write_crm(tmp_path)])
    app = app_factory(settings)
    users.add(app.service, STAFF, "admin", "a long enough password", by=None)
    return app


def parsed(raw: bytes) -> EmailMessage:
    return message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]


def sent_to(smtp_sink, address: str) -> list[EmailMessage]:
    return [parsed(m.data) for m in smtp_sink.messages if address in m.rcpt_tos]


def text(message: EmailMessage) -> str:
    return " ".join(message.get_body(("plain",)).get_content().split())


def test_the_objection_reaches_the_phone_number_and_the_crm(app: App, dovecot, smtp_sink,
                                                            tmp_path: Path) -> None:
    dovecot.append(mail("Haal me van de nieuwsbrief en stop met bellen, ook niet op mijn "
                        "mobiel 06-12345678.", subject="Afmelden"))

    app.daemon.run_once()

    smtp_sink.wait_for_count(1)
    (confirmation,) = sent_to(smtp_sink, SANNE)
    body = text(confirmation)
    assert "afmelding is verwerkt" in confirmation["Subject"]
    assert "nieuwsbrieven en andere mailings" in body and "telefonische verkoop" in body
    assert "net als het telefoonnummer dat u noemde" in body
    assert "In onze eigen systemen hebben wij uw keuze ook al aangepast" in body
    assert "06-12345678" not in body and "7654321" not in body
    assert crm(tmp_path, SANNE) == (0, 0)
    assert crm(tmp_path, "p.bakker@example.org") == (1, 1)  # nobody else is touched
    with app.uow() as uow:
        listed = {(o["email"], o["phone"], o["purpose"]) for o in listed_rows(uow.repo)}
        request = uow.session.scalars(select(Request)).one()
        assert request.status == "done"
        done = [(s.action, s.status, s.detail["column"]) for s in request.steps]
    # the number given in the mail and the one the CRM holds, both in one form
    for phone in ("+31612345678", "+31207654321"):
        assert {(None, phone, "content_mailings"), (None, phone, "sales_calls")} <= listed
    assert {(SANNE, None, "content_mailings"), (SANNE, None, "sales_calls")} <= listed
    assert sorted(done) == [("opt_out", "done", "call_ok"), ("opt_out", "done", "newsletter")]


def test_cookies_and_ad_networks_wait_for_a_person_and_the_reply_says_so(
        app: App, dovecot, smtp_sink, tmp_path: Path) -> None:
    dovecot.append(mail("Ik maak bezwaar tegen tracking cookies en tegen gepersonaliseerde "
                        "advertenties via advertentienetwerken.", subject="Bezwaar tracking"))

    app.daemon.run_once()

    smtp_sink.wait_for_count(1)
    (confirmation,) = sent_to(smtp_sink, SANNE)
    body = text(confirmation)
    assert "bezwaar is vastgelegd" in confirmation["Subject"]
    assert "Wij gebruiken uw gegevens niet meer voor" not in body
    assert "Een medewerker gaat na hoe wij u daarvan kunnen uitsluiten" in body
    assert "websitestatistieken" in body and "advertentienetwerken" in body
    with app.uow() as uow:
        request = uow.session.scalars(select(Request)).one()
        assert request.status == "awaiting_steps"
        (manual,) = [s for s in request.steps if s.status == "waiting"]
        reference, position = request.reference, manual.position
    assert crm(tmp_path, SANNE) == (1, 1)  # nothing the person did not ask

    requests.step(app.service, reference, position, True,
                  "excluded from the ad audiences in the ad manager", by=STAFF)

    with app.uow() as uow:
        assert uow.repo.requests.find(reference).status == "done"
    assert len(sent_to(smtp_sink, SANNE)) == 1  # the reply said it waited; nothing new


def test_the_acknowledgement_says_only_that_the_objection_was_recorded(
        app: App, dovecot, smtp_sink) -> None:
    dovecot.append(mail("Ik wil inzage in mijn gegevens. Ik wil me ook afmelden voor de "
                        "nieuwsbrief.", subject="Inzage en afmelden"))

    app.daemon.run_once()

    smtp_sink.wait_for_count(2)
    (ack,) = [m for m in sent_to(smtp_sink, SANNE) if "ontvangen" in m["Subject"]]
    body = text(ack)
    assert "Uw bezwaar hebben wij meteen vastgelegd" in body
    assert "uiterlijk op" in body  # the access request keeps its deadline


def test_an_acknowledgement_is_mended_when_the_opt_out_was_not_confirmed(app: App) -> None:
    """The acknowledgement is written before the workflow runs; if an opt-out's
    confirmation then did not leave at once, the text still in the outbox is rewritten
    from what was recorded (here: staff must approve the confirmation after all)."""
    raw = mail("Ik wil inzage in mijn gegevens. Ik wil me ook afmelden voor de nieuwsbrief.",
               subject="Inzage en afmelden")
    app.daemon.ingestor.ingest(FetchedMessage(raw=raw, mailbox="test", uidvalidity=1,
                                              uid="1", internaldate=None, size=len(raw)))
    acknowledger = Acknowledger(app.services.settings, app.services.renderer)
    with app.uow() as uow:
        ack = uow.session.scalars(select(OutboxMessage).where(
            OutboxMessage.purpose == "acknowledgement")).one()
        before = " ".join(parsed(ack.message).get_body(("plain",)).get_content().split())
        assert "meteen vastgelegd" in before
        optout = uow.session.scalars(select(Request).where(
            Request.kind == "unsubscribe")).one()
        (confirmation,) = optout.drafts
        confirmation.status = "pending_approval"
        inbound = optout.inbound
        revised = acknowledger.settle(uow.repo, inbound, list(inbound.requests), ack,
                                      references=(), now=ack.created_at)
        assert revised is ack and ack.status == "pending"
        after = parsed(ack.message)
        assert "meteen vastgelegd" not in " ".join(
            after.get_body(("plain",)).get_content().split())
        assert after["Message-ID"].strip("<>") == ack.message_id.strip("<>")
        assert uow.session.scalars(select(Event).where(
            Event.action == "acknowledgement_revised")).one()


def test_staff_put_a_phone_number_on_the_list_and_it_is_exported(tmp_path: Path, dovecot,
                                                                  smtp_sink) -> None:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url)
    config = tmp_path / "mailbot.toml"
    config.write_text(toml_for(settings), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}

    def mailbot(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "mailbot", "--config", str(config),
                               *args], capture_output=True, text=True, env=env, timeout=60,
                              check=False, input=stdin)

    assert mailbot("db", "upgrade").returncode == 0
    assert mailbot("users", "add", STAFF, "--role", "admin", "--password-file", "-",
                   stdin="a long enough password\n").returncode == 0
    added = mailbot("optouts", "add", "06 98 76 54 32", "--purpose", "sales_calls",
                    "--note", "called the desk", "--by", STAFF)
    assert added.returncode == 0, added.stderr
    wrong = mailbot("optouts", "add", "12-34", "--purpose", "sales_calls", "--by", STAFF)
    assert wrong.returncode != 0 and "phone number" in wrong.stderr
    exported = mailbot("optouts", "export", "--format", "csv")
    assert exported.returncode == 0, exported.stderr
    header, row = exported.stdout.splitlines()[:2]
    assert header == "email,phone,purpose,since,reference"
    assert row.startswith(",+31698765432,sales_calls,")
    removed = mailbot("optouts", "remove", "+31 6 98765432", "--purpose", "sales_calls",
                      "--reason", "recorded for the wrong person", "--by", STAFF)
    assert removed.returncode == 0, removed.stderr
    assert mailbot("optouts", "export", "--format", "csv").stdout.count("\n") == 1


def test_a_phone_number_is_one_identifier_however_it_is_written(app: App) -> None:
    for written in ("06-12345678", "+31 (0)6 1234 5678", "0031612345678"):
        optouts.add(app.service, written, ["sales_calls"], by=STAFF)
    with app.uow() as uow:
        assert uow.repo.optouts.phones_of("+31612345678") == ["sales_calls"]
