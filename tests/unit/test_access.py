"""The access handler with a real SQLite store and real source files."""

from __future__ import annotations

import csv
import json
import sqlite3
from datetime import UTC, date, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from mailbot.config import Settings
from mailbot.draft.render import Renderer
from mailbot.errors import WorkflowError
from mailbot.handle.access import AccessHandler
from mailbot.handle.acknowledge import Acknowledger
from mailbot.handle.context import HandlerContext
from mailbot.handle.drafts import approve, outbox_settled
from mailbot.sources.registry import SourceRegistry
from mailbot.store.models import Client, ClientContact, Draft, InboundMail, Request
from mailbot.store.uow import UnitOfWork

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
CRM = [("Pieter Bakker", "Molenweg 5", "Zwolle", "p.bakker@example.org"),
       ("Sanne Jansen", "Dorpsstraat 12", "Utrecht", "Sanne.Jansen@example.org")]
NEWSLETTER = [("email", "first_name", "topics"),
              ("p.bakker@example.org", "Pieter", "product news")]
WEBSHOP = [("customer_no", "email", "delivery_address", "last_order"),
           ("K-1001", "sanne.jansen@example.org", "Dorpsstraat 12, Utrecht", "2026-10-02"),
           ("K-1003", "noor.devries@example.org", "Stationsweg 7, Haarlem", "2026-11-03")]
PROCESSOR_VALUES = ("K-1001", "K-1003", "Stationsweg 7", "2026-10-02", "2026-11-03")


def write_files(directory: Path) -> dict[str, Path]:
    paths = {"crm": directory / "crm.sqlite", "newsletter": directory / "newsletter.csv",
             "webshop": directory / "webshop.csv"}
    with sqlite3.connect(paths["crm"]) as connection:
        connection.execute("CREATE TABLE customers (name TEXT, street TEXT, city TEXT, "
                           "email TEXT)")
        connection.executemany("INSERT INTO customers VALUES (?, ?, ?, ?)", CRM)
    connection.close()
    for name, rows in (("newsletter", NEWSLETTER), ("webshop", WEBSHOP)):
        with paths[name].open("w", newline="", encoding="utf-8") as out:
            csv.writer(out).writerows(rows)
    return paths


def source_tables(paths: dict[str, Path]) -> list[dict[str, Any]]:
    return [
        {"name": "CRM", "type": "sql", "url": f"sqlite:///{paths['crm']}",
         "query": "SELECT name, street, city, email FROM customers "
                  "WHERE lower(email) = lower(:email)",
         "purposes": ["customer administration"], "categories": ["name", "address"],
         "recipients": ["our accountant"], "retention": "7 years after the last invoice",
         "origin": "you, when you became a customer"},
        {"name": "Newsletter list", "type": "csv", "path": str(paths["newsletter"]),
         "purposes": ["sending our newsletter"], "categories": ["e-mail address"],
         "retention": "until you unsubscribe", "origin": "you"},
        {"name": "Webshop customers", "type": "csv", "role": "processor",
         "client": "Klant B.V.", "path": str(paths["webshop"]),
         "purposes": ["order fulfilment"], "categories": ["order history"]},
    ]


def make_settings(sources: list[dict[str, Any]]) -> Settings:
    return Settings(organisation={"name": "Voorbeeld B.V.", "address": "privacy@example.org"},
                    mailbox={"url": "maildir:///nonexistent"},
                    smtp={"url": "smtp://localhost:25"}, sources=sources)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return write_files(tmp_path)


def context(uow: UnitOfWork, sources: list[dict[str, Any]]) -> HandlerContext:
    settings = make_settings(sources)
    return HandlerContext(settings, uow.repo, Renderer(),
                          SourceRegistry.from_settings(settings.sources), NOW)


def add_request(uow: UnitOfWork, sender: str, name: str, *, language: str = "nl",
                reference: str = "MB-2026-00042", received: datetime = NOW) -> Request:
    mail = InboundMail(mailbox="INBOX", uidvalidity=1, uid=reference, raw_sha256="0" * 64,
                       raw_size=100, received_at=received, fetched_at=NOW,
                       disposition="request",
                       sender=sender, sender_name=name, subject="Inzage",
                       body_text="Stuur mij een overzicht van mijn gegevens.")
    request = Request(reference=reference, inbound=mail, kind="access",
                      status="acknowledged", language=language, sender=sender,
                      subject="Inzage", received_at=received, due_at=date(2026, 12, 20),
                      confidence=1.0, created_at=NOW, updated_at=NOW,
                      verified_at=NOW, verification_method="dmarc")
    uow.repo.add(request)
    uow.repo.flush()
    return request


def register_client(uow: UnitOfWork) -> None:
    uow.repo.add(Client(name="Klant B.V.", address="Marktplein 1\n9999 ZZ Klantstad",
                        created_at=NOW, contacts=[ClientContact(email="privacy@klant.test"),
                                                  ClientContact(email="later@klant.test")]))
    uow.repo.flush()


def drafts(request: Request) -> dict[str, Draft]:
    return {d.purpose: d for d in request.drafts}


def actions(uow: UnitOfWork, request: Request) -> list[str]:
    return [e.action for e in uow.repo.events.of(request_id=request.id)]


def test_controller_data_is_shown_with_the_article_15_information(store, files) -> None:
    with store() as uow:
        request = add_request(uow, "p.bakker@example.org", "Pieter Bakker")
        AccessHandler().prepare(context(uow, source_tables(files)), request)
        assert list(drafts(request)) == ["reply"]
        draft = drafts(request)["reply"]
        assert draft.recipient == "p.bakker@example.org"
        assert draft.personal_data and draft.needs_approval
        assert draft.status == "pending_approval"
        assert draft.language == "nl" and "MB-2026-00042" in draft.subject
        body = draft.body
        assert "Beste Pieter Bakker," in body and "20 november 2026" in body
        assert "== CRM ==" in body and "== Newsletter list ==" in body
        for line in ("  Naam: Pieter Bakker", "  Straat en huisnummer: Molenweg 5",
                     "  Woonplaats: Zwolle", "  Voornaam: Pieter", "  Onderwerpen: product news",
                     "  Doelen: customer administration",
                     "  Ontvangers: our accountant",
                     # no recipients configured: a gap for staff, never "nobody"
                     "  Ontvangers: [aan te vullen door medewerker]",
                     "  Bewaartermijn: 7 years after the last invoice",
                     "  Herkomst: you, when you became a customer"):
            assert line in body.splitlines(), line
        for right in ("corrigeren", "verwijderen", "beperken", "dataportabiliteit",
                      "bezwaar", "Autoriteit Persoonsgegevens", "autoriteitpersoonsgegevens.nl",
                      "Geautomatiseerde besluiten en profilering"):
            assert right in body
        assert "niemand buiten onze organisatie" not in body
        assert "ook niet door profilering" not in body
        assert "Klant B.V." not in body and "Nog niet doorzocht" not in body
        assert all(len(line) <= 76 for line in body.splitlines() if line.startswith("  "))
        assert request.details == {
            "answer": "overview",
            "sources_searched": ["CRM", "Newsletter list", "Webshop customers"],
            "rows": {"CRM": 1, "Newsletter list": 1}, "failed": {},
            "processor_clients": []}
        assert "sources_searched" in actions(uow, request)


def test_processor_only_data_is_forwarded_and_the_client_never_named(store, files) -> None:
    with store() as uow:
        register_client(uow)
        request = add_request(uow, "noor.devries@example.org", "Noor de Vries")
        ctx = context(uow, source_tables(files))
        AccessHandler().prepare(ctx, request)
        assert sorted(drafts(request)) == ["forward_to_client", "reply"]
        reply, forward = drafts(request)["reply"], drafts(request)["forward_to_client"]
        assert reply.recipient == "noor.devries@example.org"
        assert reply.personal_data and reply.needs_approval
        # the forward has not left: the answer says nothing of it and waits for it
        assert "Klant" not in reply.body and "doorgestuurd" not in reply.body
        with pytest.raises(WorkflowError, match="forward to Klant"):
            approve(context(uow, source_tables(files)), reply.id)
        for value in PROCESSOR_VALUES:
            assert value not in reply.body and value not in reply.subject

        assert forward.recipient == "privacy@klant.test"  # the client's first contact
        assert forward.needs_approval and not forward.personal_data
        assert forward.language == "nl"
        assert "20 november 2026" in forward.body and "MB-2026-00042" in forward.subject
        assert "Noor de Vries <noor.devries@example.org>" in forward.body
        assert "> Stuur mij een overzicht van mijn gegevens." in forward.body
        assert "Webshop customers (1 vermelding)" in forward.body
        assert "verwerkingsverantwoordelijke" in forward.body
        assert request.details["answer"] == "referral"
        assert request.details["processor_clients"] == ["Klant B.V."]

        staff = context(uow, source_tables(files))
        staff.actor = "Staff"
        approve(staff, forward.id)
        (step,) = [s for s in request.steps if s.action == "forward"]
        assert step.status == "pending"  # approved; done once it left
        sent = uow.repo.outbox.get(forward.outbox_id)
        sent.status = "sent"
        outbox_settled(staff, sent)
        assert step.status == "done"
        assert "Wij hebben uw verzoek doorgestuurd aan de organisatie" in reply.body
        assert "Klant" not in reply.body  # Noor did not name the client
        assert request.status == "awaiting_approval"


def test_found_in_both_shows_controller_data_and_no_client(store, files) -> None:
    with store() as uow:
        register_client(uow)
        request = add_request(uow, "sanne.jansen@example.org", "Sanne Jansen", language="en")
        AccessHandler().prepare(context(uow, source_tables(files)), request)
        reply, forward = drafts(request)["reply"], drafts(request)["forward_to_client"]
        assert reply.language == "en"
        assert "  Street and number: Dorpsstraat 12" in reply.body.splitlines()
        assert "Klant B.V." not in reply.body
        assert "== Webshop customers ==" not in reply.body
        for value in PROCESSOR_VALUES:
            assert value not in reply.body
        assert "Dorpsstraat 12" not in forward.body  # nothing from our own sources
        assert request.details["rows"] == {"CRM": 1, "Webshop customers": 1}
        assert "Dorpsstraat" not in json.dumps(request.details)  # counts, never values


def test_no_data_at_all_still_waits_for_approval(store, files) -> None:
    with store() as uow:
        request = add_request(uow, "nobody@example.org", "", language="en")
        AccessHandler().prepare(context(uow, source_tables(files)), request)
        assert list(drafts(request)) == ["reply"]
        draft = drafts(request)["reply"]
        assert draft.needs_approval and not draft.personal_data
        assert draft.body.startswith("Hello,")
        assert "we hold no personal data about you" in draft.body
        assert "all our systems" in draft.body
        assert "Autoriteit Persoonsgegevens" in draft.body
        assert request.details["answer"] == "none" and request.details["rows"] == {}


def test_a_failing_source_is_named_to_the_person_and_explained_to_staff(store, files) -> None:
    files["crm"].unlink()
    with store() as uow:
        request = add_request(uow, "p.bakker@example.org", "Pieter Bakker")
        AccessHandler().prepare(context(uow, source_tables(files)), request)
        body = drafts(request)["reply"].body
        assert "  Onderwerpen: product news" in body.splitlines()
        assert "  - CRM" in body.splitlines()
        assert "Het antwoord daarover sturen wij u zodra wij ze hebben doorzocht." in body
        assert "not found" not in body and "crm.sqlite" not in body  # nothing technical
        assert request.details["failed"] == {"CRM": "database file not found: crm.sqlite"}
        events = uow.repo.events.of(request_id=request.id)
        assert [e.detail for e in events if e.action == "source_failed"] == [
            {"source": "CRM", "reason": "database file not found: crm.sqlite"}]
        [again] = [e.detail for e in events if e.action == "search_again"]
        assert again["sources"] == ["CRM"] and "requests research" in again["note"]


def test_an_unregistered_client_is_a_manual_forward_never_named(store, files) -> None:
    with store() as uow:
        request = add_request(uow, "noor.devries@example.org", "Noor de Vries",
                              language="en")
        AccessHandler().prepare(context(uow, source_tables(files)), request)
        assert list(drafts(request)) == ["reply"]
        body = drafts(request)["reply"].body
        assert "Klant B.V." not in body and "passed your request on" not in body
        (step,) = [s for s in request.steps if s.action == "forward"]
        assert (step.target, step.status) == ("Klant B.V.", "waiting")
        assert "by hand" in step.instruction


def test_own_records_leave_out_this_request_but_show_earlier_ones(store, files) -> None:
    own = {"name": "Privacy mailbox", "type": "own", "purposes": ["handling your requests"],
           "categories": ["e-mail address"], "retention": "2 years", "origin": "you"}
    with store() as uow:
        first = add_request(uow, "noor.devries@example.org", "Noor de Vries",
                            reference="MB-2026-00041")
        first.kind = "unsubscribe"
        second = add_request(uow, "nobody@example.org", "", reference="MB-2026-00043")
        AccessHandler().prepare(context(uow, [own]), second)
        assert second.details["answer"] == "none"  # only this very request is on record

        request = add_request(uow, "noor.devries@example.org", "Noor de Vries")
        AccessHandler().prepare(context(uow, [own, *source_tables(files)]), request)
        body = drafts(request)["reply"].body
        assert "  Verzoek: MB-2026-00041" in body.splitlines()
        assert "  Soort: bezwaar / afmelding" in body.splitlines()
        assert "MB-2026-00042" not in body  # this very request is not listed as data
        assert request.details["rows"] == {"Privacy mailbox": 2, "Webshop customers": 1}


def test_nothing_to_apply_on_approval(store, files) -> None:
    with store() as uow:
        request = add_request(uow, "p.bakker@example.org", "Pieter Bakker")
        ctx = context(uow, source_tables(files))
        handler = AccessHandler()
        handler.prepare(ctx, request)
        assert handler.on_approved(ctx, request, request.drafts[0]) is None
        assert (handler.kind, handler.needs_verification) == ("access", True)


def test_replies_give_the_local_date_a_mail_came_in(store, files) -> None:
    late = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)  # 00:30 on 21 November in Amsterdam
    with store() as uow:
        request = add_request(uow, "p.bakker@example.org", "Pieter Bakker", received=late)
        ctx = context(uow, source_tables(files))
        outbox = Acknowledger(ctx.settings, ctx.renderer).queue(
            uow.repo, request.inbound, [request], references=(), now=late)
        assert outbox is not None and outbox.message is not None
        message = message_from_bytes(outbox.message, policy=policy.default)
        assert isinstance(message, EmailMessage)
        acknowledgement = message.get_content()
        assert "ontvangen op 21 november 2026" in acknowledgement
        assert "20 november 2026" not in acknowledgement
        AccessHandler().prepare(ctx, request)
        assert "21 november 2026" in drafts(request)["reply"].body
