"""Queries about the audit trail."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import and_, or_, select

from mailbot.store.base import Queries
from mailbot.store.models import Event


class EventQueries(Queries):
    def of(self, *, request_id: int | None = None,
           inbound_id: int | None = None) -> Sequence[Event]:
        """A request's events, and those of a mail that belong to none of its requests."""
        conditions = []
        if request_id is not None:
            conditions.append(Event.request_id == request_id)
        if inbound_id is not None:  # the mail's own events, not those of its other requests
            conditions.append(and_(Event.inbound_id == inbound_id, Event.request_id.is_(None)))
        return self.session.scalars(
            select(Event).where(or_(*conditions)).order_by(Event.at, Event.id)).all()

    def about(self, request_ids: Collection[int], mail_ids: Collection[int]) -> Sequence[Event]:
        """Every event of these requests or mails."""
        return self.session.scalars(select(Event).where(
            or_(Event.request_id.in_(request_ids), Event.inbound_id.in_(mail_ids)))).all()

    def with_detail(self, *, request_id: int | None = None,
                    inbound_id: int | None = None) -> list[Event]:
        """The events of a request (or of a mail) that still hold details."""
        query = select(Event).where(Event.detail.is_not(None))
        if request_id is not None:
            query = query.where(Event.request_id == request_id)
        if inbound_id is not None:
            query = query.where(Event.inbound_id == inbound_id)
        return list(self.session.scalars(query))

    def staff(self, *, limit: int = 100) -> Sequence[Event]:
        """The latest events about no request or mail (users, clients, opt-outs)."""
        return self.session.scalars(select(Event).where(
            Event.request_id.is_(None), Event.inbound_id.is_(None))
            .order_by(Event.at.desc(), Event.id.desc()).limit(limit)).all()
