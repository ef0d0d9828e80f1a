"""Queries about staff: console users, their sessions and the login attempts that slow down
guessing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select, text, update

from mailbot.store.base import Queries
from mailbot.store.models import LoginAttempt, StaffSession, StaffUser


class StaffQueries(Queries):
    def user(self, user_id: int) -> StaffUser | None:
        return self.session.get(StaffUser, user_id)

    def by_name(self, name: str) -> StaffUser | None:
        return self.session.scalar(select(StaffUser).where(StaffUser.name == name.strip()))

    def users(self) -> Sequence[StaffUser]:
        return self.session.scalars(select(StaffUser).order_by(StaffUser.name)).all()

    def session_by_token_hash(self, token_hash: str) -> StaffSession | None:
        return self.session.scalar(select(StaffSession)
                                   .where(StaffSession.token_hash == token_hash))

    def end_sessions(self, *, user_id: int | None = None, token_hash: str | None = None,
                     expired_by: datetime | None = None) -> None:
        """End the sessions of a user, the one with this token, or those expired by then."""
        query = delete(StaffSession)
        if user_id is not None:
            query = query.where(StaffSession.user_id == user_id)
        if token_hash is not None:
            query = query.where(StaffSession.token_hash == token_hash)
        if expired_by is not None:
            query = query.where(StaffSession.expires_at <= expired_by)
        self.session.execute(query)

    def end_session(self, session: StaffSession) -> None:
        self.session.delete(session)

    def last_login_success(self, key: str, since: datetime) -> datetime | None:
        return self.session.scalar(select(func.max(LoginAttempt.at)).where(
            LoginAttempt.key == key, LoginAttempt.succeeded.is_(True), LoginAttempt.at > since))

    def login_failures(self, key: str, since: datetime,
                       besides: Sequence[int] = ()) -> tuple[int, datetime | None]:
        """How many failed logins ``key`` had after ``since`` (attempts under way count as
        failed until they succeed), and when the last one was; ``besides``: not these."""
        count, last = self.session.execute(select(func.count(LoginAttempt.id),
                                                  func.max(LoginAttempt.at)).where(
            LoginAttempt.key == key, LoginAttempt.succeeded.is_(False),
            LoginAttempt.at > since, LoginAttempt.id.not_in(besides))).one()
        return count, last

    def claim_login_attempts(self, keys: Sequence[str], at: datetime) -> list[int]:
        """Record one attempt for each key, counted as failed until it succeeds, holding
        the keys until the transaction ends: concurrent attempts for a key are counted one
        after another, never side by side (PostgreSQL: an advisory lock per key; SQLite: the
        insert takes the database's write lock first)."""
        if self.session.get_bind().dialect.name == "postgresql":
            for key in sorted(keys):
                self.session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended("
                                          ":key, 0))"), {"key": "login:" + key})
        rows = [LoginAttempt(key=key, at=at, succeeded=False) for key in keys]
        self.session.add_all(rows)
        self.session.flush()
        return [row.id for row in rows]

    def settle_login_attempts(self, ids: Sequence[int], *, succeeded: bool) -> None:
        self.session.execute(update(LoginAttempt).where(LoginAttempt.id.in_(ids))
                             .values(succeeded=succeeded))

    def drop_login_attempts(self, ids: Sequence[int]) -> None:
        self.session.execute(delete(LoginAttempt).where(LoginAttempt.id.in_(ids)))

    def forget_login_attempts(self, before: datetime) -> None:
        self.session.execute(delete(LoginAttempt).where(LoginAttempt.at <= before))
