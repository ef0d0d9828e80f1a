"""Queries about the steps of requests' outcomes."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from mailbot.domain.states import OPEN_STEPS, StepStatus
from mailbot.store.base import Queries
from mailbot.store.models import Step


class StepQueries(Queries):
    def of(self, request_id: int) -> Sequence[Step]:
        return self.session.scalars(select(Step).where(Step.request_id == request_id)
                                    .order_by(Step.position)).all()

    def at(self, request_id: int, position: int) -> Step | None:
        return self.session.scalar(select(Step).where(Step.request_id == request_id,
                                                      Step.position == position))

    def for_draft(self, draft_id: int) -> Step | None:
        return self.session.scalar(select(Step).where(Step.draft_id == draft_id))

    def for_outbox(self, outbox_id: int) -> Step | None:
        return self.session.scalar(select(Step).where(Step.outbox_id == outbox_id))

    def waiting_for(self, outbox_id: int) -> bool:
        """Whether a pending step waits for the message ``outbox_id`` to leave."""
        return self.session.scalar(select(Step.id).where(
            Step.outbox_id == outbox_id, Step.status == StepStatus.PENDING).limit(1)) is not None

    def waiting(self, action: str, status: StepStatus = StepStatus.PENDING) -> Sequence[Step]:
        """Steps of ``action`` in ``status``, oldest first (those mailbot carries out)."""
        return self.session.scalars(select(Step).where(Step.action == action,
                                                       Step.status == status)
                                    .order_by(Step.id)).all()

    def count_open(self) -> int:
        return len(self.session.scalars(select(Step.id).where(
            Step.status.in_(list(OPEN_STEPS)))).all())
