"""Every query mailbot runs, grouped per aggregate, inside one unit of work:
``repo.requests.find(...)``, ``repo.drafts.get(...)``, ``repo.outbox.due(...)``. Nothing outside
store/ builds a query; a database conflict surfaces as :class:`~mailbot.errors.Conflict`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from mailbot.store import ids
from mailbot.store.base import translated_conflicts
from mailbot.store.clients import ClientQueries
from mailbot.store.drafts import DraftQueries
from mailbot.store.events import EventQueries, about_outbox, held, row
from mailbot.store.extensions import ExtensionQueries
from mailbot.store.inbound import InboundQueries
from mailbot.store.models import Event, OutboxMessage
from mailbot.store.notices import NoticeQueries
from mailbot.store.oauth import OAuthQueries
from mailbot.store.optouts import OptOutQueries
from mailbot.store.outbox import OutboxQueries
from mailbot.store.register import RegisterQueries
from mailbot.store.requests import RequestQueries
from mailbot.store.staff import StaffQueries
from mailbot.store.steps import StepQueries
from mailbot.store.verifications import VerificationQueries


class Repository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.inbound = InboundQueries(session)
        self.requests = RequestQueries(session)
        self.drafts = DraftQueries(session)
        self.outbox = OutboxQueries(session)
        self.verifications = VerificationQueries(session)
        self.extensions = ExtensionQueries(session)
        self.optouts = OptOutQueries(session)
        self.clients = ClientQueries(session)
        self.register = RegisterQueries(session)
        self.staff = StaffQueries(session)
        self.events = EventQueries(session)
        self.notices = NoticeQueries(session)
        self.steps = StepQueries(session)
        self.oauth = OAuthQueries(session)

    @property
    def info(self) -> dict[Any, Any]:
        """Notes kept for the length of this unit of work (the sources that failed in it)."""
        return self.session.info

    def number(self, model: type[Any], *, pooled: bool = True) -> int | None:
        """A number for a new row of ``model`` given before it is written (store/ids.py);
        None: the row's flush gives it."""
        return ids.allocate(self.session, model, pooled=pooled)

    def add(self, obj: object) -> None:
        events = held(self.session) if isinstance(obj, Event) else None
        if events is not None:
            if not self.session.in_transaction():
                self.session.begin()  # so that a rollback forgets it (store/events.py)
            events.append(obj)  # written at the commit
        else:
            self.session.add(obj)

    def add_event(self, event: Event, *, outbox: OutboxMessage) -> None:
        """Add ``event`` about ``outbox``, which may not be written yet: while events are
        held, the event takes the message's id when they are written; otherwise the message
        is written now for it."""
        if not inspect(outbox).persistent and not about_outbox(self.session, event, outbox):
            self.flush()  # the row first (a number given in advance orders nothing)
        if outbox.id is not None:
            event.outbox_id = outbox.id
        self.add(event)

    def event(self, action: str, *, at: datetime, actor: str, inbound_id: int | None = None,
              request_id: int | None = None, detail: object = None,
              outbox_id: int | None = None, outbox: OutboxMessage | None = None) -> None:
        """Record an event (``outbox``: the message it is about, as ``add_event``). While
        events are held it is kept as the row it becomes: making an ``Event`` costs more than
        writing it (about 30 us of the ORM's bookkeeping)."""
        events = held(self.session)
        if events is None:
            event = Event(at=at, actor=actor, action=action, inbound_id=inbound_id,
                          request_id=request_id, outbox_id=outbox_id, detail=detail)
            if outbox is None:
                self.session.add(event)
            else:
                self.add_event(event, outbox=outbox)
            return
        kept = row(at=at, actor=actor, action=action, inbound_id=inbound_id,
                   request_id=request_id, outbox_id=outbox_id, detail=detail)
        if outbox is not None:
            if inspect(outbox).persistent:
                kept["outbox_id"] = outbox.id
            else:
                about_outbox(self.session, kept, outbox)
        if not self.session.in_transaction():
            self.session.begin()  # so that a rollback forgets it (store/events.py)
        events.append(kept)

    def delete(self, obj: object) -> None:
        self.session.delete(obj)

    @staticmethod
    def known_empty(obj: object, *collections: str) -> None:
        """``obj``'s ``collections`` hold nothing yet (a row written in this transaction, or
        a mail no handling has ever committed for): their first use issues no query. A
        collection already loaded or changed is left as it is."""
        state = inspect(obj)
        queued = getattr(state, "_pending_mutations", None) or {}  # a backref's appends
        for name in collections:
            if name in state.unloaded and name not in queued:
                set_committed_value(obj, name, [])

    def flush(self) -> None:
        """Write what is pending; a unique key taken by another becomes Conflict (the
        transaction must then be rolled back)."""
        with translated_conflicts():
            self.session.flush()

    @contextmanager
    def no_autoflush(self) -> Iterator[None]:
        """Queries inside do not write what is pending first: for lookups that what is
        pending cannot change, so that it goes out later in one flush."""
        with self.session.no_autoflush:
            yield

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A nested transaction: a conflict inside undoes only what was done inside it."""
        events = held(self.session)
        kept = len(events) if events is not None else 0
        try:
            with translated_conflicts(), self.session.begin_nested():
                yield
        except BaseException:
            if events is not None:
                del events[kept:]  # those held inside the savepoint go with it
            raise

    @property
    def sqlite(self) -> bool:
        return self.session.get_bind().dialect.name == "sqlite"

    def erase_deleted_content(self) -> None:
        """From now on in this transaction, overwrite what is changed or deleted instead of
        leaving it in free pages (SQLite; other databases have no such switch)."""
        if self.sqlite:
            self.session.execute(text("PRAGMA secure_delete = ON"))
