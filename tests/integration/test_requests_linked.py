"""A mail's new requests linked to it without the ORM's attribute events (issue 12, round
twenty-six, second part), on real SQLite and PostgreSQL: ``Repository.add_under`` gives the
request its mail in memory as a load would, and its INSERT writes ``inbound_id`` as setting
the relationship did; where it cannot do that safely it sets the relationship as before.
Through the real ingest (Dovecot, the SMTP sink): the same rows, and no backref event."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select

from mailbot.bootstrap import App
from mailbot.store.crypto import Cipher, generate_key
from mailbot.store.engine import make_engine, upgrade
from mailbot.store.models import InboundMail, Request
from mailbot.store.uow import uow_factory
from tests.harness.app import make_settings
from tests.harness.mails import mail

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.fixture
def uow(database_url: str) -> Iterator[Any]:
    engine = make_engine(database_url, Cipher([generate_key()]))
    upgrade(engine)
    yield uow_factory(engine)
    engine.dispose()


@pytest.fixture
def appended() -> Iterator[list[object]]:
    """Every request appended to a mail's ``requests`` through the ORM's events."""
    seen: list[object] = []

    def append(_target: Any, value: Any, _initiator: Any) -> None:
        seen.append(value)

    event.listen(InboundMail.requests, "append", append)
    yield seen
    event.remove(InboundMail.requests, "append", append)


def new_mail(uid: int) -> InboundMail:
    return InboundMail(mailbox="INBOX", uidvalidity=1, uid=str(uid), raw_sha256="0" * 64,
                       raw_size=10, received_at=NOW, fetched_at=NOW, disposition="request")


def new_request(kind: str, inbound_id: int | None) -> Request:
    return Request(inbound_id=inbound_id, kind=kind, status="new", language="en",
                   sender="a@example.org", subject="hello", received_at=NOW,
                   due_at=date(2027, 1, 7), confidence=0.9, evidence=[], created_at=NOW,
                   updated_at=NOW)


def written_mail(uow: Any) -> int:
    with uow() as unit:
        written = new_mail(1)
        unit.repo.add(written)
        unit.commit()
        return written.id


def test_requests_are_linked_in_memory_and_written_with_their_mails_key(
        uow: Any, appended: list[object]) -> None:
    mail_id = written_mail(uow)
    with uow() as unit:
        written = unit.session.get(InboundMail, mail_id)
        unit.repo.known_empty(written, "requests")
        first, second = new_request("access", mail_id), new_request("erasure", mail_id)
        for request in (first, second):
            unit.repo.add_under(request, written, key="inbound", collection="requests")
        assert first.inbound is written and second.inbound is written
        assert written.requests == [first, second]  # as verify reads a request's siblings
        assert appended == []  # no backref event
        unit.commit()
    with uow() as unit:
        again = unit.session.get(InboundMail, mail_id)
        assert [(r.kind, r.inbound_id) for r in again.requests] == [
            ("access", mail_id), ("erasure", mail_id)]


def test_a_mail_not_written_yet_or_not_loaded_is_linked_as_before(
        uow: Any, appended: list[object]) -> None:
    mail_id = written_mail(uow)
    with uow() as unit:
        fresh = new_mail(2)  # pending: its number comes with the flush
        unit.repo.add(fresh)
        pending = new_request("access", None)
        unit.repo.add_under(pending, fresh, key="inbound", collection="requests")
        loaded = unit.session.get(InboundMail, mail_id)  # requests not loaded
        other = new_request("erasure", mail_id)
        unit.repo.add_under(other, loaded, key="inbound", collection="requests")
        assert appended == [pending, other]  # the relationship set: its backref fired
        unit.commit()
        fresh_id = fresh.id
    with uow() as unit:
        rows = unit.session.execute(
            select(Request.kind, Request.inbound_id).order_by(Request.id)).all()
        assert [tuple(r) for r in rows] == [("access", fresh_id), ("erasure", mail_id)]
        assert [r.kind for r in unit.session.get(InboundMail, mail_id).requests] == ["erasure"]


def test_a_changed_collection_is_linked_as_before(uow: Any, appended: list[object]) -> None:
    mail_id = written_mail(uow)
    with uow() as unit:
        written = unit.session.get(InboundMail, mail_id)
        unit.repo.known_empty(written, "requests")
        first = new_request("access", mail_id)
        first.inbound = written  # the collection changed in this transaction
        unit.repo.add(first)
        second = new_request("erasure", mail_id)
        unit.repo.add_under(second, written, key="inbound", collection="requests")
        assert written.requests == [first, second]
        assert len(appended) == 2
        unit.commit()
    with uow() as unit:
        assert unit.session.scalar(select(func.count()).select_from(Request)) == 2


def test_a_rolled_back_transaction_leaves_no_request_and_the_mail_none(uow: Any) -> None:
    mail_id = written_mail(uow)
    with uow() as unit:
        written = unit.session.get(InboundMail, mail_id)
        unit.repo.known_empty(written, "requests")
        unit.repo.add_under(new_request("access", mail_id), written, key="inbound",
                            collection="requests")
        unit.repo.flush()
        unit.session.rollback()
        assert written.requests == []  # expired by the rollback, read again
    with uow() as unit:
        assert unit.session.scalar(select(func.count()).select_from(Request)) == 0


@pytest.mark.dovecot
def test_ingest_links_each_request_to_its_mail_without_a_backref_event(
        tmp_path: Path, dovecot: Any, smtp_sink: Any, database_url: str, app_factory: Any,
        appended: list[object]) -> None:
    app: App = app_factory(make_settings(
        tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
        database_url=database_url, acknowledge={"rate_limit_count": 1000}))
    for number in (1, 2, 3):
        dovecot.append(mail("Welke persoonsgegevens hebben jullie van mij? Stuur me een "
                            f"overzicht. ({number})", sender=f"p{number}@example.org"))
    app.daemon.run_once()
    assert appended == []  # fails on the base: one append a request
    with app.uow() as unit:
        mails = unit.session.scalars(select(InboundMail).order_by(InboundMail.id)).all()
        assert len(mails) == 3
        for written in mails:
            assert written.requests, written.sender
            assert all(r.inbound_id == written.id and r.sender == written.sender
                       and r.reference for r in written.requests)
