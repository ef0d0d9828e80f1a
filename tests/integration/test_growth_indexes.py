"""Issue 12 (flat growth): every migration runs on SQLite and PostgreSQL, and the indexes the
growth benchmark (bench/growth.py) relies on exist and are the ones the queries use."""

from __future__ import annotations

from sqlalchemy import inspect, text

from mailbot.store.crypto import Cipher, generate_key
from mailbot.store.engine import current_revision, head_revision, make_engine, upgrade

RATE_LIMIT = ("SELECT count(outbox.id) FROM outbox WHERE outbox.recipient = 'a@example.org' "
              "AND outbox.purpose = 'acknowledgement' AND outbox.created_at >= "
              "'2026-01-01 00:00:00'")
LIST_PAGE = "SELECT request.id FROM request ORDER BY request.due_at, request.id LIMIT 100"


def test_the_growth_indexes_exist_after_every_migration(database_url: str) -> None:
    engine = make_engine(database_url, Cipher([generate_key()]))
    try:
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        found = inspect(engine)
        outbox = {i["name"]: i["column_names"] for i in found.get_indexes("outbox")}
        request = {i["name"]: i["column_names"] for i in found.get_indexes("request")}
        assert outbox["ix_outbox_recipient_purpose_created"] == [
            "recipient", "purpose", "created_at"]
        assert request["ix_request_due_id"] == ["due_at", "id"]
        if engine.dialect.name == "sqlite":
            with engine.connect() as connection:
                plan = " ".join(str(row[-1]) for row in connection.execute(
                    text(f"EXPLAIN QUERY PLAN {RATE_LIMIT}")))
                assert "ix_outbox_recipient_purpose_created" in plan
                plan = " ".join(str(row[-1]) for row in connection.execute(
                    text(f"EXPLAIN QUERY PLAN {LIST_PAGE}")))
                assert "ix_request_due_id" in plan and "TEMP B-TREE" not in plan
    finally:
        engine.dispose()
