"""The immediate acknowledgement: one reply per mail naming each request's reference and due
date, queued in the outbox in the transaction that records the mail."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from mailbot.config import Settings
from mailbot.domain.kinds import RequestKind
from mailbot.domain.states import DraftStatus, OutboxStatus
from mailbot.draft.quoting import quoted_subject
from mailbot.draft.render import RenderedMail, Renderer
from mailbot.handle import other_rights, special
from mailbot.handle.context import local_date
from mailbot.send.outbox import enqueue, recompose
from mailbot.store import foreknown
from mailbot.store.models import InboundMail, OutboxMessage, Request
from mailbot.store.repository import Repository

PURPOSE = "acknowledgement"
NO_DEADLINE = (RequestKind.OTHER, RequestKind.REGISTER_INSTRUCTION)
RELEASED = (DraftStatus.APPROVED, DraftStatus.QUEUED, DraftStatus.SENT)


@dataclass(frozen=True, slots=True)
class Acknowledger:
    settings: Settings
    renderer: Renderer
    reply_from: Mapping[str, str] = field(default_factory=dict)  # see Services.reply_from

    def queue(self, repo: Repository, mail: InboundMail, requests: list[Request],
              *, references: tuple[str, ...], now: datetime,
              immediate: set[int] | None = None) -> OutboxMessage | None:
        """Queue the acknowledgement, or record why none goes out (returns None then).
        ``immediate``: the opt-outs whose confirmation is on its way (before the workflow
        ran: those it will confirm at once; ``settle`` mends the text after it)."""
        recipient = mail.sender
        if not self.settings.acknowledge.enabled or recipient is None or not requests:
            return None
        if immediate is None:
            immediate = {r.id for r in requests if self.applied_at_once(r)}
        if len(immediate) == len(requests):
            repo.event("acknowledgement_skipped", at=now, actor="mailbot",
                       inbound_id=mail.id, detail={
                           "why": "applied at once: its confirmation is the answer"})
            return None
        window = now - timedelta(seconds=self.settings.acknowledge.rate_limit_window)
        # an acknowledgement queued earlier in this transaction may not be written yet
        known = foreknown.current(repo)
        written = known.recent_count(recipient, window) if known is not None else None
        recent = (repo.outbox.recent_count(recipient, PURPOSE, window, pending=True)
                  if written is None
                  else written + repo.outbox.unwritten_count(recipient, PURPOSE, window))
        if recent >= self.settings.acknowledge.rate_limit_count:
            repo.event("acknowledgement_rate_limited", at=now, actor="mailbot",
                       inbound_id=mail.id, detail={"recipient": recipient})
            return None
        late, rendered = self._render(mail, requests, immediate, now)
        if late:
            rights = [r for r in requests
                      if r.kind not in NO_DEADLINE and r.id not in immediate]
            for request in rights:
                repo.event("recorded_after_due", at=now, actor="mailbot",
                           inbound_id=mail.id, request_id=request.id, detail={
                               "due": request.due_at.isoformat(),
                               "note": "recorded after its legal deadline: answer as soon "
                                       "as possible (the deadline scan escalates it)"})
        try:
            outbox = enqueue(
                repo, self.settings, purpose=PURPOSE, id_purpose=PURPOSE, key=str(mail.id),
                to=recipient, subject=rendered.subject, body=rendered.body,
                language=rendered.language, now=now, inbound_id=mail.id,
                request_id=requests[0].id,
                in_reply_to=_in_reply_to(mail),
                references=references, from_address=self.reply_from.get(mail.mailbox),
                flush=False)  # written with the rest at the commit
        except ValueError as exc:  # an address we cannot write to
            repo.event("acknowledgement_impossible", at=now, actor="mailbot",
                       inbound_id=mail.id, detail={"error": str(exc)})
            return None
        for request in requests:
            repo.event("acknowledgement_queued", at=now, actor="mailbot",
                       inbound_id=mail.id, request_id=request.id,
                       detail={"language": rendered.language}, outbox=outbox)
        return outbox

    def settle(self, repo: Repository, mail: InboundMail, requests: list[Request],
               outbox: OutboxMessage | None, *, references: tuple[str, ...],
               now: datetime) -> OutboxMessage | None:
        """After the workflow: the acknowledgement names as confirmed at once only the
        opt-outs whose confirmation the workflow did queue; one skipped because all would be
        confirmed at once goes out after all when one was not."""
        if not self.settings.acknowledge.enabled or mail.sender is None or not requests:
            return outbox
        done = {r.id for r in requests if confirmed(r)}
        forecast = {r.id for r in requests if self.applied_at_once(r)}
        if done == forecast:
            return outbox
        if outbox is None:
            if len(forecast) < len(requests):  # held back for another reason: it stays so
                return None
            return self.queue(repo, mail, requests, references=references, now=now,
                              immediate=done)
        if outbox.status != OutboxStatus.PENDING:
            return outbox
        _, rendered = self._render(mail, requests, done, now)
        recompose(outbox, self.settings, subject=rendered.subject, body=rendered.body,
                  language=rendered.language, now=now, in_reply_to=_in_reply_to(mail),
                  references=references)
        repo.event("acknowledgement_revised", at=now, actor="mailbot",
                   inbound_id=mail.id, detail={
                       "why": "an opt-out was not confirmed at once",
                       "confirmed_at_once": sorted(done)}, outbox=outbox)
        return outbox

    def _render(self, mail: InboundMail, requests: list[Request], immediate: set[int],
                now: datetime) -> tuple[bool, RenderedMail]:
        """Whether the due date has passed already, and the acknowledgement's text."""
        org = self.settings.organisation
        # Only the rights of data subjects have a legal deadline; an order gets a receipt,
        # an opt-out confirmed at once its confirmation.
        rights = [r for r in requests if r.kind not in NO_DEADLINE and r.id not in immediate]
        due = min((r.due_at for r in rights), default=None)
        late = due is not None and due < local_date(self.settings, now)
        return late, self.renderer.render("acknowledgement", requests[0].language, {
            "name": mail.sender_name or "",
            "subject": quoted_subject(special.subject_of(mail)),
            "received": local_date(self.settings, requests[0].received_at),
            "due": due,
            "late": late,
            "requests": [{"reference": r.reference, "kind": r.kind,
                          "immediate": r.id in immediate} for r in requests],
            "any_rights": bool(rights),
            "order": any(r.kind == RequestKind.REGISTER_INSTRUCTION for r in requests),
            "immediate": bool(immediate),
            "also": other_rights.asked(requests),
            "organisation": org.name,
            "address": org.address,
        })

    def applied_at_once(self, request: Request) -> bool:
        """An opt-out the workflow will confirm on arrival, without approval (a forecast:
        ``confirmed`` says whether it did)."""
        return (request.kind == RequestKind.UNSUBSCRIBE and not request.triage
                and RequestKind.UNSUBSCRIBE not in self.settings.approval.required)


def confirmed(request: Request) -> bool:
    """An opt-out whose confirmation is on its way: the workflow queued it."""
    return request.kind == RequestKind.UNSUBSCRIBE and any(
        d.purpose == "confirmation" and d.status in RELEASED for d in request.drafts)


def _in_reply_to(mail: InboundMail) -> str | None:
    return f"<{mail.message_id}>" if mail.message_id else None
