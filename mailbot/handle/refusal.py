"""Refusing a request (art. 12(4) GDPR): the person is told why, and that they may complain
to the Autoriteit Persoonsgegevens and go to court. The refusal waits for staff approval
like other replies; once it is on its way the request is closed as rejected and the other
replies still waiting are withdrawn."""

from __future__ import annotations

from mailbot.domain.states import OPEN_STATUSES, RELEASED_DRAFTS, DraftStatus, RequestStatus
from mailbot.errors import WorkflowError
from mailbot.handle import extension
from mailbot.handle.context import HandlerContext
from mailbot.store.models import Draft, Request

PURPOSE = "refusal"


def refuse(ctx: HandlerContext, request: Request, reason: str) -> Draft:
    """Draft the refusal; raises WorkflowError for a closed request or an empty reason."""
    reason = reason.strip()
    if not reason:
        raise WorkflowError("a refusal needs a reason: the person must be told why")
    if request.status not in OPEN_STATUSES:
        raise WorkflowError(f"request {request.reference} is {request.status}: closed")
    waiting = [d for d in request.drafts
               if d.purpose == PURPOSE and d.status == DraftStatus.PENDING_APPROVAL]
    if waiting:
        raise WorkflowError(f"request {request.reference}: a refusal (draft {waiting[0].id}) "
                            "waits for approval already")
    draft = ctx.draft(
        request, template="refusal", purpose=PURPOSE, needs_approval=True,
        context={"name": request.inbound.sender_name or "", "reference": request.reference,
                 "kind": request.kind,
                 "received": ctx.local_date(request.received_at), "reason": reason})
    ctx.event(request, "refusal_drafted", {"draft_id": draft.id, "reason": reason})
    return draft


def on_sent(ctx: HandlerContext, request: Request, draft: Draft) -> None:
    """The refusal was approved and queued: close the request as rejected."""
    if request.status not in OPEN_STATUSES:
        return
    ctx.withdraw((d for d in request.drafts if d.id != draft.id),
                 f"withdrawn: the request was refused (draft {draft.id})")
    extension.settle(ctx, request)
    ctx.set_status(request, RequestStatus.REJECTED, f"refused (draft {draft.id})")


def settle(ctx: HandlerContext, request: Request) -> None:
    """Close an open request whose refusal is on its way (for the deadline scan)."""
    for draft in request.drafts:
        if draft.purpose == PURPOSE and draft.status in RELEASED_DRAFTS:
            on_sent(ctx, request, draft)
            return
