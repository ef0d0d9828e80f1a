"""Staff decisions on drafts (approve, reject, edit), and turning a draft into outgoing mail."""

from __future__ import annotations

import difflib

from mailbot.domain.states import DraftStatus, RequestStatus
from mailbot.errors import NotFound, WorkflowError
from mailbot.handle import extension, order_review, refusal
from mailbot.handle.context import HandlerContext
from mailbot.handle.registry import handler_for
from mailbot.send.outbox import enqueue
from mailbot.store.models import Draft, OutboxMessage, Request


def queue(ctx: HandlerContext, draft: Draft) -> OutboxMessage:
    """Put ``draft`` in the outbox, in the caller's transaction."""
    request = draft.request
    if draft.personal_data:
        if request.verified_at is None:
            raise WorkflowError(f"draft {draft.id} carries personal data and request "
                                f"{request.reference} is not verified")
        if draft.recipient != request.sender:
            raise WorkflowError(f"draft {draft.id} carries personal data to "
                                f"{draft.recipient}, which is not the verified address")
    replying = draft.recipient == request.sender
    original = request.inbound.message_id
    outbox = enqueue(
        ctx.repo, ctx.settings, purpose=f"draft.{draft.id}", id_purpose="reply",
        key=str(draft.id), to=draft.recipient, subject=draft.subject, body=draft.body,
        language=draft.language, now=ctx.now, inbound_id=request.inbound_id,
        request_id=request.id, in_reply_to=f"<{original}>" if replying and original else None,
        auto_submitted=draft.auto_submitted)
    draft.outbox_id = outbox.id
    draft.move(DraftStatus.QUEUED)
    draft.updated_at = ctx.now
    ctx.event(request, "draft_queued", {"draft_id": draft.id, "recipient": draft.recipient},
              outbox_id=outbox.id)
    return outbox


def settle(ctx: HandlerContext, request: Request) -> None:
    """Set the request's status from its drafts: waiting for staff, or done."""
    if request.status in (RequestStatus.AWAITING_VERIFICATION, RequestStatus.TRIAGE,
                          RequestStatus.DONE, RequestStatus.REJECTED, RequestStatus.UNVERIFIED,
                          RequestStatus.DISPUTED):
        return
    if order_review.pending(request):
        ctx.set_status(request, RequestStatus.AWAITING_APPROVAL,
                       "the processing order waits for staff to approve it into the register")
        return
    statuses = {d.status for d in request.drafts}
    if DraftStatus.PENDING_APPROVAL in statuses:
        ctx.set_status(request, RequestStatus.AWAITING_APPROVAL, "drafts wait for approval")
    elif any(d.purpose != extension.PURPOSE for d in request.drafts):
        failed = sorted((request.details or {}).get("failed") or {})
        if failed:  # the answer said the rest follows: a person searches again
            ctx.set_status(request, RequestStatus.TRIAGE, (
                f"{', '.join(failed)} could not be searched; the answer said the rest "
                "follows: search again once the sources work"))
        else:
            ctx.set_status(request, RequestStatus.DONE, "every reply is on its way")


def _pending(ctx: HandlerContext, draft_id: int) -> Draft:
    draft = ctx.repo.drafts.get(draft_id)
    if draft is None:
        raise NotFound(f"no draft {draft_id}")
    if draft.status != DraftStatus.PENDING_APPROVAL:
        raise WorkflowError(f"draft {draft_id} is {draft.status}, not waiting for approval")
    return draft


def approve(ctx: HandlerContext, draft_id: int) -> Draft:
    draft = _pending(ctx, draft_id)
    request = draft.request
    draft.move(DraftStatus.APPROVED)
    draft.decided_by, draft.decided_at = ctx.actor, ctx.now
    ctx.event(request, "draft_approved", {"draft_id": draft.id, "version": draft.version})
    queue(ctx, draft)
    if draft.purpose == extension.PURPOSE:
        extension.on_sent(ctx, request, draft)
    elif draft.purpose == refusal.PURPOSE:
        refusal.on_sent(ctx, request, draft)
    else:
        handler_for(request.kind).on_approved(ctx, request, draft)
    settle(ctx, request)
    return draft


def reject(ctx: HandlerContext, draft_id: int, reason: str) -> Draft:
    if not reason.strip():
        raise WorkflowError("a rejection needs a reason")
    draft = _pending(ctx, draft_id)
    draft.move(DraftStatus.REJECTED)
    draft.decided_by, draft.decided_at = ctx.actor, ctx.now
    draft.reason = reason
    ctx.event(draft.request, "draft_rejected", {"draft_id": draft.id, "reason": reason})
    ctx.set_status(draft.request, RequestStatus.TRIAGE, f"draft {draft.id} rejected: {reason}")
    return draft


def edit(ctx: HandlerContext, draft_id: int, text: str) -> Draft:
    """Replace a waiting draft's text; a first line ``Subject: ...`` replaces the subject."""
    draft = _pending(ctx, draft_id)
    subject, body = draft.subject, text
    first, _, rest = text.partition("\n")
    if first.startswith("Subject:"):
        subject, body = first.removeprefix("Subject:").strip(), rest.lstrip("\n")
    if not body.strip():
        raise WorkflowError("the draft's text cannot be empty")
    diff = "".join(difflib.unified_diff(
        draft.body.splitlines(keepends=True), body.splitlines(keepends=True),
        f"version {draft.version}", f"version {draft.version + 1}"))
    changed = {"draft_id": draft.id, "version": draft.version + 1, "diff": diff}
    if subject != draft.subject:
        changed["subject"] = {"from": draft.subject, "to": subject}
    draft.subject, draft.body = subject, body if body.endswith("\n") else body + "\n"
    draft.version += 1
    draft.updated_at = ctx.now
    ctx.event(draft.request, "draft_edited", changed)
    return draft
