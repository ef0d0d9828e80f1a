"""Extending a request's deadline by one or two months (art. 12(3) GDPR).

``extend`` drafts the notice to the person, with the reason and the new due date; like other
replies it waits for staff approval. The extension takes effect when the notice is queued
(``settle``, called when the draft is approved and by every deadline scan), and only if that
happens on or before the first deadline; a notice still waiting then is withdrawn and the
extension lapses. At most two months in all, and never once the first deadline has passed.
"""

from __future__ import annotations

from datetime import date

from mailbot.domain.calendar import (
    MAX_EXTENSION_MONTHS,
    ExtensionNotAllowed,
    check_extension,
    extended_due,
    target_date,
)
from mailbot.domain.states import OPEN_STATUSES, RELEASED_DRAFTS, DraftStatus, ExtensionStatus
from mailbot.errors import WorkflowError
from mailbot.handle.context import HandlerContext
from mailbot.store.models import Draft, Extension, Request

PURPOSE = "extension_notice"


def can_extend(request: Request, today: date) -> bool:
    """The law still allows more time: the request is open, the first deadline (``today``
    local) has not passed and fewer than two months were added."""
    return (request.status in OPEN_STATUSES
            and (request.extended_months or 0) < MAX_EXTENSION_MONTHS
            and today <= (request.original_due_at or request.due_at))


def extend(ctx: HandlerContext, request: Request, months: int, reason: str) -> Draft:
    """Draft the extension notice; raises WorkflowError when the law does not allow it."""
    reason = reason.strip()
    if not reason:
        raise WorkflowError("an extension needs a reason: the person must be told why")
    if request.status not in OPEN_STATUSES:
        raise WorkflowError(f"request {request.reference} is {request.status}: closed")
    waiting = pending(ctx, request)
    if waiting:
        raise WorkflowError(f"request {request.reference}: an extension notice (draft "
                            f"{waiting[0].draft_id}) waits for approval already")
    original = request.original_due_at or request.due_at
    today = ctx.local_date(ctx.now)
    try:
        new_due = check_extension(original, request.extended_months or 0, months, today)
    except ExtensionNotAllowed as exc:
        raise WorkflowError(f"request {request.reference}: {exc}") from exc
    draft = ctx.draft(
        request, template="extension_notice", purpose=PURPOSE, needs_approval=True,
        context={"name": request.inbound.sender_name or "", "reference": request.reference,
                 "kind": request.kind,
                 "received": ctx.local_date(request.received_at),
                 "original_due": original, "new_due": new_due, "months": months,
                 "total_months": (request.extended_months or 0) + months, "reason": reason})
    ctx.repo.add(Extension(
        request_id=request.id, months=months, reason=reason, status=ExtensionStatus.PENDING,
        draft_id=draft.id, original_due_at=original, new_due_at=new_due,
        requested_by=ctx.actor, created_at=ctx.now))
    ctx.repo.flush()
    ctx.event(request, "extension_drafted", {
        "draft_id": draft.id, "months": months, "reason": reason,
        "first_deadline": original.isoformat(), "new_due": new_due.isoformat()})
    return draft


def pending(ctx: HandlerContext, request: Request) -> list[Extension]:
    return ctx.repo.extensions.of(request.id, ExtensionStatus.PENDING)


def settle(ctx: HandlerContext, request: Request) -> None:
    """Apply, withdraw or let lapse the request's pending extensions; safe to repeat and to
    run on two daemons at once (the status changes by compare-and-set)."""
    today = ctx.local_date(ctx.now)
    for extension in pending(ctx, request):
        draft = ctx.repo.drafts.get(extension.draft_id) if extension.draft_id else None
        first = extension.original_due_at
        if draft is None or draft.status == DraftStatus.REJECTED:
            if _decide(ctx, extension, ExtensionStatus.WITHDRAWN):
                ctx.event(request, "extension_withdrawn", {
                    "months": extension.months, "why": "the notice was rejected"})
        elif draft.status in RELEASED_DRAFTS:
            queued = _queued_day(ctx, draft)
            if queued is not None and queued <= first:
                _apply(ctx, request, extension)
            elif _decide(ctx, extension, ExtensionStatus.LAPSED):
                ctx.event(request, "extension_lapsed", {
                    "months": extension.months, "first_deadline": first.isoformat(),
                    "why": "the notice left after the first deadline: the due date stays; "
                           "staff should tell the person"})
        elif (today > first and draft.status == DraftStatus.PENDING_APPROVAL
              and _decide(ctx, extension, ExtensionStatus.LAPSED)):
            ctx.withdraw([draft], (
                f"not approved before the first deadline ({first.isoformat()}): "
                "an extension can no longer be given"))
            ctx.event(request, "extension_lapsed", {
                "months": extension.months, "draft_id": draft.id,
                "first_deadline": first.isoformat(),
                "why": "the notice was not approved before the first deadline"})


def on_sent(ctx: HandlerContext, request: Request, draft: Draft) -> None:
    """The notice was approved and queued: the extension takes effect now."""
    settle(ctx, request)


def _apply(ctx: HandlerContext, request: Request, extension: Extension) -> None:
    if not _decide(ctx, extension, ExtensionStatus.APPLIED):
        return
    applied = ctx.repo.extensions.of(request.id, ExtensionStatus.APPLIED)
    total = sum(e.months for e in applied)
    before = request.due_at
    request.original_due_at = extension.original_due_at
    request.extended_months = total
    request.extension_reason = "; ".join(e.reason for e in applied)
    request.due_at = extended_due(extension.original_due_at, total)
    request.target_at = target_date(request.due_at,
                                    ctx.settings.deadlines.target_working_days)
    request.updated_at = ctx.now
    ctx.event(request, "deadline_extended", {
        "months": extension.months, "total_months": total, "from": before.isoformat(),
        "to": request.due_at.isoformat(), "reason": extension.reason})


def _decide(ctx: HandlerContext, extension: Extension, status: ExtensionStatus) -> bool:
    """Move a pending extension to ``status``; False when someone else decided it first."""
    return ctx.repo.extensions.decide(extension, status, ctx.now)


def _queued_day(ctx: HandlerContext, draft: Draft) -> date | None:
    if draft.outbox_id is None:
        return None
    outbox = ctx.repo.outbox.get(draft.outbox_id)
    if outbox is None:
        return None
    return ctx.local_date(outbox.created_at)
