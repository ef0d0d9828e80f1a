"""Moving a request along: verification first where personal data is involved, then the
kind's handler, then staff approval; and the ways staff move it on when it stops (a new
kind, a proof of identity found another way, a search run again, a free reply, closing it).
Each step runs in the caller's transaction."""

from __future__ import annotations

from mailbot.domain.kinds import RequestKind
from mailbot.domain.mail import ParsedMail
from mailbot.domain.states import OPEN_STATUSES, DraftStatus, RequestStatus
from mailbot.errors import WorkflowError
from mailbot.handle import (
    address_change,
    address_proof,
    extension,
    letters,
    refusal,
    register_instruction,
    steps,
    verify,
)
from mailbot.handle.context import HandlerContext
from mailbot.handle.drafts import queue, settle
from mailbot.handle.registry import handler_for
from mailbot.store.models import Draft, Request

FREE_REPLY = "free_reply"
# Drafts that are no handler's answer: they stay when a request is restarted or searched again.
NOTICES = frozenset({extension.PURPOSE, refusal.PURPOSE})


def start(ctx: HandlerContext, requests: list[Request], mail: ParsedMail | None, *,
          fresh: bool = False) -> None:
    """Called when a mail's requests are recorded (and acknowledged), or when staff gave a
    request a new kind. A request the classifier is unsure of waits for a person (triage)
    before anything is applied; ``mail`` (None: not readable any more) may prove the sender
    by a DMARC pass. ``fresh``: every request of the mail was recorded in this transaction,
    so none has a verification yet (nothing to look up)."""
    unsure = [r for r in requests if r.triage and r.kind != RequestKind.OTHER]
    for request in unsure:
        ctx.set_status(request, RequestStatus.TRIAGE,
                       f"the classifier is unsure ({request.confidence:.2f}): a person "
                       "confirms the kind first")
    requests = [r for r in requests if r not in unsure]
    needing = [r for r in requests
               if handler_for(r.kind).needs_verification and r.verified_at is None]
    if needing:
        trusted = ctx.settings.verification.trusted_authserv_ids
        if mail is not None and verify.dmarc_verified(mail, trusted):
            for request in needing:
                mark_verified(ctx, request, "dmarc")
        else:
            for request in needing:
                ctx.set_status(request, RequestStatus.AWAITING_VERIFICATION,
                               "the sender has not yet proved control of the address")
            mail_requests = [] if fresh else [r.id for r in needing[0].inbound.requests]
            if fresh or not ctx.repo.verifications.pending_for_requests(mail_requests):
                verify.begin(ctx, needing)
    for request in requests:
        if request.status != RequestStatus.AWAITING_VERIFICATION:
            proceed(ctx, request)


def mark_verified(ctx: HandlerContext, request: Request, method: str,
                  **detail: object) -> None:
    request.verified_at = ctx.now
    request.verification_method = method
    ctx.event(request, "verified", {"method": method, "address": request.sender, **detail})


def verified(ctx: HandlerContext, requests: list[Request], method: str) -> None:
    """The sender proved control: let every waiting request go on."""
    for request in requests:
        if request.status == RequestStatus.AWAITING_VERIFICATION and (
                request.verified_at is not None):  # it waited for a new address
            if address_change.confirmed(ctx, request, method):
                proceed(ctx, request)
        elif request.status == RequestStatus.AWAITING_VERIFICATION:
            mark_verified(ctx, request, method)
            ctx.set_status(request, RequestStatus.ACKNOWLEDGED, f"verified by {method}")
            proceed(ctx, request)


def proceed(ctx: HandlerContext, request: Request) -> None:
    handler_for(request.kind).prepare(ctx, request)
    if request.status == RequestStatus.AWAITING_VERIFICATION and address_change.waiting(request):
        address_proof.ask(ctx, request)  # a correction of the e-mail address: prove the new one
        return
    for draft in list(request.drafts):
        if draft.status == DraftStatus.PENDING_APPROVAL and not draft.needs_approval:
            queue(ctx, draft, flush=False)  # written with what follows
    settle(ctx, request)


def approve_order(ctx: HandlerContext, request: Request) -> None:
    """Staff approve a client's processing order: it enters the register now, and the
    receipt saying so goes out."""
    _open(request)
    register_instruction.approve(ctx, request)
    for draft in list(request.drafts):
        if draft.status == DraftStatus.PENDING_APPROVAL and not draft.needs_approval:
            queue(ctx, draft)
    settle(ctx, request)


def reject_order(ctx: HandlerContext, request: Request, reason: str) -> None:
    """Staff reject a client's processing order: the register stays as it was."""
    _open(request)
    register_instruction.reject(ctx, request, reason)


# Closed for want of proof, or disputed by the address's owner: staff may still verify the
# person another way, or send a new code.
_ASK_AGAIN = (RequestStatus.UNVERIFIED, RequestStatus.DISPUTED)


def _open(request: Request) -> None:
    if request.status not in OPEN_STATUSES:
        raise WorkflowError(f"request {request.reference} is {request.status}: closed")


def change_kind(ctx: HandlerContext, request: Request, kind: RequestKind,
                mail: ParsedMail | None) -> None:
    """The request is of ``kind`` (staff decide; the same kind confirms a request the
    classifier was unsure of): its waiting drafts are withdrawn and it starts again as that
    kind, with the same reference and due date. The mail is not recorded again."""
    _open(request)
    if kind == request.kind and not (request.triage or request.status in
                                     (RequestStatus.NEW, RequestStatus.ACKNOWLEDGED,
                                      RequestStatus.TRIAGE)):
        raise WorkflowError(f"request {request.reference} is of kind {kind} already")
    taken = next((r for r in request.inbound.requests
                  if r.kind == kind and r.id != request.id), None)
    if taken is not None:
        raise WorkflowError(f"this mail has a request of kind {kind} already: "
                            f"{taken.reference}")
    before = request.kind
    why = (f"kind {kind} confirmed by {ctx.actor}" if kind == before
           else f"kind changed from {before} to {kind} by {ctx.actor}")
    ctx.withdraw((d for d in request.drafts if d.purpose not in NOTICES), why)
    steps.cancel_open(ctx, request, why)
    request.kind = kind
    request.triage = kind == RequestKind.OTHER
    request.evidence = [*(request.evidence or []),
                        {"rule": "staff", "kind": str(kind), "matched": why, "weight": 1.0}]
    request.updated_at = ctx.now
    ctx.event(request, "kind_changed", {"from": before, "to": str(kind), "by": ctx.actor})
    if request.status != RequestStatus.NEW:
        ctx.set_status(request, RequestStatus.ACKNOWLEDGED, why)
    start(ctx, [request], mail)


def verified_by_staff(ctx: HandlerContext, request: Request, reason: str) -> None:
    """Staff checked the person's identity another way (a phone call, a visit): the request
    counts as verified and, if it waited for that, goes on."""
    reason = reason.strip()
    if not reason:
        raise WorkflowError("say how the identity was checked: it is recorded")
    if request.status not in (*OPEN_STATUSES, *_ASK_AGAIN):
        raise WorkflowError(f"request {request.reference} is {request.status}: closed")
    if request.verified_at is not None and address_change.waiting(request):
        raise WorkflowError(f"request {request.reference}: the sender was verified already; "
                            "it waits for its new e-mail address (verify-new-address)")
    if request.verified_at is not None:
        raise WorkflowError(f"request {request.reference} was verified already "
                            f"({request.verification_method})")
    mark_verified(ctx, request, "staff", reason=reason, by=ctx.actor)
    if request.status in (RequestStatus.AWAITING_VERIFICATION, *_ASK_AGAIN):
        ctx.set_status(request, RequestStatus.ACKNOWLEDGED, f"verified by {ctx.actor}")
        verify.withdraw(ctx, request, f"verified by {ctx.actor}: {reason}")
        proceed(ctx, request)


def verify_new_address(ctx: HandlerContext, request: Request, reason: str) -> None:
    """Staff checked another way that the new e-mail address a correction asks for is the
    person's: with the old address proven too, the correction goes on."""
    if request.status not in (RequestStatus.AWAITING_VERIFICATION, *_ASK_AGAIN):
        raise WorkflowError(f"request {request.reference} is {request.status}, not waiting "
                            "for verification")
    address_proof.confirm_by_staff(ctx, request, reason)
    if request.status in _ASK_AGAIN:
        ctx.set_status(request, RequestStatus.AWAITING_VERIFICATION,
                       f"the new address was confirmed by {ctx.actor}")
    proceed(ctx, request)


def resend_verification(ctx: HandlerContext, request: Request) -> None:
    """A new verification mail (a new code and link) for the requests of ``request``'s mail
    that wait for it; an unanswered one is withdrawn. A request closed as unverified opens
    again. A request that waits for its new address (a correction of the e-mail address)
    gets a new code there."""
    if request.verified_at is not None and address_change.waiting(request):
        address_proof.resend(ctx, request)
        return
    if request.verified_at is not None:
        raise WorkflowError(f"request {request.reference} was verified already")
    if request.status in _ASK_AGAIN:
        ctx.set_status(request, RequestStatus.AWAITING_VERIFICATION,
                       f"a new verification mail, sent by {ctx.actor}")
    elif request.status != RequestStatus.AWAITING_VERIFICATION:
        raise WorkflowError(f"request {request.reference} is {request.status}, not waiting "
                            "for verification")
    verify.withdraw(ctx, request, f"a new verification mail was sent by {ctx.actor}",
                    replaced=True)
    waiting = ctx.repo.requests.waiting_for_verification(request.inbound_id, request.sender)
    if verify.begin(ctx, waiting) is None:
        raise WorkflowError(f"no verification mail could be sent to {request.sender!r}: see "
                            "the request's timeline")


def tick(ctx: HandlerContext, request: Request, step: int | str, done: bool,
         note: str) -> None:
    """Staff record the result of a manual step; the answer is rebuilt from the results.
    On a closed request (a mailbox copy the retention purge could not delete) only the
    step's result is recorded: the answer has left and the request stays as it is."""
    steps.tick(ctx, request, step, done, note)
    if request.status not in OPEN_STATUSES:
        return
    letters.refresh(ctx, request)
    settle(ctx, request)


def research(ctx: HandlerContext, request: Request) -> None:
    """Search the sources again (those that failed included) and rebuild the answer: the
    waiting drafts of the handler are withdrawn and new ones made."""
    handler = handler_for(request.kind)
    if not handler.repeatable:
        raise WorkflowError(f"a request of kind {request.kind} is not searched: nothing to "
                            "search again")
    _open(request)
    if request.status == RequestStatus.AWAITING_VERIFICATION or (
            handler.needs_verification and request.verified_at is None):
        raise WorkflowError(f"request {request.reference} is not verified yet")
    why = f"searched again by {ctx.actor}"
    ctx.withdraw((d for d in request.drafts if d.purpose not in NOTICES), why)
    steps.cancel_open(ctx, request, why)
    ctx.set_status(request, RequestStatus.ACKNOWLEDGED, why)
    ctx.event(request, "research", {"by": ctx.actor,
                                    "failed_before": (request.details or {}).get("failed")})
    proceed(ctx, request)


def reply(ctx: HandlerContext, request: Request, text: str) -> Draft:
    """A reply staff wrote themselves; it waits for approval like every other. A first line
    ``Subject: ...`` gives its subject."""
    _open(request)
    subject, _, body = text.partition("\n")
    if subject.startswith("Subject:"):
        subject, body = subject.removeprefix("Subject:").strip(), body.lstrip("\n")
    else:
        subject, body = "", text
    if not body.strip():
        raise WorkflowError("a reply cannot be empty")
    original = ctx.mail_subject(request).strip()
    subject = subject or (f"Re: {original} [{request.reference}]" if original
                          else f"[{request.reference}]")
    draft = ctx.draft(request, template=FREE_REPLY, purpose=FREE_REPLY, needs_approval=True,
                      context={"subject": " ".join(subject.split()),
                               "text": body.rstrip() + "\n"})
    if request.status in (RequestStatus.NEW, RequestStatus.ACKNOWLEDGED,
                          RequestStatus.TRIAGE):
        ctx.set_status(request, RequestStatus.AWAITING_APPROVAL,
                       f"a reply by {ctx.actor} waits for approval")
    return draft


def close(ctx: HandlerContext, request: Request, reason: str) -> None:
    """Close a request that needs no formal answer (not a GDPR request, nothing to do): no
    mail goes out, the waiting drafts are withdrawn."""
    reason = reason.strip()
    if not reason:
        raise WorkflowError("closing needs a reason: it is recorded")
    if request.status != RequestStatus.DISPUTED:
        _open(request)
    ctx.withdraw(request.drafts, f"closed by {ctx.actor}: {reason}")
    steps.cancel_open(ctx, request, f"closed by {ctx.actor}: {reason}")
    extension.settle(ctx, request)
    ctx.set_status(request, RequestStatus.CLOSED, reason)
    ctx.event(request, "closed", {"reason": reason, "by": ctx.actor})
    verify.withdraw(ctx, request, f"the request was closed: {reason}")


def assign(ctx: HandlerContext, request: Request, to: str | None) -> None:
    """Give the request to a member of staff (None: to nobody)."""
    before = request.assigned_to
    if before == to:
        return
    request.assigned_to = to
    request.updated_at = ctx.now
    ctx.event(request, "assigned", {"from": before, "to": to})
