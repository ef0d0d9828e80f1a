"""Verification codes that run out: the person is reminded once before the code expires;
when it expires unanswered, the requests waiting for it are closed as unverified, with a
note in their timeline (``deadlines.close_unverified``; otherwise they wait for staff)."""

from __future__ import annotations

from datetime import datetime, timedelta

from mailbot.deadlines.base import JobEnv, JobResult
from mailbot.domain.states import RequestStatus, VerificationKind, VerificationStatus
from mailbot.errors import Conflict
from mailbot.handle import verify
from mailbot.handle.context import HandlerContext
from mailbot.handle.drafts import queue
from mailbot.store.models import Notice, Request

KIND = "verification"
PURPOSE = "verification_reminder"


def run(jobs: JobEnv, now: datetime) -> JobResult:
    result = JobResult()
    days = jobs.settings.deadlines.verification_reminder_days
    if days > 0:
        for verification_id in _to_remind(jobs, now, timedelta(days=days)):
            if _remind(jobs, verification_id, now):
                result.add(f"verification {verification_id}: reminder sent", queued=1)
    closed = _expire(jobs, now)
    if closed:
        result.add(f"verification expired: {', '.join(closed)}")
    return result


def _to_remind(jobs: JobEnv, now: datetime, before: timedelta) -> list[int]:
    with jobs.uow() as uow:
        found = uow.repo.verifications.expiring(now, now + before)
        return [v.id for v in found
                if not uow.repo.notices.exists(v.request_id, KIND, str(v.id))]


def _remind(jobs: JobEnv, verification_id: int, now: datetime) -> bool:
    with jobs.uow() as uow:
        verification = uow.repo.verifications.get(verification_id)
        if verification is None or verification.status != VerificationStatus.PENDING:
            return False
        ctx = jobs.context(uow, now)
        waiting = verify.waiting_requests(ctx, verification)
        if not waiting:
            return False
        notice = Notice(request_id=verification.request_id, kind=KIND,
                        point=str(verification.id), due_on=now.astimezone(jobs.zone).date(),
                        recipient=verification.address, created_at=now)
        uow.repo.add(notice)
        try:
            uow.repo.flush()
        except Conflict:  # reminded already, by an earlier run or another daemon
            return False
        first = waiting[0]
        expires = verification.expires_at.astimezone(jobs.zone)
        draft = ctx.draft(
            first, template="verification_reminder", purpose=PURPOSE,
            recipient=verification.address, personal_data=False, needs_approval=False,
            auto_submitted=True, context={
                # a new address (a correction's) is not proven: it is not told the name
                "name": "" if verification.kind == VerificationKind.NEW_ADDRESS
                else first.inbound.sender_name or "",
                "requests": [{"reference": r.reference, "kind": r.kind} for r in waiting],
                "received": first.received_at.astimezone(jobs.zone).date(),
                "asked": verification.created_at.astimezone(jobs.zone).date(),
                "subject": uow.repo.drafts.latest_subject(verification.request_id,
                                                          "verification") or "",
                "expires": expires.date(), "expires_time": expires.strftime("%H:%M"),
                "link": jobs.settings.verification.link_base_url is not None,
                "closes": jobs.settings.deadlines.close_unverified,
            })
        outbox = queue(ctx, draft)
        notice.outbox_id = outbox.id
        for request in waiting:
            ctx.event(request, "verification_reminded",
                      {"verification_id": verification.id, "expires_at":
                       verification.expires_at.isoformat()}, outbox_id=outbox.id)
        uow.commit()
        return True


def _expire(jobs: JobEnv, now: datetime) -> list[str]:
    """Expire overdue codes (row-locked: another daemon skips them) and close what waited."""
    close = jobs.settings.deadlines.close_unverified
    closed: list[str] = []
    with jobs.uow() as uow:
        overdue = uow.repo.verifications.overdue(now, lock=True)
        if not overdue:
            return closed
        ctx = jobs.context(uow, now)
        for verification in overdue:
            waiting = verify.waiting_requests(ctx, verification)
            verification.move(VerificationStatus.EXPIRED)
            expired = verification.expires_at.astimezone(jobs.zone)
            reminded = uow.repo.notices.exists(verification.request_id, KIND,
                                               str(verification.id))
            note = (f"the sender did not confirm {verification.address} before the code "
                    f"expired on {expired:%Y-%m-%d %H:%M}"
                    + (" (reminded once)" if reminded else ""))
            for request in waiting:
                ctx.event(request, "verification_expired", {
                    "verification_id": verification.id, "why": note})
                if close:
                    _close(ctx, request, note)
                    closed.append(request.reference or str(request.id))
        uow.commit()
    return closed


def _close(ctx: HandlerContext, request: Request, note: str) -> None:
    ctx.withdraw(request.drafts, "the request was closed as unverified")
    ctx.set_status(request, RequestStatus.UNVERIFIED, f"{note}; closed as unverified")
    ctx.event(request, "closed_unverified", {
        "note": f"{note}. Closed as unverified: no personal data was disclosed or changed. "
                "A new request from the person starts over."})
