"""Keeping a request's answer true to its recorded results: rebuilding it when a result
comes in, refusing its approval while a step it states is open, and carrying out the planned
steps when staff approve it (the answer leaves only if the results then say what it says)."""

from __future__ import annotations

from mailbot.domain.states import DraftStatus, StepStatus
from mailbot.errors import WorkflowError
from mailbot.handle import outcome, steps
from mailbot.handle.context import HandlerContext
from mailbot.handle.registry import handler_for
from mailbot.store.models import Draft, Request


def refresh(ctx: HandlerContext, request: Request) -> Draft | None:
    """Rebuild the request's waiting answer from the results as they are now."""
    build = getattr(handler_for(request.kind), "letter", None)
    if build is None:
        return None
    if not any(d.mentions is not None and d.status == DraftStatus.PENDING_APPROVAL
               for d in request.drafts):
        return None
    letter = build(ctx, request)
    return None if letter is None else outcome.write(ctx, request, letter)


def check(draft: Draft) -> None:
    """WorkflowError when ``draft`` states a step that has no result yet."""
    open_steps = outcome.blocking(draft)
    if not open_steps:
        return
    reference = draft.request.reference
    listed = "; ".join(f"step {s.position} ({steps.describe(s)}) is {s.status}"
                       for s in open_steps)
    forwards = [s.draft_id for s in open_steps
                if s.status == StepStatus.WAITING and s.draft_id is not None]
    if any(s.status == StepStatus.WAITING and s.draft_id is None for s in open_steps):
        hint = f"tick it off first (mailbot requests step done {reference} STEP --note TEXT)"
    elif forwards:
        hint = (f"approve or reject the forward first (mailbot drafts approve "
                f"{forwards[0]})")
    else:
        hint = "wait until it has left (mailbot run --once delivers the outbox)"
    raise WorkflowError(f"draft {draft.id} states what has not happened yet: {listed}; "
                        f"{hint}")


def carry_out(ctx: HandlerContext, draft: Draft) -> bool:
    """Staff approved ``draft``: the planned steps are carried out. True when every step the
    text states came out as stated (it may leave as it is, staff's edits included); else the
    answer is rebuilt from the results and waits for approval again."""
    request = draft.request
    stated = dict(draft.mentions or {})
    run = getattr(handler_for(request.kind), "carry_out", None)
    if run is not None and outcome.planned(request):
        run(ctx, request, draft)
    now = outcome.mentions(request)
    if all(now.get(k) == v for k, v in stated.items()) and not outcome.blocking(draft):
        return True
    refresh(ctx, request)
    ctx.event(request, "draft_not_sent", {
        "draft_id": draft.id, "version": draft.version,
        "note": "the results differ from what the approved text said: it was rebuilt from "
                "them and waits for approval again"})
    return False
