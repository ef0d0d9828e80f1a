"""Special categories of data (art. 9) in an access request, through real parts: Dovecot →
mailbot (a CRM, a client's webshop export, mailbot's own records) → staff approval → the SMTP
sink. The request is flagged to staff in `requests show`; no mail sent repeats the illness,
the party or the religion, unless staff include them."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select

from mailbot.bootstrap import App
from mailbot.config import Source
from mailbot.service import drafts, users
from mailbot.service import requests as actions
from mailbot.store.models import Client, ClientContact, Event, Request
from tests.harness.app import make_settings, toml_for
from tests.harness.mails import mail

pytestmark = pytest.mark.dovecot

RECEIVED = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
SUBJECT = "Inzage, ik heb diabetes"
TEXT = ("Beste,\n\nIk ben lid van GroenLinks en ik ben katholiek. Omdat ik diabetes heb, wil "
        "ik weten welke gegevens jullie van mij hebben. Stuur mij een overzicht.\n\n"
        "Met vriendelijke groet,\nSanne Jansen")
SENSITIVE = ("diabetes", "GroenLinks", "katholiek")


def write_sources(directory: Path) -> list[Source]:
    crm = directory / "crm.sqlite"
    with sqlite3.connect(crm) as connection:
        connection.execute("CREATE TABLE customers (name TEXT, city TEXT, email TEXT)")
        connection.execute("INSERT INTO customers VALUES ('Sanne Jansen', 'Utrecht', "
                           "'sanne.jansen@example.org')")
    connection.close()
    webshop = directory / "webshop.csv"
    with webshop.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([("email", "last_order"),
                                   ("sanne.jansen@example.org", "2026-10-02")])
    info = {"categories": ["naam"], "retention": "2 jaar", "origin": "uzelf",
            "no_recipients": True, "no_transfers": True}
    return [
        Source(name="CRM", type="sql", url=f"sqlite:///{crm}",
               query="SELECT name, city FROM customers WHERE lower(email) = lower(:email)",
               purposes=["klantenadministratie"], **info),
        Source(name="Privacy mailbox", type="own", purposes=["uw verzoeken behandelen"],
               **info),
        Source(name="Webshop", type="csv", role="processor", client="Klant B.V.",
               path=webshop),
    ]


@pytest.fixture
def app(tmp_path: Path, dovecot, smtp_sink, database_url: str, app_factory) -> App:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
                             database_url=database_url,
                             verification={"trusted_authserv_ids": ["mx.example.org"]},
                             privacy={"profiling": "Wij maken geen profielen."})
    app = app_factory(settings.model_copy(update={"sources": tuple(write_sources(tmp_path))}))
    with app.uow() as uow:
        uow.repo.add(Client(name="Klant B.V.", created_at=RECEIVED,
                            contacts=[ClientContact(email="privacy@klant.test")]))
        uow.commit()
    users.add(app.service, "Staff", "approver", "a long enough password", by=None)
    return app


def parsed(raw: bytes) -> EmailMessage:
    return message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]


def sent_text(message: EmailMessage) -> str:
    return f"{message['Subject']}\n{message.get_body(('plain',)).get_content()}"


def waiting(app: App) -> dict[str, int]:
    with app.uow() as uow:
        request = uow.session.scalars(select(Request)).one()
        return {d.purpose: d.id for d in request.drafts if d.status == "pending_approval"}


def test_special_categories_are_flagged_and_never_repeated(app: App, dovecot, smtp_sink,
                                                           tmp_path: Path) -> None:
    dovecot.append(mail(TEXT, subject=SUBJECT, headers={
        "Authentication-Results": "mx.example.org; dmarc=pass header.from=example.org"}),
        internaldate=RECEIVED)

    app.daemon.run_once()

    (ack,) = smtp_sink.wait_for_count(1)
    assert "ontvangen" in parsed(ack.data)["Subject"]
    with app.uow() as uow:
        request = uow.session.scalars(select(Request)).one()
        reference = request.reference
        assert request.kind == "access"
        (flag,) = uow.session.scalars(select(Event).where(
            Event.action == "special_categories")).all()
        assert flag.detail == {"categories": ["health", "religion", "political"]}
    shown = actions_show(app, reference)
    assert shown["special_categories"] == ["health", "religion", "political"]
    assert shown["special_included"] is False
    config = tmp_path / "mailbot.toml"
    config.write_text(toml_for(app.services.settings), encoding="utf-8")
    listed = subprocess.run(
        [sys.executable, "-m", "mailbot", "--config", str(config), "requests", "list",
         "--json"], capture_output=True, text=True, timeout=60, check=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")})
    (row,) = json.loads(listed.stdout)
    assert (row["reference"], row["special"], row["child"]) == (reference, True, False)

    forward = waiting(app)["forward_to_client"]
    drafts.approve(app.service, forward, by="Staff")
    app.daemon.run_once()
    drafts.approve(app.service, waiting(app)["reply"], by="Staff")
    app.daemon.run_once()

    sent = smtp_sink.wait_for_count(3)
    texts = {tuple(m.rcpt_tos): sent_text(parsed(m.data)) for m in sent}
    to_client = texts[("privacy@klant.test",)]
    assert "[politieke voorkeur]" in to_client and "[gezondheid]" in to_client
    overview = next(t for t in texts.values() if "De persoonsgegevens" in t)
    assert "  Naam: Sanne Jansen" in overview.splitlines()
    for message in texts.values():
        for word in SENSITIVE:
            assert word not in message, (word, message[:200])


def actions_show(app: App, reference: str) -> dict[str, object]:
    """What `mailbot requests show REF --json` prints."""
    from mailbot.store import views

    with app.uow() as uow:
        request = uow.repo.requests.find(reference)
        return json.loads(json.dumps(views.request_detail(uow.repo, request,
                                                          "Europe/Amsterdam"), default=str))


def test_staff_include_them_and_the_answer_may_quote_them(app: App, dovecot,
                                                          smtp_sink) -> None:
    dovecot.append(mail(TEXT, subject=SUBJECT, headers={
        "Authentication-Results": "mx.example.org; dmarc=pass header.from=example.org"}),
        internaldate=RECEIVED)
    app.daemon.run_once()
    with app.uow() as uow:
        reference = uow.session.scalars(select(Request)).one().reference

    actions.include_special(app.service, reference, "the client needs the whole request",
                            by="Staff")
    actions.research(app.service, reference, by="Staff")  # the forward is made again

    assert actions_show(app, reference)["special_included"] is True
    with app.uow() as uow:
        event = uow.session.scalars(select(Event).where(
            Event.action == "special_categories_included")).one()
        assert event.detail["reason"] == "the client needs the whole request"
    drafts.approve(app.service, waiting(app)["forward_to_client"], by="Staff")
    app.daemon.run_once()
    to_client = parsed(smtp_sink.wait_for_count(2)[1].data)
    assert "GroenLinks" in sent_text(to_client)
