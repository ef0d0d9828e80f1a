"""Queries about outgoing mail: what is due, claiming a row to send it, what one person or
request was sent."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from typing import NamedTuple

from sqlalchemy import func, or_, select, update

from mailbot.domain.states import OutboxStatus
from mailbot.store.base import Queries
from mailbot.store.models import Digest, InboundMail, OutboxMessage, Request


class Claimed(NamedTuple):
    """A message claimed for one sending attempt: what goes over SMTP."""

    id: int
    message: bytes | None
    envelope_from: str
    recipient: str


class OutboxQueries(Queries):
    def get(self, outbox_id: int) -> OutboxMessage | None:
        return self.session.get(OutboxMessage, outbox_id)

    def by_message_id(self, message_id: str) -> OutboxMessage | None:
        return self.session.scalar(
            select(OutboxMessage).where(OutboxMessage.message_id == message_id))

    def recent_count(self, recipient: str, purpose: str, since: datetime) -> int:
        return self.session.scalar(select(func.count(OutboxMessage.id)).where(
            OutboxMessage.recipient == recipient, OutboxMessage.purpose == purpose,
            OutboxMessage.created_at >= since)) or 0

    def due(self, now: datetime, limit: int) -> Sequence[OutboxMessage]:
        return self.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.PENDING,
                   OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        ).all()

    def next_attempt(self) -> datetime | None:
        return self.session.scalar(select(func.min(OutboxMessage.next_attempt_at))
                                   .where(OutboxMessage.status == OutboxStatus.PENDING))

    def backlog(self) -> tuple[int, datetime | None, datetime | None]:
        """Mail waiting to leave: how many, the oldest one's creation, the earliest attempt
        due."""
        count, oldest, due = self.session.execute(
            select(func.count(OutboxMessage.id), func.min(OutboxMessage.created_at),
                   func.min(OutboxMessage.next_attempt_at))
            .where(OutboxMessage.status == OutboxStatus.PENDING)).one()
        return int(count or 0), _aware(oldest), _aware(due)

    def count(self, status: OutboxStatus) -> int:
        return self.session.scalar(select(func.count(OutboxMessage.id))
                                   .where(OutboxMessage.status == status)) or 0

    def claim_next(self, now: datetime, until: datetime) -> Claimed | None:
        """Take the next due pending message for one sending attempt (no other worker takes
        it before ``until``) and return it; None when nothing is due. Rows another worker
        is claiming at this moment are skipped, not waited for (PostgreSQL)."""
        row = self.session.execute(
            select(OutboxMessage.id, OutboxMessage.message, OutboxMessage.envelope_from,
                   OutboxMessage.recipient)
            .where(OutboxMessage.status == OutboxStatus.PENDING,
                   OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(1).with_for_update(skip_locked=True)).first()
        if row is None:
            return None
        # still due: on SQLite (no row locks) another process may have taken it meanwhile
        claimed = self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row.id, OutboxMessage.status == OutboxStatus.PENDING,
                   OutboxMessage.next_attempt_at <= now)
            .values(next_attempt_at=until)
            .execution_options(synchronize_session=False))
        if getattr(claimed, "rowcount", 0) != 1:
            return None
        return Claimed(row.id, row.message, row.envelope_from, row.recipient)

    def mail_received_at(self, inbound_id: int) -> datetime | None:
        """When the mail ``inbound_id`` arrived (its row's other columns left unread)."""
        return _aware(self.session.scalar(
            select(InboundMail.received_at).where(InboundMail.id == inbound_id)))

    def list(self, *, status: str | None = None, limit: int | None = None,
             offset: int = 0, newest_first: bool = False) -> Sequence[OutboxMessage]:
        order = OutboxMessage.id.desc() if newest_first else OutboxMessage.id
        query = select(OutboxMessage).order_by(order)
        if status:
            query = query.where(OutboxMessage.status == status)
        return self.session.scalars(query.limit(limit).offset(offset)).all()

    def message_ids_about(self, request: Request) -> list[str]:
        """The Message-IDs a reply about ``request`` may name: the mail that made it and every
        mail we sent about it (the acknowledgement belongs to the mail, the rest to it)."""
        ours = self.session.scalars(select(OutboxMessage.message_id).where(or_(
            OutboxMessage.request_id == request.id,
            OutboxMessage.inbound_id == request.inbound_id))).all()
        own = request.inbound.message_id
        return [*ours, *([own] if own else [])]

    def pending_for_request(self, request_id: int) -> bool:
        return self.session.scalar(select(OutboxMessage.id).where(
            OutboxMessage.request_id == request_id,
            OutboxMessage.status == OutboxStatus.PENDING).limit(1)) is not None

    def of_request(self, request: Request) -> list[OutboxMessage]:
        """Every message about ``request``, its mail's acknowledgement included."""
        return list(self.session.scalars(select(OutboxMessage).where(
            (OutboxMessage.request_id == request.id)
            | ((OutboxMessage.inbound_id == request.inbound_id)
               & OutboxMessage.request_id.is_(None))).order_by(OutboxMessage.id)))

    def for_request(self, request_id: int) -> list[OutboxMessage]:
        return list(self.session.scalars(select(OutboxMessage).where(
            OutboxMessage.request_id == request_id)))

    def left_for(self, address: str, request_ids: Collection[int],
                 mail_ids: Collection[int]) -> Sequence[OutboxMessage]:
        """Messages no longer waiting to leave that went to ``address`` or are about these
        requests or mails."""
        return self.session.scalars(select(OutboxMessage).where(
            OutboxMessage.status != OutboxStatus.PENDING,
            or_(OutboxMessage.recipient == address, OutboxMessage.request_id.in_(request_ids),
                OutboxMessage.inbound_id.in_(mail_ids)))).all()

    def about_mail_only(self, inbound_id: int, request_ids: Collection[int]
                        ) -> list[OutboxMessage]:
        """Messages about mail ``inbound_id`` that still hold text and belong to none of
        ``request_ids``."""
        return list(self.session.scalars(select(OutboxMessage).where(
            OutboxMessage.inbound_id == inbound_id, OutboxMessage.message.is_not(None),
            or_(OutboxMessage.request_id.is_(None),
                OutboxMessage.request_id.not_in(request_ids)))))

    def old_digests(self, before: datetime) -> list[tuple[Digest, OutboxMessage]]:
        """Digests sent by ``before`` whose message still holds its text."""
        rows = self.session.execute(
            select(Digest, OutboxMessage).join(OutboxMessage,
                                               OutboxMessage.id == Digest.outbox_id)
            .where(Digest.created_at <= before, OutboxMessage.message.is_not(None),
                   OutboxMessage.status != OutboxStatus.PENDING)).all()
        return [(digest, outbox) for digest, outbox in rows]


def _aware(value: datetime | None) -> datetime | None:
    """An aggregate bypasses the column type: SQLite hands back a naive UTC datetime."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
