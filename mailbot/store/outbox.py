"""Queries about outgoing mail: what is due, claiming a row to send it, what one person or
request was sent."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import (
    Insert,
    Select,
    Update,
    and_,
    bindparam,
    case,
    exists,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.orm import defer

from mailbot.domain.states import OUTBOX, OutboxStatus, StepStatus
from mailbot.store.base import Queries
from mailbot.store.drafts import DraftQueries, sent_draft
from mailbot.store.models import Digest, Event, InboundMail, OutboxMessage, Request, Step


class Claimed(NamedTuple):
    """A message claimed for one sending attempt: what goes over SMTP, what it is for, and
    until when the claim holds."""

    id: int
    message: bytes | None
    envelope_from: str
    recipient: str
    purpose: str
    inbound_id: int | None
    request_id: int | None
    until: datetime
    # whether a pending step waited for it when it was claimed (no step can begin waiting
    # for a message already queued: a step takes its message's id as it is queued)
    waited: bool = True


class OutboxQueries(Queries):
    def get(self, outbox_id: int, *, text: bool = True) -> OutboxMessage | None:
        """The message ``outbox_id``; without ``text``, its sealed text is left unread until
        something asks for it."""
        options = () if text else (defer(OutboxMessage.message),)
        return self.session.get(OutboxMessage, outbox_id, options=options)

    def by_message_id(self, message_id: str) -> OutboxMessage | None:
        return self.session.scalar(
            select(OutboxMessage).where(OutboxMessage.message_id == message_id))

    def recent_count(self, recipient: str, purpose: str, since: datetime, *,
                     pending: bool = False) -> int:
        """Messages of ``purpose`` to ``recipient`` made since ``since``; with ``pending``,
        without writing what is pending first, those not written yet counted here."""
        query = select(func.count(OutboxMessage.id)).where(
            OutboxMessage.recipient == recipient, OutboxMessage.purpose == purpose,
            OutboxMessage.created_at >= since)
        if not pending:
            return self.session.scalar(query) or 0
        with self.session.no_autoflush:
            written = self.session.scalar(query) or 0
        return written + self.unwritten_count(recipient, purpose, since)

    def unwritten_count(self, recipient: str, purpose: str, since: datetime) -> int:
        """Messages of ``purpose`` to ``recipient`` made since ``since`` in this transaction
        and not written yet."""
        return sum(1 for obj in self.session.new
                   if isinstance(obj, OutboxMessage) and obj.recipient == recipient
                   and obj.purpose == purpose and obj.created_at >= since)

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

    def hold_uncertain(self, now: datetime) -> list[tuple[int, int | None, int | None]]:
        """Messages still marked as on their way when their claim ran out: their worker
        stopped (or lost the database) after it may have handed them to the server. They
        become UNCERTAIN and are not tried again unless a person says so. Their ids, mails
        and requests."""
        held = self.core(
            update(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.PENDING,
                   OutboxMessage.sending.is_(True), OutboxMessage.next_attempt_at <= now)
            .values(status=OUTBOX.move(OutboxStatus.PENDING, OutboxStatus.UNCERTAIN),
                    sending=False)
            .returning(OutboxMessage.id, OutboxMessage.inbound_id, OutboxMessage.request_id)
            .execution_options(synchronize_session=False)).all()
        return [(row.id, row.inbound_id, row.request_id) for row in held]

    def claim_due(self, now: datetime, until: datetime, limit: int) -> list[Claimed]:
        """Take up to ``limit`` due pending messages, oldest due first, for one sending
        attempt each (no other worker takes them before ``until``), in three statements
        whatever their number; an empty list when nothing is due. Rows another worker is
        claiming at this moment are skipped, not waited for (PostgreSQL). The first is
        marked as on its way (``hand_over`` moves the mark along)."""
        rows = self.core(_due(), {"now": now, "limit": limit}).all()
        if not rows:
            return []
        # still due: on SQLite (no row locks) another process may have taken some meanwhile
        taken = set(self.core(_take(), {"ids": [row.id for row in rows], "now": now,
                                        "until": until}).scalars())
        claims = [Claimed(row.id, row.message, row.envelope_from, row.recipient, row.purpose,
                          row.inbound_id, row.request_id, until, row.waited)
                  for row in rows if row.id in taken]
        if claims:
            self.hand_over(None, claims[0])
        return claims

    def hand_over(self, done: int | None, following: Claimed | None) -> None:
        """The message ``done`` is off its way (settled, or known not to have left), and
        ``following`` (still claimed by us) is on its way next."""
        if done is not None:
            self.core(_off_its_way(), {"outbox_id": done})
        if following is not None:
            self.core(_on_its_way(), {"outbox_id": following.id, "until": following.until})

    def release(self, claims: Sequence[Claimed], now: datetime) -> None:
        """Give back claimed messages that were not tried: due again at ``now``, off their
        way (those whose claim ran out and another worker took are left alone)."""
        for until in {claim.until for claim in claims}:
            self.core(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_([c.id for c in claims if c.until == until]),
                       OutboxMessage.status == OutboxStatus.PENDING,
                       OutboxMessage.next_attempt_at == until)
                .values(next_attempt_at=now, sending=False)
                .execution_options(synchronize_session=False))

    def mark_sent(self, outbox_id: int, now: datetime, *,
                  following: Claimed | None = None) -> bool:
        """A pending message accepted by the server: sent at ``now``, in one UPDATE without
        reading the row; False (``outbox_id`` unchanged) when it is no longer pending
        (withdrawn meanwhile, or settled by another worker): the caller then settles it the
        long way. With ``following``, the same UPDATE marks that message as on its way next
        (``hand_over(None, following)``; still claimed by us), whatever the first one was."""
        if following is None:
            done = self.core(_mark_sent(), {"sent_id": outbox_id, "now": now})
            return done.rowcount == 1
        changed = self.core(_mark_sent_and_next(), {
            "sent_id": outbox_id, "now": now, "next_id": following.id,
            "until": following.until}).scalars().all()
        return outbox_id in changed

    def settle_sent(self, claimed: Claimed, now: datetime, server: str, *, draft: bool,
                    following: Claimed | None = None) -> bool:
        """A pending message the server accepted (``server``: its answer), settled: marked
        sent at ``now`` (``mark_sent``, with ``following`` marked as on its way next), its
        ``sent`` event recorded, and with ``draft`` the draft it came from sent
        (``DraftQueries.mark_sent``); on PostgreSQL in one statement, elsewhere in one each.
        False, and nothing changed, when it is no longer pending (``mark_sent``)."""
        # (no key names a column of a table it updates: an UPDATE would set that column)
        values = {"sent_id": claimed.id, "now": now, "detail": {"server": server[:200]}}
        if following is not None:
            values |= {"next_id": following.id, "until": following.until}
        if self.session.get_bind().dialect.name == "postgresql":
            changed = self.core(_settle_sent(following is not None, draft), values)
            return claimed.id in changed.scalars().all()
        if not self.mark_sent(claimed.id, now, following=following):
            return False
        self.core(_sent_event(), {**values, "inbound_id": claimed.inbound_id,
                                  "request_id": claimed.request_id})
        if draft:
            DraftQueries(self.session).mark_sent(claimed.id)
        return True

    def mails_received_at(self, inbound_ids: Collection[int]) -> dict[int, datetime]:
        """When each of the mails ``inbound_ids`` arrived (their other columns left unread)."""
        if not inbound_ids:
            return {}
        found = self.session.execute(select(InboundMail.id, InboundMail.received_at)
                                     .where(InboundMail.id.in_(set(inbound_ids))))
        return {inbound_id: aware for inbound_id, received in found
                if (aware := _aware(received)) is not None}

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


# The delivery's statements, built once each (building one costs more than running it)

@cache
def _due() -> Select[Any]:
    """``claim_due``'s read: the due messages, and whether a pending step waits for each."""
    waited = exists().where(Step.outbox_id == OutboxMessage.id,
                            Step.status == StepStatus.PENDING)
    return (select(OutboxMessage.id, OutboxMessage.message, OutboxMessage.envelope_from,
                   OutboxMessage.recipient, OutboxMessage.purpose, OutboxMessage.inbound_id,
                   OutboxMessage.request_id, waited.label("waited"))
            .where(OutboxMessage.status == OutboxStatus.PENDING,
                   OutboxMessage.next_attempt_at <= bindparam("now"))
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(bindparam("limit")).with_for_update(of=OutboxMessage, skip_locked=True))


@cache
def _take() -> Update:
    """``claim_due``'s claim of those still due."""
    return (update(OutboxMessage)
            .where(OutboxMessage.id.in_(bindparam("ids", expanding=True)),
                   OutboxMessage.status == OutboxStatus.PENDING,
                   OutboxMessage.next_attempt_at <= bindparam("now"))
            .values(next_attempt_at=bindparam(
                "until", type_=OutboxMessage.next_attempt_at.type))
            .returning(OutboxMessage.id)
            .execution_options(synchronize_session=False))


@cache
def _off_its_way() -> Update:
    return (update(OutboxMessage).where(OutboxMessage.id == bindparam("outbox_id"))
            .values(sending=False).execution_options(synchronize_session=False))


@cache
def _on_its_way() -> Update:
    return (update(OutboxMessage)
            .where(OutboxMessage.id == bindparam("outbox_id"),
                   OutboxMessage.status == OutboxStatus.PENDING,
                   OutboxMessage.next_attempt_at == bindparam("until"))
            .values(sending=True).execution_options(synchronize_session=False))


@cache
def _mark_sent() -> Update:
    """``mark_sent``'s statement, built once (building it costs more than running it)."""
    sent = OUTBOX.move(OutboxStatus.PENDING, OutboxStatus.SENT)  # the machine allows it
    return (update(OutboxMessage)
            .where(OutboxMessage.id == bindparam("sent_id"),
                   OutboxMessage.status == OutboxStatus.PENDING)
            .values(status=sent, sent_at=bindparam("now", type_=OutboxMessage.sent_at.type),
                    attempts=OutboxMessage.attempts + 1, last_error=None, sending=False)
            .execution_options(synchronize_session=False))


@cache
def _mark_sent_and_next() -> Update:
    """``mark_sent`` with a following message: one UPDATE of both rows (SQLite and
    PostgreSQL both return the ids it changed), one statement less a message delivered."""
    sent = OUTBOX.move(OutboxStatus.PENDING, OutboxStatus.SENT)  # the machine allows it
    done = OutboxMessage.id == bindparam("sent_id")
    following = and_(OutboxMessage.id == bindparam("next_id"),
                     OutboxMessage.next_attempt_at == bindparam(
                         "until", type_=OutboxMessage.next_attempt_at.type))
    return (update(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.PENDING, or_(done, following))
            .values(status=case((done, literal(sent, OutboxMessage.status.type)),
                                else_=OutboxMessage.status),
                    sent_at=case((done, bindparam("now", type_=OutboxMessage.sent_at.type)),
                                 else_=OutboxMessage.sent_at),
                    attempts=case((done, OutboxMessage.attempts + 1),
                                  else_=OutboxMessage.attempts),
                    last_error=case((done, None), else_=OutboxMessage.last_error),
                    sending=case((done, false()), else_=true()))
            .returning(OutboxMessage.id)
            .execution_options(synchronize_session=False))


@cache
def _sent_event() -> Insert:
    """The ``sent`` event of the message ``sent_id``, with the server's answer."""
    event = Event.__table__
    return insert(event).values(
        at=bindparam("now", type_=event.c.at.type), actor="mailbot", action="sent",
        inbound_id=bindparam("inbound_id"), request_id=bindparam("request_id"),
        outbox_id=bindparam("sent_id"), detail=bindparam("detail", type_=event.c.detail.type))


@cache
def _settle_sent(following: bool, draft: bool) -> Select[Any]:
    """``settle_sent`` on PostgreSQL: the message's UPDATE (``_mark_sent_and_next`` with a
    following message), and, only when it changed the message, the event about it (its mail
    and request as the row has them) and its draft's UPDATE, as one statement; the ids the
    UPDATE changed."""
    marked = (_mark_sent_and_next() if following
              else _mark_sent().returning(OutboxMessage.id))
    sent = marked.returning(OutboxMessage.inbound_id, OutboxMessage.request_id).cte("sent")
    this = sent.c.id == bindparam("sent_id")
    event = Event.__table__
    recorded = insert(event).from_select(
        ["at", "actor", "action", "inbound_id", "request_id", "outbox_id", "detail"],
        select(bindparam("now", type_=event.c.at.type), literal("mailbot", event.c.actor.type),
               literal("sent", event.c.action.type), sent.c.inbound_id, sent.c.request_id,
               sent.c.id, bindparam("detail", type_=event.c.detail.type)).where(this))
    statement = select(sent.c.id).add_cte(recorded.cte("recorded"))
    if draft:
        drafted = sent_draft(select(sent.c.id).where(this).scalar_subquery())
        statement = statement.add_cte(drafted.cte("drafted"))
    return statement


def _aware(value: datetime | None) -> datetime | None:
    """An aggregate bypasses the column type: SQLite hands back a naive UTC datetime."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
