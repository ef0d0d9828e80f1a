"""What every kind handler offers the workflow."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol

from mailbot.domain.kinds import RequestKind
from mailbot.domain.mail import DetectedRequest
from mailbot.handle.context import HandlerContext
from mailbot.store.models import Draft, Request


class KindHandler(Protocol):
    kind: RequestKind
    needs_verification: bool  # personal data may be involved: prove control of the address
    # prepare may run again (staff "search again"): it only reads and drafts
    repeatable: bool

    def prepare(self, ctx: HandlerContext, request: Request) -> None:
        """The request may proceed (verified when needed): record what it asks, add drafts."""

    def on_approved(self, ctx: HandlerContext, request: Request, draft: Draft) -> None:
        """Staff approved ``draft``: apply what it confirms (a correction, an erasure)."""


class KindRule(Protocol):
    """A rule of one kind that looks at every mail before its requests are recorded: it may
    add a request and mark each request (a child under 16 -> erasure as well)."""

    name: str

    def sign(self, text: str, received: date) -> Any | None:
        """What the rule found in the mail's text (None: nothing)."""

    def amend(self, detected: Sequence[DetectedRequest], sign: Any) -> list[DetectedRequest]:
        """The requests to record, given what the classifier found."""

    def mark(self, ctx: HandlerContext, request: Request, sign: Any) -> None:
        """Note the finding on one recorded request."""
