"""What staff do from the console beyond the draft decisions of ``handle.drafts``: change a
request's kind, add a note, replay or dismiss a quarantined mail, remove a client contact.
Each runs in the caller's transaction (``replay`` opens its own) and leaves an audit event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from mailbot.console.queries import DISMISSED
from mailbot.domain.kinds import Disposition, RequestKind
from mailbot.domain.mail import ParseFailure
from mailbot.domain.states import CLOSED_STATUSES, RequestStatus, VerificationStatus
from mailbot.errors import NotFound, WorkflowError
from mailbot.handle import workflow
from mailbot.handle.context import HandlerContext
from mailbot.handle.registry import handler_for
from mailbot.store.models import ClientContact, Event, InboundMail, Request, Verification
from mailbot.store.repository import Repository

if TYPE_CHECKING:
    from mailbot.bootstrap import App

NOTE_MAX = 10_000


def add_note(ctx: HandlerContext, request: Request, text: str) -> None:
    """An internal note in the request's timeline; it never leaves the organisation."""
    text = text.strip()
    if not text:
        raise WorkflowError("a note cannot be empty")
    if len(text) > NOTE_MAX:
        raise WorkflowError(f"a note has at most {NOTE_MAX} characters")
    ctx.event(request, "note", {"text": text})


def change_kind(ctx: HandlerContext, request: Request, new_kind: str) -> Request:
    """The classifier was wrong: close ``request`` as rejected and handle the same mail as a
    request of ``new_kind`` from the start (verification, drafts, approval). Returns the new
    request."""
    from mailbot.parse import parse

    try:
        kind = RequestKind(new_kind)
    except ValueError:
        raise WorkflowError(f"unknown kind {new_kind!r}") from None
    if kind == request.kind:
        raise WorkflowError(f"request {request.reference} is of kind {kind} already")
    if RequestStatus(request.status) in CLOSED_STATUSES:
        raise WorkflowError(f"request {request.reference} is closed ({request.status})")
    mail = request.inbound
    taken = next((r for r in mail.requests if r.kind == kind), None)
    if taken is not None:
        raise WorkflowError(f"this mail has a request of kind {kind} already: "
                            f"{taken.reference}")
    parsed = parse(mail.raw or b"")
    if isinstance(parsed, ParseFailure):
        raise WorkflowError(f"the mail cannot be parsed again: {parsed.error}")

    was_verified = request.verified_at is not None
    acknowledged = request.status != RequestStatus.NEW
    verification_waiting = (request.status == RequestStatus.AWAITING_VERIFICATION
                            and _pending_verification(ctx.repo, request))
    reason = f"kind changed to {kind} by {ctx.actor}"
    ctx.withdraw(request.drafts, reason)
    ctx.set_status(request, RequestStatus.REJECTED, reason)

    new = Request(
        inbound=mail, kind=kind, status=RequestStatus.NEW, language=request.language,
        sender=request.sender, subject=request.subject, received_at=request.received_at,
        due_at=request.due_at, confidence=1.0, triage=kind == RequestKind.OTHER,
        evidence=[{"rule": "staff", "kind": str(kind), "matched": reason, "weight": 1.0}],
        created_at=ctx.now, updated_at=ctx.now)
    ctx.repo.add(new)
    ctx.repo.flush()
    new.reference = f"MB-{ctx.local_date(request.received_at).year}-{new.id:05d}"
    ctx.event(request, "kind_changed", {"from": request.kind, "to": str(kind),
                                        "new_request": new.reference})
    ctx.event(new, "request_recorded", {"kind": str(kind), "confidence": 1.0,
                                        "due": new.due_at.isoformat(),
                                        "replaces": request.reference})
    if acknowledged:
        ctx.set_status(new, RequestStatus.ACKNOWLEDGED,
                       f"the mail was acknowledged as {request.reference}")

    needs_verification = handler_for(kind).needs_verification
    if needs_verification and was_verified:
        # The sender proved control of the address already; they need not do it again.
        new.verified_at, new.verification_method = request.verified_at, \
            request.verification_method
        ctx.event(new, "verified", {"method": request.verification_method,
                                    "address": new.sender, "from_request": request.reference})
        workflow.proceed(ctx, new)
    elif needs_verification and verification_waiting:
        # The verification mail already sent releases every waiting request of this mail.
        ctx.set_status(new, RequestStatus.AWAITING_VERIFICATION,
                       f"waits for the verification sent for {request.reference}")
    else:
        workflow.start(ctx, [new], parsed)
    return new


def _pending_verification(repo: Repository, request: Request) -> bool:
    return repo.session.scalar(select(Verification.id).where(
        Verification.request_id.in_([r.id for r in request.inbound.requests]),
        Verification.status == VerificationStatus.PENDING)) is not None


@dataclass(frozen=True, slots=True)
class Replayed:
    inbound_id: int
    disposition: str
    references: tuple[str, ...]
    error: str | None = None


def quarantined(repo: Repository, inbound_id: int) -> InboundMail:
    mail = repo.inbound(inbound_id)
    if mail is None or mail.disposition != Disposition.QUARANTINED:
        raise NotFound(f"no quarantined mail {inbound_id}")
    return mail


def is_dismissed(repo: Repository, inbound_id: int) -> bool:
    return repo.session.scalar(select(Event.id).where(
        Event.inbound_id == inbound_id, Event.action == DISMISSED)) is not None


def dismiss(repo: Repository, inbound_id: int, *, actor: str, reason: str,
            now: datetime) -> None:
    """Take a quarantined mail off the list; it stays recorded with its raw bytes."""
    quarantined(repo, inbound_id)
    if is_dismissed(repo, inbound_id):
        raise WorkflowError(f"mail {inbound_id} is dismissed already")
    repo.add(Event(at=now, actor=actor, action=DISMISSED, inbound_id=inbound_id,
                   detail={"reason": reason.strip()}))


def replay(app: App, inbound_id: int, *, actor: str = "mailbot") -> Replayed:
    """Parse a quarantined mail again and, when it parses now, handle it as the daemon would."""
    with app.uow() as uow:
        quarantined(uow.repo, inbound_id)
        if is_dismissed(uow.repo, inbound_id):
            raise WorkflowError(f"mail {inbound_id} was dismissed")
    result, error = app.ingestor.replay(inbound_id, actor=actor)
    with app.uow() as uow:
        references = tuple(r.reference or "" for r in
                           (uow.repo.request(i) for i in result.request_ids) if r is not None)
    return Replayed(result.inbound_id, str(result.disposition), references, error)


def remove_contact(repo: Repository, contact_id: int, *, actor: str, now: datetime) -> str:
    """Remove a client contact: orders from that address are no longer taken as the
    client's. Returns the address."""
    contact = repo.session.get(ClientContact, contact_id)
    if contact is None:
        raise NotFound(f"no client contact {contact_id}")
    address, client = contact.email, contact.client
    client.contacts.remove(contact)
    repo.add(Event(at=now, actor=actor, action="client_contact_removed",
                   detail={"client": client.name, "email": address}))
    repo.flush()
    return address


def client_event(repo: Repository, *, actor: str, now: datetime, action: str,
                 detail: dict[str, object]) -> None:
    repo.add(Event(at=now, actor=actor, action=action, detail=detail))
