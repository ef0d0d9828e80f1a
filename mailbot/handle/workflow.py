"""Moving a request along: verification first where personal data is involved, then the
kind's handler, then staff approval. Each step runs in the caller's transaction."""

from __future__ import annotations

from mailbot.domain.kinds import RequestKind
from mailbot.domain.mail import ParsedMail
from mailbot.domain.states import DraftStatus, RequestStatus
from mailbot.handle import verify
from mailbot.handle.context import HandlerContext
from mailbot.handle.drafts import queue, settle
from mailbot.handle.registry import handler_for
from mailbot.store.models import Request


def start(ctx: HandlerContext, requests: list[Request], mail: ParsedMail) -> None:
    """Called when a mail's requests are recorded (and acknowledged). A request the
    classifier is unsure of waits for a person (triage) before anything is applied."""
    unsure = [r for r in requests if r.triage and r.kind != RequestKind.OTHER]
    for request in unsure:
        ctx.set_status(request, RequestStatus.TRIAGE,
                       f"the classifier is unsure ({request.confidence:.2f}): a person "
                       "confirms the kind first")
    requests = [r for r in requests if r not in unsure]
    needing = [r for r in requests if handler_for(r.kind).needs_verification]
    if needing:
        if verify.dmarc_verified(mail, ctx.settings.verification.trusted_authserv_ids):
            for request in needing:
                mark_verified(ctx, request, "dmarc")
        else:
            for request in needing:
                ctx.set_status(request, RequestStatus.AWAITING_VERIFICATION,
                               "the sender has not yet proved control of the address")
            verify.begin(ctx, needing)
    for request in requests:
        if request.status != RequestStatus.AWAITING_VERIFICATION:
            proceed(ctx, request)


def mark_verified(ctx: HandlerContext, request: Request, method: str) -> None:
    request.verified_at = ctx.now
    request.verification_method = method
    ctx.event(request, "verified", {"method": method, "address": request.sender})


def verified(ctx: HandlerContext, requests: list[Request], method: str) -> None:
    """The sender proved control: let every waiting request go on."""
    for request in requests:
        if request.status == RequestStatus.AWAITING_VERIFICATION:
            mark_verified(ctx, request, method)
            ctx.set_status(request, RequestStatus.ACKNOWLEDGED, f"verified by {method}")
            proceed(ctx, request)


def proceed(ctx: HandlerContext, request: Request) -> None:
    handler_for(request.kind).prepare(ctx, request)
    for draft in list(request.drafts):
        if draft.status == DraftStatus.PENDING_APPROVAL and not draft.needs_approval:
            queue(ctx, draft)
    settle(ctx, request)
