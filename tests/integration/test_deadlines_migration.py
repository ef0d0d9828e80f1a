"""Migration 0003 (deadlines, extensions, retention) on SQLite and PostgreSQL: it upgrades a
database holding requests, matches the models exactly, and downgrades cleanly."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from mailbot.store.crypto import Cipher, generate_key
from mailbot.store.engine import current_revision, head_revision, make_engine, upgrade
from mailbot.store.models import Base

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_0003_upgrades_a_database_with_requests_and_matches_the_models(
        database_url: str) -> None:
    engine = make_engine(database_url, Cipher([generate_key()]))
    try:
        upgrade(engine, "0002")
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO inbound_mail (id, mailbox, uidvalidity, uid, raw_sha256, raw_size, "
                "received_at, fetched_at, disposition) VALUES (1, 'INBOX', 1, '1', 'x', 1, "
                ":now, :now, 'request')"), {"now": NOW})
            connection.execute(text(
                "INSERT INTO request (id, inbound_id, kind, status, language, sender, "
                "received_at, due_at, confidence, triage, child, created_at, updated_at) "
                "VALUES (1, 1, 'access', 'acknowledged', 'nl', 's@example.org', :now, :due, "
                "1.0, false, false, :now, :now)"), {"now": NOW, "due": date(2026, 12, 2)})
        upgrade(engine, "0003")
        assert current_revision(engine) == "0003"
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        with engine.connect() as connection:
            row = connection.execute(text(
                "SELECT extended_months, target_at, original_due_at, purged_at FROM request"
            )).one()
            assert tuple(row) == (0, None, None, None)
            differences = compare_metadata(
                MigrationContext.configure(connection, opts={"compare_type": True}),
                Base.metadata)
        assert differences == []
        tables = set(inspect(engine).get_table_names())
        assert {"notice", "digest", "extension"} <= tables
        upgrade_down(engine)
        assert "notice" not in set(inspect(engine).get_table_names())
        upgrade(engine)
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def upgrade_down(engine) -> None:  # type: ignore[no-untyped-def]
    from alembic import command

    from mailbot.store.engine import _alembic_config

    with engine.begin() as connection:
        command.downgrade(_alembic_config(connection), "0002")
