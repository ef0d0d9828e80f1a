"""Engines and schema migrations. Alembic (with Mako and Pygments, a hundred modules) is
imported only to migrate: the revisions are read from the scripts' text and the database's
version table (issue 12, a worker's memory)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from mailbot.errors import ConfigError, SchemaNotCurrent, StoreError
from mailbot.store import blobs  # noqa: F401  (large raw mails into SQLite in pieces)
from mailbot.store.crypto import Cipher, attach_cipher
from mailbot.store.files import private_file

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
VERSION_TABLE = "alembic_version"
_REVISION = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.M)
_PARENTS = re.compile(r"^down_revision\s*=\s*(.+)$", re.M)


def make_engine(url: str, cipher: Cipher, *, echo: bool = False) -> Engine:
    kwargs: dict[str, Any] = {"echo": echo, "future": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": 30}
        database = url.split("///", 1)[-1].split("?", 1)[0]
        if database and database != ":memory:":
            private_file(Path(database))
    else:
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(url, **kwargs)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise ConfigError(f"config error: database.url: {exc}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    attach_cipher(engine, cipher)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _alembic_config(connection: Any) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    """The revision no migration script revises (what Alembic calls the head)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        source = script.read_text(encoding="utf-8")
        revision = _REVISION.search(source)
        if revision is None:
            continue
        revisions.add(revision.group(1))
        parent = _PARENTS.search(source)
        if parent is not None:
            parents.update(re.findall(r"['\"]([^'\"]+)['\"]", parent.group(1)))
    heads = revisions - parents
    if len(heads) > 1:
        raise StoreError(f"the migrations have several heads: {', '.join(sorted(heads))}")
    return heads.pop() if heads else None


def current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table(VERSION_TABLE):
                return None
            found = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))
            versions = list(found.scalars())
    except OperationalError as exc:
        raise StoreError(f"database unreachable: {exc.orig}") from exc
    if len(versions) > 1:
        raise StoreError(f"the database is at several revisions: {', '.join(versions)}")
    return versions[0] if versions else None


MIGRATION_LOCK = 0x6D61696C  # a PostgreSQL advisory lock: one worker migrates at a time


def upgrade(engine: Engine, revision: str = "head") -> None:
    try:
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                # Workers starting together: the others wait, then find the schema current.
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                   {"key": MIGRATION_LOCK})
            from alembic import command

            command.upgrade(_alembic_config(connection), revision)
    except OperationalError as exc:
        raise StoreError(f"database unreachable: {exc.orig}") from exc


def ensure_current(engine: Engine, *, migrate: bool) -> None:
    if current_revision(engine) == head_revision():
        return
    if not migrate:
        raise SchemaNotCurrent("the database schema is not current: run `mailbot db upgrade`")
    upgrade(engine)
