"""A batch of fetched mails handled set-based, through the real parts (Dovecot, SQLite and
PostgreSQL, the SMTP sink): the mails' lookups asked once for the group, their requests
written together, each acknowledged once; one bad mail quarantined without failing the
others; a sender's second mail in the same batch still sees what the first recorded."""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.engine import Engine

from mailbot import ingest
from mailbot.bootstrap import App
from mailbot.store.models import Draft, Event, InboundMail, OutboxMessage, Request
from tests.harness.app import make_settings
from tests.harness.mails import acknowledgements, mail, question

pytestmark = pytest.mark.dovecot


@pytest.fixture
def app(tmp_path: Path, dovecot: Any, smtp_sink: Any, database_url: str,
        app_factory: Any) -> App:
    return app_factory(make_settings(tmp_path, mailbox_url=dovecot.url(),
                                     smtp_url=smtp_sink.url, database_url=database_url,
                                     acknowledge={"rate_limit_count": 1000}))


def acknowledged(smtp_sink: Any) -> Counter[str]:
    """How many acknowledgements each address was sent."""
    return Counter(m.message["To"] for m in acknowledgements(smtp_sink.messages))


def by_subject(app: App) -> dict[str, str]:
    with app.uow() as uow:
        return {m.subject or "": str(m.disposition)
                for m in uow.session.scalars(select(InboundMail))}


def test_a_malformed_mail_is_quarantined_and_the_rest_of_its_batch_recorded_once(
        app: App, dovecot: Any, smtp_sink: Any, caplog: pytest.LogCaptureFixture) -> None:
    for number in (1, 2):
        dovecot.append(question(number))
    dovecot.append(bytes(range(1, 256)) * 8)  # no mail at all
    for number in (3, 4):
        dovecot.append(question(number))
    with caplog.at_level(logging.INFO, logger="mailbot.ingest"):
        app.daemon.run_once()
    assert "one at a time" not in caplog.text  # the batch stayed one transaction
    with app.uow() as uow:
        mails = uow.session.scalars(select(InboundMail).order_by(InboundMail.id)).all()
        assert [str(m.disposition) for m in mails] == [
            "request", "request", "quarantined", "request", "request"]
        assert mails[2].raw is not None and mails[2].error
        requests = uow.session.scalars(select(Request).order_by(Request.id)).all()
        assert [r.sender for r in requests] == [f"q{n}@example.org" for n in (1, 2, 3, 4)]
        # the numbers came back from the group's one flush, the references from them
        assert all(r.reference and r.reference.endswith(f"{r.id:05d}") for r in requests)
        assert "new" not in {str(r.status) for r in requests}  # acknowledged, then on
        queued = uow.session.scalars(select(Event).where(
            Event.action == "acknowledgement_queued")).all()
        assert len(queued) == 4 and all(e.outbox_id is not None for e in queued)
    assert acknowledged(smtp_sink) == {f"q{n}@example.org": 1
                                       for n in (1, 2, 3, 4)}
    app.daemon.run_once()  # nothing is recorded or sent twice
    assert len(acknowledgements(smtp_sink.messages)) == 4


def test_a_mail_whose_handling_fails_is_quarantined_and_the_others_go_on(
        app: App, dovecot: Any, smtp_sink: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    real = ingest.classify

    def failing(parsed: Any, **kwargs: Any) -> Any:
        if "(2)" in parsed.text:
            raise RuntimeError("a bug that only this mail finds")
        return real(parsed, **kwargs)

    monkeypatch.setattr(ingest, "classify", failing)
    for number in (1, 2, 3):
        dovecot.append(question(number))
    app.daemon.run_once()
    with app.uow() as uow:
        mails = uow.session.scalars(select(InboundMail).order_by(InboundMail.id)).all()
        assert [str(m.disposition) for m in mails] == ["request", "quarantined", "request"]
        assert "a bug that only this mail finds" in (mails[1].error or "")
    assert acknowledged(smtp_sink) == {"q1@example.org": 1,
                                       "q3@example.org": 1}


def test_a_senders_second_mail_in_the_same_batch_follows_up_the_first(
        app: App, dovecot: Any, smtp_sink: Any) -> None:
    dovecot.append(mail("Welke persoonsgegevens hebben jullie van mij? Stuur me een overzicht.",
                        subject="Inzage"))
    dovecot.append(question(1))  # someone else in between
    dovecot.append(mail("Ik heb nog steeds geen antwoord op mijn verzoek. Hoe staat het ermee?",
                        subject="Mijn verzoek"))
    app.daemon.run_once()
    assert by_subject(app) == {"Inzage": "request", "Vraag": "request",
                               "Mijn verzoek": "follow_up"}
    with app.uow() as uow:
        first = uow.session.scalars(select(Request).where(
            Request.sender == "sanne.jansen@example.org")).one()
        event_ = uow.session.scalars(select(Event).where(Event.action == "follow_up")).one()
        assert event_.request_id == first.id
    assert acknowledged(smtp_sink) == {"sanne.jansen@example.org": 1,
                                       "q1@example.org": 1}


def test_a_follow_up_among_other_mails_finds_the_open_request_asked_for_the_group(
        app: App, dovecot: Any, smtp_sink: Any) -> None:
    dovecot.append(mail("Welke persoonsgegevens hebben jullie van mij? Stuur me een overzicht.",
                        subject="Inzage"))
    app.daemon.run_once()
    dovecot.append(question(1))
    dovecot.append(mail("Ik heb nog steeds geen antwoord op mijn verzoek. Hoe staat het ermee?",
                        subject="Mijn verzoek"))
    dovecot.append(question(2))
    app.daemon.run_once()
    assert by_subject(app)["Mijn verzoek"] == "follow_up"
    assert acknowledged(smtp_sink)["sanne.jansen@example.org"] == 1


def test_a_groups_lookups_are_asked_once_for_all_its_mails(
        app: App, dovecot: Any) -> None:
    for number in range(1, 7):
        dovecot.append(question(number))
    app.ingestor.warm_up()
    seen: Counter[str] = Counter()

    def counted(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        words = " ".join(statement.split()).lower()
        for name, where in (("contacts", "from client_contact"),
                            ("dedup keys", "where inbound_mail.dedup_key")):
            if words.startswith("select") and where in words:
                seen[name] += 1

    event.listen(Engine, "before_cursor_execute", counted)
    try:
        app.daemon.run_once()
    finally:
        event.remove(Engine, "before_cursor_execute", counted)
    assert by_subject(app) == {"Vraag": "request"}
    with app.uow() as uow:
        assert len(uow.session.scalars(select(Request)).all()) == 6
    # one question each for six mails (the contacts, the dedup keys), not six
    assert seen == {"contacts": 1, "dedup keys": 1}


def test_verification_mails_queued_without_a_flush_are_linked_and_settled(
        app: App, dovecot: Any, smtp_sink: Any) -> None:
    for number in (1, 2, 3):
        dovecot.append(mail("Welke persoonsgegevens hebben jullie van mij? Stuur me een "
                            "overzicht.", sender=f"Persoon {number} <p{number}@example.org>"))
    app.daemon.run_once()
    with app.uow() as uow:
        drafts = uow.session.scalars(select(Draft).where(
            Draft.purpose == "verification").order_by(Draft.id)).all()
        assert [d.recipient for d in drafts] == [f"p{n}@example.org" for n in (1, 2, 3)]
        # each draft was given its message's id at the flush, and followed it to sent
        assert all(d.outbox_id is not None and str(d.status) == "sent" for d in drafts)
        messages = {m.id: m for m in uow.session.scalars(select(OutboxMessage))}
        assert [messages[d.outbox_id].purpose for d in drafts if d.outbox_id] == [
            f"draft.{d.id}" for d in drafts]
        for action in ("draft_queued", "verification_sent"):
            events = uow.session.scalars(select(Event).where(Event.action == action)).all()
            assert sorted(e.outbox_id or 0 for e in events) == sorted(
                d.outbox_id or 0 for d in drafts)
    assert len(smtp_sink.messages) == 6  # an acknowledgement and a verification mail each


def test_a_batchs_events_are_held_as_rows_and_all_written_with_their_messages(
        app: App, dovecot: Any, smtp_sink: Any) -> None:
    texts = ["Welke persoonsgegevens hebben jullie van mij? Stuur me een overzicht.",
             "Ik wil geen nieuwsbrief meer ontvangen, meld me af.",
             "Verwijder al mijn gegevens en mijn account bij jullie."]
    for number, text in enumerate(texts, start=1):
        dovecot.append(mail(text, sender=f"Persoon {number} <e{number}@example.org>"))
    made: list[object] = []

    def making(target: Event, *_: object) -> None:
        made.append(target)

    event.listen(Event, "init", making)
    try:
        app.daemon.run_once()
    finally:
        event.remove(Event, "init", making)
    assert made == []  # handling made no Event object: each was held as its row
    with app.uow() as uow:
        events = uow.session.scalars(select(Event)).all()
        mails = uow.session.scalars(select(InboundMail)).all()
        requests = uow.session.scalars(select(Request)).all()
        messages = {m.id: m for m in uow.session.scalars(select(OutboxMessage))}
        recorded = [e for e in events if e.action == "request_recorded"]
        assert sorted(e.request_id or 0 for e in recorded) == sorted(r.id for r in requests)
        assert {e.inbound_id for e in recorded} == {m.id for m in mails}
        queued = [e for e in events if e.action == "acknowledgement_queued"]
        assert queued and all(
            e.outbox_id in messages and messages[e.outbox_id].purpose == "acknowledgement"
            and messages[e.outbox_id].inbound_id == e.inbound_id for e in queued)
        sent = [e for e in events if e.action == "sent"]
        assert sorted(e.outbox_id or 0 for e in sent) == sorted(messages)
    assert len(smtp_sink.messages) == len(messages)


def test_the_rate_limit_asked_for_a_group_counts_the_earlier_acknowledgements(
        tmp_path: Path, dovecot: Any, smtp_sink: Any, database_url: str,
        app_factory: Any) -> None:
    app = app_factory(make_settings(tmp_path, mailbox_url=dovecot.url(),
                                    smtp_url=smtp_sink.url, database_url=database_url,
                                    acknowledge={"rate_limit_count": 2}))
    for number in (1, 2):  # one run each: two acknowledgements, the limit
        dovecot.append(mail(f"Ik heb een vraag over mijn bestelling {number}.",
                            subject=f"Vraag {number}"))
        app.daemon.run_once()
    assert acknowledged(smtp_sink) == {"sanne.jansen@example.org": 2}
    dovecot.append(question(1))
    dovecot.append(mail("Ik heb een vraag over mijn bestelling 3.", subject="Vraag 3"))
    dovecot.append(question(2))
    app.daemon.run_once()  # one group of three: the limit was asked for all of them at once
    with app.uow() as uow:
        limited = uow.session.scalars(select(Event).where(
            Event.action == "acknowledgement_rate_limited")).all()
        assert [e.detail["recipient"] for e in limited] == ["sanne.jansen@example.org"]
    assert acknowledged(smtp_sink) == {"sanne.jansen@example.org": 2, "q1@example.org": 1,
                                       "q2@example.org": 1}


def access(number: int, text: str = "Welke persoonsgegevens hebben jullie van mij? Stuur me "
           "een overzicht.") -> bytes:
    return mail(text, sender=f"Persoon {number} <p{number}@example.org>",
                subject=f"Inzage {number}")


def test_a_groups_verification_mails_are_counted_for_the_rate_limit_at_once(
        app: App, dovecot: Any) -> None:
    for number in (1, 2, 3):
        dovecot.append(access(number))
    app.ingestor.warm_up()
    seen: Counter[str] = Counter()

    def counted(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        words = " ".join(statement.split()).lower()
        if words.startswith("select") and "count(verification.id)" in words:
            seen["grouped" if "group by verification.address" in words else "one"] += 1

    event.listen(Engine, "before_cursor_execute", counted)
    try:
        app.daemon.run_once()
    finally:
        event.remove(Engine, "before_cursor_execute", counted)
    with app.uow() as uow:
        assert len(uow.session.scalars(select(Draft).where(
            Draft.purpose == "verification")).all()) == 3
    assert seen == {"grouped": 1}



def test_a_groups_rows_go_in_together_and_a_verification_draft_costs_no_flush(
        app: App, dovecot: Any, smtp_sink: Any, database_url: str) -> None:
    """Numbers given before the rows are written (store/ids.py): the batch's raw mails, its
    requests, drafts, verifications and unflushed messages each go in one INSERT on SQLite
    (PostgreSQL batches them anyway), and no verification draft flushes for its number."""
    for number in range(1, 6):
        dovecot.append(access(number))
    app.ingestor.warm_up()
    inserts: Counter[str] = Counter()
    flushes: list[int] = []

    def counted(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        words = statement.split()
        if words[:2] == ["INSERT", "INTO"]:
            inserts[words[2]] += 1

    def flushed(session: Any, _context: Any, _instances: Any) -> None:
        flushes.append(sum(isinstance(o, Draft) for o in session.new))

    from sqlalchemy.orm import Session
    event.listen(Engine, "before_cursor_execute", counted)
    event.listen(Session, "before_flush", flushed)
    try:
        app.daemon.run_once()
    finally:
        event.remove(Engine, "before_cursor_execute", counted)
        event.remove(Session, "before_flush", flushed)
    with app.uow() as uow:
        requests = uow.session.scalars(select(Request).order_by(Request.id)).all()
        assert [r.sender for r in requests] == [f"p{n}@example.org" for n in range(1, 6)]
        assert all(r.reference and r.reference.endswith(f"{r.id:05d}") for r in requests)
        drafts = uow.session.scalars(select(Draft).order_by(Draft.id)).all()
        assert [(d.purpose, str(d.status)) for d in drafts] == [("verification", "sent")] * 5
        messages = {m.id: m for m in uow.session.scalars(select(OutboxMessage))}
        assert [messages[d.outbox_id].purpose for d in drafts if d.outbox_id] == [
            f"draft.{d.id}" for d in drafts]
        sent = uow.session.scalars(select(Event).where(
            Event.action == "verification_sent")).all()
        numbers = {v.id for v in uow.repo.verifications.pending_for_requests(
            [r.id for r in requests])}
        assert {e.detail["verification_id"] for e in sent} == numbers and len(numbers) == 5
    assert len(smtp_sink.messages) == 10
    # the drafts went in with the transaction's rows, not one flush each
    assert sum(1 for n in flushes if n) <= 1
    if database_url.startswith("sqlite"):
        assert inserts["inbound_mail"] == 1 and inserts["request"] == 1
        assert inserts["draft"] == 1 and inserts["verification"] == 1
        assert inserts["outbox"] == 1


def test_numbers_given_in_advance_are_never_given_twice_across_workers(
        tmp_path: Path, app: App, database_url: str, app_factory: Any) -> None:
    """Two workers on one database numbering rows at the same time: on SQLite the second
    waits for the first's commit (the first holds the write lock from its first number) and
    numbers after the first's rows; on PostgreSQL each takes its own from the sequence."""
    import threading
    from datetime import UTC, datetime

    from mailbot.mailbox import FetchedMessage
    from mailbot.store import ids

    sqlite = database_url.startswith("sqlite")
    other = app_factory(make_settings(tmp_path / "other", mailbox_url="maildir:///nonexistent",
                                      smtp_url="smtp://127.0.0.1:1",
                                      database_url=app.settings.database.url))

    def numbered(worker: App, uow: Any, uid: int) -> int:
        if not sqlite:
            return ids.allocate(uow.session, Draft) or 0
        raw = mail(f"Mail {uid}")
        row = worker.ingestor._raw_mail(FetchedMessage(
            raw=raw, mailbox="test", uidvalidity=1, uid=str(uid),
            internaldate=datetime.now(UTC), size=len(raw)), datetime.now(UTC))
        row.id = ids.allocate(uow.session, InboundMail, pooled=False)
        uow.repo.add(row)
        return row.id or 0

    taken: list[int] = []
    with app.uow() as first:
        taken += [numbered(app, first, uid) for uid in (1, 2, 3)]
        done = threading.Event()

        def second() -> None:
            with other.uow() as uow:
                taken.extend(numbered(other, uow, uid) for uid in (4, 5, 6))
                uow.commit()
            done.set()

        thread = threading.Thread(target=second)
        thread.start()
        if sqlite:
            assert not done.wait(0.5)  # it waits for the first to commit
        first.commit()
    thread.join(timeout=30)
    assert done.is_set()
    assert 0 not in taken and len(set(taken)) == 6
    if sqlite:
        assert taken == [1, 2, 3, 4, 5, 6]
