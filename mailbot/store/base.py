"""What every query class of the store shares: the session of the unit of work it runs in,
and savepoints whose database conflicts become :class:`~mailbot.errors.Conflict`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

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

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A nested transaction: a conflict inside undoes only what was done inside it."""
        with translated_conflicts(), self.session.begin_nested():
            yield
