"""Queries about inbound mail: by mailbox position, by dedup key, the quarantine."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import and_, event, exists, func, select
from sqlalchemy.orm import Session, SessionTransaction, defer, selectinload
from sqlalchemy.sql.expression import Exists

from mailbot.domain.kinds import Disposition
from mailbot.store.base import Queries
from mailbot.store.blobs import owned_copy, small_ones
from mailbot.store.models import Event, InboundMail, Request

DISMISSED = "quarantine_dismissed"  # the event that takes a mail off the quarantine list
_KEYS = "mailbot.dedup_keys"  # Session.info: the dedup keys given in this transaction


@event.listens_for(Session, "after_soft_rollback")
def _forget_keys(session: Session, previous: SessionTransaction) -> None:
    """Keys given in a transaction that rolled back were never written."""
    session.info.pop(_KEYS, None)


@event.listens_for(Session, "after_commit")
def _keys_written(session: Session) -> None:
    session.info.pop(_KEYS, None)  # in the database now, where the next lookup finds them


class InboundQueries(Queries):
    def get(self, inbound_id: int) -> InboundMail | None:
        return self.session.get(InboundMail, inbound_id)

    def at(self, mailbox: str, uidvalidity: int, uid: str) -> InboundMail | None:
        return self.session.scalar(select(InboundMail).where(
            InboundMail.mailbox == mailbox, InboundMail.uidvalidity == uidvalidity,
            InboundMail.uid == uid))

    def positions(self, mailbox: str, places: Sequence[tuple[int, str]]
                  ) -> set[tuple[int, str]]:
        """Which of ``places`` (UIDVALIDITY, UID) in ``mailbox`` hold a recorded mail."""
        found = self.session.execute(select(InboundMail.uidvalidity, InboundMail.uid).where(
            InboundMail.mailbox == mailbox,
            InboundMail.uid.in_({uid for _validity, uid in places})))
        return {(validity, uid) for validity, uid in found} & set(places)

    def claim_pending(self, limit: int, *, inbound_id: int | None = None
                      ) -> Sequence[InboundMail]:
        """Recorded mails waiting to be handled, oldest first, raw bytes loaded, locked for
        this transaction; those another worker is handling are skipped (PostgreSQL)."""
        query = (select(InboundMail).options(selectinload(InboundMail.raw_mail))
                 .where(InboundMail.disposition == Disposition.PENDING))
        if inbound_id is not None:
            query = query.where(InboundMail.id == inbound_id)
        mails = self.session.scalars(query.order_by(InboundMail.id).limit(limit)
                                     .with_for_update(skip_locked=True)).all()
        if self.session.get_bind().dialect.name != "sqlite":  # SQLite opens each from its blob
            small_ones(self.session, [m.raw_mail for m in mails if m.raw_mail is not None])
        return mails

    def raw_to_parse(self, mail: InboundMail) -> bytes | bytearray | None:
        """The mail's raw bytes for the parser, which may change them (``parse_owned``): a
        large one on SQLite in a buffer of its own, held once while it is parsed."""
        if mail.raw_mail is None:
            return None
        return owned_copy(mail.raw_mail)

    def claim_dedup_key(self, mail: InboundMail, key: str, *,
                        known: Mapping[str, int] | None = None) -> int | None:
        """Give ``mail`` (one with an id) the dedup key ``key``, unless another mail holds
        it, in the database or given it earlier in this transaction: that mail's id then,
        None when the key is ``mail``'s now. Nothing is flushed for it: the key is written
        with the mail's next flush, and a key another worker wrote meanwhile is refused by
        the unique index then (Conflict). ``known``: the holders of keys asked for a group
        of mails (a key not in it was held by none), instead of a query."""
        given: dict[str, int] = self.session.info.setdefault(_KEYS, {})
        holder = given.get(key)
        if holder is None and known is not None:
            holder = known.get(key)
        elif holder is None:
            with self.session.no_autoflush:  # keys not flushed yet are in ``given``
                holder = self.session.scalar(
                    select(InboundMail.id).where(InboundMail.dedup_key == key))
        if holder is not None and holder != mail.id:
            return holder
        mail.dedup_key = key
        given[key] = mail.id
        return None

    def list(self, *, disposition: str | None = None, limit: int | None = None,
             offset: int = 0, newest_first: bool = False) -> Sequence[InboundMail]:
        order = InboundMail.id.desc() if newest_first else InboundMail.id
        query = select(InboundMail).order_by(order)
        if disposition:
            query = query.where(InboundMail.disposition == disposition)
        return self.session.scalars(query.limit(limit).offset(offset)).all()

    def by_disposition(self) -> dict[str, int]:
        return {str(disposition): number for disposition, number in self.session.execute(
            select(InboundMail.disposition, func.count(InboundMail.id))
            .group_by(InboundMail.disposition))}

    def last_uidvalidity(self, mailbox: str) -> int | None:
        """The UIDVALIDITY of the mail last recorded from ``mailbox``."""
        return self.session.scalar(select(InboundMail.uidvalidity)
                                   .where(InboundMail.mailbox == mailbox)
                                   .order_by(InboundMail.id.desc()).limit(1))

    def from_sender(self, address: str) -> Sequence[InboundMail]:
        """Every mail from ``address`` (compared without case), oldest first."""
        return self.session.scalars(
            select(InboundMail).where(func.lower(InboundMail.sender) == address.lower())
            .order_by(InboundMail.received_at, InboundMail.id)).all()

    def quarantined(self, *, dismissed: bool = False) -> Sequence[InboundMail]:
        """Quarantined mails, newest first; the dismissed ones instead with ``dismissed``."""
        condition = _dismissed() if dismissed else ~_dismissed()
        return self.session.scalars(
            select(InboundMail).options(defer(InboundMail.body_text))
            .where(InboundMail.disposition == Disposition.QUARANTINED, condition)
            .order_by(InboundMail.received_at.desc(), InboundMail.id.desc())).all()

    def count_quarantined(self) -> int:
        return self.session.scalar(
            select(func.count(InboundMail.id))
            .where(InboundMail.disposition == Disposition.QUARANTINED, ~_dismissed())) or 0

    def is_dismissed(self, inbound_id: int) -> bool:
        return self.session.scalar(select(Event.id).where(
            Event.inbound_id == inbound_id, Event.action == DISMISSED)) is not None

    def due_for_purge(self, purged_now: set[int], alone_before: datetime
                      ) -> tuple[Sequence[InboundMail], Sequence[InboundMail]]:
        """Mails not purged yet: those all of whose requests have been purged (or are in
        ``purged_now``), and those without requests that arrived by ``alone_before``."""
        unpurged = (Request.inbound_id == InboundMail.id) & Request.purged_at.is_(None)
        if purged_now:
            unpurged &= Request.id.not_in(purged_now)
        lighter = (defer(InboundMail.body_text), defer(InboundMail.classification))
        carried = self.session.scalars(select(InboundMail).options(*lighter).where(
            InboundMail.purged_at.is_(None), InboundMail.requests.any(),
            ~exists().where(unpurged)).order_by(InboundMail.id)).all()
        alone = self.session.scalars(select(InboundMail).options(*lighter).where(
            InboundMail.purged_at.is_(None), ~InboundMail.requests.any(),
            InboundMail.disposition != Disposition.PENDING,
            InboundMail.received_at <= alone_before).order_by(InboundMail.id)).all()
        return carried, alone


def _dismissed() -> Exists:
    return exists().where(and_(Event.inbound_id == InboundMail.id, Event.action == DISMISSED))
