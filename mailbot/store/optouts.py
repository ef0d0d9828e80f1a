"""Queries about the suppression list (objections per address and purpose)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Insert, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from mailbot.errors import Conflict
from mailbot.store.base import Queries, translated_conflicts
from mailbot.store.models import OptOut, Request

# the databases whose INSERT can skip the rows a unique key already holds and return the rest
_SKIPPING_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


@cache
def _skipping_insert(dialect: str, identifier: str) -> Insert | None:
    """One row's INSERT into ``optout`` that skips a row whose (``identifier``, purpose) is
    listed and returns (identifier, purpose) of a row it wrote; None on a database without
    one. Its parameters are given when it runs, a list of rows at once: SQLAlchemy sends them
    in one statement ("insertmanyvalues") and compiles it once for every number of rows (a
    VALUES of the rows themselves is compiled afresh for each call, and not cached)."""
    insert = _SKIPPING_INSERT.get(dialect)
    if insert is None:
        return None
    table = OptOut.__table__
    return (insert(table)
            .on_conflict_do_nothing(index_elements=[identifier, "purpose"])
            .returning(table.c[identifier], table.c.purpose))


class OptOutQueries(Queries):
    def purposes_of(self, email: str) -> list[str]:
        """The purposes ``email`` objected to, sorted."""
        return list(self.session.scalars(
            select(OptOut.purpose).where(OptOut.email == email.lower())
            .order_by(OptOut.purpose)))

    def of(self, email: str) -> list[OptOut]:
        """The entries of ``email`` (compared without case), oldest first."""
        return list(self.session.scalars(
            select(OptOut).where(func.lower(OptOut.email) == email.strip().lower())
            .order_by(OptOut.created_at, OptOut.id)))

    def phones_of(self, phone: str) -> list[str]:
        """The purposes the phone number ``phone`` (international form) objected to."""
        return list(self.session.scalars(
            select(OptOut.purpose).where(OptOut.phone == phone).order_by(OptOut.purpose)))

    def add(self, email: str, purpose: str, *, request_id: int | None,
            now: datetime) -> bool:
        """Record one objection; False when it was on the list already (also when another
        process recorded it at the same moment)."""
        email = email.lower()
        if purpose in self.purposes_of(email):
            return False
        return self._insert(OptOut(email=email, purpose=purpose, request_id=request_id,
                                   created_at=now))

    def add_all(self, email: str, purposes: Iterable[str], *, request_id: int | None,
                now: datetime) -> list[str]:
        """Record an objection to each of ``purposes``; returns those that are new (not those
        on the list already, nor those another process recorded at the same moment). On
        SQLite and PostgreSQL one INSERT that skips the listed ones and returns the rest
        (``_insert_new``): what else is pending in the transaction is not written for it;
        elsewhere one lookup and one savepoint."""
        email = email.lower()
        wanted = list(dict.fromkeys(purposes))
        if not wanted:
            return []
        inserted = self._insert_new("email", [
            {"email": email, "phone": None, "purpose": purpose, "request_id": request_id,
             "created_at": now} for purpose in wanted])
        if inserted is not None:
            return [purpose for purpose in wanted if (email, purpose) in inserted]
        listed = set(self.purposes_of(email))
        new = [purpose for purpose in dict.fromkeys(purposes) if purpose not in listed]
        if not new:
            return []
        try:
            with self.savepoint():
                self.session.add_all([OptOut(email=email, purpose=purpose,
                                             request_id=request_id, created_at=now)
                                      for purpose in new])
        except Conflict:  # another process recorded one of them meanwhile: one at a time
            return [purpose for purpose in new
                    if self.add(email, purpose, request_id=request_id, now=now)]
        return new

    def add_phones(self, pairs: Sequence[tuple[str, str]], *, request_id: int | None,
                   now: datetime) -> list[tuple[str, str]]:
        """Record an objection for each (phone number, purpose) of ``pairs``; returns the
        pairs that are new, in their order. One INSERT as ``add_all`` (SQLite, PostgreSQL),
        elsewhere ``add_phone`` for each."""
        wanted = list(dict.fromkeys(pairs))
        if not wanted:
            return []
        inserted = self._insert_new("phone", [
            {"email": None, "phone": phone, "purpose": purpose, "request_id": request_id,
             "created_at": now} for phone, purpose in wanted])
        if inserted is not None:
            return [pair for pair in wanted if pair in inserted]
        return [(phone, purpose) for phone, purpose in wanted
                if self.add_phone(phone, purpose, request_id=request_id, now=now)]

    def _insert_new(self, identifier: str,
                    rows: list[dict[str, Any]]) -> set[tuple[str, str]] | None:
        """Insert ``rows`` (each with every column but ``id``) in one statement that skips
        those whose (``identifier``, purpose) is listed already, also by another process at
        this moment (PostgreSQL waits for its commit, SQLite has one writer); the
        (identifier, purpose) of the rows it wrote. None when the database has no such
        INSERT. Rows pending in the transaction are not written first (no flush, no
        savepoint), except the request the rows name, which must be there before them."""
        statement = _skipping_insert(self.session.get_bind().dialect.name, identifier)
        if statement is None:
            return None
        request_id = rows[0]["request_id"]
        if request_id is not None and any(isinstance(obj, Request) and obj.id == request_id
                                          for obj in self.session.new):
            self.session.flush()  # a request numbered in advance and not written yet
        with translated_conflicts():
            return {(str(key), str(purpose)) for key, purpose in self.core(statement, rows)}

    def add_phone(self, phone: str, purpose: str, *, request_id: int | None,
                  now: datetime) -> bool:
        """Record one objection for a phone number; False when it was listed already."""
        if purpose in self.phones_of(phone):
            return False
        return self._insert(OptOut(phone=phone, purpose=purpose, request_id=request_id,
                                   created_at=now))

    def _insert(self, optout: OptOut) -> bool:
        try:
            with self.savepoint():
                self.session.add(optout)
        except Conflict:
            return False
        return True

    def remove_phone(self, phone: str, purpose: str) -> bool:
        result = self.session.execute(delete(OptOut).where(
            OptOut.phone == phone, OptOut.purpose == purpose))
        return getattr(result, "rowcount", 0) > 0

    def remove(self, email: str, purpose: str) -> bool:
        result = self.session.execute(delete(OptOut).where(
            OptOut.email == email.strip().lower(), OptOut.purpose == purpose))
        return getattr(result, "rowcount", 0) > 0

    def rows(self, search: str = "") -> list[tuple[OptOut, str | None]]:
        """Every entry with the reference of the request that made it, by address (phone
        numbers after them) and purpose; only identifiers containing ``search`` when given."""
        query = (select(OptOut, Request.reference)
                 .outerjoin(Request, Request.id == OptOut.request_id)
                 .order_by(OptOut.email.is_(None), OptOut.email, OptOut.phone,
                           OptOut.purpose))
        if search.strip():
            needle = search.strip().lower()
            query = query.where(OptOut.email.contains(needle, autoescape=True)
                                | OptOut.phone.contains(needle, autoescape=True))
        return [(optout, reference) for optout, reference in self.session.execute(query)]
