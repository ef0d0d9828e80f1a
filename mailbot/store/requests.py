"""Queries about requests: by id or reference, the staff queue and its counts, the open ones
the deadline jobs look at, and those of one sender."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Row, and_, exists, func, or_, select, union_all, update

from mailbot.domain.states import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    RELEASED_DRAFTS,
    DraftStatus,
    RequestStatus,
)
from mailbot.errors import NotFound
from mailbot.store.base import Queries
from mailbot.store.models import Draft, InboundMail, Request

WEEK = timedelta(days=6)  # due this week: today and the six days after it
# What a staff mail lists of a request (no sealed column: nothing to decrypt)
SUMMARY = (Request.id, Request.reference, Request.kind, Request.status, Request.received_at,
           Request.due_at, Request.target_at)


@dataclass(frozen=True, slots=True)
class QueueFilter:
    status: str = "open"  # "open", "all" or one status
    kind: str = ""
    due: str = ""  # "", "overdue" or "week"
    search: str = ""  # part of the sender's address, or of the reference
    assigned_to: str = ""  # a staff member's name: only their requests


class RequestQueries(Queries):
    def get(self, request_id: int) -> Request | None:
        return self.session.get(Request, request_id)

    def by_reference(self, reference: str) -> Request | None:
        return self.session.scalar(select(Request).where(
            Request.reference == reference.strip().upper()))

    def find(self, ident: str | int) -> Request:
        """The request with this id or reference; NotFound otherwise."""
        text = str(ident).strip()
        found = self.get(int(text)) if text.isdigit() else self.by_reference(text)
        if found is None:
            raise NotFound(f"no request {text}")
        return found

    def list(self, *, status: str | None = None, kind: str | None = None,
             sender: str | None = None, assigned_to: str | None = None,
             limit: int | None = None, offset: int = 0) -> Sequence[Request]:
        query = select(Request).order_by(Request.due_at, Request.id)
        if status:
            query = query.where(Request.status == status)
        if kind:
            query = query.where(Request.kind == kind)
        if sender:
            query = query.where(Request.sender == sender.lower())
        if assigned_to:
            query = query.where(Request.assigned_to == assigned_to)
        return self.session.scalars(query.limit(limit).offset(offset)).all()

    def queue(self, wanted: QueueFilter, today: date, *, limit: int,
              offset: int = 0) -> Sequence[Request]:
        query = select(Request).order_by(Request.due_at, Request.id)
        if wanted.status == "open" or wanted.due:
            query = query.where(Request.status.in_(OPEN_STATUSES))
            # Closed requests are mostly due earlier than the open ones: the walk along the
            # due date index starts at the first open one instead of wading through them.
            first = self.first_open_due()
            if first is not None:
                query = query.where(Request.due_at >= first)
        if wanted.status not in ("open", "all", ""):
            query = query.where(Request.status == wanted.status)
        if wanted.kind:
            query = query.where(Request.kind == wanted.kind)
        if wanted.assigned_to:
            query = query.where(Request.assigned_to == wanted.assigned_to)
        if wanted.due == "overdue":
            query = query.where(Request.due_at < today)
        elif wanted.due == "week":
            query = query.where(Request.due_at >= today, Request.due_at <= today + WEEK)
        text = wanted.search.strip()
        if text:
            query = query.where(or_(Request.sender.contains(text.lower(), autoescape=True),
                                    func.upper(Request.reference).contains(text.upper(),
                                                                           autoescape=True)))
        return self.session.scalars(query.limit(limit).offset(offset)).all()

    def first_open_due(self) -> date | None:
        """The earliest due date of an open request: one index probe per open status."""
        per_status = union_all(*(select(func.min(Request.due_at).label("due"))
                                 .where(Request.status == status)
                                 for status in sorted(OPEN_STATUSES))).subquery()
        return self.session.scalar(select(func.min(per_status.c.due)))

    def counts(self, today: date, *, me: str | None = None) -> dict[str, int]:
        """How many requests are open, overdue, due this week, in each open status (and
        assigned to ``me``, when given); the closed ones are not counted (they only grow)."""
        open_requests = Request.status.in_(OPEN_STATUSES)
        by_status: dict[str, int] = {str(status): number for status, number in
                                     self.session.execute(select(Request.status,
                                                                 func.count(Request.id))
                                                          .where(open_requests)
                                                          .group_by(Request.status))}

        def count(*conditions: object) -> int:
            return self.session.scalar(select(func.count(Request.id)).where(*conditions)) or 0

        counts = {
            "open": sum(by_status.get(str(s), 0) for s in OPEN_STATUSES),
            "overdue": count(open_requests, Request.due_at < today),
            "week": count(open_requests, Request.due_at >= today,
                          Request.due_at <= today + WEEK),
            **{str(s): by_status.get(str(s), 0) for s in OPEN_STATUSES},
        }
        if me is not None:
            counts["mine"] = count(open_requests, Request.assigned_to == me)
        return counts

    def by_kind_and_status(self) -> dict[tuple[str, str], int]:
        return {(str(kind), str(status)): number for kind, status, number in
                self.session.execute(select(Request.kind, Request.status,
                                            func.count(Request.id))
                                     .group_by(Request.kind, Request.status))}

    def open(self) -> Sequence[Request]:
        return self.session.scalars(select(Request).where(Request.status.in_(OPEN_STATUSES))
                                    .order_by(Request.due_at, Request.id)).all()

    def to_scan(self, due_by: date, leave_out: Collection[int]) -> Sequence[Row[Any]]:
        """(id, due_at, target_at) of the open requests the deadline scan looks at: due by
        ``due_by`` (the others have no reminder point yet), but for those in ``leave_out``;
        by due date."""
        query = select(Request.id, Request.due_at, Request.target_at).where(
            Request.status.in_(OPEN_STATUSES), Request.due_at <= due_by)
        if leave_out:
            query = query.where(Request.id.not_in(leave_out))
        return self.session.execute(query.order_by(Request.due_at, Request.id)).all()

    def open_among(self, ids: Collection[int]) -> Sequence[Request]:
        """The open requests among ``ids``, by due date."""
        if not ids:
            return []
        return self.session.scalars(
            select(Request).where(Request.status.in_(OPEN_STATUSES), Request.id.in_(ids))
            .order_by(Request.due_at, Request.id)).all()

    def refresh_targets(self, target_of: Callable[[date], date]) -> int:
        """Set every open request's target date to ``target_of(due date)`` where it is
        not (new requests, a changed number of working days), in one statement per due
        date that needs it; how many due dates needed it."""
        open_requests = Request.status.in_(OPEN_STATUSES)
        pairs = self.session.execute(select(Request.due_at, Request.target_at)
                                     .where(open_requests).distinct()).all()
        stale = {due for due, target in pairs if target != target_of(due)}
        for due in sorted(stale):
            target = target_of(due)
            self.session.execute(
                update(Request).where(open_requests, Request.due_at == due,
                                      or_(Request.target_at.is_(None),
                                          Request.target_at != target))
                .values(target_at=target).execution_options(synchronize_session=False))
        return len(stale)

    def digest(self, today: date, since: datetime) -> dict[str, Sequence[Row[Any]]]:
        """The digest's sections: the requests created since ``since``, and the open ones
        waiting for approval, for verification, for a person, due this week and overdue;
        each a summary row (id, reference, kind, status, received_at, due_at, target_at)."""
        open_requests = Request.status.in_(OPEN_STATUSES)
        by_due = (Request.due_at, Request.id)
        # from the (few) drafts that wait, not from every open request
        pending = Request.id.in_(select(Draft.request_id).where(
            Draft.status == DraftStatus.PENDING_APPROVAL))
        queries = {
            # by creation: the index on created_at finds them (ordered by id, SQLite would
            # rather walk every request in id order)
            "new": select(*SUMMARY).where(Request.created_at > since)
            .order_by(Request.created_at, Request.id),
            "approval": select(*SUMMARY).where(open_requests, pending).order_by(*by_due),
            "verification": select(*SUMMARY).where(
                Request.status == RequestStatus.AWAITING_VERIFICATION).order_by(*by_due),
            "triage": select(*SUMMARY).where(Request.status == RequestStatus.TRIAGE)
            .order_by(*by_due),
            "due_soon": select(*SUMMARY).where(open_requests, Request.due_at >= today,
                                               Request.due_at <= today + WEEK)
            .order_by(*by_due),
            "overdue": select(*SUMMARY).where(open_requests, Request.due_at < today)
            .order_by(*by_due),
        }
        return {name: self.session.execute(query).all() for name, query in queries.items()}

    def open_from(self, sender: str) -> Sequence[Request]:
        """The requests of ``sender`` that are still open, oldest first."""
        return self.session.scalars(
            select(Request).where(Request.sender == sender,
                                  Request.status.in_(OPEN_STATUSES))
            .order_by(Request.id)).all()

    def created_since(self, since: datetime) -> Sequence[Request]:
        return self.session.scalars(select(Request).where(Request.created_at > since)
                                    .order_by(Request.id)).all()

    def waiting_for_approval(self) -> Sequence[Request]:
        """Open requests with a draft that waits for staff."""
        pending = exists().where(Draft.request_id == Request.id,
                                 Draft.status == DraftStatus.PENDING_APPROVAL)
        return self.session.scalars(select(Request).where(Request.status.in_(OPEN_STATUSES),
                                                          pending)
                                    .order_by(Request.due_at, Request.id)).all()

    def with_refusal_sent(self, purpose: str) -> set[int]:
        """The open requests whose refusal (a draft of ``purpose``) is on its way."""
        return set(self.session.scalars(select(Draft.request_id).join(Request).where(
            Draft.purpose == purpose, Draft.status.in_(RELEASED_DRAFTS),
            Request.status.in_(OPEN_STATUSES))))

    def from_sender(self, address: str) -> Sequence[Request]:
        """Every request from ``address`` (compared without case), oldest first."""
        return self.session.scalars(
            select(Request).where(func.lower(Request.sender) == address.lower())
            .order_by(Request.received_at, Request.id)).all()

    def of_sender_or_mails(self, address: str, mail_ids: Collection[int]) -> Sequence[Request]:
        return self.session.scalars(select(Request).where(
            or_(Request.sender == address.lower(), Request.inbound_id.in_(mail_ids)))).all()

    def waiting_for_verification(self, inbound_id: int, address: str) -> list[Request]:
        """The requests of one mail from ``address`` that still wait to be verified."""
        return list(self.session.scalars(select(Request).where(
            Request.inbound_id == inbound_id, Request.sender == address,
            Request.status == RequestStatus.AWAITING_VERIFICATION).order_by(Request.id)))

    def references(self, request_ids: Collection[int]) -> dict[int, str | None]:
        return {request_id: reference for request_id, reference in self.session.execute(
            select(Request.id, Request.reference).where(Request.id.in_(request_ids)))}

    def closed_unpurged(self, before: dict[str, datetime],
                        special_before: datetime | None = None) -> list[Request]:
        """Closed requests not yet purged that closed by ``before[kind]``, or by
        ``special_before`` when their mail held special categories; oldest first."""
        due = [and_(Request.kind == kind, Request.closed_at <= at) for kind, at in before.items()]
        latest = max(before.values())
        if special_before is not None:
            due.append(and_(Request.closed_at <= special_before,
                            Request.inbound.has(InboundMail.special.is_not(None))))
            latest = max(latest, special_before)
        return list(self.session.scalars(select(Request).where(
            Request.purged_at.is_(None), Request.closed_at <= latest,
            Request.status.in_(CLOSED_STATUSES), or_(*due))
            .order_by(Request.closed_at, Request.id)))

def due_by_or(due_by: date, ids: Collection[int]) -> Any:
    """Due by ``due_by``, or one of ``ids``."""
    return or_(Request.due_at <= due_by, Request.id.in_(ids)) if ids else (
        Request.due_at <= due_by)
