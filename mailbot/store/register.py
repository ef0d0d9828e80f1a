"""Queries about the processor register: the versions of each order."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from mailbot.store.base import Queries
from mailbot.store.models import RegisterEntry


class RegisterQueries(Queries):
    def versions(self, client_id: int, key: str) -> Sequence[RegisterEntry]:
        return self.session.scalars(
            select(RegisterEntry)
            .where(RegisterEntry.client_id == client_id, RegisterEntry.order_key == key)
            .order_by(RegisterEntry.version)).all()

    def latest(self, client_id: int, key: str) -> RegisterEntry | None:
        return self.session.scalar(
            select(RegisterEntry)
            .where(RegisterEntry.client_id == client_id, RegisterEntry.order_key == key)
            .order_by(RegisterEntry.version.desc()).limit(1))

    def current(self, client_id: int | None = None) -> list[RegisterEntry]:
        """The newest version of every order (of one client, or of all)."""
        newest = (select(RegisterEntry.client_id, RegisterEntry.order_key,
                         func.max(RegisterEntry.version).label("version"))
                  .group_by(RegisterEntry.client_id, RegisterEntry.order_key))
        if client_id is not None:
            newest = newest.where(RegisterEntry.client_id == client_id)
        sub = newest.subquery()
        return list(self.session.scalars(
            select(RegisterEntry).join(sub, (RegisterEntry.client_id == sub.c.client_id)
                                       & (RegisterEntry.order_key == sub.c.order_key)
                                       & (RegisterEntry.version == sub.c.version))
            .order_by(RegisterEntry.client_id, RegisterEntry.order_key)))

    def all(self) -> list[RegisterEntry]:
        return list(self.session.scalars(select(RegisterEntry).order_by(
            RegisterEntry.client_id, RegisterEntry.order_key, RegisterEntry.version)))

    def count(self) -> int:
        return self.session.scalar(select(func.count(RegisterEntry.id))) or 0
