"""The outbox claimed a batch at a time (SQLite and PostgreSQL): due messages are taken in
one transaction, oldest first, each by one worker; every message is still settled in a
transaction of its own right after its attempt; what was claimed but not tried (the server
refusing, the claim too old to begin another message) is given back at once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import event

from mailbot.domain.states import OutboxStatus
from mailbot.send.outbox import DELIVER_BATCH, NOTIFY_PURPOSE, enqueue
from mailbot.send.transport import SmtpTransport
from mailbot.store.outbox import Claimed
from mailbot.store.uow import UnitOfWork
from tests.harness.app import make_settings

START = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def queue(app: Any, count: int, now: datetime) -> list[int]:
    ids = []
    with app.uow() as uow:
        for n in range(count):
            ids.append(enqueue(uow.repo, app.settings, purpose=f"test.{n}", id_purpose="test",
                               key=str(n), to=f"p{n}@example.org", subject=f"Mail {n}",
                               body=f"Text {n}\n", language="nl", now=now, inbound_id=None,
                               request_id=None).id)
        uow.commit()
    return ids


def claims(app: Any) -> Callable[[], int]:
    """Counts the claiming statements from now on."""
    seen = [0]

    def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.startswith("UPDATE outbox SET next_attempt_at") and "RETURNING" in statement:
            seen[0] += 1

    event.listen(app.database.engine, "before_cursor_execute", count)
    return lambda: seen[0]


def rows(app: Any) -> dict[int, SimpleNamespace]:
    with app.uow() as uow:
        return {row.id: SimpleNamespace(status=row.status, attempts=row.attempts,
                                        next_attempt_at=row.next_attempt_at,
                                        sent_at=row.sent_at)
                for row in uow.repo.outbox.list()}


def app_for(tmp_path: Path, app_factory: Any, database_url: str, smtp_url: str,
            clock: Clock, transport: Any = None) -> Any:
    settings = make_settings(tmp_path, mailbox_url="maildir:///nonexistent", smtp_url=smtp_url,
                             database_url=database_url)
    return app_factory(settings, clock=clock, transport=transport)


def test_due_messages_are_claimed_several_at_once_and_each_by_one(
        tmp_path: Path, app_factory: Any, database_url: str, smtp_sink: Any) -> None:
    clock = Clock()
    app = app_for(tmp_path, app_factory, database_url, smtp_sink.url, clock)
    ids = queue(app, 5, START)
    until = START + timedelta(minutes=1)

    def claim(limit: int) -> list[int]:
        uow: UnitOfWork
        with app.uow() as uow:
            taken = uow.repo.outbox.claim_due(START, until, limit)
            uow.commit()
        return [c.id for c in taken]

    first = claim(3)
    assert first == ids[:3]  # the oldest due first
    assert claim(10) == ids[3:]  # another worker: only what nobody holds
    assert claim(10) == []
    with app.uow() as uow:
        taken = uow.repo.outbox.claim_due(START + timedelta(minutes=2),
                                          until + timedelta(minutes=2), 10)
        uow.rollback()
    assert [c.id for c in taken] == ids  # a claim that ran out is anyone's again
    with app.uow() as uow:
        mine = uow.repo.outbox.claim_due(START, until, 10)  # nothing: all held
        assert mine == []
        uow.repo.outbox.release(_claimed(ids[1:3], until), START)
        uow.commit()
    assert claim(10) == ids[1:3]  # given back: due again at once
    with app.uow() as uow:
        assert uow.repo.outbox.mark_sent(ids[0], START)
        assert not uow.repo.outbox.mark_sent(ids[0], START)  # sent already: not again
        uow.commit()
    assert rows(app)[ids[0]].status == OutboxStatus.SENT
    assert rows(app)[ids[0]].attempts == 1


def _claimed(ids: Sequence[int], until: datetime) -> list[Claimed]:
    return [Claimed(i, None, "", "", "test", None, None, until) for i in ids]


def test_a_round_claims_a_batch_at_a_time_and_sends_each_once(
        tmp_path: Path, app_factory: Any, database_url: str, smtp_sink: Any) -> None:
    clock = Clock()
    app = app_for(tmp_path, app_factory, database_url, smtp_sink.url, clock)
    count = 2 * DELIVER_BATCH + 3
    ids = queue(app, count, START)
    claimed = claims(app)
    report = app.outbox.deliver_due()
    assert sorted(report.sent) == ids
    assert claimed() == 3  # not one claim per message
    received = smtp_sink.wait_for_count(count)
    assert sorted(m.rcpt_tos[0] for m in received) == sorted(
        f"p{n}@example.org" for n in range(count))
    assert {r.status for r in rows(app).values()} == {OutboxStatus.SENT}
    assert all(r.attempts == 1 and r.sent_at == START for r in rows(app).values())
    assert app.outbox.deliver_due().handled == 0


def test_a_refusing_server_gets_one_try_and_the_rest_is_given_back(
        tmp_path: Path, app_factory: Any, database_url: str, smtp_sink: Any) -> None:
    clock = Clock()
    app = app_for(tmp_path, app_factory, database_url, smtp_sink.url, clock)
    ids = queue(app, 5, START)
    smtp_sink.refuse(451, "4.3.2 Try again later")
    report = app.outbox.deliver_due()
    assert report.retrying == ids[:1] and not report.sent
    after = rows(app)
    assert after[ids[0]].attempts == 1 and after[ids[0]].next_attempt_at > START
    # the others were claimed with it but never tried: due now, not when the claim ends
    assert all(after[i].attempts == 0 and after[i].next_attempt_at <= START for i in ids[1:])
    smtp_sink.accept()
    assert sorted(app.outbox.deliver_due().sent) == ids[1:]


def test_a_failure_while_settling_gives_the_untried_rest_back(
        tmp_path: Path, app_factory: Any, database_url: str, smtp_sink: Any) -> None:
    clock = Clock()
    app = app_for(tmp_path, app_factory, database_url, smtp_sink.url, clock)
    with app.uow() as uow:  # messages a step waits for: they are settled with a callback
        ids = [enqueue(uow.repo, app.settings, purpose=f"{NOTIFY_PURPOSE}{n}.1",
                       id_purpose="test", key=str(n), to=f"p{n}@example.org",
                       subject=f"Mail {n}", body="Text\n", language="nl", now=START,
                       inbound_id=None, request_id=None).id for n in range(4)]
        uow.commit()

    def broken(*_: object) -> None:
        raise RuntimeError("a bug in settling")

    app.outbox.on_settled = broken
    with pytest.raises(RuntimeError, match="a bug in settling"):
        app.outbox.deliver_due()
    after = rows(app)
    # the first left but could not be settled: it stays claimed, so it is not sent again
    # before its claim runs out; the others were never tried and are due again at once
    assert after[ids[0]].status == OutboxStatus.PENDING
    assert after[ids[0]].next_attempt_at > START
    assert all(after[i].next_attempt_at <= START and after[i].attempts == 0 for i in ids[1:])
    assert len(smtp_sink.wait_for_count(1)) == 1


class SlowServer:
    """The real SMTP server, with the clock moved on by ``delay`` at each message (a server
    that takes that long); notes when each message began and until when its claim held."""

    def __init__(self, transport: SmtpTransport, clock: Clock, delay: timedelta,
                 holds: Callable[[str], datetime]) -> None:
        self.transport, self.clock, self.delay, self.holds = transport, clock, delay, holds
        self.begun: list[tuple[datetime, datetime]] = []

    def send_sync(self, message: EmailMessage | bytes, *, sender: str,
                  recipients: Sequence[str]) -> str:
        raw = message if isinstance(message, bytes) else message.as_bytes()
        self.begun.append((self.clock(), self.holds(message_from_bytes(raw)["Message-ID"])))
        answer = self.transport.send_sync(message, sender=sender, recipients=recipients)
        self.clock.now += self.delay
        return answer


def test_a_message_is_begun_only_while_its_claim_outlasts_the_attempt(
        tmp_path: Path, app_factory: Any, database_url: str, smtp_sink: Any) -> None:
    clock = Clock()
    settings = make_settings(tmp_path, mailbox_url="maildir:///nonexistent",
                             smtp_url=smtp_sink.url, database_url=database_url)
    holder: list[Any] = []

    def holds(message_id: str) -> datetime:
        with holder[0].uow() as uow:
            row = uow.repo.outbox.by_message_id(message_id)
            assert row is not None
            return row.next_attempt_at

    timeout = settings.smtp.timeout
    server = SlowServer(SmtpTransport(settings.smtp), clock,
                        timedelta(seconds=timeout + 1), holds)
    app = app_factory(settings, clock=clock, transport=server)
    holder.append(app)
    ids = queue(app, 4, START)
    report = app.outbox.deliver_due()
    assert sorted(report.sent) == ids
    attempt = timedelta(seconds=2 * timeout + 5)  # the longest one attempt may take
    assert len(server.begun) == 4
    assert all(began + attempt <= until for began, until in server.begun)
    assert len(smtp_sink.wait_for_count(4)) == 4


def test_a_claim_tells_which_messages_a_step_waits_for(
        tmp_path: Path, app_factory: Any, database_url: str, smtp_sink: Any) -> None:
    """A draft's message no step waits for (a verification mail) is settled without asking
    about steps: the claim read it already, for the whole batch."""
    from mailbot.mailbox import FetchedMessage
    from tests.harness.mails import mail

    clock = Clock()
    app = app_for(tmp_path, app_factory, database_url, smtp_sink.url, clock)
    raw = mail("Verwijder al mijn gegevens en mijn account.", subject="Verwijderen")
    app.ingestor.ingest(FetchedMessage(raw=raw, mailbox="test", uidvalidity=1, uid="1",
                                       internaldate=START, size=len(raw)))
    with app.uow() as uow:
        claimed = uow.repo.outbox.claim_due(START, START + timedelta(minutes=1), 10)
        uow.rollback()
    purposes = sorted(c.purpose.split(".")[0] for c in claimed)
    assert purposes == ["acknowledgement", "draft"]  # the verification mail is a draft's
    assert not any(c.waited for c in claimed)
    asked: list[str] = []

    def watch(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.startswith("SELECT request_step"):  # the claim's own read aside
            asked.append(statement)

    event.listen(app.database.engine, "before_cursor_execute", watch)
    try:
        report = app.outbox.deliver_due()
    finally:
        event.remove(app.database.engine, "before_cursor_execute", watch)
    assert len(report.sent) == 2
    assert asked == []
    smtp_sink.wait_for_count(2)


def sending(app: Any) -> dict[int, bool]:
    with app.uow() as uow:
        return {row.id: bool(row.sending) for row in uow.repo.outbox.list()}


def test_a_sent_message_and_the_next_ones_mark_go_in_one_update(
        tmp_path: Path, app_factory: Any, database_url: str, smtp_sink: Any) -> None:
    clock = Clock()
    app = app_for(tmp_path, app_factory, database_url, smtp_sink.url, clock)
    ids = queue(app, 3, START)
    until = START + timedelta(minutes=1)
    with app.uow() as uow:
        first, second, third = uow.repo.outbox.claim_due(START, until, 10)
        uow.commit()
    assert sending(app) == {ids[0]: True, ids[1]: False, ids[2]: False}
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(" ".join(statement.split()[:2]).upper())

    event.listen(app.database.engine, "before_cursor_execute", seen)
    try:
        with app.uow() as uow:
            assert uow.repo.outbox.mark_sent(first.id, START, following=second)
            uow.commit()
    finally:
        event.remove(app.database.engine, "before_cursor_execute", seen)
    assert statements.count("UPDATE OUTBOX") == 1  # the settle and the mark together
    after = rows(app)
    assert (after[ids[0]].status, after[ids[0]].attempts, after[ids[0]].sent_at) == (
        OutboxStatus.SENT, 1, START)
    assert (after[ids[1]].status, after[ids[1]].attempts, after[ids[1]].sent_at) == (
        OutboxStatus.PENDING, 0, None)
    assert after[ids[1]].next_attempt_at == until  # still claimed, untouched but its mark
    assert sending(app) == {ids[0]: False, ids[1]: True, ids[2]: False}
    with app.uow() as uow:
        # the first is sent already: unchanged, and False; the next one is marked anyway
        assert not uow.repo.outbox.mark_sent(first.id, START, following=third)
        assert uow.repo.outbox.mark_sent(second.id, START, following=third)
        uow.commit()
    assert sending(app) == {ids[0]: False, ids[1]: False, ids[2]: True}
    assert rows(app)[ids[0]].attempts == 1
    stale = third._replace(until=until + timedelta(minutes=5))  # another worker's claim now
    with app.uow() as uow:
        assert not uow.repo.outbox.mark_sent(first.id, START, following=stale)
        uow.commit()
    assert sending(app)[ids[2]] is True  # left as it was: not marked by a claim not ours


def test_a_round_settles_each_message_with_one_update_of_the_outbox(
        tmp_path: Path, app_factory: Any, database_url: str, smtp_sink: Any) -> None:
    clock = Clock()
    app = app_for(tmp_path, app_factory, database_url, smtp_sink.url, clock)
    count = 5
    ids = queue(app, count, START)
    updates: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if "UPDATE OUTBOX" in " ".join(statement.split()).upper():  # also in a WITH
            updates.append(statement)

    event.listen(app.database.engine, "before_cursor_execute", seen)
    try:
        report = app.outbox.deliver_due()
    finally:
        event.remove(app.database.engine, "before_cursor_execute", seen)
    assert sorted(report.sent) == ids
    settles = [u for u in updates if "sent_at" in u]
    assert len(settles) == count  # one a message, the next one's mark in it
    # besides: each of the two claims (the second finds nothing) looks for uncertain
    # messages first, the first one takes the batch and marks its first message
    assert len(updates) == count + 2 + 2
    assert {r.status for r in rows(app).values()} == {OutboxStatus.SENT}
    assert set(sending(app).values()) == {False}  # the last one's mark went with it
    assert sorted(m.rcpt_tos[0] for m in smtp_sink.wait_for_count(count)) == sorted(
        f"p{n}@example.org" for n in range(count))
