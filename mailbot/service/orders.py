"""Staff decisions on clients' processing orders: approve one into the processor register,
or reject it (the register stays as it was); and the orders that wait for a decision."""

from __future__ import annotations

from typing import Any

from mailbot.domain.kinds import RequestKind
from mailbot.domain.staff import Role
from mailbot.domain.states import OPEN_STATUSES
from mailbot.handle import order_review, workflow
from mailbot.service.base import Service
from mailbot.service.requests import RequestOutcome, _outcome


def approve(service: Service, ident: str | int, *, by: str) -> RequestOutcome:
    """Record the order in the register (the client gets the receipt naming the version)."""
    with service.acting(by, Role.APPROVER) as act:
        request = act.repo.requests.find(ident)
        workflow.approve_order(act.ctx, request)
        return _outcome(request, act.by)


def reject(service: Service, ident: str | int, reason: str, *, by: str) -> RequestOutcome:
    """Leave the register as it is; the request waits for a person to answer the client."""
    with service.acting(by, Role.APPROVER) as act:
        request = act.repo.requests.find(ident)
        workflow.reject_order(act.ctx, request, reason)
        return _outcome(request, act.by)


def pending(service: Service) -> list[dict[str, Any]]:
    """The orders waiting for staff, with what they would record and any flags."""
    with service.reading() as repo:
        found = []
        for request in repo.requests.list(kind=RequestKind.REGISTER_INSTRUCTION):
            order = order_review.order(request)
            if request.status not in OPEN_STATUSES or order is None \
                    or not order_review.pending(request):
                continue
            found.append({"reference": request.reference, "sender": request.sender,
                          "client": order["client"], "order_key": order["order_key"],
                          "change": order["change"], "would_be_version": order["version"],
                          "missing": order["missing"], "flags": order["flags"]})
        return found
