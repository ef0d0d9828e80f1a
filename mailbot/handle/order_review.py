"""Where a client's processing order stands before it enters the register: the review staff
give it (``request.details["register"]["review"]``, an :class:`OrderReview`). Pure reading
of the request, so the workflow and the ways forward can ask without importing the handler."""

from __future__ import annotations

from typing import Any

from mailbot.domain.kinds import RequestKind
from mailbot.domain.states import OrderReview
from mailbot.store.models import Request

KEY = "register"


def order(request: Request) -> dict[str, Any] | None:
    """What the handler read from the order and what it would record."""
    if request.kind != RequestKind.REGISTER_INSTRUCTION:
        return None
    found = (request.details or {}).get(KEY)
    return dict(found) if isinstance(found, dict) else None


def review(request: Request) -> OrderReview | None:
    found = order(request)
    return OrderReview(found["review"]) if found and found.get("review") else None


def pending(request: Request) -> bool:
    """Whether the order waits for staff to approve it into the register (or reject it)."""
    return review(request) == OrderReview.PENDING
