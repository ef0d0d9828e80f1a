"""Time travel through the real scheduler: a request arrives in a Maildir, the daemon runs
(`run_forever`, with its APScheduler jobs), and the clock is moved past each reminder point,
the due date and the retention period. Exactly the expected mails reach the SMTP sink, once
each, and the purged data is gone from the database (and from the SQLite file)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from datetime import date, datetime, time
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import create_engine, text

from mailbot.handle import drafts
from mailbot.store import views
from mailbot.store.models import InboundMail, Request
from tests.harness.app import make_settings
from tests.harness.mails import mail
from tests.harness.wait import wait_for

pytestmark = pytest.mark.slow

AMS = ZoneInfo("Europe/Amsterdam")
SANNE = "sanne.jansen@example.org"
STAFF = "privacy-team@example.org"
BOSS = "dpo@example.org"
TRUSTED_PASS = "mx.example.org; dmarc=pass (p=reject) header.from=example.org"
INTERVAL = 600  # seconds between the runs of each job
BODY = "Welke persoonsgegevens hebben jullie van mij? Stuur me een overzicht."


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), AMS)


class Running:
    """The daemon in a thread, and the SMTP sink's mail seen so far."""

    def __init__(self, app: Any, sink: Any, traveller: Any) -> None:
        self.app = app
        self.sink = sink
        self.traveller = traveller
        self.seen = 0
        self.thread = threading.Thread(target=app.daemon.run_forever, daemon=True)

    def start(self) -> None:
        self.thread.start()
        wait_for(lambda: self.app.daemon.scheduler is not None, 10, message="the scheduler")

    def stop(self) -> None:
        self.app.daemon.stop.set()
        self.thread.join(30)
        assert not self.thread.is_alive()

    def new_mail(self, count: int) -> list[tuple[str, str]]:
        """Wait for exactly ``count`` new messages at the sink: (recipient, subject)."""
        if count:
            self.sink.wait_for_count(self.seen + count, timeout=20)
        self.traveller.shift(INTERVAL + 1)  # one more round of every job: nothing more
        self.jobs_once()
        messages = self.sink.messages
        assert len(messages) == self.seen + count, _subjects(messages[self.seen:])
        new = [(m.rcpt_tos[0], _subject(m.message)) for m in messages[self.seen:]]
        self.seen = len(messages)
        return new

    def jobs_once(self) -> None:
        scheduler = self.app.daemon.scheduler
        wanted = {name: scheduler.runs[name] + 1 for name in ("deadlines", "retention")}
        scheduler.wakeup()
        assert scheduler.wait_for_runs(wanted, timeout=20), dict(scheduler.runs)

    def travel(self, when: datetime) -> None:
        self.traveller.move_to(when)
        self.jobs_once()


def _subject(message: EmailMessage) -> str:
    return str(message["Subject"])


def _subjects(messages: list[Any]) -> list[str]:
    return [_subject(m.message) for m in messages]


@pytest.fixture
def start() -> datetime:
    return at(date(2026, 11, 2), 10)  # a Monday; due Wednesday 2 December


@pytest.fixture
def traveller(start: datetime) -> Iterator[Any]:
    with time_machine.travel(start, tick=True) as moving:
        yield moving


def deliver(maildir: Path, raw: bytes, when: datetime) -> None:
    """Put a mail in the Maildir as an MTA would, arriving at ``when`` (its INTERNALDATE)."""
    for sub in ("tmp", "new", "cur"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    path = maildir / "tmp" / f"{int(when.timestamp())}.test.example.org"
    path.write_bytes(raw)
    os.utime(path, (when.timestamp(), when.timestamp()))
    os.rename(path, maildir / "new" / path.name)


def test_reminders_escalation_and_purge_arrive_once_each(
        tmp_path: Path, smtp_sink: Any, database_url: str, app_factory: Any,
        traveller: Any, start: datetime) -> None:
    maildir = tmp_path / "Maildir"
    settings = make_settings(
        tmp_path, mailbox_url=f"maildir://{maildir}", smtp_url=smtp_sink.url,
        database_url=database_url, organisation={"language": "en"},
        mailbox={"poll_interval": 1},
        verification={"trusted_authserv_ids": ["mx.example.org"]},
        deadlines={"staff_address": STAFF, "escalation_address": BOSS,
                   "scan_interval": INTERVAL},
        retention={"interval": INTERVAL})
    deliver(maildir, mail(BODY, headers={"Authentication-Results": TRUSTED_PASS}), start)
    app = app_factory(settings)
    daemon = Running(app, smtp_sink, traveller)
    daemon.start()
    try:
        # The acknowledgement, and the first digest (started after 08:00 on a working day).
        first = daemon.new_mail(2)
        assert sorted(to for to, _ in first) == sorted([SANNE, STAFF])
        assert any(s.startswith("Privacy mailbox, 2 November 2026") for _, s in first)
        with app.uow() as uow:
            [request] = views.requests(uow.repo)
            assert (request["status"], request["due_at"]) == ("awaiting_approval", "2026-12-02")
        ref = request["reference"]
        # Each point at 07:00, before the day's digest: one reminder each.
        for day, to, subject in [
            (date(2026, 11, 23), STAFF, f"Reminder: {ref} (access) target date 25 November 2026"),
            (date(2026, 11, 25), STAFF, f"Reminder: {ref} (access) target date 25 November 2026"),
            (date(2026, 11, 27), STAFF, f"Reminder: {ref} (access) due 2 December 2026"),
            (date(2026, 12, 1), STAFF, f"Reminder: {ref} (access) due 2 December 2026"),
            (date(2026, 12, 3), BOSS, f"OVERDUE: {ref} (access) was due 2 December 2026"),
        ]:
            daemon.travel(at(day, 7))
            assert daemon.new_mail(1) == [(to, subject)], day
        daemon.travel(at(date(2026, 12, 3), 8, 1))  # the digest lists the overdue request
        [(to, subject)] = daemon.new_mail(1)
        assert (to, subject) == (STAFF, "Privacy mailbox, 3 December 2026: 1 overdue, "
                                        "0 due this week, 1 waiting for approval")
        # Staff answer, late: the reply leaves, and nothing more is said about the request.
        with app.uow() as uow:
            [draft] = [d for d in views.drafts(uow.repo) if d["status"] == "pending_approval"]
            drafts.approve(app.context(uow, actor="Femke"), draft["id"])
            uow.commit()
        assert daemon.new_mail(1)[0][0] == SANNE
        with app.uow() as uow:
            closed = uow.repo.requests.get(request["id"])
            assert closed.status == "done"
            body_cipher, raw_cipher = _ciphertexts(app, closed.inbound_id)
        daemon.travel(at(date(2027, 12, 3), 7))  # 365 days later: not yet
        assert daemon.new_mail(0) == []
        with app.uow() as uow:
            assert uow.repo.requests.get(request["id"]).purged_at is None
        daemon.travel(at(date(2027, 12, 5), 7))
        assert daemon.new_mail(0) == []
    finally:
        daemon.stop()
    with app.uow() as uow:
        purged = uow.session.get(Request, request["id"])
        assert purged.purged_at is not None and purged.subject is None
        assert (purged.reference, purged.kind, purged.due_at) == (ref, "access", date(2026, 12, 2))
        assert [d.decided_by for d in purged.drafts if d.decided_by] == ["Femke"]
        inbound = uow.session.get(InboundMail, purged.inbound_id)
        assert (inbound.raw, inbound.body_text) == (None, None)
        assert all(row.message is None for row in uow.repo.outbox.list()
                   if row.request_id == purged.id)
    if database_url.startswith("sqlite"):
        app.close()
        files = b"".join(p.read_bytes() for p in Path(database_url.split("///", 1)[1]).parent
                         .glob("mailbot.db*"))
        for gone in (body_cipher[40:120], raw_cipher[40:120], BODY.encode()):
            assert gone not in files


def _ciphertexts(app: Any, inbound_id: int) -> tuple[bytes, bytes]:
    """The sealed bytes of a mail's text and raw message as they are stored."""
    engine = create_engine(app.settings.database_url)
    try:
        with engine.connect() as connection:
            body, raw = connection.execute(text(
                "SELECT body_text, raw FROM inbound_mail JOIN raw_mail USING (id) "
                "WHERE id = :id"), {"id": inbound_id}).one()
    finally:
        engine.dispose()
    assert body and raw
    return bytes(body), bytes(raw)

