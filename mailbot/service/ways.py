"""The ways forward: which staff actions a request offers in the state it is in. The console
shows these, ``mailbot requests show`` lists them, and a test walks every state with them.

Every open state has one that moves the request to another state, and so have the closed
``unverified`` and ``disputed``; ``done``, ``rejected`` and ``closed`` are the ends (the
state machine leaves them for nothing)."""

from __future__ import annotations

from datetime import date

from mailbot.domain.states import OPEN_STATUSES, DraftStatus, RequestStatus, StepStatus
from mailbot.handle import address_change, order_review
from mailbot.handle.extension import can_extend
from mailbot.handle.registry import handler_for
from mailbot.store.models import Request

# What each action is on the command line (ID: the request's reference).
COMMANDS = {
    "approve": "mailbot drafts approve ID --by NAME",
    "reject": "mailbot drafts reject ID --reason TEXT --by NAME",
    "edit": "mailbot drafts edit ID --text-file FILE --by NAME",
    "approve_order": "mailbot register approve ID --by NAME",
    "reject_order": "mailbot register reject ID --reason TEXT --by NAME",
    "verify": "mailbot requests verify ID --reason TEXT --by NAME",
    "verify_new_address": "mailbot requests verify-new-address ID --reason TEXT --by NAME",
    "resend_verification": "mailbot requests resend-verification ID --by NAME",
    "research": "mailbot requests research ID --by NAME",
    "change_kind": "mailbot requests kind ID --kind KIND --by NAME",
    "reply": "mailbot requests reply ID --text-file FILE --by NAME",
    "close": "mailbot requests close ID --reason TEXT --by NAME",
    "refuse": "mailbot requests refuse ID --reason TEXT --by NAME",
    "extend": "mailbot requests extend ID --months 1 --reason TEXT --by NAME",
    "assign": "mailbot requests assign ID --to NAME --by NAME",
    "step_done": "mailbot requests step done ID STEP --note TEXT --by NAME",
    "step_failed": "mailbot requests step failed ID STEP --note TEXT --by NAME",
    "evidence": "mailbot requests evidence ID --format html --out FILE",
}


def ways_forward(request: Request, today: date) -> list[str]:
    """The actions ``request`` offers now, the ones that move it on first."""
    status = request.status
    # a correction of the e-mail address whose sender is proven waits for the new address
    verify = ("verify_new_address" if request.verified_at is not None
              and address_change.waiting(request) else "verify")
    if status == RequestStatus.UNVERIFIED:
        return [verify, "resend_verification"]
    if status == RequestStatus.DISPUTED:
        return [verify, "resend_verification", "close"]
    if status not in OPEN_STATUSES:
        return []
    handler = handler_for(request.kind)
    unverified = handler.needs_verification and request.verified_at is None
    found: list[str] = []
    if order_review.pending(request):  # a processing order waits to enter the register
        found += ["approve_order", "reject_order"]
    if any(s.status == StepStatus.WAITING and s.draft_id is None for s in request.steps):
        found += ["step_done", "step_failed"]
    if any(d.status == DraftStatus.PENDING_APPROVAL for d in request.drafts):
        found += ["approve", "reject", "edit"]
    if status == RequestStatus.AWAITING_VERIFICATION:
        found += [verify, "resend_verification"]
    elif unverified and status == RequestStatus.TRIAGE:
        found.append("verify")
    if handler.repeatable and not unverified and status != RequestStatus.AWAITING_VERIFICATION:
        found.append("research")
    found += ["change_kind", "reply", "close", "refuse"]
    if can_extend(request, today):
        found.append("extend")
    found.append("assign")
    return found
