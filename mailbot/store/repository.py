"""Queries by name that several parts of mailbot share (the handlers, the CLI and the
console); a query that only one module needs stays beside it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from mailbot.domain.kinds import OPEN_STATUSES
from mailbot.store.models import (
    ClientContact,
    Event,
    InboundMail,
    OutboxMessage,
    Request,
)


class Repository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, obj: object) -> None:
        self.session.add(obj)

    def flush(self) -> None:
        self.session.flush()

    def inbound_at(self, mailbox: str, uidvalidity: int, uid: str) -> InboundMail | None:
        return self.session.scalar(select(InboundMail).where(
            InboundMail.mailbox == mailbox, InboundMail.uidvalidity == uidvalidity,
            InboundMail.uid == uid))

    def inbound_by_dedup_key(self, key: str) -> InboundMail | None:
        return self.session.scalar(select(InboundMail).where(InboundMail.dedup_key == key))

    def inbound(self, inbound_id: int) -> InboundMail | None:
        return self.session.get(InboundMail, inbound_id)

    def list_inbound(self, *, disposition: str | None = None,
                     limit: int | None = None) -> Sequence[InboundMail]:
        query = select(InboundMail).order_by(InboundMail.id)
        if disposition:
            query = query.where(InboundMail.disposition == disposition)
        return self.session.scalars(query.limit(limit)).all()

    def request(self, request_id: int) -> Request | None:
        return self.session.get(Request, request_id)

    def request_by_reference(self, reference: str) -> Request | None:
        return self.session.scalar(select(Request).where(Request.reference == reference))

    def open_requests_from(self, sender: str) -> Sequence[Request]:
        """The requests of ``sender`` that are still open, oldest first."""
        return self.session.scalars(
            select(Request).where(Request.sender == sender,
                                  Request.status.in_([str(s) for s in OPEN_STATUSES]))
            .order_by(Request.id)).all()

    def message_ids_about(self, request: Request) -> list[str]:
        """The Message-IDs a reply about ``request`` may name: the mail that made it and every
        mail we sent about it (the acknowledgement belongs to the mail, the rest to it)."""
        ours = self.session.scalars(select(OutboxMessage.message_id).where(or_(
            OutboxMessage.request_id == request.id,
            OutboxMessage.inbound_id == request.inbound_id))).all()
        own = request.inbound.message_id
        return [*ours, *([own] if own else [])]

    def list_requests(self, *, status: str | None = None, kind: str | None = None,
                      sender: str | None = None) -> Sequence[Request]:
        query = select(Request).order_by(Request.due_at, Request.id)
        if status:
            query = query.where(Request.status == status)
        if kind:
            query = query.where(Request.kind == kind)
        if sender:
            query = query.where(Request.sender == sender.lower())
        return self.session.scalars(query).all()

    def outbox_message_for(self, message_id: str) -> OutboxMessage | None:
        return self.session.scalar(
            select(OutboxMessage).where(OutboxMessage.message_id == message_id))

    def recent_outbox_count(self, recipient: str, purpose: str, since: datetime) -> int:
        return self.session.scalar(select(func.count(OutboxMessage.id)).where(
            OutboxMessage.recipient == recipient, OutboxMessage.purpose == purpose,
            OutboxMessage.created_at >= since)) or 0

    def due_outbox(self, now: datetime, limit: int = 50) -> Sequence[OutboxMessage]:
        return self.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        ).all()

    def next_outbox_attempt(self) -> datetime | None:
        return self.session.scalar(select(func.min(OutboxMessage.next_attempt_at))
                                   .where(OutboxMessage.status == "pending"))

    def list_outbox(self, *, status: str | None = None) -> Sequence[OutboxMessage]:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if status:
            query = query.where(OutboxMessage.status == status)
        return self.session.scalars(query).all()

    def is_client_contact(self, address: str) -> bool:
        return self.session.scalar(
            select(ClientContact.id).where(ClientContact.email == address.lower())) is not None

    def events_for(self, *, request_id: int | None = None,
                   inbound_id: int | None = None) -> Sequence[Event]:
        conditions = []
        if request_id is not None:
            conditions.append(Event.request_id == request_id)
        if inbound_id is not None:  # the mail's own events, not those of its other requests
            conditions.append(and_(Event.inbound_id == inbound_id, Event.request_id.is_(None)))
        return self.session.scalars(
            select(Event).where(or_(*conditions)).order_by(Event.at, Event.id)).all()
