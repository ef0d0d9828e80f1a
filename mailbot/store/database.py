"""The database as the rest of mailbot holds it: units of work, a ping for health checks,
and the end of it. Opening it applies migrations when configured to."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from mailbot.config import Settings
from mailbot.store.crypto import Cipher, load_keys
from mailbot.store.engine import current_revision, ensure_current, make_engine
from mailbot.store.uow import UnitOfWork, uow_factory


class Database:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.uow: Callable[[], UnitOfWork] = uow_factory(engine)

    def ping(self) -> str | None:
        """None when the database answers; else the name of what went wrong."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError as exc:
            return type(exc).__name__
        return None

    def revision(self) -> str | None:
        return current_revision(self.engine)

    def close(self) -> None:
        self.engine.dispose()


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
