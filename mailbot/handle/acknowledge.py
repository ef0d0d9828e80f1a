"""The immediate acknowledgement: one reply per mail naming each request's reference and due
date, queued in the outbox in the transaction that records the mail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from mailbot.config import Settings
from mailbot.domain.kinds import RequestKind
from mailbot.draft.quoting import quoted_subject
from mailbot.draft.render import Renderer
from mailbot.handle import special
from mailbot.handle.context import local_date
from mailbot.send.outbox import enqueue
from mailbot.store.models import Event, InboundMail, OutboxMessage, Request
from mailbot.store.repository import Repository

PURPOSE = "acknowledgement"


@dataclass(frozen=True, slots=True)
class Acknowledger:
    settings: Settings
    renderer: Renderer

    def queue(self, repo: Repository, mail: InboundMail, requests: list[Request],
              *, references: tuple[str, ...], now: datetime) -> OutboxMessage | None:
        """Queue the acknowledgement, or record why none goes out (returns None then)."""
        recipient = mail.sender
        if not self.settings.acknowledge.enabled or recipient is None or not requests:
            return None
        window = now - timedelta(seconds=self.settings.acknowledge.rate_limit_window)
        if repo.outbox.recent_count(recipient, PURPOSE, window) >= \
                self.settings.acknowledge.rate_limit_count:
            repo.add(Event(at=now, actor="mailbot", action="acknowledgement_rate_limited",
                           inbound_id=mail.id, detail={"recipient": recipient}))
            return None
        org = self.settings.organisation
        subject = quoted_subject(special.subject_of(mail))
        rendered = self.renderer.render("acknowledgement", requests[0].language, {
            "name": mail.sender_name or "",
            "subject": subject,
            "received": local_date(self.settings, requests[0].received_at),
            "due": min(r.due_at for r in requests),
            "requests": [{"reference": r.reference, "kind": r.kind} for r in requests],
            "any_rights": any(r.kind != RequestKind.OTHER for r in requests),
            "organisation": org.name,
            "address": org.address,
        })
        try:
            outbox = enqueue(
                repo, self.settings, purpose=PURPOSE, id_purpose=PURPOSE, key=str(mail.id),
                to=recipient, subject=rendered.subject, body=rendered.body,
                language=rendered.language, now=now, inbound_id=mail.id,
                request_id=requests[0].id,
                in_reply_to=f"<{mail.message_id}>" if mail.message_id else None,
                references=references)
        except ValueError as exc:  # an address we cannot write to
            repo.add(Event(at=now, actor="mailbot", action="acknowledgement_impossible",
                           inbound_id=mail.id, detail={"error": str(exc)}))
            return None
        for request in requests:
            repo.add(Event(at=now, actor="mailbot", action="acknowledgement_queued",
                           inbound_id=mail.id, request_id=request.id, outbox_id=outbox.id,
                           detail={"language": rendered.language}))
        return outbox
