"""Events held back during ingest and written together at the commit, on SQLite and
PostgreSQL: every one arrives, in order, with its detail; a rollback or a failed savepoint
forgets what it should and nothing more. ``Repository.event`` holds the row itself (no ORM
object), and one about an outbox message not written yet takes its number at the commit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.event import listen, remove

from mailbot.domain.states import OutboxStatus
from mailbot.errors import Conflict
from mailbot.store.crypto import Cipher, generate_key
from mailbot.store.engine import make_engine, upgrade
from mailbot.store.models import Event, OutboxMessage
from mailbot.store.uow import UnitOfWork, uow_factory

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def uow(database_url: str) -> Iterator[Callable[[], UnitOfWork]]:
    engine = make_engine(database_url, Cipher([generate_key()]))
    upgrade(engine)
    yield uow_factory(engine)
    engine.dispose()


def event(action: str, **detail: object) -> Event:
    return Event(at=NOW, actor="mailbot", action=action, detail=detail or None)


def stored(uow: Callable[[], UnitOfWork]) -> list[tuple[str, object]]:
    with uow() as unit:
        return [(e.action, e.detail) for e in unit.session.scalars(
            select(Event).order_by(Event.id))]


def count_elsewhere(uow: Callable[[], UnitOfWork]) -> int:
    with uow() as unit:
        return unit.session.scalar(select(func.count(Event.id))) or 0


def test_held_events_are_written_at_the_commit_in_order_with_their_details(uow):
    with uow() as unit:
        unit.repo.events.hold()
        unit.repo.add(event("first", n=1))
        unit.repo.add(event("second"))
        unit.repo.add(event("third", text="één"))
        unit.repo.flush()
        unit.commit()
    assert stored(uow) == [("first", {"n": 1}), ("second", None), ("third", {"text": "één"})]


def test_a_query_of_events_sees_those_held_in_the_same_unit(uow):
    with uow() as unit:
        unit.repo.events.hold()
        unit.repo.add(event("held"))
        assert [e.action for e in unit.repo.events.staff()] == ["held"]
        unit.repo.add(event("later"))
        unit.commit()
    assert [a for a, _ in stored(uow)] == ["held", "later"]


def test_a_rollback_forgets_the_held_events_and_holding_goes_on(uow):
    with uow() as unit:
        unit.repo.events.hold()
        unit.repo.add(event("undone"))
        unit.rollback()
        unit.repo.add(event("kept"))
        unit.commit()
    assert [a for a, _ in stored(uow)] == ["kept"]


def test_a_failed_savepoint_forgets_only_the_events_held_inside_it(uow):
    with uow() as unit:
        unit.repo.events.hold()
        unit.repo.add(event("before"))
        with pytest.raises(Conflict), unit.repo.savepoint():
            unit.repo.add(event("inside"))
            raise Conflict("refused")
        with unit.repo.savepoint():
            unit.repo.add(event("inside a good one"))
        unit.commit()
    assert [a for a, _ in stored(uow)] == ["before", "inside a good one"]


def test_a_unit_that_is_not_committed_writes_nothing(uow):
    with uow() as unit:
        unit.repo.events.hold()
        unit.repo.add(event("never"))
    assert count_elsewhere(uow) == 0


def test_without_holding_an_event_is_flushed_as_before(uow):
    with uow() as unit:
        unit.repo.add(event("at once"))
        unit.repo.flush()
        assert unit.session.scalar(select(func.count(Event.id))) == 1
        unit.commit()
    assert [a for a, _ in stored(uow)] == ["at once"]


def row(unit: UnitOfWork, action: str, **detail: object) -> None:
    unit.repo.event(action, at=NOW, actor="mailbot", detail=detail or None)


def message(unit: UnitOfWork) -> OutboxMessage:
    outbox = OutboxMessage(
        id=unit.repo.number(OutboxMessage, pooled=False), message_id="<m@example.org>",
        purpose="acknowledgement", envelope_from="privacy@example.org",
        recipient="a@example.org", message=b"text", sending=False,
        status=OutboxStatus.PENDING, attempts=0, next_attempt_at=NOW, created_at=NOW)
    unit.repo.add(outbox)
    return outbox


def test_rows_and_events_held_together_are_written_in_order_no_event_object_made(uow):
    made: list[object] = []

    def making(target: Event, *_: object) -> None:
        made.append(target)

    listen(Event, "init", making)
    try:
        with uow() as unit:
            unit.repo.events.hold()
            row(unit, "a row", n=1)
            unit.repo.add(event("an event"))
            row(unit, "another row", text="één")
            assert len(made) == 1  # the one made by hand
            unit.commit()
    finally:
        remove(Event, "init", making)
    assert stored(uow) == [("a row", {"n": 1}), ("an event", None),
                           ("another row", {"text": "één"})]


def test_a_held_row_about_a_message_not_written_yet_takes_its_number(uow):
    with uow() as unit:
        unit.repo.events.hold()
        outbox = message(unit)
        unit.repo.event("queued", at=NOW, actor="mailbot", outbox=outbox)
        unit.commit()
        sent = outbox.id
    with uow() as unit:
        [written] = unit.session.scalars(select(Event)).all()
        assert (written.action, written.outbox_id) == ("queued", sent)


def test_held_rows_go_with_a_rollback_and_a_failed_savepoint(uow):
    with uow() as unit:
        unit.repo.events.hold()
        row(unit, "undone")
        unit.rollback()
        row(unit, "before")
        with pytest.raises(Conflict), unit.repo.savepoint():
            row(unit, "inside")
            raise Conflict("refused")
        unit.commit()
    assert [a for a, _ in stored(uow)] == ["before"]


def test_without_holding_a_row_is_an_event_flushed_as_before(uow):
    with uow() as unit:
        row(unit, "at once")
        unit.repo.flush()
        assert unit.session.scalar(select(func.count(Event.id))) == 1
        unit.commit()
    assert [a for a, _ in stored(uow)] == ["at once"]
