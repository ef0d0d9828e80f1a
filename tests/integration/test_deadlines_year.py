"""A simulated year: access requests arrive at random times (seeded), staff approve each
after a random delay within its target date, and the daemon runs (`run_once`) at every
event and twice a day. No request ends overdue, nobody is escalated, every reminder that was
due went out exactly once, and there was one digest per working day."""

from __future__ import annotations

import os
import random
import re
from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import pytest
import time_machine
from sqlalchemy import select

from mailbot.handle import drafts
from mailbot.store import views
from mailbot.store.models import Notice, Request
from tests.harness.app import make_settings
from tests.harness.mails import mail

pytestmark = pytest.mark.slow

AMS = ZoneInfo("Europe/Amsterdam")
STAFF = "privacy-team@example.org"
BOSS = "dpo@example.org"
TRUSTED_PASS = "mx.example.org; dmarc=pass (p=reject) header.from=example.org"
BODY = "Welke persoonsgegevens hebben jullie van mij? Stuur me een overzicht."
FIRST, LAST = date(2027, 1, 1), date(2027, 12, 31)
NL = holidays.country_holidays("NL", years=[2026, 2027, 2028],
                               categories=("public", "optional"))


def working(day: date) -> bool:
    return day.weekday() < 5 and day not in NL


def leaving(anchor: date, count: int) -> date:
    """Independently: the latest working day t not after ``anchor`` with exactly ``count``
    working days in (t, anchor]."""
    day = anchor
    while not (working(day) and sum(working(day + timedelta(days=i))
                                    for i in range(1, (anchor - day).days + 1)) == count):
        day -= timedelta(days=1)
    return day


def due_of(received: date) -> date:
    plus30 = received + timedelta(days=30)
    month = received.month % 12 + 1
    year = received.year + (received.month == 12)
    day = received.day
    while True:  # the same day next month, or the month's last day
        try:
            return min(plus30, date(year, month, day))
        except ValueError:
            day -= 1


def test_a_year_of_requests_answered_within_target(tmp_path: Path, smtp_sink: Any,
                                                    app_factory: Any) -> None:
    rng = random.Random(2027)
    maildir = tmp_path / "Maildir"
    for sub in ("tmp", "new", "cur"):
        (maildir / sub).mkdir(parents=True)
    settings = make_settings(
        tmp_path, mailbox_url=f"maildir://{maildir}", smtp_url=smtp_sink.url,
        organisation={"language": "en"}, acknowledge={"rate_limit_count": 1000},
        verification={"trusted_authserv_ids": ["mx.example.org"]},
        deadlines={"staff_address": STAFF, "escalation_address": BOSS})
    # The plan: arrivals every 1 to 8 days at any hour; an approval somewhere between an
    # hour later and 17:00 on the target date; and the daemon's rounds at 09:00 and 16:00.
    arrivals: list[datetime] = []
    moment = datetime.combine(FIRST, time(7), AMS)
    while True:
        moment += timedelta(days=rng.randint(1, 8), minutes=rng.randint(0, 24 * 60))
        if moment.date() > LAST - timedelta(days=45):
            break
        arrivals.append(moment)
    events: list[tuple[datetime, str, int]] = [(a, "arrive", n) for n, a in enumerate(arrivals)]
    approvals: dict[int, datetime] = {}
    for n, arrived in enumerate(arrivals):
        target = leaving(due_of(arrived.date()), 5)
        latest = datetime.combine(target, time(17), AMS)
        approvals[n] = arrived + (latest - arrived) * rng.uniform(0.4, 1.0) + timedelta(hours=1)
        approvals[n] = min(approvals[n], latest)
        events.append((approvals[n], "approve", n))
    day = FIRST
    while day <= LAST:
        events += [(datetime.combine(day, time(9), AMS), "round", 0),
                   (datetime.combine(day, time(16), AMS), "round", 0)]
        day += timedelta(days=1)
    events.sort()

    rounds: list[datetime] = []
    with time_machine.travel(events[0][0], tick=False) as traveller:
        app = app_factory(settings)
        ids: dict[int, int] = {}
        for when, what, n in events:
            traveller.move_to(when)
            if what == "arrive":
                raw = mail(BODY, sender=f"Persoon {n} <persoon.{n}@example.org>",
                           headers={"Authentication-Results": TRUSTED_PASS})
                path = maildir / "new" / f"{n}.year.example.org"
                path.write_bytes(raw)
                os.utime(path, (when.timestamp(), when.timestamp()))
            elif what == "approve":
                with app.uow() as uow:
                    request = uow.session.scalar(select(Request).where(
                        Request.sender == f"persoon.{n}@example.org"))
                    assert request is not None and request.status == "awaiting_approval", n
                    ids[n] = request.id
                    for draft in list(request.drafts):
                        if draft.status == "pending_approval":
                            drafts.approve(app.context(uow, actor="Femke"), draft.id)
                    uow.commit()
            app.daemon.run_once()
            rounds.append(when)

    with app.uow() as uow:
        requests = {r.id: (r.reference, r.due_at) for r in uow.session.scalars(select(Request))}
        notices = {(x.request_id, x.kind, x.point)
                   for x in uow.session.scalars(select(Notice))}
        assert all(r["status"] == "done" for r in views.requests(uow.repo))
        assert all(r.closed_at.astimezone(AMS).date() <= r.target_at
                   for r in uow.session.scalars(select(Request)))
    assert len(requests) == len(arrivals) > 30
    messages = smtp_sink.messages
    assert not [m for m in messages if BOSS in m.rcpt_tos], "nobody was escalated"
    # Every reminder that was due went out exactly once: a point counts when a round ran on
    # or after its day while the request was still open.
    expected = set()
    for n, arrived in enumerate(arrivals):
        due = due_of(arrived.date())
        assert requests[ids[n]][1] == due
        target = leaving(due, 5)
        for days in (2, 0):
            on = leaving(target, days)
            start = datetime.combine(on, time(0), AMS)
            first_round = min(r for r in rounds if r >= start)
            if first_round < approvals[n]:
                expected.add((ids[n], "target", f"{days}:{target.isoformat()}"))
    assert notices == expected
    assert len(expected) > 10
    reminders = Counter(re.sub(r"^Reminder: (\S+) .*", r"\1", str(m.message["Subject"]))
                        for m in messages if str(m.message["Subject"]).startswith("Reminder"))
    assert reminders == Counter(requests[i][0] for i, _, _ in expected)
    assert len({m.message["Message-ID"] for m in messages}) == len(messages)
    digests = Counter(str(m.message["Subject"]).split(":")[0] for m in messages
                      if str(m.message["Subject"]).startswith("Privacy mailbox"))
    working_days = [d for d in (FIRST + timedelta(days=i) for i in range(365)) if working(d)]
    assert len(digests) == len(working_days) and set(digests.values()) == {1}
