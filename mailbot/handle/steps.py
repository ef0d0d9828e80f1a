"""The outcome of a request as steps, each with its recorded result: what a handler plans
(search X, erase in X, forward to client Y, notify recipient Z, delete the mailbox copy, a
manual step), what mailbot or a person then did, who recorded it and when. Answers are
built from these results (handle/letters.py), never from what was meant to happen."""

from __future__ import annotations

from typing import Any

from mailbot.domain.states import OPEN_STEPS, StepStatus
from mailbot.domain.steps import StepAction
from mailbot.errors import NotFound, WorkflowError
from mailbot.handle.context import HandlerContext
from mailbot.handle.own_erasure import erased, scrub_step
from mailbot.store.models import Request, Step
from mailbot.store.views import describe_step as describe
from mailbot.store.views import step_view as view

__all__ = ["MAILBOX", "OWN", "add", "cancel_open", "describe", "failed_to_manual", "find",
           "manual", "record", "tick", "view"]

OWN = "mailbot's own records"
MAILBOX = "mailbox"
NOTE_MAX = 10_000


def add(ctx: HandlerContext, request: Request, action: StepAction, target: str, *,
        status: StepStatus, instruction: str = "", result: str = "",
        detail: dict[str, Any] | None = None, flush: bool = True) -> Step:
    """A new step of ``request``; one that has its result already is recorded as decided
    by ``ctx.actor`` now. It is written with the transaction's next flush; with ``flush`` it
    has its id at once: numbered in advance where the database allows it (store/ids.py),
    else written now for it. Without, it has no id until then: for a caller that never uses
    its id (nothing names it but its request and position)."""
    number = ctx.repo.number(Step) if flush else None
    step = Step(id=number, request_id=request.id, position=len(request.steps) + 1,
                action=action, target=target[:200], status=status,
                instruction=instruction or None, result=result or None, detail=detail,
                created_at=ctx.now)
    if status not in OPEN_STEPS:
        step.decided_by, step.decided_at = ctx.actor, ctx.now
    request.steps.append(step)
    if flush and number is None:
        ctx.repo.flush()
    ctx.event(request, "step_planned" if step.open else "step_recorded", _event(step))
    return step


def record(ctx: HandlerContext, step: Step, status: StepStatus, result: str = "", *,
           note: str | None = None) -> None:
    """The result of ``step``: ``status``, what happened, staff's note; by ``ctx.actor``."""
    step.move(status)
    if result:
        step.result = result
    if note is not None:
        step.note = note
    if status not in OPEN_STEPS:
        step.decided_by, step.decided_at = ctx.actor, ctx.now
    ctx.event(step.request, _RECORDED[status], _event(step))
    if status not in OPEN_STEPS and (placeholder := erased(step.request)):
        scrub_step(step, placeholder)  # the person's data went: what they were told stays


def manual(ctx: HandlerContext, request: Request, instruction: str, *,
           target: str = "", detail: dict[str, Any] | None = None,
           action: StepAction = StepAction.MANUAL, flush: bool = True) -> Step:
    """A step a person carries out and ticks off (``flush``: as ``add``)."""
    return add(ctx, request, action, target or "staff", status=StepStatus.WAITING,
               instruction=instruction, detail=detail, flush=flush)


def failed_to_manual(ctx: HandlerContext, step: Step, why: str, instruction: str) -> Step:
    """``step`` failed (``why``, for staff): recorded so, and a person takes it over."""
    record(ctx, step, StepStatus.FAILED, why)
    return manual(ctx, step.request, f"{instruction} ({why})", target=step.target,
                  detail={**(step.detail or {}), "instead_of": step.position},
                  action=StepAction(step.action))


def cancel_open(ctx: HandlerContext, request: Request, why: str) -> None:
    """Every open step of ``request`` is no longer needed (searched again, closed)."""
    for step in request.steps:
        if step.open:
            record(ctx, step, StepStatus.CANCELLED, why)


def find(request: Request, position: int | str) -> Step:
    text = str(position).strip()
    step = next((s for s in request.steps if str(s.position) == text), None)
    if step is None:
        raise NotFound(f"request {request.reference} has no step {text} (it has "
                       f"{len(request.steps)})")
    return step


def tick(ctx: HandlerContext, request: Request, position: int | str, done: bool,
         note: str) -> Step:
    """Staff record the result of a step that waits for a person, with a note saying what
    they did (or why it could not be done)."""
    note = note.strip()
    if not note:
        raise WorkflowError("say what was done (or why not) in a note: it is recorded")
    if len(note) > NOTE_MAX:
        raise WorkflowError(f"a note has at most {NOTE_MAX} characters")
    step = find(request, position)
    if step.status != StepStatus.WAITING:
        raise WorkflowError(f"step {step.position} ({describe(step)}) is {step.status}: only "
                            "a step that waits for a person is ticked off")
    if step.draft_id is not None:
        raise WorkflowError(f"step {step.position} is the forward in draft {step.draft_id}: "
                            f"approve or reject that draft (mailbot drafts approve "
                            f"{step.draft_id})")
    record(ctx, step, StepStatus.DONE if done else StepStatus.FAILED,
           f"recorded by {ctx.actor}", note=note)
    return step


_RECORDED = {StepStatus.PENDING: "step_pending", StepStatus.WAITING: "step_waiting",
             StepStatus.DONE: "step_done", StepStatus.FAILED: "step_failed",
             StepStatus.CANCELLED: "step_cancelled", StepStatus.PLANNED: "step_planned"}


def _event(step: Step) -> dict[str, Any]:
    return {"step": step.position, "action": str(step.action), "target": step.target,
            "status": str(step.status)}
