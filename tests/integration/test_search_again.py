"""A source that cannot be reached stays with staff: the person's answer says the rest follows
(never what went wrong), the request comes back to a person, and once the source works
"search again" finds the data and rebuilds the answer. The source is a real PostgreSQL
database reached as a role that does not exist yet (FATAL: role ... does not exist)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from mailbot.config import Source
from mailbot.service import drafts, requests, users
from mailbot.store import views
from tests.harness.app import make_settings
from tests.harness.database import PG_ADMIN_URL
from tests.harness.mails import mail

pytestmark = [pytest.mark.dovecot, pytest.mark.postgres]
DMARC = {"Authentication-Results": "mx.example.org; dmarc=pass header.from=example.org"}
STAFF = "Fenna Visser"


@pytest.fixture
def crm(postgres_url: str) -> Iterator[tuple[str, str]]:
    """A CRM database holding Sanne, and the name of a role that may read it but does not
    exist yet (``open`` creates it)."""
    role = f"readonly_{uuid.uuid4().hex[:10]}"
    engine = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("CREATE TABLE customers (email text, name text, topics text)"))
        connection.execute(text("INSERT INTO customers VALUES ('sanne.jansen@example.org', "
                                "'Sanne Jansen', 'garden furniture')"))
    url = make_url(postgres_url).set(username=role)
    try:
        yield url.render_as_string(hide_password=False), role
    finally:
        if _exists(role):  # its grant in this database goes first
            with engine.connect() as connection:
                connection.execute(text(f'DROP OWNED BY "{role}"'))
        engine.dispose()
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()


def _exists(role: str) -> bool:
    admin = create_engine(PG_ADMIN_URL)
    try:
        with admin.connect() as connection:
            return connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                                      {"r": role}).first() is not None
    finally:
        admin.dispose()


def open_source(postgres_url: str, role: str) -> None:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE ROLE "{role}" LOGIN'))
    admin.dispose()
    engine = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'GRANT SELECT ON customers TO "{role}"'))
    engine.dispose()


def body(raw: bytes) -> str:
    return message_from_bytes(raw, policy=policy.default).get_body(("plain",)).get_content()


def test_an_unreachable_source_is_searched_again_once_it_works(
        tmp_path: Path, dovecot: Any, smtp_sink: Any, app_factory: Any,
        postgres_url: str, crm: tuple[str, str]) -> None:
    source_url, role = crm
    settings = make_settings(
        tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
        verification={"trusted_authserv_ids": ["mx.example.org"]},
        privacy={"profiling": "Wij nemen geen geautomatiseerde besluiten."})
    settings = settings.model_copy(update={"sources": (Source(
        name="CRM", type="sql", url=source_url,
        query="SELECT name, topics FROM customers WHERE lower(email) = :email",
        purposes=("sending the newsletters you chose",), categories=("name", "topics"),
        retention="until you unsubscribe", origin="you, when you subscribed",
        no_recipients=True, no_transfers=True),)})
    app = app_factory(settings)
    users.add(app.service, STAFF, "approver", "a long enough password", by=None)
    dovecot.append(mail("Stuur mij een overzicht van mijn gegevens.", headers=DMARC))
    app.daemon.run_once()
    smtp_sink.wait_for_count(1)  # the acknowledgement

    with app.uow() as uow:
        [request] = views.requests(uow.repo)
        detail = views.request_detail(uow.repo, uow.repo.requests.get(request["id"]),
                                      "Europe/Amsterdam")
    [draft] = [d for d in detail["drafts"] if d["status"] == "pending_approval"]
    failed = [e["detail"] for e in detail["timeline"] if e["action"] == "source_failed"]
    assert f'role "{role}" does not exist' in failed[0]["reason"]  # staff see why

    outcome = drafts.approve(app.service, draft["id"], by=STAFF)
    assert outcome.request_status == "triage"  # the rest follows: back to a person
    app.daemon.run_once()
    partial = body(smtp_sink.wait_for_count(2)[-1].data)
    assert "  - CRM" in partial.splitlines()
    assert "sturen wij u zodra wij ze hebben doorzocht." in partial  # the rest follows
    for technical in ("FATAL", "role", "does not exist", "database error", "connection"):
        assert technical not in partial
    assert "garden furniture" not in partial

    open_source(postgres_url, role)
    again = requests.research(app.service, request["reference"], by=STAFF)
    assert again.status == "awaiting_approval"
    drafts.approve(app.service, request["reference"], by=STAFF)
    app.daemon.run_once()
    full = body(smtp_sink.wait_for_count(3)[-1].data)
    assert "garden furniture" in full and "Nog niet doorzocht" not in full
    with app.uow() as uow:
        assert uow.repo.requests.get(request["id"]).status == "done"
        actions = [e.action for e in uow.repo.events.of(request_id=request["id"])]
    assert actions.count("source_failed") == 1 and "research" in actions
