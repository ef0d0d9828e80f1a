"""Mail to staff (reminders, escalation, the digest) straight into the outbox: no draft and
no approval, since it says nothing to the person the request came from."""

from __future__ import annotations

import uuid
from typing import Any

from mailbot.handle.context import HandlerContext
from mailbot.send.compose import LOOP_HEADER, compose_reply, make_message_id, message_bytes
from mailbot.store.models import OutboxMessage, Request


def queue_staff_mail(ctx: HandlerContext, *, template: str, context: dict[str, Any],
                     recipient: str, purpose: str, request: Request | None = None
                     ) -> OutboxMessage:
    """Render ``template`` in the organisation's language and put it in the outbox, in the
    caller's transaction. ``purpose`` must be unique (it names the outbox row)."""
    settings = ctx.settings
    org = settings.organisation
    rendered = ctx.renderer.render(template, org.language, {**ctx.organisation(), **context})
    message_id = make_message_id(org.address.rpartition("@")[2], purpose.partition(".")[0],
                                 f"{purpose}.{uuid.uuid4().hex}")
    message = compose_reply(
        from_address=settings.from_address, from_name=org.name, to=recipient,
        subject=rendered.subject, body=rendered.body, message_id=message_id, in_reply_to=None,
        references=(), loop_header=LOOP_HEADER, loop_value=org.address,
        language=rendered.language, date=ctx.now, auto_submitted=True)
    outbox = OutboxMessage(
        message_id=message_id, purpose=purpose[:40],
        inbound_id=request.inbound_id if request else None,
        request_id=request.id if request else None, envelope_from=settings.from_address,
        recipient=recipient, message=message_bytes(message), status="pending", attempts=0,
        next_attempt_at=ctx.now, created_at=ctx.now)
    ctx.repo.add(outbox)
    ctx.repo.flush()
    return outbox
