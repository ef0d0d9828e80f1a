"""Codes for a new e-mail address (:mod:`mailbot.handle.address_change`): sending one,
sending a new one, and staff confirming the address another way."""

from __future__ import annotations

from typing import Any

from mailbot.domain.states import RequestStatus, VerificationKind, VerificationStatus
from mailbot.errors import WorkflowError
from mailbot.handle import address_change, verify
from mailbot.handle.context import HandlerContext
from mailbot.store.models import Request, Verification

TEMPLATE = "verification_new_address"


def ask(ctx: HandlerContext, request: Request) -> None:
    """Send a code to the new address the request waits for, unless one is pending."""
    found = address_change.change(request)
    if found is None or found.get("verified_at") or address_change.pending(ctx, request):
        return
    _begin(ctx, request, found)


def confirm_by_staff(ctx: HandlerContext, request: Request, reason: str) -> None:
    """Staff confirmed the new address another way (a call to the known number)."""
    reason = reason.strip()
    if not reason:
        raise WorkflowError("say how the new address was checked: it is recorded")
    found = address_change.change(request)
    if found is None or found.get("verified_at"):
        raise WorkflowError(f"request {request.reference} waits for no new address")
    if request.verified_at is None:
        raise WorkflowError(f"request {request.reference}: the old address "
                            f"{request.sender} is not proven yet; verify it first")
    address_change.mark(ctx, request, found, "staff", reason=reason, by=ctx.actor)
    verify.withdraw(ctx, request, f"the new address was confirmed by {ctx.actor}: {reason}")


def resend(ctx: HandlerContext, request: Request) -> None:
    """A new code to the new address; an unanswered one is withdrawn."""
    found = address_change.change(request)
    if found is None or found.get("verified_at"):
        raise WorkflowError(f"request {request.reference} waits for no new address")
    for verification in address_change.pending(ctx, request):
        verification.move(VerificationStatus.WITHDRAWN)
        ctx.event(request, "verification_withdrawn", {
            "verification_id": verification.id,
            "why": f"a new verification mail was sent by {ctx.actor}"})
    if request.status in (RequestStatus.UNVERIFIED, RequestStatus.DISPUTED):
        ctx.set_status(request, RequestStatus.AWAITING_VERIFICATION,
                       f"a new code to {found['new']}, sent by {ctx.actor}")
    if _begin(ctx, request, found) is None:
        raise WorkflowError(f"no verification mail could be sent to {found['new']!r}: see "
                            "the request's timeline")


def _begin(ctx: HandlerContext, request: Request, found: dict[str, Any]) -> Verification | None:
    return verify.begin(ctx, [request], address=found["new"], kind=VerificationKind.NEW_ADDRESS,
                        template=TEMPLATE, context={"new": found["new"]})
