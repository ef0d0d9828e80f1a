"""Queries about the one-off staff mails: reminders (notices) and the daily digest."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy import func, select

from mailbot.domain.states import OPEN_STATUSES
from mailbot.store.base import Queries
from mailbot.store.models import Digest, Notice, Request
from mailbot.store.requests import due_by_or


class NoticeQueries(Queries):
    def exists(self, request_id: int, kind: str, point: str) -> bool:
        return self.session.scalar(select(Notice.id).where(
            Notice.request_id == request_id, Notice.kind == kind,
            Notice.point == point)) is not None

    def sent_for_scan(self, due_by: date, also: Collection[int]) -> set[tuple[int, str, str]]:
        """(request, kind, point) of every notice of the open requests due by ``due_by``
        or among ``also`` (those the deadline scan looks at), in one query."""
        return {(request_id, kind, point) for request_id, kind, point in self.session.execute(
            select(Notice.request_id, Notice.kind, Notice.point)
            .join(Request, Request.id == Notice.request_id)
            .where(Request.status.in_(OPEN_STATUSES), due_by_or(due_by, also)))}

    def of(self, request_id: int) -> list[Notice]:
        return list(self.session.scalars(select(Notice).where(Notice.request_id == request_id)))

    def digest_sent(self, day: date) -> bool:
        return self.session.scalar(select(Digest.id).where(Digest.day == day)) is not None

    def last_digest_at(self) -> datetime | None:
        return self.session.scalar(select(func.max(Digest.created_at)))
