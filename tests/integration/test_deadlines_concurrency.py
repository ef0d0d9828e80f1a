"""Two daemons on one PostgreSQL database run the deadline jobs at the same moment: each
reminder, escalation, digest, verification expiry and extension happens once."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from mailbot.domain.deadline import due_date
from mailbot.handle import drafts, extension, verify
from mailbot.store.models import Event, InboundMail, Notice, OutboxMessage, Request
from tests.harness.app import make_settings

pytestmark = pytest.mark.postgres

AMS = ZoneInfo("Europe/Amsterdam")
STAFF = "privacy-team@example.org"
BOSS = "dpo@example.org"
RECEIVED = datetime.combine(date(2026, 11, 2), time(9), AMS).astimezone(UTC)


class Clock:
    def __init__(self) -> None:
        self.now = RECEIVED

    def __call__(self) -> datetime:
        return self.now

    def local(self, day: date, hour: int) -> None:
        self.now = datetime.combine(day, time(hour), AMS).astimezone(UTC)


def add_requests(app: Any, count: int, status: str) -> list[int]:
    ids = []
    with app.uow() as uow:
        for n in range(count):
            mail = InboundMail(
                mailbox="INBOX", uidvalidity=1, uid=f"{status}-{n}", raw_sha256=f"{n:064d}",
                raw_size=1, raw=b"x", received_at=RECEIVED, fetched_at=RECEIVED,
                disposition="request", sender=f"{status}.{n}@example.org",
                message_id=f"<{status}-{n}@mail.example.org>", dedup_key=f"{status}-{n}",
                subject="Inzage", body_text="Welke gegevens hebben jullie van mij?")
            request = Request(
                inbound=mail, kind="access", status=status, language="nl",
                sender=f"{status}.{n}@example.org", received_at=RECEIVED,
                due_at=due_date(RECEIVED.astimezone(AMS)), confidence=1.0,
                created_at=RECEIVED, updated_at=RECEIVED)
            uow.repo.add(request)
            uow.repo.flush()
            request.reference = f"MB-2026-{request.id:05d}"
            ids.append(request.id)
            if status == "awaiting_approval":  # the reply that waits for staff
                app.context(uow).draft(request, template="acknowledgement", needs_approval=True,
                                       context={"name": "", "subject": "", "requests": [request],
                                                "received": RECEIVED.date(), "any_rights": True,
                                                "due": request.due_at})
        uow.commit()
    return ids


def together(apps: list[Any], job: str, rounds: int = 3) -> None:
    """Run the deadline ``job`` on every app at once, ``rounds`` times."""
    for _ in range(rounds):
        _at_once(apps, lambda app: getattr(app.daemon.jobs, job)())


def _at_once(apps: list[Any], work: Callable[[Any], object]) -> None:
    barrier = threading.Barrier(len(apps))
    failures: list[BaseException] = []

    def run(app: Any) -> None:
        barrier.wait()
        try:
            work(app)
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(app,)) for app in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures, failures


def test_two_daemons_send_each_reminder_once(tmp_path: Path, postgres_url: str,
                                             smtp_sink: Any, app_factory: Any) -> None:
    clock = Clock()
    settings = make_settings(
        tmp_path, mailbox_url=f"maildir://{tmp_path / 'Maildir'}", smtp_url=smtp_sink.url,
        database_url=postgres_url, organisation={"language": "en"},
        deadlines={"staff_address": STAFF, "escalation_address": BOSS})
    apps = [app_factory(settings, clock=clock), app_factory(settings, clock=clock)]
    waiting = add_requests(apps[0], 12, "awaiting_approval")
    verifying = add_requests(apps[0], 3, "awaiting_verification")
    with apps[0].uow() as uow:
        ctx = apps[0].context(uow)
        for request_id in verifying:
            verify.begin(ctx, [uow.session.get(Request, request_id)])
        extended = uow.session.get(Request, waiting[0])
        draft = extension.extend(apps[0].context(uow, "Femke"), extended, 1, "many sources")
        drafts.approve(apps[0].context(uow, "Femke"), draft.id)
        uow.commit()

    for day, hour in [(date(2026, 11, 8), 9),  # codes expire tomorrow: remind
                      (date(2026, 11, 23), 7), (date(2026, 11, 23), 9),  # target - 2
                      (date(2026, 11, 25), 9), (date(2026, 12, 3), 9)]:  # target, overdue
        clock.local(day, hour)
        together(apps, "deadlines")
    together(apps, "retention")
    # Delivered one after the other: this test is about the jobs (delivery at the same
    # moment is the next test's).
    for app in apps:
        app.daemon.deliver()

    with apps[0].uow() as uow:
        session = uow.session
        notices = [(n.request_id, n.kind) for n in session.scalars(select(Notice))]
        # 11 requests reach both target points and the escalation; the extended one none;
        # the three whose codes expired on 9 November were reminded, then closed.
        assert Counter(kind for _, kind in notices) == {"target": 22, "overdue": 11,
                                                          "verification": 3}
        assert session.get(Request, waiting[0]).extended_months == 1
        assert session.get(Request, waiting[0]).due_at == date(2027, 1, 2)
        assert session.scalar(select(func.count()).select_from(Event).where(
            Event.action == "deadline_extended")) == 1
        assert [session.get(Request, i).status for i in verifying] == ["unverified"] * 3
        assert session.scalar(select(func.count()).select_from(Event).where(
            Event.action == "closed_unverified")) == 3
        assert session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.purpose.like("digest.%"))) == 3  # 23 Nov, 25 Nov, 3 Dec
    to = Counter(m.rcpt_tos[0] for m in smtp_sink.messages)
    assert (to[STAFF], to[BOSS]) == (22 + 3, 11)  # reminders and digests; escalations
    assert to["awaiting_approval.0@example.org"] == 1  # the extension notice
    assert all(to[f"awaiting_verification.{n}@example.org"] == 2 for n in range(3))
    assert len(smtp_sink.messages) == len({m.message["Message-ID"] for m in smtp_sink.messages})


def test_two_daemons_delivering_at_once_send_each_message_once(
        tmp_path: Path, postgres_url: str, smtp_sink: Any, app_factory: Any) -> None:
    settings = make_settings(
        tmp_path, mailbox_url=f"maildir://{tmp_path / 'Maildir'}", smtp_url=smtp_sink.url,
        database_url=postgres_url)
    apps = [app_factory(settings), app_factory(settings)]
    waiting = add_requests(apps[0], 30, "awaiting_approval")
    with apps[0].uow() as uow:
        for request_id in waiting:
            for draft in uow.session.get(Request, request_id).drafts:
                drafts.approve(apps[0].context(uow, "Femke"), draft.id)
        uow.commit()

    _at_once(apps, lambda app: app.daemon.deliver())

    to = Counter(m.rcpt_tos[0] for m in smtp_sink.messages)
    assert to == {f"awaiting_approval.{n}@example.org": 1 for n in range(30)}
    assert len({m.message["Message-ID"] for m in smtp_sink.messages}) == 30
    with apps[0].uow() as uow:
        assert set(uow.session.scalars(select(OutboxMessage.status))) == {"sent"}


def test_the_scan_run_twice_in_a_row_sends_nothing_new(tmp_path: Path, postgres_url: str,
                                                       smtp_sink: Any, app_factory: Any) -> None:
    clock = Clock()
    settings = make_settings(
        tmp_path, mailbox_url=f"maildir://{tmp_path / 'Maildir'}", smtp_url=smtp_sink.url,
        database_url=postgres_url, deadlines={"staff_address": STAFF, "digest_time": None})
    app = app_factory(settings, clock=clock)
    add_requests(app, 2, "triage")
    clock.now += timedelta(days=21)
    assert app.daemon.jobs.run_all().queued == 2
    assert app.daemon.jobs.run_all().queued == 0
    restarted = app_factory(settings, clock=clock)  # state is in the database
    assert restarted.daemon.jobs.run_all().queued == 0
