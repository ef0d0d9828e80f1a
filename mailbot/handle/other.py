"""Kind ``other``: a person reads it; nothing automatic beyond the acknowledgement."""

from __future__ import annotations

from mailbot.domain.kinds import RequestKind
from mailbot.domain.states import RequestStatus
from mailbot.handle.context import HandlerContext
from mailbot.store.models import Draft, Request


class OtherHandler:
    kind = RequestKind.OTHER
    needs_verification = False
    repeatable = False

    def prepare(self, ctx: HandlerContext, request: Request) -> None:
        ctx.set_status(request, RequestStatus.TRIAGE, "kind other: a person reads it")

    def on_approved(self, ctx: HandlerContext, request: Request, draft: Draft) -> None:
        return None
