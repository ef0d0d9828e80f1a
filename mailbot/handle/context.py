"""What a kind handler gets to work with, inside the transaction of the step it runs in."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from mailbot.config import Settings
from mailbot.domain.kinds import RequestKind
from mailbot.domain.states import CLOSED_STATUSES, REQUESTS, DraftStatus, RequestStatus
from mailbot.draft.render import Renderer
from mailbot.handle import special
from mailbot.mailbox.source import MailSource
from mailbot.sources.registry import SourceRegistry
from mailbot.store.models import Draft, OutboxMessage, Request
from mailbot.store.repository import Repository


@dataclass(frozen=True)
class Services:
    """What the workflow needs beside the database: the settings, the reply renderer, the
    data sources and the clock. ``bootstrap`` builds it once; ``context`` is the one place
    a HandlerContext is made."""

    settings: Settings
    renderer: Renderer
    sources: SourceRegistry
    clock: Callable[[], datetime]
    # Opens the mailbox, for deleting a mail's original (erasure); None: not reachable here.
    mailbox: Callable[[], MailSource] | None = None
    # The address replies to a mailbox's mail come from, by the mailbox's source name
    # ([[mailboxes]] with an address); any other: the organisation's.
    reply_from: Mapping[str, str] = field(default_factory=dict)

    def context(self, repo: Repository, actor: str = "mailbot",
                now: datetime | None = None) -> HandlerContext:
        return HandlerContext(self.settings, repo, self.renderer, self.sources,
                              now or self.clock(), actor, self.mailbox, self.reply_from)


def local_date(settings: Settings, moment: datetime) -> date:
    """The organisation's calendar day at ``moment`` (stored times are UTC)."""
    return moment.astimezone(ZoneInfo(settings.organisation.timezone)).date()


@dataclass
class HandlerContext:
    settings: Settings
    repo: Repository
    renderer: Renderer
    sources: SourceRegistry
    now: datetime
    actor: str = "mailbot"
    mailbox: Callable[[], MailSource] | None = None
    reply_from: Mapping[str, str] = field(default_factory=dict)

    def sender_for(self, request: Request) -> str | None:
        """The address a reply about ``request`` comes from when its mail came into a
        mailbox with an address of its own; None: the organisation's."""
        return self.reply_from.get(request.inbound.mailbox) if request.inbound else None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.settings.organisation.timezone)

    def local_date(self, moment: datetime) -> date:
        return local_date(self.settings, moment)

    def mail_text(self, request: Request) -> str:
        """The mail's text, its special-category data left out unless staff included it."""
        return special.text_of(request.inbound)

    def mail_subject(self, request: Request) -> str:
        """The subject as a reply may quote it (special-category data likewise)."""
        return special.subject_of(request.inbound) if request.inbound.special \
            else request.subject or ""

    def organisation(self) -> dict[str, str]:
        org = self.settings.organisation
        return {"organisation": org.name, "address": org.address}

    def needs_approval(self, request: Request, *, personal_data: bool) -> bool:
        return (personal_data or request.kind == RequestKind.ERASURE
                or request.kind in self.settings.approval.required)

    def draft(
        self,
        request: Request,
        *,
        template: str,
        context: dict[str, Any],
        purpose: str = "reply",
        recipient: str | None = None,
        language: str | None = None,
        personal_data: bool = False,
        needs_approval: bool | None = None,
        auto_submitted: bool = False,
        flush: bool = True,
    ) -> Draft:
        """Render ``template`` into a draft; it waits for approval or goes out by itself.
        Without ``flush``, the draft is written with the transaction's next flush, numbered
        in advance where the database allows it (store/ids.py): the caller names it by
        number only in events and in its own message (``drafts.queue``)."""
        rendered = self.renderer.render(template, language or request.language,
                                        {**self.organisation(), **context})
        number = None if flush else self.repo.number(Draft)
        draft = Draft(
            id=number, request_id=request.id, purpose=purpose, language=rendered.language,
            recipient=(recipient or request.sender).lower(), subject=rendered.subject,
            body=rendered.body, personal_data=personal_data,
            needs_approval=self.needs_approval(request, personal_data=personal_data)
            if needs_approval is None else needs_approval or personal_data,
            auto_submitted=auto_submitted, status=DraftStatus.PENDING_APPROVAL,
            version=1,
            created_at=self.now, updated_at=self.now)
        request.drafts.append(draft)
        if number is None:
            self.repo.flush()  # for its id
        self.event(request, "draft_created", {"draft_id": draft.id, "purpose": purpose,
                                              "needs_approval": draft.needs_approval})
        return draft

    def withdraw(self, drafts: Iterable[Draft], reason: str) -> None:
        """Reject those of ``drafts`` still waiting for approval, as decided by ``actor``."""
        for draft in drafts:
            if draft.status == DraftStatus.PENDING_APPROVAL:
                draft.move(DraftStatus.REJECTED)
                draft.reason = reason
                draft.decided_by, draft.decided_at, draft.updated_at = (self.actor, self.now,
                                                                        self.now)

    def event(self, request: Request, action: str, detail: dict[str, Any] | None = None,
              *, outbox_id: int | None = None, outbox: OutboxMessage | None = None) -> None:
        """Record ``action`` on ``request``; ``outbox``: the message it is about, which may
        not be written yet (the event then takes its id when it is)."""
        self.repo.event(action, at=self.now, actor=self.actor, inbound_id=request.inbound_id,
                        request_id=request.id, detail=detail, outbox_id=outbox_id,
                        outbox=outbox)

    def set_status(self, request: Request, status: RequestStatus, why: str = "") -> None:
        """Move ``request`` to ``status`` (no change when it is there already), with an event
        saying why; IllegalTransition when the request's state machine does not allow it."""
        current = request.status
        if current == status:
            return
        request.status = REQUESTS.move(current, status, f"request {request.reference}")
        request.updated_at = self.now
        request.closed_at = self.now if status in CLOSED_STATUSES else None
        self.event(request, "status", {"from": current, "to": status, "why": why})
