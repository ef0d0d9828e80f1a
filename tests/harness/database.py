"""Real databases for integration tests: a SQLite file, or a fresh database on the PostgreSQL
server at 127.0.0.1:5432 (dropped afterwards). ``database_url`` runs a test on both."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from mailbot.store.crypto import Cipher, generate_key
from mailbot.store.engine import make_engine, upgrade
from mailbot.store.uow import UnitOfWork, uow_factory

PG_ADMIN_URL = os.environ.get(
    "MAILBOT_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def sqlite_url(directory: Path) -> str:
    return f"sqlite:///{directory / 'mailbot.db'}"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "mailbot.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Callable[[], UnitOfWork]]:
    """A migrated SQLite store, for tests of one module against a real database."""
    engine = make_engine(f"sqlite:///{db_path}", Cipher([generate_key()]))
    upgrade(engine)
    yield uow_factory(engine)
    engine.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    name = f"mailbot_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        pytest.fail(f"PostgreSQL at {PG_ADMIN_URL} is not reachable: {exc.orig}")
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return sqlite_url(tmp_path)
    return request.getfixturevalue("postgres_url")
