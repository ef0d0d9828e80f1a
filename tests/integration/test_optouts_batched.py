"""Opt-outs recorded inside a batch without writing the rest of the batch early (issue 12,
2026-12-07), through the real parts (Dovecot, SQLite and PostgreSQL, the SMTP sink): the
objections go in with one INSERT that skips what is listed already, the confirmation draft and
the by-hand step are written with the batch, and nothing of it needs a flush or a savepoint of
its own. What a person is told and what is recorded stay as they were."""

from __future__ import annotations

import threading
import traceback
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from mailbot.bootstrap import App
from mailbot.handle import optouts
from mailbot.store.models import Draft, Event, OptOut, OutboxMessage, Request, Step
from tests.harness.app import make_settings
from tests.harness.mails import acknowledgements, mail, question
from tests.harness.wait import wait_for

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
UNSUBSCRIBE = ("Meld me af voor de nieuwsbrief en ik wil niet meer gevolgd worden voor jullie "
               "websitestatistieken en advertentienetwerken.")


@pytest.fixture
def app(tmp_path: Path, smtp_sink: Any, database_url: str, app_factory: Any,
        request: pytest.FixtureRequest) -> App:
    if "dovecot" in request.fixturenames:
        url = request.getfixturevalue("dovecot").url()
    else:
        url = "maildir:///nonexistent"
    return app_factory(make_settings(tmp_path, mailbox_url=url, smtp_url=smtp_sink.url,
                                     database_url=database_url,
                                     acknowledge={"rate_limit_count": 1000}))


@pytest.mark.dovecot
def test_unsubscribe_mails_in_a_batch_flush_nothing_of_their_own(
        app: App, dovecot: Any, smtp_sink: Any) -> None:
    senders = [f"afmelder{n}@example.org" for n in (1, 2, 3)]
    dovecot.append(question(1))
    for number, sender in enumerate(senders, start=1):
        dovecot.append(mail(UNSUBSCRIBE, subject="Afmelden",
                            sender=f"Afmelder {number} <{sender}>"))
    dovecot.append(question(2))
    flushes: Counter[str] = Counter()
    savepoints: list[str] = []

    def flushed(_session: Session, _context: Any) -> None:
        frames = [f.filename for f in traceback.extract_stack()]
        handling = any(name.endswith(("handle/unsubscribe.py", "handle/optouts.py",
                                      "handle/other_rights.py")) for name in frames)
        flushes["unsubscribe" if handling else "other"] += 1

    def executed(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SAVEPOINT"):
            savepoints.append(statement)

    event.listen(Session, "after_flush", flushed)
    event.listen(Engine, "before_cursor_execute", executed)
    try:
        app.daemon.run_once()
    finally:
        event.remove(Session, "after_flush", flushed)
        event.remove(Engine, "before_cursor_execute", executed)
    assert flushes["unsubscribe"] == 0 and savepoints == []
    with app.uow() as uow:
        listed = {(o.email, o.purpose) for o in uow.session.scalars(select(OptOut))}
        assert listed == {(s, p) for s in senders
                          for p in ("content_mailings", "statistics", "ad_networks")}
        requests = uow.session.scalars(select(Request).where(
            Request.kind == "unsubscribe").order_by(Request.id)).all()
        assert [r.sender for r in requests] == senders
        for request in requests:
            assert all(o.request_id == request.id for o in uow.session.scalars(
                select(OptOut).where(OptOut.email == request.sender)))
            (step,) = uow.session.scalars(select(Step).where(Step.request_id == request.id))
            assert (step.position, str(step.status)) == (1, "waiting")  # by hand: cookies
            (draft,) = uow.session.scalars(select(Draft).where(Draft.request_id == request.id))
            assert str(draft.status) == "sent" and draft.outbox_id is not None
            outbox = uow.session.get(OutboxMessage, draft.outbox_id)
            assert outbox is not None and outbox.purpose == f"draft.{draft.id}"
            created = uow.session.scalars(select(Event).where(
                Event.request_id == request.id, Event.action == "draft_created")).one()
            assert created.detail["draft_id"] == draft.id
            opted = uow.session.scalars(select(Event).where(
                Event.request_id == request.id, Event.action == "opted_out")).one()
            assert opted.detail["added"] == ["content_mailings", "statistics", "ad_networks"]
    received = Counter(r for m in smtp_sink.messages for r in m.rcpt_tos)
    # the confirmation only: an opt-out confirmed at once has no acknowledgement of its own
    assert {s: received[s] for s in senders} == {s: 1 for s in senders}
    assert sorted(r for m in acknowledgements(smtp_sink.messages) for r in m.rcpt_tos) == [
        "q1@example.org", "q2@example.org"]


def test_a_purpose_listed_meanwhile_by_another_worker_is_not_new(app: App) -> None:
    with app.uow() as ours:
        assert optouts.purposes_of(ours.repo, "sam@example.org") == []  # ours has begun
        with app.uow() as theirs:
            assert optouts.record(theirs.repo, "sam@example.org", ["sales_calls"],
                                  request_id=None, now=NOW) == ["sales_calls"]
            theirs.commit()
        added = optouts.record(ours.repo, "Sam@Example.org", ["sales_calls", "ad_networks"],
                               request_id=None, now=NOW)
        ours.commit()
    assert added == ["ad_networks"]
    with app.uow() as uow:
        assert sorted((o.email, o.purpose) for o in uow.session.scalars(select(OptOut))) == [
            ("sam@example.org", "ad_networks"), ("sam@example.org", "sales_calls")]


@pytest.mark.postgres
def test_on_postgresql_an_insert_waits_for_the_other_workers_and_skips_what_it_listed(
        app: App, database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("row locks of a transaction not yet committed: PostgreSQL")
    results: list[list[str]] = []
    with app.uow() as theirs:
        optouts.record(theirs.repo, "sam@example.org", ["sales_calls"], request_id=None,
                       now=NOW)  # written, not committed

        def ours() -> None:
            with app.uow() as uow:
                results.append(optouts.record(uow.repo, "sam@example.org",
                                              ["sales_calls", "statistics"],
                                              request_id=None, now=NOW))
                uow.commit()

        thread = threading.Thread(target=ours)
        thread.start()

        def waiting() -> bool:
            with app.database.engine.connect() as connection:
                return bool(connection.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND wait_event_type = 'Lock'")).scalar())

        wait_for(waiting, timeout=10, message="our INSERT waiting for their row")
        theirs.commit()
    thread.join(timeout=10)
    assert results == [["statistics"]]
    with app.uow() as uow:
        assert sorted(o.purpose for o in uow.session.scalars(select(OptOut))) == [
            "sales_calls", "statistics"]
