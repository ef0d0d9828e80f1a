"""Queries about the suppression list (objections per address and purpose)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select

from mailbot.errors import Conflict
from mailbot.store.base import Queries
from mailbot.store.models import OptOut, Request


class OptOutQueries(Queries):
    def purposes_of(self, email: str) -> list[str]:
        """The purposes ``email`` objected to, sorted."""
        return list(self.session.scalars(
            select(OptOut.purpose).where(OptOut.email == email.lower())
            .order_by(OptOut.purpose)))

    def of(self, email: str) -> list[OptOut]:
        """The entries of ``email`` (compared without case), oldest first."""
        return list(self.session.scalars(
            select(OptOut).where(func.lower(OptOut.email) == email.strip().lower())
            .order_by(OptOut.created_at, OptOut.id)))

    def add(self, email: str, purpose: str, *, request_id: int | None,
            now: datetime) -> bool:
        """Record one objection; False when it was on the list already (also when another
        process recorded it at the same moment)."""
        email = email.lower()
        if purpose in self.purposes_of(email):
            return False
        try:
            with self.savepoint():
                self.session.add(OptOut(email=email, purpose=purpose, request_id=request_id,
                                        created_at=now))
        except Conflict:
            return False
        return True

    def remove(self, email: str, purpose: str) -> bool:
        result = self.session.execute(delete(OptOut).where(
            OptOut.email == email.strip().lower(), OptOut.purpose == purpose))
        return getattr(result, "rowcount", 0) > 0

    def rows(self, search: str = "") -> list[tuple[OptOut, str | None]]:
        """Every entry with the reference of the request that made it, by address and
        purpose; only addresses containing ``search`` when given."""
        query = (select(OptOut, Request.reference)
                 .outerjoin(Request, Request.id == OptOut.request_id)
                 .order_by(OptOut.email, OptOut.purpose))
        if search.strip():
            query = query.where(OptOut.email.contains(search.strip().lower(), autoescape=True))
        return [(optout, reference) for optout, reference in self.session.execute(query)]
