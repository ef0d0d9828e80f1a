"""Deliver due outbox messages: each attempt in its own transaction, transient failures
retried with backoff, permanent ones marked failed and listed."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from mailbot.config import Settings, Smtp
from mailbot.domain.states import DraftStatus, OutboxStatus
from mailbot.errors import PermanentSendError, TransientSendError
from mailbot.logsetup import redact
from mailbot.send.compose import LOOP_HEADER, compose_reply_bytes, make_message_id
from mailbot.send.retry import next_attempt_delay, should_give_up
from mailbot.status import Status
from mailbot.store.models import Event, OutboxMessage
from mailbot.store.outbox import Claimed
from mailbot.store.repository import Repository
from mailbot.store.uow import UnitOfWork, database_trouble

if TYPE_CHECKING:
    from mailbot.metrics import Metrics

log = logging.getLogger(__name__)
ACKNOWLEDGEMENT = "acknowledgement"  # the outbox purpose of handle/acknowledge.py
# The purposes of messages something waits for: a draft's ("draft.ID", handle/drafts.py; a
# step may wait for it too, a forward) and a step's notification ("notify.REQUEST.POSITION",
# handle/notify.py). Only these are looked up when they settle.
DRAFT_PURPOSE = "draft."
NOTIFY_PURPOSE = "notify."
DELIVER_BATCH = 20  # due messages claimed in one transaction (each settled in its own)
UNCERTAIN_WHY = ("its worker stopped while it was on its way to the mail server: it may have "
                 "left; send it again or mark it as arrived")


class Transport(Protocol):
    def send_sync(self, message: bytes, *, sender: str, recipients: Sequence[str]) -> str: ...


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return len(self.sent) + len(self.retrying) + len(self.failed)


def enqueue(repo: Repository, settings: Settings, *, purpose: str, id_purpose: str, key: str,
            to: str, subject: str, body: str, language: str, now: datetime,
            inbound_id: int | None, request_id: int | None, in_reply_to: str | None = None,
            references: Sequence[str] = (), auto_submitted: bool = True,
            from_address: str | None = None, flush: bool = True) -> OutboxMessage:
    """Compose a mail from the organisation to ``to`` and put it in the outbox, due now, in
    the caller's transaction. ``purpose`` names the outbox row; the Message-ID is made from
    ``id_purpose`` and ``key`` plus a random token; ``from_address``: a mailbox's own address
    instead of the organisation's (From and envelope). Raises ValueError for an address or
    language that cannot be written (see ``compose_reply``). Without ``flush``, the row is
    written with the transaction's next flush, and has no id until then (events about it:
    ``Repository.add_event``)."""
    org = settings.organisation
    sender = from_address or settings.from_address
    message_id = make_message_id(org.address.rpartition("@")[2], id_purpose,
                                 f"{key}.{uuid.uuid4().hex}")
    message = compose_reply_bytes(
        from_address=sender, from_name=org.name, to=to, subject=subject,
        body=body, message_id=message_id, in_reply_to=in_reply_to, references=references,
        loop_header=LOOP_HEADER, loop_value=org.address, language=language, date=now,
        auto_submitted=auto_submitted)
    outbox = OutboxMessage(
        # unflushed, on SQLite: numbered now, written with the transaction's other rows in
        # one INSERT (what names it by number before then: Repository.add_event)
        id=None if flush else repo.number(OutboxMessage, pooled=False),
        message_id=message_id, purpose=purpose, inbound_id=inbound_id, request_id=request_id,
        envelope_from=sender, recipient=to, message=message, sending=False,
        status=OutboxStatus.PENDING, attempts=0, next_attempt_at=now, created_at=now)
    repo.add(outbox)
    if flush:
        repo.flush()
    return outbox


def recompose(outbox: OutboxMessage, settings: Settings, *, subject: str, body: str,
              language: str, now: datetime, in_reply_to: str | None,
              references: Sequence[str] = (), auto_submitted: bool = True) -> None:
    """A new text for a message that has not left yet, in the caller's transaction; it
    keeps its Message-ID, sender and recipient."""
    if outbox.status != OutboxStatus.PENDING:
        raise ValueError(f"outbox message {outbox.id} is {outbox.status}: it cannot change")
    org = settings.organisation
    outbox.message = compose_reply_bytes(
        from_address=outbox.envelope_from, from_name=org.name, to=outbox.recipient,
        subject=subject, body=body, message_id=outbox.message_id, in_reply_to=in_reply_to,
        references=references, loop_header=LOOP_HEADER, loop_value=org.address,
        language=language, date=now, auto_submitted=auto_submitted)


class Outbox:
    def __init__(self, uow: Callable[[], UnitOfWork], transport: Transport, settings: Smtp,
                 clock: Callable[[], datetime],
                 on_settled: Callable[[Repository, OutboxMessage], None] | None = None,
                 status: Status | None = None, metrics: Metrics | None = None,
                 alone: Callable[[], AbstractContextManager[UnitOfWork | None]] | None = None
                 ) -> None:
        # told, in the same transaction, when a message left or failed for good (a step of
        # a request's outcome waits for it)
        self.on_settled = on_settled
        self.uow = uow
        # for a round: a unit of work whose every statement commits by itself (PostgreSQL),
        # for messages settled in one statement (Database.statements_alone)
        self.alone = alone
        self.transport = transport
        self.settings = settings
        self.clock = clock
        self.status = status or Status(None)
        self.metrics = metrics
        self._arrivals: dict[int, datetime] = {}  # the claimed acknowledgements' mails

    def deliver_due(self, *, limit: int | None = None) -> DeliveryReport:
        """Deliver every message that is due (at most ``limit``), claimed ``DELIVER_BATCH``
        at a time, until none is left; when the server refuses (and nothing went out), the
        rest waits for the next round. Workers sharing the database each take other
        messages. Each message is settled in a transaction of its own right after its
        attempt, which marks the next one as on its way: a message still so marked when its
        claim runs out may have left before its worker stopped, and is held as UNCERTAIN for
        a person instead of being sent a second time."""
        report = DeliveryReport()
        opened = getattr(self.transport, "batch", None)  # one connection for the round
        try:
            with opened() if opened is not None else nullcontext(self.transport) as sending, \
                    self.alone() if self.alone is not None else nullcontext() as alone:
                while limit is None or report.handled < limit:
                    wanted = DELIVER_BATCH if limit is None else limit - report.handled
                    claims = self._claim(min(DELIVER_BATCH, wanted))
                    if not claims:
                        return report  # all done, or the other workers have the rest
                    for position, claimed in enumerate(claims):
                        if self.clock() + self._attempt_time() > claimed.until:
                            # too late to begin it within the claim: due again, untried
                            self._release(claims[position:])
                            break
                        following = claims[position + 1] if position + 1 < len(claims) \
                            else None
                        try:
                            alone = self._deliver(claimed, report, sending, following, alone)
                        except BaseException:
                            # the database or a bug: the untried rest need not wait for
                            # their claims to run out (this one may have left: it waits)
                            self._release_quietly(claims[position + 1:])
                            raise
                        if report.retrying and not report.sent:
                            self._release(claims[position + 1:])
                            return report  # the server is refusing: leave the rest
            return report
        finally:
            self.status.flush()

    def next_attempt_at(self) -> datetime | None:
        with self.uow() as uow:
            return uow.repo.outbox.next_attempt()

    def _attempt_time(self) -> timedelta:
        """How long one sending attempt may take at most."""
        return timedelta(seconds=2 * self.settings.timeout + 5)

    def _claim(self, limit: int) -> list[Claimed]:
        """Take up to ``limit`` due messages, each for one sending attempt, so no other
        worker sends them meanwhile, and read them; after a crash mid-send the claims run
        out and they are tried again. The claim holds long enough to begin each of them
        within ``smtp.timeout`` seconds and finish it (the rest is given back)."""
        now = self.clock()
        until = now + self._attempt_time() + timedelta(seconds=self.settings.timeout)
        with self.uow() as uow:
            for outbox_id, inbound_id, request_id in uow.repo.outbox.hold_uncertain(now):
                uow.repo.add(Event(at=now, actor="mailbot", action="delivery_uncertain",
                                   inbound_id=inbound_id, request_id=request_id,
                                   outbox_id=outbox_id, detail={"why": UNCERTAIN_WHY}))
                log.warning("outbox message %s may have left before its worker stopped: it "
                            "waits for a person (mailbot outbox send-again / arrived)",
                            outbox_id)
            claims = uow.repo.outbox.claim_due(now, until, limit)
            if self.metrics is not None:
                self._arrivals = uow.repo.outbox.mails_received_at(
                    [c.inbound_id for c in claims
                     if c.purpose == ACKNOWLEDGEMENT and c.inbound_id is not None])
            uow.commit()
            return claims

    def _release(self, claims: Sequence[Claimed]) -> None:
        if not claims:
            return
        with self.uow() as uow:
            uow.repo.outbox.release(claims, self.clock())
            uow.commit()

    def _release_quietly(self, claims: Sequence[Claimed]) -> None:
        try:
            self._release(claims)
        except Exception as exc:  # the database is down: the claims run out by themselves
            log.warning("could not give %s claimed messages back: %s", len(claims), exc)

    def _deliver(self, claimed: Claimed, report: DeliveryReport, sending: Transport,
                 following: Claimed | None, alone: UnitOfWork | None = None
                 ) -> UnitOfWork | None:
        """One attempt and its settling; returns the round's held unit of work for the next
        message (None once the database failed on it)."""
        if claimed.message is None:
            with self.uow() as uow:
                uow.repo.outbox.hand_over(claimed.id, following)
                uow.commit()
            return alone
        outbox_id, message = claimed.id, claimed.message
        sender, recipient = claimed.envelope_from, claimed.recipient
        outcome: Exception | str
        try:
            outcome = sending.send_sync(message, sender=sender, recipients=[recipient])
        except (TransientSendError, PermanentSendError) as exc:
            outcome = exc
            self.status.smtp_failed(str(exc), down=isinstance(exc, TransientSendError))
            if self.metrics is not None:
                kind = "transient" if isinstance(exc, TransientSendError) else "permanent"
                self.metrics.outbox_failures.labels(kind).inc()
        else:
            self.status.smtp_delivered()
        tried = False
        if alone is not None and isinstance(outcome, str) and self._in_one_statement(claimed):
            tried = True
            try:
                settled = self._sent(alone.repo, claimed, outcome, report, following)
                alone.commit()  # (the statement committed by itself)
            except Exception as exc:
                if not database_trouble(exc):
                    raise
                # its connection lost since the last message, say (a held connection is not
                # tried before use, as one from the pool is): the long way, on one from the
                # pool, and the rest of the round too
                log.warning("settling outbox message %s on the round's connection failed "
                            "(%s); settling it on another", claimed.id, exc)
                settled, alone = False, None
            if settled:
                return alone
        with self.uow() as uow:
            uow.repo.events.hold()
            if isinstance(outcome, str) and not tried and self._sent(
                    uow.repo, claimed, outcome, report, following):
                uow.commit()  # the following message marked by the same UPDATE
                return alone
            uow.repo.outbox.hand_over(outbox_id, following)
            row = uow.repo.outbox.get(outbox_id)
            if row is None or (row.status == OutboxStatus.WITHDRAWN
                               and not isinstance(outcome, str)):
                uow.commit()  # withdrawn while it was being tried: it stays withdrawn
                return alone
            if row.status == OutboxStatus.UNCERTAIN:
                # held while still on its way (its claim ran out): now it is known
                row.move(OutboxStatus.PENDING)
            if row.status == OutboxStatus.WITHDRAWN:
                uow.repo.add(Event(at=self.clock(), actor="mailbot",
                                   action="sent_though_withdrawn", inbound_id=row.inbound_id,
                                   request_id=row.request_id, outbox_id=row.id,
                                   detail={"why": "it was on its way to the server when it "
                                           "was withdrawn"}))
            if isinstance(outcome, TransientSendError):
                self._retry_or_fail(uow, row, str(outcome), report)
            elif isinstance(outcome, PermanentSendError):
                self._fail(uow, row, str(outcome), report)
            else:
                now = self.clock()
                row.sent_at = now  # before settle's query, so one UPDATE writes it all
                row.attempts += 1
                row.last_error = None
                settle(uow.repo, row, OutboxStatus.SENT)
                self._sent_event(uow.repo, row.id, row.inbound_id, row.request_id, outcome,
                                 now)
                report.sent.append(row.id)
                self._observe_latency(row.purpose, row.inbound_id, now)
                log.info("sent outbox message %s (%s%s)", row.id, row.purpose,
                         f", request {row.request_id}" if row.request_id else "")
            if self.on_settled is not None and row.status != OutboxStatus.PENDING:
                self.on_settled(uow.repo, row)
            uow.commit()
        return alone

    def _in_one_statement(self, claimed: Claimed) -> bool:
        """Whether ``_sent`` settles the accepted message ``claimed`` in one statement, which
        can commit by itself (on PostgreSQL: ``OutboxQueries.settle_sent``): no step waits
        for it, so nothing is read. Should the statement find it no longer pending, the mark
        of the message after it is written already; the long way settles it (and marks that
        one again)."""
        if claimed.purpose.startswith(NOTIFY_PURPOSE):
            return False
        return not (claimed.waited and self.on_settled is not None
                    and claimed.purpose.startswith(DRAFT_PURPOSE))

    def _sent(self, repo: Repository, claimed: Claimed, server: str,
              report: DeliveryReport, following: Claimed | None) -> bool:
        """A message the server accepted, still pending (the usual case): marked sent, with
        ``following`` marked as on its way next, its ``sent`` event and its draft (if any),
        without reading a row (``OutboxQueries.settle_sent``: one statement on PostgreSQL);
        its row read only when a step waits for it (a notification; a forward's draft). False
        when it was not pending any more (then it is unchanged; the caller settles it the
        long way and hands the mark over again)."""
        now = self.clock()
        draft = claimed.purpose.startswith(DRAFT_PURPOSE)
        if not repo.outbox.settle_sent(claimed, now, server, draft=draft, following=following):
            return False
        report.sent.append(claimed.id)
        self._observe_latency(claimed.purpose, claimed.inbound_id, now)
        waited = claimed.purpose.startswith(NOTIFY_PURPOSE)  # a step's notification
        if draft:
            # a step waited for it at the claim: does it still (staff may have closed it)?
            waited = (self.on_settled is not None and claimed.waited
                      and repo.steps.waiting_for(claimed.id))
        if waited and self.on_settled is not None:
            row = repo.outbox.get(claimed.id, text=False)
            if row is not None:
                self.on_settled(repo, row)
        log.info("sent outbox message %s (%s)", claimed.id, claimed.purpose)
        return True

    def _sent_event(self, repo: Repository, outbox_id: int, inbound_id: int | None,
                    request_id: int | None, server: str, now: datetime) -> None:
        repo.add(Event(at=now, actor="mailbot", action="sent", inbound_id=inbound_id,
                       request_id=request_id, outbox_id=outbox_id,
                       detail={"server": server[:200]}))

    def _observe_latency(self, purpose: str, inbound_id: int | None, now: datetime) -> None:
        if self.metrics is None or purpose != ACKNOWLEDGEMENT or inbound_id is None:
            return
        received_at = self._arrivals.get(inbound_id)
        if received_at is not None:
            seconds = (now - received_at).total_seconds()
            self.metrics.acknowledgement_latency.observe(max(seconds, 0.0))

    def _retry_or_fail(self, uow: UnitOfWork, row: OutboxMessage, error: str,
                       report: DeliveryReport) -> None:
        row.attempts += 1
        if should_give_up(row.attempts, self.settings.max_attempts):
            self._fail(uow, row, f"gave up after {row.attempts} attempts: {error}", report)
            return
        delay = next_attempt_delay(row.attempts, min_delay=self.settings.retry_min_delay,
                                   max_delay=self.settings.retry_max_delay)
        row.next_attempt_at = self.clock() + timedelta(seconds=delay)
        row.last_error = error
        report.retrying.append(row.id)
        log.warning("sending %s failed (%s); retry in %.0f s", row.message_id, redact(error),
                    delay)

    def _fail(self, uow: UnitOfWork, row: OutboxMessage, error: str,
              report: DeliveryReport) -> None:
        now = self.clock()
        settle(uow.repo, row, OutboxStatus.FAILED)
        row.last_error = error
        uow.repo.add(Event(at=now, actor="mailbot", action="send_failed",
                           inbound_id=row.inbound_id, request_id=row.request_id,
                           outbox_id=row.id, detail={"error": error}))
        report.failed.append(row.id)
        log.error("sending %s failed for good: %s", row.message_id, redact(error))


_DRAFT_OUTCOME = {OutboxStatus.SENT: DraftStatus.SENT, OutboxStatus.FAILED: DraftStatus.FAILED,
                  OutboxStatus.BOUNCED: DraftStatus.FAILED}


def settle(repo: Repository, row: OutboxMessage, status: OutboxStatus) -> None:
    """Move the message to ``status`` and the draft it came from (if any) along with it."""
    row.move(status)
    _settle_draft(repo, row, status)


def _settle_draft(repo: Repository, row: OutboxMessage, status: OutboxStatus) -> None:
    """The draft ``row`` came from (if any) follows it to ``status``."""
    draft = None
    if row.purpose.startswith(DRAFT_PURPOSE):
        with repo.no_autoflush():  # the draft's outbox_id was written when it was queued
            draft = repo.drafts.for_outbox(row.id)
    if draft is not None and draft.can_move(_DRAFT_OUTCOME[status]):
        draft.move(_DRAFT_OUTCOME[status])
