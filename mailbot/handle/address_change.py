"""A correction that changes the e-mail address itself: the address the person's data goes
to from then on. Whoever asks must prove both addresses: the old one (the request's sender,
by DMARC or a code, as for every correction) and the new one (a code sent there). Until both
are proven nothing is changed and no confirmation is drafted; the request waits in
``awaiting_verification`` and its details say which address it waits for.

Why both: proving only the old address lets someone who spoofs it (or reads it once) move the
data to an address of their own; proving only the new one lets anyone claim a stranger's
record. :mod:`mailbot.handle.address_proof` sends the codes, and lets staff send a new one or
confirm the new address another way.
"""

from __future__ import annotations

from typing import Any

from mailbot.domain.states import RequestStatus, VerificationKind, VerificationStatus
from mailbot.handle.context import HandlerContext
from mailbot.store.models import Request, Verification

KEY = "email_change"


def change(request: Request) -> dict[str, Any] | None:
    """What the details say about the address change: old, new, when and how proven."""
    found = (request.details or {}).get(KEY)
    return dict(found) if isinstance(found, dict) else None


def waiting(request: Request) -> bool:
    """Whether the request waits for its new address to be proven."""
    found = change(request)
    return found is not None and not found.get("verified_at")


def proven(request: Request, new: str) -> bool:
    found = change(request)
    return found is not None and found.get("new") == new and bool(found.get("verified_at"))


def wait_for(ctx: HandlerContext, request: Request, new: str) -> None:
    """The correction moves the data to ``new``, which is not proven: the request waits
    (:func:`mailbot.handle.address_proof.ask` sends the code)."""
    record(request, {"old": request.sender, "new": new, "verified_at": None, "method": None})
    ctx.set_status(request, RequestStatus.AWAITING_VERIFICATION,
                   f"the new address {new} must be proven as well as {request.sender}: "
                   "nothing is changed until both are confirmed")
    ctx.event(request, "new_address_verification",
              {"old": request.sender, "new": new,
               "why": "a change of the e-mail address itself needs both addresses proven"})


def confirmed(ctx: HandlerContext, request: Request, method: str) -> bool:
    """Record that the new address was proven by ``method`` ("code", "link"), when a
    verification of it says so; False (nothing changes) otherwise."""
    found = change(request)
    if found is None or found.get("verified_at"):
        return False
    proof = [v for v in ctx.repo.verifications.for_request(request.id)
             if v.kind == VerificationKind.NEW_ADDRESS and v.address == found["new"]
             and v.status == VerificationStatus.VERIFIED]
    if not proof:
        return False
    mark(ctx, request, found, method)
    return True


def mark(ctx: HandlerContext, request: Request, found: dict[str, Any], method: str,
          **detail: object) -> None:
    record(request, {**found, "verified_at": ctx.now.isoformat(), "method": method})
    ctx.event(request, "new_address_verified",
              {"new": found["new"], "method": method, **detail})
    if request.status in (RequestStatus.AWAITING_VERIFICATION, RequestStatus.UNVERIFIED):
        ctx.set_status(request, RequestStatus.ACKNOWLEDGED,
                       f"both addresses proven ({request.verification_method} and {method})")


def record(request: Request, value: dict[str, Any]) -> None:
    request.details = {**(request.details or {}), KEY: value}


def pending(ctx: HandlerContext, request: Request) -> list[Verification]:
    return [v for v in ctx.repo.verifications.pending_for_requests([request.id])
            if v.kind == VerificationKind.NEW_ADDRESS]
