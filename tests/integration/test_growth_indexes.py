"""Issue 12 (flat growth): every migration runs on SQLite and PostgreSQL and gives the
schema of the models, down and up again; the indexes the growth benchmark (bench/growth.py)
relies on exist, and on SQLite the queries that must stay flat are planned through them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Engine

from mailbot.store.crypto import Cipher, generate_key
from mailbot.store.engine import _alembic_config, current_revision, head_revision, make_engine
from mailbot.store.engine import upgrade as upgrade_to
from mailbot.store.models import Base
from mailbot.store.repository import Repository
from mailbot.store.requests import QueueFilter
from mailbot.store.uow import uow_factory

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
TODAY = date(2026, 12, 4)
# index: its table and columns
INDEXES = {
    "ix_outbox_recipient_purpose_created": ("outbox", ["recipient", "purpose", "created_at"]),
    "ix_outbox_inbound_id": ("outbox", ["inbound_id"]),
    "ix_outbox_request_id": ("outbox", ["request_id"]),
    "ix_request_due_id": ("request", ["due_at", "id"]),
    "ix_request_status_due": ("request", ["status", "due_at"]),
    "ix_request_created_at": ("request", ["created_at"]),
    "ix_request_purged_closed": ("request", ["purged_at", "closed_at"]),
    "ix_draft_outbox_id": ("draft", ["outbox_id"]),
    "ix_draft_purpose_status": ("draft", ["purpose", "status"]),
    "ix_request_step_draft_id": ("request_step", ["draft_id"]),
    "ix_request_step_outbox_id": ("request_step", ["outbox_id"]),
    "ix_verification_status_expires": ("verification", ["status", "expires_at"]),
}
# what a query of the store must be planned through on SQLite
PLANS: dict[str, tuple[Callable[[Repository], object], str]] = {
    "per-sender rate limit": (lambda r: r.outbox.recent_count("a@example.org",
                                                              "acknowledgement", NOW),
                              "ix_outbox_recipient_purpose_created"),
    "request list page": (lambda r: r.requests.list(limit=100), "ix_request_due_id"),
    "first open due date": (lambda r: r.requests.first_open_due(), "ix_request_status_due"),
    "queue page": (lambda r: r.requests.queue(QueueFilter(), TODAY, limit=101),
                   "ix_request_status_due"),
    "digest": (lambda r: r.requests.digest(TODAY, NOW), "ix_request_created_at"),
    "deadline scan": (lambda r: r.requests.to_scan(TODAY, ()), "ix_request_status_due"),
    "refusals on their way": (lambda r: r.requests.with_refusal_sent("refusal"),
                              "ix_draft_purpose_status"),
    "retention": (lambda r: r.requests.closed_unpurged({"access": NOW}, NOW),
                  "ix_request_purged_closed"),
    "a reply's thread": (lambda r: r.outbox.for_request(1), "ix_outbox_request_id"),
    "a sent draft": (lambda r: r.drafts.for_outbox(1), "ix_draft_outbox_id"),
    "a sent step": (lambda r: r.steps.for_outbox(1), "ix_request_step_outbox_id"),
    "codes running out": (lambda r: r.verifications.expiring(NOW, NOW),
                          "ix_verification_status_expires"),
}


@contextmanager
def statements(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def plan_of(engine: Engine, statement: str, parameters: Any) -> str:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
        return " | ".join(str(row[-1]) for row in cursor.fetchall())
    finally:
        raw.close()


def test_every_migration_gives_the_models_with_the_growth_indexes(database_url: str) -> None:
    engine = make_engine(database_url, Cipher([generate_key()]))
    try:
        upgrade_to(engine)
        assert current_revision(engine) == head_revision()
        with engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(
                connection, opts={"compare_type": True}), Base.metadata) == []
        found = inspect(engine)
        for name, (table, columns) in INDEXES.items():
            indexes = {i["name"]: i["column_names"] for i in found.get_indexes(table)}
            assert indexes.get(name) == columns, (name, indexes)
        assert "raw" not in {c["name"] for c in found.get_columns("inbound_mail")}
        # an empty blob stays empty only in a row's last column (SQLite, store/blobs.py)
        assert [c["name"] for c in found.get_columns("raw_mail")] == ["id", "raw"]
        if engine.dialect.name == "postgresql":  # slices read without decompressing
            with engine.connect() as connection:
                assert connection.scalar(text(
                    "SELECT attstorage FROM pg_attribute WHERE attname = 'raw' "
                    "AND attrelid = 'raw_mail'::regclass")) == "e"
        with engine.begin() as connection:  # the growth migration down, and up again
            command.downgrade(_alembic_config(connection), "0016_workers")
        assert "ix_outbox_request_id" not in {
            i["name"] for i in inspect(engine).get_indexes("outbox")}
        upgrade_to(engine)
        assert current_revision(engine) == head_revision()
        assert "ix_outbox_request_id" in {
            i["name"] for i in inspect(engine).get_indexes("outbox")}
    finally:
        engine.dispose()


def test_the_queries_that_must_stay_flat_use_their_indexes(tmp_path: Any) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'plans.db'}", Cipher([generate_key()]))
    try:
        upgrade_to(engine)
        with engine.begin() as connection:  # a few rows: the planner sees a real table
            connection.execute(text("ANALYZE"))
        wrong = {}
        for name, (query, index) in PLANS.items():
            with statements(engine) as seen, uow_factory(engine)() as uow:
                query(uow.repo)
            plans = [plan_of(engine, s, p) for s, p in seen if s.lstrip().startswith("SELECT")]
            if not any(index in plan for plan in plans):
                wrong[name] = (index, plans)
        assert wrong == {}
    finally:
        engine.dispose()


def test_raw_mails_move_to_their_own_table_and_back_with_every_byte_kept(
        database_url: str) -> None:
    engine = make_engine(database_url, Cipher([generate_key()]))
    try:
        with engine.begin() as connection:
            command.upgrade(_alembic_config(connection), "0018_worker_beats")
        blobs = {n: bytes([n]) * (1000 + n) for n in range(1, 4)}
        with engine.begin() as connection:
            for n in range(1, 5):  # the fourth kept no raw bytes (purged)
                connection.execute(text(
                    "INSERT INTO inbound_mail (id, mailbox, uidvalidity, uid, raw_sha256, "
                    "raw_size, raw, received_at, fetched_at, disposition, special_included) "
                    "VALUES (:id, 'box', 1, :uid, 'x', 9, :raw, :at, :at, 'request', false)"),
                    {"id": n, "uid": str(n), "raw": blobs.get(n),
                     "at": datetime(2026, 12, 1, tzinfo=UTC)})
        upgrade_to(engine)
        with engine.connect() as connection:
            moved = dict(connection.execute(text("SELECT id, raw FROM raw_mail")).all())
        assert {n: bytes(b) for n, b in moved.items()} == blobs
        with engine.begin() as connection:
            command.downgrade(_alembic_config(connection), "0018_worker_beats")
        assert "raw_mail" not in inspect(engine).get_table_names()
        with engine.connect() as connection:
            back = dict(connection.execute(text("SELECT id, raw FROM inbound_mail")).all())
        assert {n: None if b is None else bytes(b) for n, b in back.items()} == {
            **blobs, 4: None}
    finally:
        engine.dispose()
