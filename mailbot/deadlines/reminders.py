"""The deadline scan: keep each open request's target date current, settle extensions and
refusals, remind staff at the configured points and escalate overdue requests.

Each mail is claimed by inserting its ``Notice`` row (unique per request, kind and point) in
the transaction that also writes its outbox message: a second scan, a scan after a crash or
a scan on another daemon finds the row, or fails to insert it, and sends nothing.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

from mailbot.deadlines import points as pts
from mailbot.deadlines.base import JobEnv, JobResult
from mailbot.deadlines.staffmail import queue_staff_mail
from mailbot.domain.calendar import is_working_day, target_date
from mailbot.domain.states import OPEN_STATUSES, DraftStatus
from mailbot.errors import Conflict
from mailbot.handle import extension, refusal
from mailbot.store.models import Notice, Request

log = logging.getLogger(__name__)


def scan(jobs: JobEnv, now: datetime) -> JobResult:
    settings = jobs.settings.deadlines
    today = now.astimezone(jobs.zone).date()
    result = JobResult()
    due: list[tuple[int, pts.Point]] = []
    with jobs.uow() as uow:
        ctx = jobs.context(uow, now)
        repo = uow.repo
        targets: dict[date, date] = {}  # by due date

        def target_of(due: date) -> date:
            if due not in targets:
                targets[due] = target_date(due, settings.target_working_days)
            return targets[due]

        repo.requests.refresh_targets(target_of)
        extending = repo.extensions.requests_with_pending()
        refused = repo.requests.with_refusal_sent(refusal.PURPOSE)
        due_by = today + timedelta(days=horizon(jobs))
        special = extending | refused
        sent = repo.notices.sent_for_scan(due_by, special)
        found: list[tuple[date, int, date | None]] = []  # due date, request, target date
        for request in repo.requests.open_among(special):
            if request.id in extending:
                extension.settle(ctx, request)
            if request.id in refused:
                refusal.settle(ctx, request)
            if request.status not in OPEN_STATUSES:
                continue
            target = target_of(request.due_at)
            if request.target_at != target:
                request.target_at = target
            found.append((request.due_at, request.id, request.target_at))
        # the others as plain rows: nothing of them changes here
        found += [(row.due_at, row.id, row.target_at)
                  for row in repo.requests.to_scan(due_by, special)]
        # a flood shares a few dozen due dates: each schedule is worked out once
        schedules: dict[tuple[date, date | None], list[pts.Point]] = {}
        for due_at, request_id, target_at in sorted(found):
            if (due_at, target_at) not in schedules:
                schedules[due_at, target_at] = _schedule(jobs, due_at, target_at)
            point = pts.current(schedules[due_at, target_at], today)
            if point is None or _recipient(jobs, point) is None:
                continue
            if (request_id, point.kind, point.key) not in sent:  # else: sent already
                due.append((request_id, point))
        uow.commit()
    for request_id, point in due:
        if _send(jobs, request_id, point, now):
            result.add(f"{point.kind} reminder for request {request_id} ({point.key})",
                       queued=1)
    return result


def horizon(jobs: JobEnv) -> int:
    """Calendar days before its due date from which a request may have a reminder point:
    the furthest point in working days, counted as two calendar days each, plus three weeks
    for holidays. Requests due later are not looked at (their target dates are kept current
    in bulk)."""
    settings = jobs.settings.deadlines
    target = settings.target_working_days
    working = max([target, *(target + d for d in settings.remind_days_before_target),
                   *settings.remind_days_before_due])
    return 2 * working + 21


def schedule_for(jobs: JobEnv, request: Request) -> list[pts.Point]:
    return _schedule(jobs, request.due_at, request.target_at)


def _schedule(jobs: JobEnv, due: date, target: date | None) -> list[pts.Point]:
    settings = jobs.settings.deadlines
    target = target or target_date(due, settings.target_working_days)
    return pts.schedule(due, target, settings.remind_days_before_target,
                        settings.remind_days_before_due)


def _recipient(jobs: JobEnv, point: pts.Point) -> str | None:
    settings = jobs.settings.deadlines
    return settings.escalation_to if point.kind == pts.OVERDUE else settings.staff_address


def _send(jobs: JobEnv, request_id: int, point: pts.Point, now: datetime) -> bool:
    recipient = _recipient(jobs, point)
    assert recipient is not None
    with jobs.uow() as uow:
        request = uow.repo.requests.get(request_id)
        if request is None or request.status not in OPEN_STATUSES:
            return False
        notice = Notice(request_id=request.id, kind=point.kind, point=point.key,
                        due_on=point.on, recipient=recipient, created_at=now)
        uow.repo.add(notice)
        try:
            uow.repo.flush()
        except Conflict:  # sent already, by an earlier scan or another daemon
            return False
        ctx = jobs.context(uow, now)
        overdue = point.kind == pts.OVERDUE
        outbox = queue_staff_mail(
            ctx, template="staff_escalation" if overdue else "staff_reminder",
            context=facts(jobs, request, now) | {"point": point.kind, "days": point.days},
            recipient=recipient, purpose=f"notice.{notice.id}", request=request)
        notice.outbox_id = outbox.id
        ctx.event(request, "escalated" if overdue else "reminded",
                  {"kind": point.kind, "point": point.key, "to": recipient},
                  outbox_id=outbox.id)
        uow.commit()
    log.info("%s %s for request %s queued for staff", point.kind, point.key, request_id)
    return True


def facts(jobs: JobEnv, request: Request, now: datetime) -> dict[str, Any]:
    """What staff mails say about a request: no mail text, no personal data beyond the
    reference."""
    today = now.astimezone(jobs.zone).date()
    target = request.target_at or target_date(request.due_at,
                                              jobs.settings.deadlines.target_working_days)
    waiting = [{"id": d.id, "purpose": d.purpose} for d in request.drafts
               if d.status == DraftStatus.PENDING_APPROVAL]
    return {
        "reference": request.reference or f"#{request.id}", "request_id": request.id,
        "kind": request.kind, "status": request.status,
        "received": request.received_at.astimezone(jobs.zone).date(),
        "due": request.due_at, "target": target, "today": today,
        "working_days_left": working_days_between(today, request.due_at),
        "days_overdue": max(0, (today - request.due_at).days),
        "extended_months": request.extended_months or 0, "waiting": waiting,
        "target_days": jobs.settings.deadlines.target_working_days,
        "first_due": request.original_due_at or request.due_at,
        "can_extend": extension.can_extend(request, today),
    }


def working_days_between(today: date, due: date) -> int:
    """Working days after ``today`` up to and including ``due`` (0 once it has passed)."""
    count, day = 0, today + timedelta(days=1)
    while day <= due:
        count += is_working_day(day)
        day += timedelta(days=1)
    return count
