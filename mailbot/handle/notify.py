"""Telling the recipients of the person's data of an erasure or correction (art. 19): by
mail through the outbox to the contact address configured for the recipient, or, without
one, as a manual step. An answer names a recipient only once its step is done."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mailbot.config import Source
from mailbot.domain.states import StepStatus
from mailbot.domain.steps import StepAction
from mailbot.handle import steps
from mailbot.handle.context import HandlerContext
from mailbot.send.outbox import NOTIFY_PURPOSE, enqueue
from mailbot.store.models import Request, Step

TEMPLATE = "recipient_notice"


def notify_steps(ctx: HandlerContext, request: Request, sources: Sequence[Source],
                 kind: str, extra: dict[str, Any] | None = None) -> list[Step]:
    """One step per recipient of ``sources`` (controller sources: a processor's recipients
    are its client's to tell)."""
    made: list[Step] = []
    seen: set[str] = set()
    for source in sources:
        if source.role != "controller":
            continue
        for name in source.recipient_names:
            if name in seen:
                continue
            seen.add(name)
            contact = source.recipient_addresses.get(name)
            detail = {"kind": kind, "contact": contact or "", "email": request.sender,
                      "source": source.name, **(extra or {})}
            if contact:
                made.append(steps.add(ctx, request, StepAction.NOTIFY, name,
                                      status=StepStatus.PLANNED, detail=detail))
            else:
                made.append(steps.manual(
                    ctx, request, f"tell {name} of the {kind} for {detail['email']} "
                    "(art. 19); no contact address is configured (sources.recipient_addresses)",
                    target=name, detail=detail, action=StepAction.NOTIFY))
    return made


def run_notify(ctx: HandlerContext, request: Request, step: Step) -> None:
    """Put the notice to the recipient in the outbox; the step is done once it left."""
    detail = step.detail or {}
    rendered = ctx.renderer.render(TEMPLATE, ctx.settings.organisation.language, {
        **ctx.organisation(), "recipient": step.target, "kind": detail.get("kind", ""),
        "email": detail.get("email", request.sender), "reference": request.reference,
        "changes": detail.get("changes", [])})
    outbox = enqueue(ctx.repo, ctx.settings,
                     purpose=f"{NOTIFY_PURPOSE}{request.id}.{step.position}", id_purpose="notify",
                     key=f"{request.id}.{step.position}",
                     to=detail["contact"], subject=rendered.subject, body=rendered.body,
                     language=rendered.language, now=ctx.now, inbound_id=None,
                     request_id=request.id, auto_submitted=False)
    step.outbox_id = outbox.id
    steps.record(ctx, step, StepStatus.PENDING, f"in the outbox as <{outbox.message_id}>")
