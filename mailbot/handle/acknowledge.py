"""The immediate acknowledgement: one reply per mail naming each request's reference and due
date, queued in the outbox in the transaction that records the mail."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from mailbot.config import Settings
from mailbot.domain.kinds import RequestKind
from mailbot.draft.render import Renderer
from mailbot.send.compose import LOOP_HEADER, compose_reply, make_message_id, message_bytes
from mailbot.store.models import Event, InboundMail, OutboxMessage, Request
from mailbot.store.repository import Repository

PURPOSE = "acknowledgement"
MAX_QUOTED_SUBJECT = 120


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
        if repo.recent_outbox_count(recipient, PURPOSE, window) >= \
                self.settings.acknowledge.rate_limit_count:
            repo.add(Event(at=now, actor="mailbot", action="acknowledgement_rate_limited",
                           inbound_id=mail.id, detail={"recipient": recipient}))
            return None
        org = self.settings.organisation
        subject = (mail.subject or "").strip()
        if len(subject) > MAX_QUOTED_SUBJECT:
            subject = subject[: MAX_QUOTED_SUBJECT - 1] + "…"
        rendered = self.renderer.render("acknowledgement", requests[0].language, {
            "name": mail.sender_name or "",
            "subject": subject,
            "received": requests[0].received_at.date(),
            "due": min(r.due_at for r in requests),
            "requests": [{"reference": r.reference, "kind": r.kind} for r in requests],
            "any_rights": any(r.kind != RequestKind.OTHER for r in requests),
            "organisation": org.name,
            "address": org.address,
        })
        message_id = make_message_id(org.address.rpartition("@")[2], PURPOSE,
                                     f"{mail.id}.{uuid.uuid4().hex}")
        try:
            message = compose_reply(
                from_address=self.settings.from_address,
                from_name=org.name,
                to=recipient,
                subject=rendered.subject,
                body=rendered.body,
                message_id=message_id,
                in_reply_to=f"<{mail.message_id}>" if mail.message_id else None,
                references=references,
                loop_header=LOOP_HEADER,
                loop_value=org.address,
                language=rendered.language,
                date=now,
                )
        except ValueError as exc:  # an address we cannot write to
            repo.add(Event(at=now, actor="mailbot", action="acknowledgement_impossible",
                           inbound_id=mail.id, detail={"error": str(exc)}))
            return None
        outbox = OutboxMessage(
            message_id=message_id, purpose=PURPOSE, inbound_id=mail.id,
            request_id=requests[0].id, envelope_from=self.settings.from_address,
            recipient=recipient, message=message_bytes(message), status="pending", attempts=0,
            next_attempt_at=now, created_at=now)
        repo.add(outbox)
        repo.flush()
        for request in requests:
            repo.add(Event(at=now, actor="mailbot", action="acknowledgement_queued",
                           inbound_id=mail.id, request_id=request.id, outbox_id=outbox.id,
                           detail={"language": rendered.language}))
        return outbox
