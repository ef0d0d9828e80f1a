"""Kind ``erasure`` (art. 17): once the sender proved control of the address, a confirmation
waits for staff; their approval erases the person's data in every writable source and in
mailbot's own store (all but the minimal record that the request was handled), and lists
what staff must erase by hand and which recipients to tell (art. 19).

Mail about a child under 16 is handled as erasure too: ``mark_child`` flags it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import date

from mailbot.domain.kinds import RequestKind
from mailbot.domain.mail import DetectedRequest, Evidence
from mailbot.domain.states import RequestStatus
from mailbot.handle import optouts, own_erasure
from mailbot.handle.context import HandlerContext
from mailbot.handle.correction import manual_step, own_sources
from mailbot.handle.extract.child import ChildSign, is_child
from mailbot.store.models import Draft, Request

TEMPLATE = "erasure_confirmation"
PURPOSE = "confirmation"


def mark_child(ctx: HandlerContext, request: Request, sign: ChildSign) -> None:
    """Flag ``request`` as being about a child under 16, with the words that showed it."""
    request.child = True
    ctx.event(request, "child_flagged", sign.as_dict())


class ChildUnder16:
    """A kind rule: a mail about a child under 16 asks for erasure as well (art. 17(1)(f)),
    whatever else it asks, and each of its requests is flagged."""

    name = "child_under_16"

    def sign(self, text: str, received: date) -> ChildSign | None:
        return is_child(text, received)

    def amend(self, detected: Sequence[DetectedRequest],
              sign: ChildSign) -> list[DetectedRequest]:
        if any(d.kind == RequestKind.ERASURE for d in detected):
            return list(detected)
        evidence = Evidence(self.name, RequestKind.ERASURE, sign.evidence)
        return [*detected, DetectedRequest(RequestKind.ERASURE, 1.0, (evidence,))]

    def mark(self, ctx: HandlerContext, request: Request, sign: ChildSign) -> None:
        mark_child(ctx, request, sign)


def _recipients(ctx: HandlerContext, source_names: list[str]) -> dict[str, list[str]]:
    """The recipients (art. 19) of each named source that has any. A processor's source is
    left out: telling its recipients is the client's duty, and the manual step says so."""
    configured = {s.name: s for s in ctx.sources.settings}
    return {name: list(configured[name].recipients) for name in source_names
            if name in configured and configured[name].recipients
            and configured[name].role == "controller"}


class ErasureHandler:
    kind = RequestKind.ERASURE
    needs_verification = True
    repeatable = True

    def prepare(self, ctx: HandlerContext, request: Request) -> None:
        if not request.sender:
            ctx.set_status(request, RequestStatus.TRIAGE, "no address to answer")
            return
        holding = [found.name for found in ctx.sources.lookup(request.sender, ctx.repo)]
        recipients = _recipients(ctx, holding)
        details = dict(request.details or {})
        details.update(sources_with_data=holding, recipients=recipients, child=request.child)
        request.details = details
        ctx.event(request, "erasure_planned", {"sources": holding, "child": request.child})
        ctx.draft(request, template=TEMPLATE, purpose=PURPOSE, personal_data=False,
                  needs_approval=True, context={
                      "reference": request.reference,
                      "received": ctx.local_date(request.received_at),
                      "child": request.child,
                      "optouts": bool(optouts.purposes_of(ctx.repo, request.sender)),
                      "recipients": sorted({r for rs in recipients.values() for r in rs})})

    def on_approved(self, ctx: HandlerContext, request: Request, draft: Draft) -> None:
        if draft.purpose != PURPOSE or "erased_at" in (request.details or {}):
            return
        email = request.sender
        own = own_sources(ctx)
        changes = [c for c in ctx.sources.erase(email, ctx.repo) if c.source not in own]
        # The confirmation is queued before this runs; its text and message must survive.
        erased = own_erasure.erase_address(ctx.repo, email, keep_draft_ids=[draft.id])
        manual = [manual_step(ctx, c.source, c.manual_step) for c in changes if not c.done]
        recipients = _recipients(ctx, [c.source for c in changes])
        request.details = {
            "erased_at": ctx.now.isoformat(), "child": request.child,
            "own_store": erased.as_dict(), "sources": [asdict(c) for c in changes],
            "manual_steps": manual, "recipients": recipients}
        ctx.event(request, "erased", {"own_store": erased.as_dict(),
                                      "sources": [asdict(c) for c in changes]})
        others = [d for d in erased.kept_drafts if d != draft.id]
        if others:
            ctx.event(request, "erasure_kept_drafts", {
                "drafts": others,
                "note": "these drafts still wait for a decision or to leave; their text "
                        "was left as it is"})
        if manual:
            ctx.event(request, "manual_steps", {"steps": manual})
        if recipients:
            ctx.event(request, "tell_recipients", {"recipients": recipients, "note": (
                "art. 19: tell each recipient that the data was erased")})
