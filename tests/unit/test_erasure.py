"""The erasure handler on a real SQLite store, with a real SQLite CRM and CSV files: what is
erased, what stays (the minimal record, the opt-outs, the confirmation), what staff must do."""

from __future__ import annotations

import csv
import json
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from mailbot.config import Settings
from mailbot.draft.render import Renderer
from mailbot.errors import WorkflowError
from mailbot.handle import drafts, workflow
from mailbot.handle.context import HandlerContext
from mailbot.handle.erasure import ErasureHandler, mark_child
from mailbot.handle.extract.child import is_child
from mailbot.handle.own_erasure import PLACEHOLDER, erase_address
from mailbot.sources.registry import SourceRegistry
from mailbot.store.models import Draft, Event, InboundMail, OptOut, OutboxMessage, Request
from mailbot.store.uow import UnitOfWork

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
EARLIER = NOW - timedelta(days=40)
SANNE, PIETER = "sanne.jansen@example.org", "p.bakker@example.org"
SECRET = "Dorpsstraat 12"  # something only Sanne's mails say


@pytest.fixture
def sources(tmp_path: Path) -> dict[str, Path]:
    crm = tmp_path / "crm.sqlite"
    with sqlite3.connect(crm) as connection:
        connection.execute("CREATE TABLE customers (name TEXT, street TEXT, email TEXT)")
        connection.executemany("INSERT INTO customers VALUES (?, ?, ?)", [
            ("Sanne Jansen", SECRET, "Sanne.Jansen@example.org"),
            ("Pieter Bakker", "Molenweg 5", PIETER)])
    connection.close()
    paths = {"crm": crm, "newsletter": tmp_path / "newsletter.csv",
             "webshop": tmp_path / "webshop.csv", "archive": tmp_path / "archive.csv"}
    tables = {"newsletter": [("email", "first_name"), (SANNE, "Sanne"), (PIETER, "Pieter")],
              "webshop": [("email", "delivery_address"), (SANNE, "Dorpsstraat 12, Ergens")],
              "archive": [("email", "note"), (PIETER, "nothing about Sanne")]}
    for name, rows in tables.items():
        with paths[name].open("w", newline="", encoding="utf-8") as out:
            csv.writer(out).writerows(rows)
    return paths


def settings_for(paths: dict[str, Path]) -> Settings:
    source_list: list[dict[str, Any]] = [
        {"name": "CRM", "type": "sql", "url": f"sqlite:///{paths['crm']}", "writable": True,
         "query": "SELECT name, street, email FROM customers WHERE lower(email) = :email",
         "erase_query": "DELETE FROM customers WHERE lower(email) = :email",
         "recipients": ["our accountant"]},
        {"name": "Newsletter list", "type": "csv", "path": str(paths["newsletter"]),
         "writable": True, "recipients": ["our mailing service provider"]},
        {"name": "Webshop export", "type": "csv", "path": str(paths["webshop"]),
         "role": "processor", "client": "Klant B.V.", "recipients": ["a courier"]},
        {"name": "Archive", "type": "csv", "path": str(paths["archive"]),
         "recipients": ["nobody relevant"]},
        {"name": "Privacy mailbox", "type": "own"},
    ]
    return Settings(organisation={"name": "Voorbeeld B.V.", "address": "privacy@example.org"},
                    mailbox={"url": "maildir:///nonexistent"},
                    smtp={"url": "smtp://localhost:25"}, sources=source_list)


def context(uow: UnitOfWork, paths: dict[str, Path], actor: str = "mailbot",
            now: datetime = NOW) -> HandlerContext:
    settings = settings_for(paths)
    return HandlerContext(settings, uow.repo, Renderer(),
                          SourceRegistry.from_settings(settings.sources), now, actor)


def arrive(uow: UnitOfWork, paths: dict[str, Path], kind: str, body: str, *,
           sender: str = SANNE, name: str = "Sanne Jansen", when: datetime = NOW,
           proceed: bool = True) -> Request:
    """A verified request of ``kind``, recorded and (unless ``proceed`` is False) handed to
    the workflow."""
    number = len(uow.session.scalars(select(InboundMail)).all()) + 1
    mail = InboundMail(mailbox="INBOX", uidvalidity=1, uid=str(number), raw_sha256="0" * 64,
                       raw_size=100, raw=f"From: {name} <{sender}>\r\n\r\n{body}".encode(),
                       received_at=when, fetched_at=when, disposition="request",
                       sender=sender, sender_name=name, subject=f"{kind} van {name}",
                       body_text=body, message_id=f"m{number}@example.org",
                       classification={"matched": body})
    request = Request(reference=f"MB-2026-{number:05d}", inbound=mail, kind=kind,
                      status="acknowledged", language="nl", sender=sender,
                      subject=f"{kind} van {name}", received_at=when,
                      due_at=date(2026, 12, 20), confidence=1.0, created_at=when,
                      updated_at=when, verified_at=when, verification_method="dmarc",
                      evidence=[{"matched": body}])
    uow.repo.add(request)
    uow.repo.flush()
    if proceed:
        workflow.proceed(context(uow, paths, now=when), request)
    return request


def history(uow: UnitOfWork, paths: dict[str, Path]) -> tuple[Request, Request]:
    """Sanne objected earlier (confirmation sent) and has a correction waiting for staff;
    Pieter has a request too."""
    objection = arrive(uow, paths, "unsubscribe", f"Bel me niet meer. Ik woon op {SECRET}.",
                       when=EARLIER)
    for message in uow.session.scalars(select(OutboxMessage)):
        message.status, message.sent_at = "sent", EARLIER
    waiting = arrive(uow, paths, "correction", f"Mijn adres is veranderd naar {SECRET}, "
                                               "1234 AB Ergens.", when=EARLIER)
    arrive(uow, paths, "unsubscribe", "Geen nieuwsbrief meer.", sender=PIETER,
           name="Pieter Bakker")
    return objection, waiting


def approve(uow: UnitOfWork, paths: dict[str, Path], request: Request) -> Draft:
    (draft,) = [d for d in request.drafts if d.status == "pending_approval"]
    return drafts.approve(context(uow, paths, actor="Staff"), draft.id)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as source:
        return list(csv.DictReader(source))


def crm_emails(paths: dict[str, Path]) -> list[str]:
    with sqlite3.connect(paths["crm"]) as connection:
        found = [r[0] for r in connection.execute("SELECT email FROM customers")]
    connection.close()
    return found


def open_steps(request: Request) -> list[tuple[str, str, str]]:
    return [(s.action, s.target, s.status) for s in request.steps if s.open]


def confirmation_of(request: Request) -> Draft:
    (draft,) = [d for d in request.drafts if d.purpose == "confirmation"]
    return draft


def test_a_confirmation_waits_for_staff_and_nothing_is_erased_before(store, sources) -> None:
    with store() as uow:
        history(uow, sources)
        request = arrive(uow, sources, "erasure", "Verwijder al mijn gegevens.")
        # the client's data: no contact registered, so forwarding is a manual step the
        # confirmation waits for
        assert request.status == "awaiting_steps"
        draft = confirmation_of(request)
        assert (draft.status, draft.needs_approval) == ("pending_approval", True)
        assert request.details["sources_with_data"] == [
            "CRM", "Newsletter list", "Webshop export", "Privacy mailbox"]
        assert open_steps(request) == [
            ("erase", "CRM", "planned"), ("erase", "Newsletter list", "planned"),
            ("forward", "Klant B.V.", "waiting"), ("notify", "our accountant", "waiting"),
            ("notify", "our mailing service provider", "waiting"),
            ("erase", "mailbot's own records", "planned")]
        assert "afmeldlijst" in draft.body  # she objected to calls before
        assert "our accountant" not in draft.body  # not told yet
        assert "doorgestuurd" not in draft.body and "Klant" not in draft.body
        assert "Sanne Jansen" not in draft.body
        with pytest.raises(WorkflowError, match=r"forward to Klant B\.V\.\) is waiting"):
            approve(uow, sources, request)
    assert "Sanne.Jansen@example.org" in crm_emails(sources)


def forward_by_hand(uow: UnitOfWork, paths: dict[str, Path], request: Request) -> None:
    (forward,) = [s for s in request.steps if s.action == "forward"]
    workflow.tick(context(uow, paths, actor="Staff"), request, forward.position, True,
                  "Per post aan Klant B.V. gestuurd")


def test_approval_erases_everywhere_but_keeps_the_minimal_record(store, sources,
                                                                 db_path) -> None:
    with store() as uow:
        objection, waiting = history(uow, sources)
        request = arrive(uow, sources, "erasure", "Verwijder al mijn gegevens.")
        forward_by_hand(uow, sources, request)
        assert "doorgestuurd aan die organisatie" in confirmation_of(request).body
        confirmation = approve(uow, sources, request)
        uow.commit()
        ids = {"objection": objection.id, "waiting": waiting.id, "erasure": request.id,
               "confirmation": confirmation.id}

    assert crm_emails(sources) == [PIETER]
    assert rows(sources["newsletter"]) == [{"email": PIETER, "first_name": "Pieter"}]
    assert rows(sources["webshop"])[0]["email"] == SANNE  # the client's: never changed by us

    with store() as uow:
        request = uow.session.get(Request, ids["erasure"])
        assert request.status == "awaiting_steps"  # the recipients are still to be told
        # the minimal record
        mine = uow.session.scalars(select(Request).where(Request.sender == SANNE)
                                   .order_by(Request.id)).all()
        assert [(r.reference, r.kind) for r in mine] == [
            ("MB-2026-00001", "unsubscribe"), ("MB-2026-00002", "correction"),
            ("MB-2026-00004", "erasure")]
        for r in mine:
            assert r.subject == PLACEHOLDER and r.evidence is None
            assert r.received_at is not None and r.due_at is not None
        assert uow.session.get(Request, ids["objection"]).details["purposes"] == [
            "sales_calls"]
        for mail in uow.session.scalars(select(InboundMail)
                                        .where(InboundMail.sender == SANNE)):
            assert (mail.raw, mail.sender_name, mail.classification) == (None, None, None)
            assert mail.body_text == mail.subject == PLACEHOLDER
        confirmation = uow.session.get(Draft, ids["confirmation"])
        assert confirmation.status == "queued" and "gewist" in confirmation.body
        assert confirmation.decided_by == "Staff"
        pending = uow.session.get(OutboxMessage, confirmation.outbox_id)
        assert pending.status == "pending" and pending.message
        objection_draft = uow.session.get(Request, ids["objection"]).drafts[0]
        assert objection_draft.body == objection_draft.subject == PLACEHOLDER
        sent = uow.session.get(OutboxMessage, objection_draft.outbox_id)
        assert sent.message is None
        waiting_draft = uow.session.get(Request, ids["waiting"]).drafts[0]
        assert waiting_draft.status == "pending_approval" and SECRET in waiting_draft.body
        assert [(o.email, o.purpose) for o in uow.session.scalars(
            select(OptOut).where(OptOut.email == SANNE))] == [(SANNE, "sales_calls")]
        done = {(s.action, s.target): s for s in request.steps}
        assert done[("erase", "CRM")].status == "done"
        assert done[("erase", "CRM")].decided_by == "Staff"
        assert done[("erase", "mailbot's own records")].detail["erased"]["inbound"] == 3
        forward = done[("forward", "Klant B.V.")]  # staff's words went with the data
        assert (forward.status, forward.note, forward.decided_by) == ("done", "[erased]",
                                                                      "Staff")
        assert open_steps(request) == [("notify", "our accountant", "waiting"),
                                       ("notify", "our mailing service provider", "waiting")]
        everything = json.dumps([
            [e.detail for e in uow.session.scalars(select(Event))],
            [(m.subject, m.body_text, m.sender_name) for m in
             uow.session.scalars(select(InboundMail).where(InboundMail.sender == SANNE))],
            [(d.subject, d.body) for d in uow.session.scalars(
                select(Draft).where(Draft.id != waiting_draft.id))],
        ])
        assert "Sanne Jansen" not in everything and SECRET not in everything
        pieter = uow.session.scalars(select(InboundMail)
                                     .where(InboundMail.sender == PIETER)).one()
        assert pieter.sender_name == "Pieter Bakker" and pieter.body_text
    raw = b"".join(p.read_bytes() for p in db_path.parent.glob("mailbot.db*"))
    assert b"Sanne Jansen" not in raw and SECRET.encode() not in raw


def test_erasing_twice_is_harmless(store, sources) -> None:
    with store() as uow:
        request = arrive(uow, sources, "erasure", "Verwijder al mijn gegevens.")
        forward_by_hand(uow, sources, request)
        approve(uow, sources, request)
        before = [(s.position, s.status) for s in request.steps]
        ErasureHandler().on_approved(context(uow, sources), request, request.drafts[0])
        assert [(s.position, s.status) for s in request.steps] == before
        again = erase_address(uow.repo, SANNE)
        assert again.kept_drafts == (request.drafts[0].id,)


def test_a_child_is_flagged_and_the_confirmation_says_so_only_when_true(store,
                                                                        sources) -> None:
    with store() as uow:
        text = "Mijn dochter van 13 staat in jullie systeem. Verwijder haar gegevens."
        request = arrive(uow, sources, "erasure", text, proceed=False)
        sign = is_child(text, NOW.date())
        assert sign is not None
        mark_child(context(uow, sources), request, sign)
        assert request.due_at == NOW.date() + timedelta(days=7)
        workflow.proceed(context(uow, sources), request)
        assert request.child and request.details["child"]
        flagged = [e for e in uow.repo.events.of(request_id=request.id)
                   if e.action == "child_flagged"]
        assert flagged[0].detail == {"reason": "age", "age": 13,
                                     "evidence": "mijn dochter van 13", "about": "child"}
        body = confirmation_of(request).body
        assert "kind jonger dan 16 jaar" in body and "met voorrang" in body
        # the mail gives nothing to find the child by: a person asks; the parent's own
        # data is left alone
        assert open_steps(request) == [("manual", "child", "waiting")]
        late = context(uow, sources, now=NOW + timedelta(days=8))
        ErasureHandler().prepare(late, request)
        assert "met voorrang" not in confirmation_of(request).body


def test_no_sources_hold_anything_still_erases_own_records(store, sources) -> None:
    with store() as uow:
        request = arrive(uow, sources, "erasure", "Please delete me.", sender="nobody@example.org",
                         name="Nora Nobody")
        assert request.details["sources_with_data"] == ["Privacy mailbox"]
        approve(uow, sources, request)
        assert open_steps(request) == []
        assert request.inbound.sender_name is None
        assert request.status == "done"


def test_withdrawing_rejects_only_the_drafts_still_waiting(store, sources) -> None:
    with store() as uow:
        waiting = arrive(uow, sources, "erasure", "Verwijder al mijn gegevens.")
        confirmed = arrive(uow, sources, "unsubscribe", "Geen nieuwsbrief meer.",
                           sender=PIETER, name="Pieter Bakker")
        later = NOW + timedelta(hours=1)
        context(uow, sources, actor="Staff", now=later).withdraw(
            [*waiting.drafts, *confirmed.drafts], "no longer needed")
        (withdrawn,), (queued,) = waiting.drafts, confirmed.drafts
        assert (withdrawn.status, withdrawn.reason) == ("rejected", "no longer needed")
        assert withdrawn.decided_by == "Staff"
        assert withdrawn.decided_at == withdrawn.updated_at == later
        assert queued.status == "queued" and queued.reason is None
