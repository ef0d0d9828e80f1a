"""Queries about the audit trail, and events held back to be written together.

Ingest writes a handful of events per mail, and each query in between would flush them one
INSERT at a time; while ``hold`` is on, ``Repository.add`` keeps them aside (and
``Repository.event`` the rows they become) and they are written in one go when the
transaction commits (or before any query of events here). A rollback of the transaction
forgets them with everything else."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, event, insert, or_, select
from sqlalchemy.orm import Session, SessionTransaction

from mailbot.store.base import Queries
from mailbot.store.models import Event, OutboxMessage

_HELD = "mailbot.held_events"
_LATE = "mailbot.late_outbox_ids"  # held events about outbox rows not written yet

# An event held as the row it becomes (``Repository.event``): no ORM object is made for it
Row = dict[str, Any]


def held(session: Session) -> list[Event | Row] | None:
    """The events held back in this session, or None when events are not held."""
    return session.info.get(_HELD)


def row(*, at: datetime, actor: str, action: str, inbound_id: int | None,
        request_id: int | None, outbox_id: int | None, detail: object) -> Row:
    return {"at": at, "actor": actor, "action": action, "inbound_id": inbound_id,
            "request_id": request_id, "outbox_id": outbox_id, "detail": detail}


def about_outbox(session: Session, event: Event | Row, outbox: OutboxMessage) -> bool:
    """Note that held ``event`` is about ``outbox``, which has no id yet: the event takes it
    when the held events are written (the outbox row is written first then). False when
    events are not held (the caller must write the row for its id)."""
    late = session.info.get(_LATE)
    if session.info.get(_HELD) is None:
        return False
    if late is None:
        late = session.info[_LATE] = []
    late.append((event, outbox))
    return True


def release(session: Session) -> None:
    """Write the held events now, in one statement (still holding after). Nothing reads a
    held event's id, so the rows are inserted without asking for them back (on SQLite an
    INSERT that returns ids is one statement a row). Rows added and not written yet (outbox rows
    they are about, rows numbered in advance they name) are written first."""
    late: list[tuple[Event | Row, OutboxMessage]] | None = session.info.get(_LATE)
    events = session.info.get(_HELD)
    if late or (events and session.new):
        # the rows they name first (numbered before they were written: store/ids.py)
        session.flush()
    if late:
        for event_, outbox in late:
            if isinstance(event_, dict):
                event_["outbox_id"] = outbox.id
            else:
                event_.outbox_id = outbox.id
        late.clear()
    if events:
        rows = [e if isinstance(e, dict) else row(
                    at=e.at, actor=e.actor, action=e.action, inbound_id=e.inbound_id,
                    request_id=e.request_id, outbox_id=e.outbox_id, detail=e.detail)
                for e in events]
        events.clear()
        session.connection().execute(insert(Event.__table__), rows)


@event.listens_for(Session, "before_commit")
def _write_held(session: Session) -> None:
    if not session.in_nested_transaction():  # a savepoint's commit: still held
        release(session)


@event.listens_for(Session, "after_soft_rollback")
def _forget_held(session: Session, previous: SessionTransaction) -> None:
    events = session.info.get(_HELD)
    if events and not previous.nested:
        events.clear()
    late = session.info.get(_LATE)
    if late and not previous.nested:
        late.clear()


class EventQueries(Queries):
    def hold(self) -> None:
        """From now on in this unit of work, keep added events aside and write them all
        at the commit."""
        self.session.info.setdefault(_HELD, [])

    def _released(self) -> Session:
        release(self.session)
        return self.session

    def of(self, *, request_id: int | None = None,
           inbound_id: int | None = None) -> Sequence[Event]:
        """A request's events, and those of a mail that belong to none of its requests."""
        conditions = []
        if request_id is not None:
            conditions.append(Event.request_id == request_id)
        if inbound_id is not None:  # the mail's own events, not those of its other requests
            conditions.append(and_(Event.inbound_id == inbound_id, Event.request_id.is_(None)))
        return self._released().scalars(
            select(Event).where(or_(*conditions)).order_by(Event.at, Event.id)).all()

    def about(self, request_ids: Collection[int], mail_ids: Collection[int]) -> Sequence[Event]:
        """Every event of these requests or mails."""
        return self._released().scalars(select(Event).where(
            or_(Event.request_id.in_(request_ids), Event.inbound_id.in_(mail_ids)))).all()

    def with_detail(self, *, request_id: int | None = None,
                    inbound_id: int | None = None) -> list[Event]:
        """The events of a request (or of a mail) that still hold details."""
        query = select(Event).where(Event.detail.is_not(None))
        if request_id is not None:
            query = query.where(Event.request_id == request_id)
        if inbound_id is not None:
            query = query.where(Event.inbound_id == inbound_id)
        return list(self._released().scalars(query))

    def staff(self, *, limit: int = 100) -> Sequence[Event]:
        """The latest events about no request or mail (users, clients, opt-outs)."""
        return self._released().scalars(select(Event).where(
            Event.request_id.is_(None), Event.inbound_id.is_(None))
            .order_by(Event.at.desc(), Event.id.desc()).limit(limit)).all()
