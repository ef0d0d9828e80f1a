"""What every kind handler offers the workflow."""

from __future__ import annotations

from typing import Protocol

from mailbot.domain.kinds import RequestKind
from mailbot.handle.context import HandlerContext
from mailbot.store.models import Draft, Request


class KindHandler(Protocol):
    kind: RequestKind
    needs_verification: bool  # personal data may be involved: prove control of the address

    def prepare(self, ctx: HandlerContext, request: Request) -> None:
        """The request may proceed (verified when needed): record what it asks, add drafts."""

    def on_approved(self, ctx: HandlerContext, request: Request, draft: Draft) -> None:
        """Staff approved ``draft``: apply what it confirms (a correction, an erasure)."""
