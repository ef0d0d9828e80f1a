"""Deliver due outbox messages: each attempt in its own transaction, transient failures
retried with backoff, permanent ones marked failed and listed."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from contextlib import nullcontext
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
from mailbot.store.uow import UnitOfWork

if TYPE_CHECKING:
    from mailbot.metrics import Metrics

log = logging.getLogger(__name__)
ACKNOWLEDGEMENT = "acknowledgement"  # the outbox purpose of handle/acknowledge.py
# The purposes of messages something waits for: a draft's ("draft.ID", handle/drafts.py; a
# step may wait for it too, a forward) and a step's notification ("notify.REQUEST.POSITION",
# handle/notify.py). Only these are looked up when they settle.
DRAFT_PURPOSE = "draft."
NOTIFY_PURPOSE = "notify."


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
            from_address: str | None = None) -> OutboxMessage:
    """Compose a mail from the organisation to ``to`` and put it in the outbox, due now, in
    the caller's transaction. ``purpose`` names the outbox row; the Message-ID is made from
    ``id_purpose`` and ``key`` plus a random token; ``from_address``: a mailbox's own address
    instead of the organisation's (From and envelope). Raises ValueError for an address or
    language that cannot be written (see ``compose_reply``)."""
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
        message_id=message_id, purpose=purpose, inbound_id=inbound_id, request_id=request_id,
        envelope_from=sender, recipient=to, message=message,
        status=OutboxStatus.PENDING, attempts=0, next_attempt_at=now, created_at=now)
    repo.add(outbox)
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
                 status: Status | None = None, metrics: Metrics | None = None) -> None:
        # told, in the same transaction, when a message left or failed for good (a step of
        # a request's outcome waits for it)
        self.on_settled = on_settled
        self.uow = uow
        self.transport = transport
        self.settings = settings
        self.clock = clock
        self.status = status or Status(None)
        self.metrics = metrics

    def deliver_due(self, *, limit: int | None = None) -> DeliveryReport:
        """Deliver every message that is due (at most ``limit``), one claimed at a time,
        until none is left; when the server refuses (and nothing went out), the rest waits
        for the next round. Workers sharing the database each take other messages."""
        report = DeliveryReport()
        opened = getattr(self.transport, "batch", None)  # one connection for the round
        try:
            with opened() if opened is not None else nullcontext(self.transport) as sending:
                while limit is None or report.handled < limit:
                    claimed = self._claim_next()
                    if claimed is None:
                        return report  # all done, or the other workers have the rest
                    self._deliver(claimed, report, sending)
                    if report.retrying and not report.sent:
                        return report  # the server is refusing: leave the rest
            return report
        finally:
            self.status.flush()

    def next_attempt_at(self) -> datetime | None:
        with self.uow() as uow:
            return uow.repo.outbox.next_attempt()

    def _claim_next(self) -> Claimed | None:
        """Take the next due message for one sending attempt, so no other worker sends it
        meanwhile, and read it; after a crash mid-send the claim runs out and it is tried
        again."""
        now = self.clock()
        lease = timedelta(seconds=2 * self.settings.timeout + 5)
        with self.uow() as uow:
            claimed = uow.repo.outbox.claim_next(now, now + lease)
            uow.commit()
            return claimed

    def _deliver(self, claimed: Claimed, report: DeliveryReport, sending: Transport) -> None:
        if claimed.message is None:
            return
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
        with self.uow() as uow:
            uow.repo.events.hold()
            row = uow.repo.outbox.get(outbox_id)
            if row is None:
                return
            if row.status == OutboxStatus.WITHDRAWN and not isinstance(outcome, str):
                return  # withdrawn while it was being tried: it stays withdrawn
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
                uow.repo.add(Event(at=now, actor="mailbot", action="sent",
                                   inbound_id=row.inbound_id, request_id=row.request_id,
                                   outbox_id=row.id, detail={"server": outcome[:200]}))
                report.sent.append(row.id)
                self._observe_latency(uow, row, now)
                log.info("sent outbox message %s (%s%s)", row.id, row.purpose,
                         f", request {row.request_id}" if row.request_id else "")
            if self.on_settled is not None and row.status != OutboxStatus.PENDING:
                self.on_settled(uow.repo, row)
            uow.commit()

    def _observe_latency(self, uow: UnitOfWork, row: OutboxMessage, now: datetime) -> None:
        if self.metrics is None or row.purpose != ACKNOWLEDGEMENT or row.inbound_id is None:
            return
        with uow.repo.no_autoflush():  # the mail's arrival: nothing pending changes it
            received_at = uow.repo.outbox.mail_received_at(row.inbound_id)
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
    draft = None
    if row.purpose.startswith(DRAFT_PURPOSE):
        with repo.no_autoflush():  # the draft's outbox_id was written when it was queued
            draft = repo.drafts.for_outbox(row.id)
    if draft is not None and draft.can_move(_DRAFT_OUTCOME[status]):
        draft.move(_DRAFT_OUTCOME[status])
