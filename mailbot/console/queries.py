"""What the console's lists show: the queue with its filters and counts, the quarantine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import defer
from sqlalchemy.sql.expression import Exists

from mailbot.domain.kinds import Disposition
from mailbot.domain.states import OPEN_STATUSES, DraftStatus, RequestStatus
from mailbot.store.models import Draft, Event, InboundMail, Request
from mailbot.store.repository import Repository

DISMISSED = "quarantine_dismissed"
LIMIT = 500
WEEK = timedelta(days=6)  # due this week: today and the six days after it
OPEN = tuple(str(s) for s in OPEN_STATUSES)


@dataclass(frozen=True, slots=True)
class QueueFilter:
    status: str = "open"  # "open", "all" or one status
    kind: str = ""
    due: str = ""  # "", "overdue" or "week"
    search: str = ""  # part of the sender's address, or of the reference


def queue(repo: Repository, wanted: QueueFilter, today: date) -> Sequence[Request]:
    query = select(Request).order_by(Request.due_at, Request.id).limit(LIMIT)
    if wanted.status == "open" or wanted.due:
        query = query.where(Request.status.in_(OPEN))
    if wanted.status not in ("open", "all", ""):
        query = query.where(Request.status == wanted.status)
    if wanted.kind:
        query = query.where(Request.kind == wanted.kind)
    if wanted.due == "overdue":
        query = query.where(Request.due_at < today)
    elif wanted.due == "week":
        query = query.where(Request.due_at >= today, Request.due_at <= today + WEEK)
    text = wanted.search.strip()
    if text:
        query = query.where(or_(Request.sender.contains(text.lower(), autoescape=True),
                                func.upper(Request.reference).contains(text.upper(),
                                                                       autoescape=True)))
    return repo.session.scalars(query).all()


def counts(repo: Repository, today: date) -> dict[str, int]:
    by_status: dict[str, int] = {status: number for status, number in repo.session.execute(
        select(Request.status, func.count(Request.id)).group_by(Request.status))}
    open_requests = Request.status.in_(OPEN)

    def count(*conditions: object) -> int:
        return repo.session.scalar(select(func.count(Request.id)).where(*conditions)) or 0

    return {
        "open": sum(by_status.get(s, 0) for s in OPEN),
        "overdue": count(open_requests, Request.due_at < today),
        "week": count(open_requests, Request.due_at >= today, Request.due_at <= today + WEEK),
        **{str(s): by_status.get(str(s), 0) for s in RequestStatus},
        "drafts_waiting": repo.session.scalar(
            select(func.count(Draft.id)).where(Draft.status == DraftStatus.PENDING_APPROVAL))
        or 0,
        "quarantined": repo.session.scalar(
            select(func.count(InboundMail.id))
            .where(InboundMail.disposition == Disposition.QUARANTINED, ~_dismissed())) or 0,
    }


def marks(request: Request, today: date) -> list[str]:
    """What the queue flags on a request: overdue, due this week, triage."""
    found = []
    if request.status in OPEN:
        if request.due_at < today:
            found.append("overdue")
        elif request.due_at <= today + WEEK:
            found.append("week")
        if request.triage:
            found.append("triage")
    return found


def _dismissed() -> Exists:
    return exists().where(and_(Event.inbound_id == InboundMail.id, Event.action == DISMISSED))


def quarantine(repo: Repository, *, dismissed: bool = False) -> Sequence[InboundMail]:
    """Quarantined mails, newest first; the dismissed ones instead with ``dismissed``."""
    condition = _dismissed() if dismissed else ~_dismissed()
    return repo.session.scalars(
        select(InboundMail).options(defer(InboundMail.body_text))
        .where(InboundMail.disposition == Disposition.QUARANTINED, condition)
        .order_by(InboundMail.received_at.desc(), InboundMail.id.desc())).all()
