"""Queries about deadline extensions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from mailbot.domain.states import EXTENSIONS, ExtensionStatus
from mailbot.store.base import Queries
from mailbot.store.models import Extension


class ExtensionQueries(Queries):
    def of(self, request_id: int, status: ExtensionStatus | None = None) -> list[Extension]:
        query = select(Extension).where(Extension.request_id == request_id)
        if status is not None:
            query = query.where(Extension.status == status)
        return list(self.session.scalars(query.order_by(Extension.id)))

    def requests_with_pending(self) -> set[int]:
        return set(self.session.scalars(select(Extension.request_id)
                                        .where(Extension.status == ExtensionStatus.PENDING)))

    def decide(self, extension: Extension, status: ExtensionStatus, now: datetime) -> bool:
        """Move a pending extension to ``status`` by compare-and-set; False when someone else
        decided it first."""
        EXTENSIONS.move(ExtensionStatus.PENDING, status, f"extension {extension.id}")
        result = self.session.execute(
            update(Extension).where(Extension.id == extension.id,
                                    Extension.status == ExtensionStatus.PENDING)
            .values(status=status, decided_at=now)
            .execution_options(synchronize_session="fetch"))
        return getattr(result, "rowcount", 0) == 1
