"""The unit of work: one transaction, committed explicitly, rolled back otherwise."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Self

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from mailbot.errors import Conflict, StoreError
from mailbot.store.repository import Repository


class UnitOfWork:
    def __init__(self, session_factory: Callable[[], Session]) -> None:
        self._factory = session_factory

    def __enter__(self) -> Self:
        self.session = self._factory()
        self.repo = Repository(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.session.rollback()
        finally:
            self.session.close()

    def commit(self) -> None:
        try:
            self.session.commit()
        except IntegrityError as exc:
            raise Conflict(f"database conflict: {exc.orig}") from exc
        except OperationalError as exc:
            raise StoreError(f"database error on commit: {exc.orig}") from exc

    def checkpoint(self) -> None:
        """Fold SQLite's write-ahead log into the file and empty it, so no old page lingers
        there (after a purge has committed); nothing on other databases."""
        bind = self.session.get_bind()
        if bind.dialect.name == "sqlite":
            with bind.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def rollback(self) -> None:
        """Forget what this unit did so far; it can go on from a fresh transaction."""
        self.session.rollback()


def database_trouble(exc: BaseException) -> bool:
    """Whether ``exc`` is the database failing (unreachable, a deadlock, a serialisation
    failure) rather than the work done in it."""
    return isinstance(exc, OperationalError)


def uow_factory(engine: Engine) -> Callable[[], UnitOfWork]:
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    return lambda: UnitOfWork(sessions)
