"""The daily digest for staff at ``deadlines.digest_time`` (organisation.timezone): new
requests, waiting for approval, waiting for verification, needing a person, due this week,
overdue. One a day, claimed by the unique day of its ``Digest`` row; a daemon that was down
at that time sends it when it comes back, the same day."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mailbot.deadlines import queries
from mailbot.deadlines.jobs import DeadlineJobs, JobResult
from mailbot.deadlines.staffmail import queue_staff_mail
from mailbot.domain.calendar import is_working_day, target_date
from mailbot.domain.states import RequestStatus
from mailbot.store.models import Digest, Request


def is_due(jobs: DeadlineJobs, now: datetime) -> bool:
    settings = jobs.settings.deadlines
    local = now.astimezone(jobs.zone)
    if settings.digest_time is None or settings.staff_address is None:
        return False
    if local.time() < settings.digest_time:
        return False
    return settings.digest_on_non_working_days or is_working_day(local.date())


def run(jobs: DeadlineJobs, now: datetime) -> JobResult:
    result = JobResult()
    if not is_due(jobs, now):
        return result
    recipient = jobs.settings.deadlines.staff_address
    assert recipient is not None
    today = now.astimezone(jobs.zone).date()
    with jobs.uow() as uow:
        session = uow.session
        if queries.digest_sent(session, today):
            return result
        since = queries.last_digest_at(session) or now - timedelta(days=1)
        sections = contents(jobs, session, today, since)
        counts = {name: len(rows) for name, rows in sections.items()}
        digest = Digest(day=today, recipient=recipient, counts=counts, created_at=now)
        uow.repo.add(digest)
        try:
            uow.repo.flush()
        except IntegrityError:  # another daemon sent today's digest
            return result
        ctx = jobs.context(uow, now)
        outbox = queue_staff_mail(
            ctx, template="staff_digest", recipient=recipient,
            purpose=f"digest.{today.isoformat()}",
            context={"day": today, "since": since.astimezone(jobs.zone),
                     "sections": sections, "counts": counts})
        digest.outbox_id = outbox.id
        uow.commit()
    result.add(f"digest for {today.isoformat()} sent to {recipient}: {counts}", queued=1)
    return result


def contents(jobs: DeadlineJobs, session: Session, today: date,
             since: datetime) -> dict[str, list[dict[str, Any]]]:
    """The digest's sections, each a list of rows (one per request)."""
    open_requests = queries.open_requests(session)
    week_end = today + timedelta(days=6)

    def rows(requests: Any) -> list[dict[str, Any]]:
        return [_row(jobs, r) for r in requests]

    return {
        "new": rows(queries.created_since(session, since)),
        "approval": rows(queries.waiting_for_approval(session)),
        "verification": rows(r for r in open_requests
                             if r.status == RequestStatus.AWAITING_VERIFICATION),
        "triage": rows(r for r in open_requests if r.status == RequestStatus.TRIAGE),
        "due_soon": rows(r for r in open_requests if today <= r.due_at <= week_end),
        "overdue": rows(r for r in open_requests if r.due_at < today),
    }


def _row(jobs: DeadlineJobs, request: Request) -> dict[str, Any]:
    target = request.target_at or target_date(request.due_at,
                                              jobs.settings.deadlines.target_working_days)
    return {"reference": request.reference or f"#{request.id}", "kind": request.kind,
            "status": request.status,
            "received": request.received_at.astimezone(jobs.zone).date(),
            "due": request.due_at, "target": target}
