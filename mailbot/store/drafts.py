"""Queries about drafts: one by id, by its outbox message, the lists staff work through."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from sqlalchemy import ColumnElement, Update, bindparam, func, select, update

from mailbot.domain.states import DRAFTS, DraftStatus
from mailbot.store.base import Queries
from mailbot.store.models import Draft


class DraftQueries(Queries):
    def get(self, draft_id: int) -> Draft | None:
        return self.session.get(Draft, draft_id)

    def for_outbox(self, outbox_id: int) -> Draft | None:
        return self.session.scalar(select(Draft).where(Draft.outbox_id == outbox_id))

    def mark_sent(self, outbox_id: int) -> None:
        """The draft whose message ``outbox_id`` left (if any) is sent, in one UPDATE without
        reading it; one that can no longer become sent is left as it is (as ``move`` would
        refuse it)."""
        self.core(_mark_sent(), {"left": outbox_id})

    def list(self, *, status: str | None = None, limit: int | None = None,
             offset: int = 0) -> Sequence[Draft]:
        query = select(Draft).order_by(Draft.id)
        if status:
            query = query.where(Draft.status == status)
        return self.session.scalars(query.limit(limit).offset(offset)).all()

    def count_waiting(self) -> int:
        return self.session.scalar(select(func.count(Draft.id)).where(
            Draft.status == DraftStatus.PENDING_APPROVAL)) or 0

    def latest_subject(self, request_id: int, purpose: str) -> str | None:
        return self.session.scalar(select(Draft.subject).where(
            Draft.request_id == request_id, Draft.purpose == purpose)
            .order_by(Draft.id.desc()).limit(1))


@cache
def _mark_sent() -> Update:
    """``mark_sent``'s statement, built once (building it costs more than running it)."""
    return sent_draft(bindparam("left"))


def sent_draft(left: ColumnElement[int]) -> Update:
    """The UPDATE that makes the draft whose message is ``left`` sent, unless it can no
    longer become sent (as ``move`` would refuse it)."""
    movable = [s for s in DraftStatus if DRAFTS.allows(s, DraftStatus.SENT)]
    draft = Draft.__table__
    return (update(draft).where(draft.c.outbox_id == left, draft.c.status.in_(movable))
            .values(status=DraftStatus.SENT))
