"""What every query class of the store shares: the session of the unit of work it runs in,
and savepoints whose database conflicts become :class:`~mailbot.errors.Conflict`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import CursorResult, Executable
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mailbot.errors import Conflict


@contextmanager
def translated_conflicts() -> Iterator[None]:
    """A unique or foreign key the database refuses becomes ``Conflict``."""
    try:
        yield
    except IntegrityError as exc:
        raise Conflict(f"database conflict: {exc.orig}") from exc


class Queries:
    """The queries about one aggregate, inside one unit of work."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def core(self, statement: Executable,
             parameters: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None
             ) -> CursorResult[Any]:
        """Run a statement that names no loaded object (a bulk UPDATE of rows by id, an INSERT
        of plain rows) on the unit of work's connection, in its transaction, without the
        ORM's work around it (about 0.15 ms a statement, more than running it): nothing
        pending is written first and nothing loaded is refreshed, so it is for statements
        that what is pending cannot change."""
        return self.session.connection().execute(statement, parameters)

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A nested transaction: a conflict inside undoes only what was done inside it."""
        with translated_conflicts(), self.session.begin_nested():
            yield
