"""The daily digest for staff at ``deadlines.digest_time`` (organisation.timezone): new
requests, waiting for approval, waiting for verification, needing a person, due this week,
overdue. One a day, claimed by the unique day of its ``Digest`` row; a daemon that was down
at that time sends it when it comes back, the same day."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from mailbot.deadlines.base import JobEnv, JobResult
from mailbot.deadlines.staffmail import queue_staff_mail
from mailbot.domain.calendar import is_working_day, target_date
from mailbot.errors import Conflict
from mailbot.store.models import Digest
from mailbot.store.repository import Repository


def is_due(jobs: JobEnv, now: datetime) -> bool:
    settings = jobs.settings.deadlines
    local = now.astimezone(jobs.zone)
    if settings.digest_time is None or settings.staff_address is None:
        return False
    if local.time() < settings.digest_time:
        return False
    return settings.digest_on_non_working_days or is_working_day(local.date())


def run(jobs: JobEnv, now: datetime) -> JobResult:
    result = JobResult()
    if not is_due(jobs, now):
        return result
    recipient = jobs.settings.deadlines.staff_address
    assert recipient is not None
    today = now.astimezone(jobs.zone).date()
    with jobs.uow() as uow:
        repo = uow.repo
        if repo.notices.digest_sent(today):
            return result
        since = repo.notices.last_digest_at() or now - timedelta(days=1)
        sections = contents(jobs, repo, today, since)
        counts = {name: len(rows) for name, rows in sections.items()}
        digest = Digest(day=today, recipient=recipient, counts=counts, created_at=now)
        uow.repo.add(digest)
        try:
            uow.repo.flush()
        except Conflict:  # another daemon sent today's digest
            return result
        ctx = jobs.context(uow, now)
        outbox = queue_staff_mail(
            ctx, template="staff_digest", recipient=recipient,
            purpose=f"digest.{today.isoformat()}",
            context={"day": today, "since": since.astimezone(jobs.zone),
                     "sections": sections, "counts": counts})
        digest.outbox_id = outbox.id
        uow.commit()
    result.add(f"digest for {today.isoformat()} queued for staff: {counts}", queued=1)
    return result


def contents(jobs: JobEnv, repo: Repository, today: date,
             since: datetime) -> dict[str, list[dict[str, Any]]]:
    """The digest's sections, each a list of rows (one per request)."""
    return {name: [_row(jobs, r) for r in found]
            for name, found in repo.requests.digest(today, since).items()}


def _row(jobs: JobEnv, request: Any) -> dict[str, Any]:
    """``request``: a request, or its summary row."""
    target = request.target_at or target_date(request.due_at,
                                              jobs.settings.deadlines.target_working_days)
    return {"reference": request.reference or f"#{request.id}", "kind": request.kind,
            "status": request.status,
            "received": request.received_at.astimezone(jobs.zone).date(),
            "due": request.due_at, "target": target}
