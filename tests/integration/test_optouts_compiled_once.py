"""An objection's INSERT compiled once (twice: for one row and for more), whatever the number
of purposes (issue 12, round twenty-six), on real SQLite and PostgreSQL: ``store/optouts.py``
sends one row's INSERT with the rows as its parameters, which SQLAlchemy's compiled cache keeps
(a VALUES of the rows themselves had no cache key and was compiled for every opt-out). Still
one statement an opt-out, and the same answer: the purposes that are new, not those listed
already."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from sqlalchemy.engine.interfaces import CacheStats

from mailbot.handle import optouts
from mailbot.store.crypto import Cipher, generate_key
from mailbot.store.engine import make_engine, upgrade
from mailbot.store.models import OptOut
from mailbot.store.uow import uow_factory

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
PURPOSES = ["content_mailings", "event_mailings", "sales_calls", "statistics", "ad_networks"]


@pytest.fixture
def uow(database_url: str) -> Iterator[Any]:
    engine = make_engine(database_url, Cipher([generate_key()]))
    upgrade(engine)
    yield uow_factory(engine)
    engine.dispose()


@pytest.fixture
def inserts() -> Iterator[list[CacheStats]]:
    """For each INSERT INTO optout sent, whether its compiled form came from the cache."""
    seen: list[CacheStats] = []

    def executed(_conn: Any, _cursor: Any, statement: str, parameters: Any, context: Any,
                 _many: bool) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO OPTOUT"):
            seen.append(context.cache_hit)

    event.listen(Engine, "before_cursor_execute", executed)
    yield seen
    event.remove(Engine, "before_cursor_execute", executed)


def test_every_size_of_objection_reuses_one_compiled_insert(
        uow: Any, inserts: list[CacheStats]) -> None:
    answers = []
    for number, size in enumerate([1, 2, 3, 4, 5, 3, 1, 5], start=1):
        with uow() as unit:
            answers.append(optouts.record(unit.repo, f"p{number}@example.org",
                                          PURPOSES[:size], request_id=None, now=NOW))
            unit.commit()
    assert answers == [PURPOSES[:size] for size in [1, 2, 3, 4, 5, 3, 1, 5]]
    assert len(inserts) == 8  # one statement an objection, whatever its size
    # compiled twice at the most (SQLAlchemy keeps one row and several rows apart), then kept
    assert inserts[2:] == [CacheStats.CACHE_HIT] * 6
    with uow() as unit:
        listed = {(o.email, o.purpose) for o in unit.session.scalars(select(OptOut))}
    assert len(listed) == 1 + 2 + 3 + 4 + 5 + 3 + 1 + 5


def test_listed_purposes_are_skipped_and_the_new_ones_returned_in_their_order(
        uow: Any, inserts: list[CacheStats]) -> None:
    with uow() as unit:
        assert optouts.record(unit.repo, "sam@example.org", ["statistics", "sales_calls"],
                              request_id=None, now=NOW) == ["statistics", "sales_calls"]
        unit.commit()
    with uow() as unit:
        added = optouts.record(unit.repo, "Sam@Example.org",
                               ["ad_networks", "statistics", "content_mailings",
                                "ad_networks", "sales_calls"], request_id=None, now=NOW)
        assert added == ["ad_networks", "content_mailings"]
        assert optouts.record(unit.repo, "sam@example.org", ["sales_calls"],
                              request_id=None, now=NOW) == []
        unit.commit()
    with uow() as unit:
        assert sorted(o.purpose for o in unit.session.scalars(
            select(OptOut).where(OptOut.email == "sam@example.org"))) == [
            "ad_networks", "content_mailings", "sales_calls", "statistics"]
    assert len(inserts) == 3


def test_phones_go_the_same_way(uow: Any, inserts: list[CacheStats]) -> None:
    pairs = [("+31612345678", "sales_calls"), ("+31612345678", "statistics"),
             ("+31698765432", "sales_calls")]
    with uow() as unit:
        assert unit.repo.optouts.add_phones(pairs[:1], request_id=None, now=NOW) == pairs[:1]
        unit.commit()
    with uow() as unit:
        assert unit.repo.optouts.add_phones(pairs, request_id=None, now=NOW) == pairs[1:]
        assert unit.repo.optouts.add_phones(pairs[::-1], request_id=None, now=NOW) == []
        unit.commit()
    assert inserts[1:] == [CacheStats.CACHE_MISS, CacheStats.CACHE_HIT]  # one row, then more
    with uow() as unit:
        assert sorted((o.phone, o.purpose) for o in unit.session.scalars(
            select(OptOut).where(OptOut.phone.is_not(None)))) == sorted(pairs)


def test_a_rolled_back_transaction_leaves_no_objection(uow: Any) -> None:
    with uow() as unit:
        optouts.record(unit.repo, "sam@example.org", PURPOSES, request_id=None, now=NOW)
        unit.rollback()
    with uow() as unit:
        assert list(unit.session.scalars(select(OptOut))) == []
        assert optouts.record(unit.repo, "sam@example.org", PURPOSES[:1], request_id=None,
                              now=NOW) == PURPOSES[:1]

