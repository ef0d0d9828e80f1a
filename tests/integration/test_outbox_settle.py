"""A delivered message settled without the ORM's work around each statement (issue 12,
2026-12-07), through the real parts (Dovecot, SQLite and PostgreSQL, the SMTP sink): the
message marked sent (and the next one marked as on its way), its ``sent`` event and its draft
go in one statement on PostgreSQL, its own transaction on a connection held for the round, and
in one statement each on SQLite, in the settling transaction of that message alone; a message
that is no longer pending gets no event and leaves its draft alone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event, select, text

from mailbot.bootstrap import App
from mailbot.domain.states import OutboxStatus
from mailbot.mailbox import FetchedMessage
from mailbot.send.outbox import DeliveryReport
from mailbot.send.transport import SmtpTransport
from mailbot.store.models import Draft, Event, OutboxMessage
from tests.harness.app import make_settings
from tests.harness.database import PG_ADMIN_URL
from tests.harness.mails import mail

ACCESS = "Welke persoonsgegevens hebben jullie van mij? Stuur me een overzicht."


@pytest.fixture
def app(tmp_path: Path, smtp_sink: Any, database_url: str, app_factory: Any,
        request: pytest.FixtureRequest) -> App:
    if "dovecot" in request.fixturenames:
        url = request.getfixturevalue("dovecot").url()
    else:
        url = "maildir:///nonexistent"
    return app_factory(make_settings(tmp_path, mailbox_url=url, smtp_url=smtp_sink.url,
                                     database_url=database_url,
                                     acknowledge={"rate_limit_count": 1000}))


def _flat(statement: str) -> str:
    return " ".join(statement.split()).upper()


@pytest.mark.dovecot
def test_a_delivered_message_and_its_event_and_draft_are_settled_together(
        app: App, dovecot: Any, smtp_sink: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    for number in (1, 2, 3):
        dovecot.append(mail(ACCESS, sender=f"Vrager {number} <vrager{number}@example.org>"))
    statements: list[str] = []
    own: list[bool] = []  # whether a settling statement was its own transaction
    checkouts: list[object] = []

    def executed(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(_flat(statement))
        if "SENT_AT" in statements[-1]:
            driver = conn.connection.dbapi_connection
            own.append(bool(getattr(driver, "autocommit", False))
                         and not getattr(driver, "in_transaction", False))

    def checked_out(*_: Any) -> None:
        checkouts.append(_)

    deliver = app.daemon.deliver

    def watched() -> DeliveryReport:  # only the delivery's statements
        event.listen(app.database.engine, "before_cursor_execute", executed)
        event.listen(app.database.engine.pool, "checkout", checked_out)
        try:
            return deliver()
        finally:
            event.remove(app.database.engine, "before_cursor_execute", executed)
            event.remove(app.database.engine.pool, "checkout", checked_out)

    monkeypatch.setattr(app.daemon, "deliver", watched)
    app.daemon.run_once()
    report = app.daemon.delivered
    # an acknowledgement and a verification mail (a draft's) each
    assert len(report.sent) == 6 and not report.retrying and not report.failed
    settles = [s for s in statements if "SENT_AT" in s]
    assert len(settles) == 6  # one a message
    apart = [s for s in statements if "SENT_AT" not in s
              and (s.startswith("INSERT INTO EVENT") or s.startswith("UPDATE DRAFT"))]
    if app.database.engine.dialect.name == "postgresql":
        assert apart == []  # the event and the draft in the settling statement
        assert all("INSERT INTO EVENT" in s for s in settles)
        assert sum("UPDATE DRAFT" in s for s in settles) == 3
        # each its own transaction (no BEGIN and COMMIT), on one connection for the round:
        # besides it, one for each claim (the second finds nothing)
        assert own == [True] * 6
        assert len(checkouts) == 1 + 2
    else:
        assert own == [False] * 6  # SQLite: in the transaction with the event and draft
        assert sorted(" ".join(s.split()[:3]) for s in apart) == (
            ["INSERT INTO EVENT"] * 6 + ["UPDATE DRAFT SET"] * 3)
    with app.uow() as uow:
        rows = list(uow.repo.outbox.list())
        assert sorted(row.id for row in rows) == sorted(report.sent)
        assert {row.status for row in rows} == {OutboxStatus.SENT}
        assert all(row.attempts == 1 and row.sent_at is not None and not row.sending
                   for row in rows)
        for row in rows:
            (sent,) = uow.session.scalars(select(Event).where(
                Event.outbox_id == row.id, Event.action == "sent")).all()
            assert (sent.inbound_id, sent.request_id) == (row.inbound_id, row.request_id)
            assert sent.actor == "mailbot" and sent.at == row.sent_at
            assert sent.detail["server"].startswith("2.0.0")  # the sink's answer
            if row.purpose.startswith("draft."):
                draft = uow.session.scalars(select(Draft).where(
                    Draft.outbox_id == row.id)).one()
                assert str(draft.status) == "sent"
    assert len(smtp_sink.wait_for_count(6)) == 6


def test_a_message_no_longer_pending_gets_no_event_and_leaves_its_draft(app: App) -> None:
    raw = mail(ACCESS, subject="Inzage")
    app.ingestor.ingest(FetchedMessage(raw=raw, mailbox="test", uidvalidity=1, uid="1",
                                       internaldate=datetime.now(UTC), size=len(raw)))
    now = datetime.now(UTC)  # both of its messages are due
    until = now + timedelta(minutes=1)
    with app.uow() as uow:
        claims = uow.repo.outbox.claim_due(now, until, 10)
        uow.commit()
    (draft_claim,) = [c for c in claims if c.purpose.startswith("draft.")]
    (other,) = [c for c in claims if c is not draft_claim]
    with app.uow() as uow:  # settled meanwhile (another way, or by another worker)
        assert uow.repo.outbox.mark_sent(draft_claim.id, now)
        uow.commit()
    with app.uow() as uow:
        assert not uow.repo.outbox.settle_sent(draft_claim, now, "250 again", draft=True,
                                               following=other)
        uow.commit()
    with app.uow() as uow:
        events = uow.session.scalars(select(Event).where(
            Event.outbox_id == draft_claim.id, Event.action == "sent")).all()
        assert events == []
        draft = uow.session.scalars(select(Draft).where(
            Draft.outbox_id == draft_claim.id)).one()
        assert str(draft.status) == "queued"  # not moved by a settle that did not happen
        marked = uow.session.get(OutboxMessage, other.id)
        assert marked is not None and marked.sending  # the next one is on its way anyway
        assert marked.status == OutboxStatus.PENDING
    with app.uow() as uow:
        assert uow.repo.outbox.settle_sent(other, now, "250 ok", draft=False)
        uow.commit()
    with app.uow() as uow:
        (sent,) = uow.session.scalars(select(Event).where(
            Event.outbox_id == other.id, Event.action == "sent")).all()
        assert sent.detail == {"server": "250 ok"} and sent.inbound_id == other.inbound_id
        row = uow.session.get(OutboxMessage, other.id)
        assert row is not None and row.status == OutboxStatus.SENT and not row.sending


class Withdrawing:
    """The SMTP server of the harness; while the first message is on its way there, it is
    withdrawn (a new verification code replaced it, say) in a transaction of its own."""

    def __init__(self, transport: SmtpTransport, app: list[App]) -> None:
        self.transport, self.app = transport, app
        self.withdrawn: list[int] = []

    def send_sync(self, message: bytes, *, sender: str, recipients: Sequence[str]) -> str:
        if not self.withdrawn:
            message_id = message_from_bytes(message)["Message-ID"]
            with self.app[0].uow() as uow:
                row = uow.repo.outbox.by_message_id(message_id)
                assert row is not None
                row.move(OutboxStatus.WITHDRAWN)
                self.withdrawn.append(row.id)
                uow.commit()
        return self.transport.send_sync(message, sender=sender, recipients=recipients)


def test_a_message_withdrawn_on_its_way_is_settled_the_long_way_and_the_next_sent(
        tmp_path: Path, smtp_sink: Any, database_url: str, app_factory: Any) -> None:
    settings = make_settings(tmp_path, mailbox_url="maildir:///nonexistent",
                             smtp_url=smtp_sink.url, database_url=database_url)
    holder: list[App] = []
    server = Withdrawing(SmtpTransport(settings.smtp), holder)
    app = app_factory(settings, transport=server)
    holder.append(app)
    raw = mail(ACCESS, subject="Inzage")
    app.ingestor.ingest(FetchedMessage(raw=raw, mailbox="test", uidvalidity=1, uid="1",
                                       internaldate=datetime.now(UTC), size=len(raw)))
    report = app.outbox.deliver_due()
    (withdrawn,) = server.withdrawn
    with app.uow() as uow:
        rows = {row.id: row for row in uow.repo.outbox.list()}
        assert sorted(report.sent) == sorted(rows)
        assert {row.status for row in rows.values()} == {OutboxStatus.SENT}  # it did leave
        assert not any(row.sending for row in rows.values())  # no mark left behind
        leaving = select(Event.action).where(Event.action.startswith("sent")).order_by(
            Event.id)
        assert list(uow.session.scalars(leaving.where(Event.outbox_id == withdrawn))) == [
            "sent_though_withdrawn", "sent"]
        (other,) = [i for i in rows if i != withdrawn]
        assert list(uow.session.scalars(leaving.where(Event.outbox_id == other))) == ["sent"]
    assert len(smtp_sink.wait_for_count(2)) == 2  # each once


class Dropping:
    """The SMTP server of the harness; while the second message is on its way there, the
    database server drops every connection of this database (a restart, say): the round's
    held connection with them."""

    def __init__(self, transport: SmtpTransport, database: str) -> None:
        self.transport, self.database, self.sent = transport, database, 0

    def send_sync(self, message: bytes, *, sender: str, recipients: Sequence[str]) -> str:
        self.sent += 1
        if self.sent == 2:
            admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
            try:
                with admin.connect() as connection:
                    connection.execute(text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :name AND pid <> pg_backend_pid()"),
                        {"name": self.database})
            finally:
                admin.dispose()
        return self.transport.send_sync(message, sender=sender, recipients=recipients)


@pytest.mark.postgres
def test_a_round_whose_connection_is_dropped_settles_the_long_way(
        tmp_path: Path, smtp_sink: Any, postgres_url: str, app_factory: Any,
        caplog: pytest.LogCaptureFixture) -> None:
    settings = make_settings(tmp_path, mailbox_url="maildir:///nonexistent",
                             smtp_url=smtp_sink.url, database_url=postgres_url)
    server = Dropping(SmtpTransport(settings.smtp), postgres_url.rsplit("/", 1)[1])
    app = app_factory(settings, transport=server)
    for number in (1, 2):
        raw = mail(ACCESS, sender=f"Vrager {number} <vrager{number}@example.org>")
        app.ingestor.ingest(FetchedMessage(raw=raw, mailbox="test", uidvalidity=1,
                                           uid=str(number), internaldate=datetime.now(UTC),
                                           size=len(raw)))
    report = app.outbox.deliver_due()
    with app.uow() as uow:
        rows = list(uow.repo.outbox.list())
        assert sorted(report.sent) == sorted(row.id for row in rows)  # every one, once
        assert {row.status for row in rows} == {OutboxStatus.SENT}  # none held as uncertain
        assert not any(row.sending for row in rows)
        for row in rows:
            assert len(uow.session.scalars(select(Event).where(
                Event.outbox_id == row.id, Event.action == "sent")).all()) == 1
    assert "on the round's connection failed" in caplog.text
    assert len(smtp_sink.wait_for_count(4)) == 4
