"""A bounce of our own mail: the outgoing message it reports (found by its Message-ID) is
marked bounced, the draft it came from failed, and the request's timeline says so."""

from __future__ import annotations

from datetime import datetime

from mailbot.domain.mail import NoReplyVerdict
from mailbot.domain.states import OutboxStatus
from mailbot.send.outbox import settle
from mailbot.store.models import Event
from mailbot.store.repository import Repository


def link_bounce(repo: Repository, verdict: NoReplyVerdict, now: datetime) -> int | None:
    """The id of our outbox message that ``verdict`` reports as bounced, now marked so;
    None when the bounce names none of ours (or one that cannot bounce any more)."""
    if not verdict.bounced_message_id:
        return None
    original = repo.outbox.by_message_id(f"<{verdict.bounced_message_id.strip('<>')}>")
    if original is None:
        return None
    if original.can_move(OutboxStatus.BOUNCED):  # the recipient address does not take mail
        settle(repo, original, OutboxStatus.BOUNCED)
        original.last_error = f"bounced: {verdict.reason}"
    repo.add(Event(at=now, actor="mailbot", action="bounced", inbound_id=original.inbound_id,
                   request_id=original.request_id, outbox_id=original.id,
                   detail={"recipients": list(verdict.bounced_recipients)}))
    return original.id
