"""Queries about the one-off staff mails: reminders (notices) and the daily digest."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select

from mailbot.store.base import Queries
from mailbot.store.models import Digest, Notice


class NoticeQueries(Queries):
    def exists(self, request_id: int, kind: str, point: str) -> bool:
        return self.session.scalar(select(Notice.id).where(
            Notice.request_id == request_id, Notice.kind == kind,
            Notice.point == point)) is not None

    def of(self, request_id: int) -> list[Notice]:
        return list(self.session.scalars(select(Notice).where(Notice.request_id == request_id)))

    def digest_sent(self, day: date) -> bool:
        return self.session.scalar(select(Digest.id).where(Digest.day == day)) is not None

    def last_digest_at(self) -> datetime | None:
        return self.session.scalar(select(func.max(Digest.created_at)))
