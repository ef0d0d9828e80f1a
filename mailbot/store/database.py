"""The database as the rest of mailbot holds it: units of work, a ping for health checks,
and the end of it. Opening it applies migrations when configured to."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from mailbot.config import Settings
from mailbot.store.crypto import Cipher, load_keys
from mailbot.store.engine import current_revision, ensure_current, make_engine
from mailbot.store.uow import UnitOfWork, uow_factory


class Database:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.uow: Callable[[], UnitOfWork] = uow_factory(engine)

    @contextmanager
    def statements_alone(self) -> Iterator[UnitOfWork | None]:
        """For a span of work (a delivery round): a unit of work on a connection of its own,
        held meanwhile, whose every statement commits by itself (PostgreSQL's autocommit), for
        work done in one statement: no connection taken from the pool for it, no BEGIN and
        COMMIT around it. None on other databases (SQLite's settling takes several
        statements)."""
        if self.engine.dialect.name != "postgresql":
            yield None
            return
        with self.engine.connect().execution_options(
                isolation_level="AUTOCOMMIT") as connection, UnitOfWork(
                lambda: Session(bind=connection, expire_on_commit=False)) as uow:
            yield uow

    def ping(self) -> str | None:
        """None when the database answers; else the name of what went wrong."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError as exc:
            return type(exc).__name__
        return None

    def opens_sealed_values(self) -> bool:
        """Whether a sealed value exists and the keys open it; DecryptionError when they
        cannot."""
        with self.uow() as uow:
            return bool(uow.repo.inbound.list(limit=1, newest_first=True))

    def server_time(self) -> datetime | None:
        """The database server's clock; None for SQLite (the clock is ours)."""
        if self.engine.dialect.name == "sqlite":
            return None
        try:
            with self.engine.connect() as connection:
                value = connection.execute(text("SELECT CURRENT_TIMESTAMP")).scalar()
        except SQLAlchemyError:
            return None
        if not isinstance(value, datetime):
            return None
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)

    def revision(self) -> str | None:
        return current_revision(self.engine)

    def close(self) -> None:
        self.engine.dispose()


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL; None for other databases and for SQLite in memory."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database \
            or parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return None
    return Path(parsed.database)


def open_database(settings: Settings, *, migrate: bool | None = None) -> Database:
    """The configured database, its schema brought up to date when ``migrate`` (default:
    ``database.auto_migrate``); SchemaNotCurrent otherwise."""
    cipher = Cipher(load_keys(
        settings.security.key.get_secret_value() if settings.security.key else None,
        settings.security.key_file))
    engine = make_engine(settings.database_url, cipher, echo=settings.database.echo)
    ensure_current(engine, migrate=settings.database.auto_migrate if migrate is None
                   else migrate)
    return Database(engine)
