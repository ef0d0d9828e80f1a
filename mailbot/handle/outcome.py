"""Answers built from a request's recorded results. A handler describes its answer as a
``Letter``: a template and a context made from the steps' results (``results``), and which
steps the text states (``mentions``). A step still planned is one mailbot carries out when
staff approve the answer: the text states it as it must come out, and the answer leaves
only if the recorded result then says the same (handle/letters.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mailbot.domain.states import DraftStatus, StepStatus
from mailbot.domain.steps import REPORTED
from mailbot.handle.context import HandlerContext
from mailbot.handle.steps import view
from mailbot.store.models import Draft, Request, Step


@dataclass
class Letter:
    template: str
    context: dict[str, Any]
    purpose: str = "confirmation"
    personal_data: bool = False
    mentions: dict[str, str] = field(default_factory=dict)  # position -> stated status
    needs_approval: bool | None = True  # None: as the kind and settings say


def stated(step: Step) -> str:
    """The result an answer states for ``step``: a planned step as it must come out."""
    return str(StepStatus.DONE) if step.status == StepStatus.PLANNED else str(step.status)


def results(request: Request) -> list[dict[str, Any]]:
    """Every step (cancelled ones left out) as a template sees it, with ``status`` the
    result the answer may state."""
    return [{**view(s), "status": stated(s)} for s in request.steps
            if s.status != StepStatus.CANCELLED]


def mentions(request: Request) -> dict[str, str]:
    """The steps an answer reports on, with the result it states."""
    return {str(s.position): stated(s) for s in request.steps
            if s.action in REPORTED and s.status != StepStatus.CANCELLED}


def blocking(draft: Draft) -> list[Step]:
    """The steps ``draft`` states that still wait for a person or for mailbot."""
    if draft.mentions is None:
        return []
    wanted = set(draft.mentions)
    return [s for s in draft.request.steps if str(s.position) in wanted
            and s.status in (StepStatus.PENDING, StepStatus.WAITING)]


def planned(request: Request) -> list[Step]:
    return [s for s in request.steps if s.status == StepStatus.PLANNED]


def write(ctx: HandlerContext, request: Request, letter: Letter) -> Draft:
    """The request's answer with this text: its waiting draft rebuilt (a new version when the
    text changed), or a new draft."""
    current = next((d for d in request.drafts if d.purpose == letter.purpose
                    and d.mentions is not None
                    and d.status == DraftStatus.PENDING_APPROVAL), None)
    if current is None:
        # numbered in advance (nothing names it by a plain column): no flush for it
        draft = ctx.draft(request, template=letter.template, purpose=letter.purpose,
                          personal_data=letter.personal_data,
                          needs_approval=letter.needs_approval,
                          context=letter.context, flush=False)
        draft.mentions = letter.mentions
        return draft
    rendered = ctx.renderer.render(letter.template, request.language,
                                   {**ctx.organisation(), **letter.context})
    if (rendered.subject, rendered.body) != (current.subject, current.body):
        current.subject, current.body = rendered.subject, rendered.body
        current.version += 1
        current.updated_at = ctx.now
        ctx.event(request, "draft_rebuilt", {"draft_id": current.id,
                                             "version": current.version})
    current.mentions = letter.mentions
    return current
