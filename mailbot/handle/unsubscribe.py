"""Kind ``unsubscribe`` (art. 21(2)-(3)): the objection is recorded per purpose at once, with
no approval and no proof of identity (it only ever stops processing), and confirmed."""

from __future__ import annotations

from mailbot.domain.kinds import RequestKind
from mailbot.domain.states import RequestStatus
from mailbot.handle import optouts
from mailbot.handle.context import HandlerContext
from mailbot.handle.extract.changes import find_addresses
from mailbot.handle.extract.purposes import find_purposes
from mailbot.store.models import Draft, Request

TEMPLATE = "unsubscribe_confirmation"


class UnsubscribeHandler:
    kind = RequestKind.UNSUBSCRIBE
    needs_verification = False
    repeatable = False

    def prepare(self, ctx: HandlerContext, request: Request) -> None:
        if not request.sender:
            ctx.event(request, "unsubscribe_impossible", {"reason": "the mail has no sender"})
            ctx.set_status(request, RequestStatus.TRIAGE, "no address to unsubscribe")
            return
        text = "\n\n".join(t for t in (request.subject, ctx.mail_text(request)) if t)
        finding = find_purposes(text)
        purposes = [p.value for p in finding.purposes]
        added = optouts.record(ctx.repo, request.sender, purposes, request_id=request.id,
                               now=ctx.now)
        own = {request.sender, *ctx.settings.organisation.own_addresses}
        others = [a for a in find_addresses(text) if a not in own]
        details = dict(request.details or {})
        details.update(purposes=purposes, added=added, general=finding.general,
                       named=finding.named, kept=[p.value for p in finding.kept])
        if others:
            details["other_addresses"] = others
        request.details = details
        ctx.event(request, "opted_out", {"purposes": purposes, "added": added,
                                         "general": finding.general})
        if others:
            ctx.event(request, "other_addresses_named",
                      {"addresses": others, "note": "only the sender's own address was "
                       "unsubscribed; a person decides about the others"})
        ctx.draft(request, template=TEMPLATE, purpose="confirmation", auto_submitted=True,
                  personal_data=False, context={
                      "name": request.inbound.sender_name or "",
                      "reference": request.reference, "recorded": ctx.local_date(ctx.now),
                      "purposes": purposes, "general": finding.general})

    def on_approved(self, ctx: HandlerContext, request: Request, draft: Draft) -> None:
        return None  # the objection was recorded when the mail came in
