"""Staff decisions on drafts (approve, reject, edit), and turning a draft into outgoing mail."""

from __future__ import annotations

import difflib

from mailbot.domain.states import DraftStatus, OutboxStatus, RequestStatus, StepStatus
from mailbot.draft.gaps import gaps
from mailbot.errors import NotFound, WorkflowError
from mailbot.handle import extension, letters, order_review, outcome, refusal, steps
from mailbot.handle.context import HandlerContext
from mailbot.handle.registry import handler_for
from mailbot.send.outbox import DRAFT_PURPOSE, NOTIFY_PURPOSE, enqueue
from mailbot.store.models import Draft, OutboxMessage, Request


def queue(ctx: HandlerContext, draft: Draft, *, flush: bool = True) -> OutboxMessage:
    """Put ``draft`` in the outbox, in the caller's transaction. Without ``flush``, the
    message is written with the transaction's next flush, which gives the draft its
    ``outbox_id`` (and held events theirs)."""
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
        ctx.repo, ctx.settings, purpose=f"{DRAFT_PURPOSE}{draft.id}", id_purpose="reply",
        key=str(draft.id), to=draft.recipient, subject=draft.subject, body=draft.body,
        language=draft.language, now=ctx.now, inbound_id=request.inbound_id,
        request_id=request.id, in_reply_to=f"<{original}>" if replying and original else None,
        auto_submitted=draft.auto_submitted, from_address=ctx.sender_for(request),
        flush=flush)
    draft.outbox = outbox
    if outbox.id is not None:
        draft.outbox_id = outbox.id
    draft.move(DraftStatus.QUEUED)
    draft.updated_at = ctx.now
    ctx.event(request, "draft_queued", {"draft_id": draft.id, "recipient": draft.recipient},
              outbox=outbox)
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
    waiting = [d for d in request.drafts if d.status == DraftStatus.PENDING_APPROVAL]
    open_steps = [s for s in request.steps
                  if s.status in (StepStatus.PENDING, StepStatus.WAITING)]
    if waiting and all(outcome.blocking(d) for d in waiting):
        ctx.set_status(request, RequestStatus.AWAITING_STEPS,
                       "the answer states steps that have no result yet")
    elif waiting:
        ctx.set_status(request, RequestStatus.AWAITING_APPROVAL, "drafts wait for approval")
    elif open_steps:
        ctx.set_status(request, RequestStatus.AWAITING_STEPS, ", ".join(
            f"step {s.position} ({steps.describe(s)}) is {s.status}" for s in open_steps))
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
    """Approve a waiting draft. An answer built from the outcome cannot be approved while a
    step it states is open; approving it carries out the planned steps, and it leaves only
    when their results say what it says (else it is rebuilt and waits again)."""
    draft = _pending(ctx, draft_id)
    request = draft.request
    _complete(draft)
    if draft.mentions is not None:
        letters.check(draft)
        if not letters.carry_out(ctx, draft):
            settle(ctx, request)
            return draft
    draft.move(DraftStatus.APPROVED)
    draft.decided_by, draft.decided_at = ctx.actor, ctx.now
    ctx.event(request, "draft_approved", {"draft_id": draft.id, "version": draft.version})
    queue(ctx, draft)
    if draft.purpose == extension.PURPOSE:
        extension.on_sent(ctx, request, draft)
    elif draft.purpose == refusal.PURPOSE:
        refusal.on_sent(ctx, request, draft)
    elif (forward := ctx.repo.steps.for_draft(draft.id)) is not None:
        if forward.status == StepStatus.WAITING:
            steps.record(ctx, forward, StepStatus.PENDING, f"approved by {ctx.actor}")
            forward.outbox_id = draft.outbox_id
        letters.refresh(ctx, request)
    elif draft.mentions is None:
        handler_for(request.kind).on_approved(ctx, request, draft)
    settle(ctx, request)
    return draft


def _complete(draft: Draft) -> None:
    """WorkflowError when ``draft`` still holds a gap only staff can fill."""
    lines = gaps(f"{draft.subject}\n{draft.body}")
    if lines:
        shown = "; ".join(f"{line[:80]!r}" for line in lines[:3])
        more = f" and {len(lines) - 3} more" if len(lines) > 3 else ""
        raise WorkflowError(
            f"draft {draft.id} still has {len(lines)} gap(s) for staff to fill: {shown}{more}; "
            f"edit the draft to complete them first (mailbot drafts edit {draft.id})")


def outbox_settled(ctx: HandlerContext, row: OutboxMessage) -> None:
    """A mail a step sent (a notification, a forward) left or failed: record the step's
    result, rebuild the answer and settle the request."""
    if not row.purpose.startswith((NOTIFY_PURPOSE, DRAFT_PURPOSE)):
        return  # no step sends anything else
    step = ctx.repo.steps.for_outbox(row.id)
    if step is None or step.status != StepStatus.PENDING:
        return
    if row.status == OutboxStatus.SENT:
        steps.record(ctx, step, StepStatus.DONE, f"sent as <{row.message_id}>")
    else:
        steps.record(ctx, step, StepStatus.FAILED,
                     f"the mail could not be delivered: {row.last_error or row.status}")
        steps.manual(ctx, step.request, f"{steps.describe(step)} another way: the mail "
                     "could not be delivered", target=step.target, action=step.action)
    request = step.request
    letters.refresh(ctx, request)
    settle(ctx, request)


def reject(ctx: HandlerContext, draft_id: int, reason: str) -> Draft:
    if not reason.strip():
        raise WorkflowError("a rejection needs a reason")
    draft = _pending(ctx, draft_id)
    draft.move(DraftStatus.REJECTED)
    draft.decided_by, draft.decided_at = ctx.actor, ctx.now
    draft.reason = reason
    ctx.event(draft.request, "draft_rejected", {"draft_id": draft.id, "reason": reason})
    forward = ctx.repo.steps.for_draft(draft.id)
    if forward is not None and forward.open:
        # never reported as sent: the answer is rebuilt without it
        steps.record(ctx, forward, StepStatus.FAILED, f"the forward was rejected by "
                     f"{ctx.actor}", note=reason)
        letters.refresh(ctx, draft.request)
        settle(ctx, draft.request)
        return draft
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
