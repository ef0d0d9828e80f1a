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
NO_DEADLINE = (RequestKind.OTHER, RequestKind.REGISTER_INSTRUCTION)


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
        immediate = {r.id for r in requests if self.applied_at_once(r)}
        if len(immediate) == len(requests):
            repo.add(Event(at=now, actor="mailbot", action="acknowledgement_skipped",
                           inbound_id=mail.id, detail={
                               "why": "applied at once: its confirmation is the answer"}))
            return None
        window = now - timedelta(seconds=self.settings.acknowledge.rate_limit_window)
        if repo.outbox.recent_count(recipient, PURPOSE, window) >= \
                self.settings.acknowledge.rate_limit_count:
            repo.add(Event(at=now, actor="mailbot", action="acknowledgement_rate_limited",
                           inbound_id=mail.id, detail={"recipient": recipient}))
            return None
        org = self.settings.organisation
        subject = quoted_subject(special.subject_of(mail))
        # Only the rights of data subjects have a legal deadline; an order gets a receipt,
        # an opt-out applied at once its confirmation.
        rights = [r for r in requests if r.kind not in NO_DEADLINE and r.id not in immediate]
        due = min((r.due_at for r in rights), default=None)
        late = due is not None and due < local_date(self.settings, now)
        if late:
            for request in rights:
                repo.add(Event(at=now, actor="mailbot", action="recorded_after_due",
                               inbound_id=mail.id, request_id=request.id, detail={
                                   "due": request.due_at.isoformat(),
                                   "note": "recorded after its legal deadline: answer as soon "
                                           "as possible (the deadline scan escalates it)"}))
        rendered = self.renderer.render("acknowledgement", requests[0].language, {
            "name": mail.sender_name or "",
            "subject": subject,
            "received": local_date(self.settings, requests[0].received_at),
            "due": due,
            "late": late,
            "requests": [{"reference": r.reference, "kind": r.kind,
                          "immediate": r.id in immediate} for r in requests],
            "any_rights": bool(rights),
            "order": any(r.kind == RequestKind.REGISTER_INSTRUCTION for r in requests),
            "immediate": bool(immediate),
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

    def applied_at_once(self, request: Request) -> bool:
        """An opt-out applied on arrival, without approval: its confirmation follows now."""
        return (request.kind == RequestKind.UNSUBSCRIBE and not request.triage
                and RequestKind.UNSUBSCRIBE not in self.settings.approval.required)
