"""Row numbers given before the row is written, so that handling need not flush for them.

A draft's number goes into its message's purpose and events, a verification's into its
events, a request's into its reference: each used to cost a flush of everything pending (and
on SQLite an INSERT a row, to read the number back). Given in advance, the rows are written
together at the transaction's next flush, and nothing is written twice.

- SQLite: one writer at a time. The transaction takes the write lock first (``BEGIN
  IMMEDIATE`` when nothing was written in it yet), then reads the table's highest number once;
  the numbers after it are its own until it commits, as SQLite would have given them (the
  tables have no AUTOINCREMENT: a new row is the highest plus one). A rollback forgets them.
- PostgreSQL: taken from the column's own sequence, ``POOL`` at a time, kept with the engine
  for its next rows (a number taken and never written is a gap, as after any rollback); other
  workers take theirs from the same sequence, so no two rows share one.
- Any other database: None, and the caller flushes for the number as before.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session, SessionTransaction

POOL = 20  # numbers taken from a PostgreSQL sequence at a time

_NEXT = "mailbot.next_ids"  # session.info: table name -> the next number (SQLite)
_POOLS = "_mailbot_number_pools"  # on the engine's dialect: table -> numbers not used yet
_lock = threading.Lock()


def allocate(session: Session, model: type[Any], *, pooled: bool = True) -> int | None:
    """A number for a new row of ``model`` (an integer ``id`` column) that no other row can
    take; None when the database cannot give one in advance. Without ``pooled``, None on
    PostgreSQL (numbers people read, such as a request's, stay in the order rows are
    written there: PostgreSQL writes a batch's rows in one INSERT anyway)."""
    table = model.__table__
    bind = session.get_bind()
    dialect = bind.dialect.name
    if dialect == "sqlite":
        return _sqlite(session, table)
    if dialect == "postgresql" and pooled:
        return _postgresql(session, bind, table)
    return None


def _sqlite(session: Session, table: Any) -> int:
    numbers: dict[str, int] = session.info.setdefault(_NEXT, {})
    name = table.name
    if name not in numbers:
        connection = session.connection()
        driver = connection.connection.driver_connection
        if driver is not None and not driver.in_transaction:
            # nothing written yet: take the write lock now, so that no other process writes a
            # row of this table before this transaction's own rows go in
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        highest = connection.execute(select(func.max(table.c.id))).scalar()
        numbers[name] = (highest or 0) + 1
    number = numbers[name]
    numbers[name] = number + 1
    return number


def _postgresql(session: Session, bind: Any, table: Any) -> int:
    # kept with the engine (as its cipher is), so that numbers of one database never go to
    # another one's rows
    with _lock:
        pools: dict[str, list[int]] = bind.dialect.__dict__.setdefault(_POOLS, {})
        pool = pools.get(table.name)
        if pool:
            return pool.pop(0)
    taken = list(session.connection().execute(
        text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
             "FROM generate_series(1, :count)"), {"table": table.name, "count": POOL}).scalars())
    with _lock:
        pool = pools.setdefault(table.name, [])
        pool.extend(sorted(taken))
        return pool.pop(0)


@event.listens_for(Session, "before_flush")
def _number_the_rest(session: Session, _context: Any, _instances: Any) -> None:
    """On SQLite, a new row of a table that handed out numbers in this transaction, added
    without one, takes the next: SQLite would give it one already handed out."""
    numbers: dict[str, int] | None = session.info.get(_NEXT)
    if not numbers:
        return
    for obj in session.new:
        table = getattr(type(obj), "__table__", None)
        if table is not None and table.name in numbers and getattr(obj, "id", 0) is None:
            obj.id = numbers[table.name]
            numbers[table.name] += 1


@event.listens_for(Session, "after_commit")
def _forget_after_commit(session: Session) -> None:
    session.info.pop(_NEXT, None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session: Session, previous: SessionTransaction) -> None:
    if not previous.nested:
        session.info.pop(_NEXT, None)
