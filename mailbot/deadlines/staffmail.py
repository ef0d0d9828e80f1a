"""Mail to staff (reminders, escalation, the digest) straight into the outbox: no draft and
no approval, since it says nothing to the person the request came from."""

from __future__ import annotations

from typing import Any

from mailbot.handle.context import HandlerContext
from mailbot.send.outbox import enqueue
from mailbot.store.models import OutboxMessage, Request


def queue_staff_mail(ctx: HandlerContext, *, template: str, context: dict[str, Any],
                     recipient: str, purpose: str, request: Request | None = None
                     ) -> OutboxMessage:
    """Render ``template`` in the organisation's language and put it in the outbox, in the
    caller's transaction. ``purpose`` must be unique (it names the outbox row)."""
    rendered = ctx.renderer.render(template, ctx.settings.organisation.language,
                                   {**ctx.organisation(), **context})
    return enqueue(
        ctx.repo, ctx.settings, purpose=purpose[:40], id_purpose=purpose.partition(".")[0],
        key=purpose, to=recipient, subject=rendered.subject, body=rendered.body,
        language=rendered.language, now=ctx.now,
        inbound_id=request.inbound_id if request else None,
        request_id=request.id if request else None)
