"""Queries about verifications: by link token, by the Message-ID of their mail, the pending
ones of an address, those about to expire."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError

from mailbot.domain.states import VerificationStatus
from mailbot.errors import Conflict
from mailbot.store.base import Queries
from mailbot.store.models import Verification


class VerificationQueries(Queries):
    def take(self, verification: Verification) -> bool:
        """Move a pending ``verification`` on for this transaction alone: a conditional
        update only one of several simultaneous answers (the same link clicked six times)
        wins. False: another took it first. :class:`Conflict` (SQLite): another transaction
        wrote since this one read, so it cannot go on; it is rolled back, try again."""
        try:
            taken = self.session.execute(
                update(Verification)
                .where(Verification.id == verification.id,
                       Verification.status == VerificationStatus.PENDING)
                .values(status=VerificationStatus.PENDING)
                .execution_options(synchronize_session=False))
        except OperationalError as exc:  # SQLite: another answer wrote since this one read
            if "locked" not in str(exc.orig):
                raise
            self.session.rollback()  # nothing was written; the transaction cannot go on
            raise Conflict("another transaction wrote first; try again") from exc
        return taken.rowcount == 1

    def get(self, verification_id: int) -> Verification | None:
        return self.session.get(Verification, verification_id)

    def by_token_hash(self, token_hash: str) -> Verification | None:
        return self.session.scalar(
            select(Verification).where(Verification.token_hash == token_hash))

    def by_message_ids(self, message_ids: Collection[str]) -> list[Verification]:
        if not message_ids:
            return []
        return list(self.session.scalars(select(Verification).where(
            Verification.message_id.in_(message_ids)).order_by(Verification.id)))

    def pending_for(self, address: str) -> list[Verification]:
        return list(self.session.scalars(select(Verification).where(
            Verification.address == address, Verification.status == VerificationStatus.PENDING)
            .order_by(Verification.id)))

    def pending_for_requests(self, request_ids: Collection[int]) -> list[Verification]:
        return list(self.session.scalars(select(Verification).where(
            Verification.request_id.in_(request_ids),
            Verification.status == VerificationStatus.PENDING).order_by(Verification.id)))

    def sent_since(self, address: str, since: datetime, *, pending: bool = False) -> int:
        """Verifications of ``address`` made since ``since``; with ``pending``, without
        writing what is pending first, those not written yet counted here."""
        query = select(func.count(Verification.id)).where(
            Verification.address == address, Verification.created_at >= since)
        if not pending:
            return self.session.scalar(query) or 0
        with self.session.no_autoflush:
            written = self.session.scalar(query) or 0
        return written + self.unwritten_count(address, since)

    def unwritten_count(self, address: str, since: datetime) -> int:
        """Verifications of ``address`` made since ``since`` in this transaction and not
        written yet."""
        return sum(1 for obj in self.session.new if isinstance(obj, Verification)
                   and obj.address == address and obj.created_at >= since)

    def expiring(self, after: datetime, by: datetime) -> Sequence[Verification]:
        """Pending verifications that expire after ``after`` and by ``by``."""
        return self.session.scalars(select(Verification).where(
            Verification.status == VerificationStatus.PENDING, Verification.expires_at > after,
            Verification.expires_at <= by)).all()

    def overdue(self, now: datetime, *, lock: bool = False) -> Sequence[Verification]:
        """Pending verifications past their expiry; with ``lock`` the rows are locked (another
        daemon skips them)."""
        query = select(Verification).where(Verification.status == VerificationStatus.PENDING,
                                           Verification.expires_at <= now)
        if lock:
            query = query.order_by(Verification.id).with_for_update(skip_locked=True)
        return self.session.scalars(query).all()

    def for_request(self, request_id: int) -> list[Verification]:
        return list(self.session.scalars(select(Verification).where(
            Verification.request_id == request_id)))
