"""A message that may have left: its worker stopped while it was on its way to the mail
server, so mailbot cannot know whether the server took it. A person says which: send it
again, or mark it as arrived (the recipient has it, or the server's log shows it left)."""

from __future__ import annotations

from dataclasses import dataclass

from mailbot.domain.staff import Role
from mailbot.domain.states import OutboxStatus
from mailbot.errors import NotFound, WorkflowError
from mailbot.handle.drafts import outbox_settled
from mailbot.send.outbox import settle
from mailbot.service.base import Acting, Service
from mailbot.store.models import Event, OutboxMessage

NOTE_MAX = 2000


@dataclass(frozen=True, slots=True)
class Decided:
    outbox_id: int
    status: str
    recipient: str


def _uncertain(act: Acting, outbox_id: int) -> OutboxMessage:
    row = act.repo.outbox.get(outbox_id)
    if row is None:
        raise NotFound(f"no outgoing mail {outbox_id}")
    if row.status != OutboxStatus.UNCERTAIN:
        raise WorkflowError(f"outgoing mail {outbox_id} is {row.status}, not uncertain: only a "
                            "mail that may have left waits for this decision")
    return row


def _event(act: Acting, row: OutboxMessage, action: str, note: str) -> None:
    act.repo.add(Event(at=act.ctx.now, actor=act.by, action=action, inbound_id=row.inbound_id,
                       request_id=row.request_id, outbox_id=row.id,
                       detail={"note": note.strip()[:NOTE_MAX]} if note.strip() else None))


def send_again(service: Service, outbox_id: int, *, by: str, note: str = "") -> Decided:
    """It did not arrive (or nobody can tell and a second copy does no harm): the next
    delivery round sends it, with the same Message-ID."""
    with service.acting(by, Role.APPROVER) as act:
        row = _uncertain(act, outbox_id)
        row.move(OutboxStatus.PENDING)
        row.next_attempt_at = act.ctx.now
        _event(act, row, "send_again", note)
        return Decided(row.id, str(row.status), row.recipient)


def arrived(service: Service, outbox_id: int, *, by: str, note: str = "") -> Decided:
    """It did arrive: recorded as sent now, and what waited for it goes on."""
    with service.acting(by, Role.APPROVER) as act:
        row = _uncertain(act, outbox_id)
        row.sent_at = act.ctx.now
        row.attempts += 1
        settle(act.repo, row, OutboxStatus.SENT)
        _event(act, row, "marked_arrived", note)
        outbox_settled(act.ctx, row)
        return Decided(row.id, str(row.status), row.recipient)
